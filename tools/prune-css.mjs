// SPDX-License-Identifier: LGPL-2.1-or-later
// Size: drop the CSS the built page never uses (build.js runs this on dist/index.css).
//
// 1. Rules. A selector stays when every class and id it requires occurs as a word in the built JS
//    or HTML: PatternFly's class names are string literals there (react-styles' maps), so every
//    class a rendered component can set is kept, whatever its props. Classes under :not() are not
//    required; :is(), :where() and :has() need one satisfiable alternative (pseudo-classes, tags
//    and attributes alone always are). A rule loses the selectors that cannot match and goes
//    when none is left. SAFELIST: what is set at run time from pieces or by others — every pf-m-*
//    modifier (e.g. Page's `pf-m-breakpoint-${size}`) and the dark theme's class (theme.ts sets
//    it on <html>; its token blocks hang on it).
// 2. Custom properties (--pf-t--* tokens, --pf-v6-c-* component variables) nobody reads: not
//    referenced by an ordinary declaration of a kept rule, nor by the page's JS (inline styles),
//    nor by another custom property that is itself read (the closure is computed).
// 3. @keyframes no kept declaration names.
// (PurgeCSS was tried first: it drops every selector with `:is(:hover,:focus)` or
// `:where(:focus-visible)`, i.e. PatternFly's hover and focus styles.)

import postcss from "postcss";
import selectorParser from "postcss-selector-parser";

export const SAFELIST = [/^pf-m-/, /^pf-v6-theme-dark$/];

/** In PatternFly's base.css (before bundling): the token sets of themes Cockpit never turns on
 * (high contrast, glass, felt) and the pficon icon font's classes (the page uses SVG icons). */
const UNUSED_BASE_SELECTOR = /\.pf-v6-theme-(high-contrast|glass|felt)\b|\.pf-v6-pficon-/;

/** base.css without UNUSED_BASE_SELECTOR's selectors (a rule goes with its last one), the pficon
 * @font-face, and the at-rules left empty. */
export function pruneBaseCss(css) {
    const root = postcss.parse(css);
    root.walkRules(rule => {
        const kept = rule.selectors.filter(s => !UNUSED_BASE_SELECTOR.test(s));
        if (kept.length === 0)
            rule.remove();
        else if (kept.length < rule.selectors.length)
            rule.selectors = kept;
    });
    root.walkAtRules("font-face", face => {
        if (face.toString().includes("pficon"))
            face.remove();
    });
    root.walkAtRules(at => {
        if (at.nodes !== undefined && at.nodes.length === 0)
            at.remove();
    });
    return root.toString();
}

const LIST_PSEUDOS = new Set([":is", ":where", ":has", ":matches", ":-webkit-any"]);

/** The words of the page's scripts and HTML, as class names could be written there. */
export function wordsOf(...texts) {
    const words = new Set();
    for (const text of texts) {
        for (const w of text.match(/[A-Za-z0-9_-]+/g) ?? [])
            words.add(w);
    }
    return words;
}

/** Can this (parsed) selector match an element of the page? */
function satisfiable(selector, known) {
    let ok = true;
    selector.each(function check(node) {
        if (!ok)
            return false;
        if (node.type === "class" || node.type === "id") {
            if (!known(node.value))
                ok = false;
        } else if (node.type === "pseudo" && node.nodes.length > 0) {
            const name = node.value.toLowerCase();
            if (LIST_PSEUDOS.has(name))
                ok = node.nodes.some(sub => satisfiable(sub, known));
            // :not(), :nth-child(… of S) and the like never require a class
        }
        return ok;
    });
    return ok;
}

/** Keep the selectors of `selectorText` that can match; returns the kept ones. */
export function keptSelectors(selectorText, known) {
    const kept = [];
    selectorParser(root => {
        root.each(sel => {
            if (satisfiable(sel, known))
                kept.push(sel.toString().trim());
        });
    }).processSync(selectorText);
    return kept;
}

const varRefs = text => [...text.matchAll(/var\(\s*(--[\w-]+)/g)].map(m => m[1]);

/** The custom properties that are read (the closure), given the declarations left in `root`. */
export function usedProperties(root, scripts = "") {
    const defs = new Map();
    const used = new Set(scripts.match(/--pf-[\w-]+/g) ?? []);
    root.walkDecls(decl => {
        if (decl.prop.startsWith("--")) {
            if (!defs.has(decl.prop))
                defs.set(decl.prop, []);
            defs.get(decl.prop).push(decl.value);
        } else {
            for (const name of varRefs(decl.value))
                used.add(name);
        }
    });
    const work = [...used];
    while (work.length > 0) {
        for (const value of defs.get(work.pop()) ?? []) {
            for (const name of varRefs(value)) {
                if (!used.has(name)) {
                    used.add(name);
                    work.push(name);
                }
            }
        }
    }
    return { used, declared: defs };
}

function dropEmpty(root) {
    let again = true;
    while (again) {
        again = false;
        root.walk(node => {
            if ((node.type === "rule" || (node.type === "atrule" && node.nodes !== undefined)) && node.nodes.length === 0) {
                node.remove();
                again = true;
            }
        });
    }
}

/**
 * The stylesheet without what the page never uses. `scripts`: the built JS and HTML (their words
 * decide which classes exist). Returns { css, stats }.
 */
export function pruneCss(css, scripts, { safelist = SAFELIST } = {}) {
    const words = wordsOf(...scripts);
    const known = name => words.has(name) || safelist.some(re => re.test(name));
    const root = postcss.parse(css);
    const stats = { rules: 0, rulesDropped: 0, properties: 0, propertiesDropped: 0, keyframesDropped: 0 };

    root.walkRules(rule => {
        if (rule.parent?.type === "atrule" && /keyframes$/i.test(rule.parent.name))
            return;
        stats.rules++;
        const kept = keptSelectors(rule.selector, known);
        if (kept.length === 0) {
            rule.remove();
            stats.rulesDropped++;
        } else if (kept.length < rule.selectors.length) {
            rule.selector = kept.join(",");
        }
    });
    dropEmpty(root);

    const { used, declared } = usedProperties(root, scripts.join("\n"));
    root.walkDecls(/^--/, decl => {
        if (!used.has(decl.prop))
            decl.remove();
    });
    stats.properties = declared.size;
    stats.propertiesDropped = [...declared.keys()].filter(name => !used.has(name)).length;

    const named = new Set();
    root.walkDecls(decl => {
        if (/animation/i.test(decl.prop) || decl.prop.startsWith("--"))
            for (const w of decl.value.match(/[A-Za-z_][\w-]*/g) ?? [])
                named.add(w);
    });
    root.walkAtRules(/keyframes$/i, at => {
        if (!named.has(at.params.trim())) {
            at.remove();
            stats.keyframesDropped++;
        }
    });
    dropEmpty(root);
    return { css: root.toString(), stats };
}
