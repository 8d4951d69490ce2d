// SPDX-License-Identifier: LGPL-2.1-or-later
// Types of tools/readme-html.mjs, for the unit tests.

export function slug(text: string): string;
export function readmeToHtml(markdown: string, title?: string): string;
