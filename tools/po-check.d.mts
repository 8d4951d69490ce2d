// SPDX-License-Identifier: LGPL-2.1-or-later
// Types of tools/po-check.mjs, for the unit tests.

import type { Entry } from "./po-extract.mjs";

export interface PoProblems {
    missing: string[];
    fuzzy: string[];
    untranslated: string[];
    plural: string[];
    placeholders: string[];
    nplurals: number;
}

export interface CheckResult {
    warnings: string[];
    /** The committed template has exactly the extracted messages (references may differ). */
    potCurrent: boolean;
    potMissing: string[];
    potExtra: string[];
    entries: number;
    languages: Record<string, PoProblems>;
}

export const HOW: string;
export function checkPo(input: Uint8Array | string, entries: readonly Entry[]): PoProblems;
export function checkTranslations(root?: string): CheckResult;
export function problems(result: CheckResult): string[];
