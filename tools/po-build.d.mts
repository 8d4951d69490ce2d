// SPDX-License-Identifier: LGPL-2.1-or-later
// Types of tools/po-build.mjs, for the unit tests and build.js.

export interface Skipped {
    fuzzy: number;
    untranslated: number;
}

export interface Built {
    lang: string;
    file: string;
    translated: number;
    skipped: Skipped;
    gzipped: number;
}

export function pluralFunction(header: string | undefined): { nplurals: number; source: string };
export function compileLocale(input: Uint8Array | string, lang: string): { source: string; translated: number; skipped: Skipped };
export function languages(poDir?: string): string[];
export function buildTranslations(outDir: string, poDir?: string): Built[];
export function describe(results: readonly Built[]): string[];
export const METAINFO: string;
export function buildMetainfo(outDir: string, poDir?: string): string;
