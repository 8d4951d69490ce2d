// SPDX-License-Identifier: LGPL-2.1-or-later
export function cockpitJs(): string | null;
export function readText(file: string): string | null;
