// SPDX-License-Identifier: LGPL-2.1-or-later
// Types of tools/po-extract.mjs, for the unit tests.

export interface Entry {
    msgctxt: string;
    msgid: string;
    msgid_plural?: string;
    references: string[];
    extracted: string[];
}

export const ROOT: string;
export const POT: string;
export const DOMAIN: string;
export function extract(root?: string): { entries: Entry[]; warnings: string[] };
export function toPot(entries: readonly Entry[], options?: { version?: string }): Uint8Array;
export function currentPot(root?: string): { pot: Uint8Array; entries: Entry[]; warnings: string[] };
