// SPDX-License-Identifier: LGPL-2.1-or-later
// The help page (README.md → dist/help.html): every view's Help link has its section, and the
// Markdown the README uses comes out as HTML, escaped.

import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { readmeToHtml, slug } from "../../tools/readme-html.mjs";

const ROOT = process.cwd(); // vitest runs in the checkout
const README = readFileSync(path.join(ROOT, "README.md"), "utf-8");
const SOURCES = ["networks/networks-table.tsx", "tables/tables-view.tsx", "rules/rules-view.tsx", "lookup/lookup-view.tsx"]
    .map(f => readFileSync(path.join(ROOT, "src", f), "utf-8"));

test("each view's Help link names a section of the README", () => {
    const html = readmeToHtml(README);
    const sections = SOURCES.flatMap(s => [...s.matchAll(/<StatusCard [^>]*help="([^"]+)"/g)].map(m => m[1]));
    expect(new Set(sections)).toEqual(new Set(["networks", "routing-tables", "rules", "route-lookup"]));
    for (const section of sections)
        expect(html).toContain(`id="${section}"`);
    expect(html).toContain('id="from-cockpits-networking-page"');
});

test("GitHub's anchors", () => {
    expect(slug("From Cockpit's Networking page")).toBe("from-cockpits-networking-page");
    expect(slug("Boot, self-healing, systemd-networkd")).toBe("boot-self-healing-systemd-networkd");
    expect(slug("`reconcile` and **more**")).toBe("reconcile-and-more");
});

test("the Markdown the README uses, escaped", () => {
    const html = readmeToHtml([
        "# Title <x>", "", "A [link](https://example.org) and [a file](doc/x.md), `a <b>` and **bold**.",
        "", "- one", "  continued", "- two", "", "    indented code", "", "```", "<fenced>", "```",
        "", "| a | b |", "| --- | --- |", "| ![alt](x.png) | `c` |", "",
    ].join("\n"));
    expect(html).toContain('<h1 id="title-x">Title &lt;x&gt;</h1>');
    expect(html).toContain('A <a href="https://example.org">link</a> and a file, <code>a &lt;b&gt;</code> and <strong>bold</strong>.');
    expect(html).toContain("<ul><li>one continued</li><li>two</li></ul>");
    expect(html).toContain("<pre><code>indented code</code></pre>");
    expect(html).toContain("<pre><code>&lt;fenced&gt;</code></pre>");
    expect(html).toContain("<td><em>alt</em></td><td><code>c</code></td>");
    expect(html).not.toMatch(/<script|<style/);
});
