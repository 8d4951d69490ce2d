// SPDX-License-Identifier: LGPL-2.1-or-later
// Types of tools/prune-css.mjs, for the unit tests.

export function pruneBaseCss(css: string): string;
export function pruneCss(css: string, scripts: string[], options?: { safelist?: RegExp[] }): {
    css: string;
    stats: { rules: number; rulesDropped: number; properties: number; propertiesDropped: number; keyframesDropped: number };
};
