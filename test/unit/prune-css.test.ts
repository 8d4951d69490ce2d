// SPDX-License-Identifier: LGPL-2.1-or-later
// tools/prune-css.mjs (the build's CSS pruning, parsed by postcss): what PatternFly's base.css
// loses before bundling, and what the built CSS loses when the page never uses it.

import { describe, expect, it } from "vitest";
import { pruneBaseCss, pruneCss } from "../../tools/prune-css.mjs";

describe("pruneBaseCss", () => {
    const base = `
/* tokens */
:root, .pf-v6-theme-dark { --pf-t--a: 1; }
.pf-v6-theme-high-contrast { --pf-t--a: 2; }
:where(.pf-v6-theme-glass) .pf-v6-c-x, .pf-v6-c-y { color: red; }
@media (min-width: 10px) { .pf-v6-theme-felt { --pf-t--b: 3; } }
@font-face { font-family: "pficon"; src: url("pficon.woff2"); }
@font-face { font-family: "RedHatText"; src: url("text.woff2"); }
.pf-v6-pficon-add::before { content: "x"; }
a { color: blue; }`;
    const out = pruneBaseCss(base);

    it("drops the themes Cockpit never turns on, and the pficon font and classes", () => {
        expect(out).not.toMatch(/high-contrast|glass|felt|pficon/);
    });

    it("keeps everything else: the light and dark tokens, other fonts, a rule's other selectors", () => {
        expect(out).toContain(":root, .pf-v6-theme-dark { --pf-t--a: 1; }");
        expect(out).toContain(".pf-v6-c-y { color: red; }");
        expect(out).toContain("RedHatText");
        expect(out).toContain("a { color: blue; }");
        expect(out).not.toContain("@media"); // emptied: gone
    });
});

describe("pruneCss", () => {
    it("keeps rules and tokens the page's scripts use, drops the rest", () => {
        const css = ".pf-v6-c-used { color: var(--pf-t--used); } .pf-v6-c-unused { color: var(--pf-t--unused); }" +
            " :root { --pf-t--used: red; --pf-t--unused: blue; }";
        const { css: out, stats } = pruneCss(css, ['className: "pf-v6-c-used"']);
        expect(out).toContain(".pf-v6-c-used");
        expect(out).not.toContain(".pf-v6-c-unused");
        expect(out).toContain("--pf-t--used: red");
        expect(out).not.toContain("--pf-t--unused");
        expect(stats.rulesDropped).toBe(1);
        expect(stats.propertiesDropped).toBe(1);
    });
});
