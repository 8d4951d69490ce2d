#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// Turn each po/LANG.po into OUT/po.LANG.js (+ .gz), the file Cockpit's bridge serves for `po.js`
// when the visitor's language is LANG (Accept-Language or the CockpitLang cookie; for a language
// without a file the bridge answers an empty 200, so English needs no po.js at all):
//
//   cockpit.locale({"": {"plural-forms": function (n) { … }, "language": "de", …},
//                   "msgid": [null, "msgstr"],
//                   "context\u0004msgid": [null, "msgstr"],
//                   "singular": [null, "form 0", "form 1"]});
//
// As cockpit.gettext/ngettext look messages up: a message with a context is keyed
// "context\u0004msgid"; plural forms stay an array after the leading null; the plural-forms
// function returns the form's index (cockpit.js also accepts a boolean). Fuzzy and untranslated
// messages (any form empty) are left out, so the English text shows instead of a guess. The
// Plural-Forms header is checked to be a plain C expression of n and written as JavaScript
// source; it is never evaluated here.
//
//   node tools/po-build.mjs [OUTDIR]     (default dist/; build.js calls buildTranslations())

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import gettextParser from "gettext-parser";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RTL = new Set(["ar", "fa", "he", "ur", "yi", "ps", "ckb", "dv", "sd", "ug"]);

/**
 * JavaScript source of the plural function for a Plural-Forms header value such as
 * "nplurals=2; plural=(n != 1);". Throws if it is not a C expression of n (digits, n, operators,
 * parentheses, ?:), so nothing else can reach the generated file.
 */
export function pluralFunction(header) {
    const m = /^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$/.exec(header ?? "");
    if (!m)
        throw new Error(`Plural-Forms header "${header}" is not "nplurals=N; plural=EXPRESSION;"`);
    const expr = m[2];
    const tokens = expr.match(/\s+|\d+|n|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()]|./g) ?? [];
    const bad = tokens.find(t => !/^(\s+|\d+|n|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()])$/.test(t));
    if (bad !== undefined)
        throw new Error(`Plural-Forms expression "${expr}" has "${bad}", which is not part of a C expression of n`);
    const solid = tokens.filter(t => !/^\s+$/.test(t));
    if (solid.some((t, i) => i > 0 && /^(\d+|n)$/.test(t) && /^(\d+|n|\))$/.test(solid[i - 1])))
        throw new Error(`Plural-Forms expression "${expr}" has two operands in a row`);
    let depth = 0;
    for (const t of tokens) {
        depth += t === "(" ? 1 : t === ")" ? -1 : 0;
        if (depth < 0)
            break;
    }
    if (depth !== 0)
        throw new Error(`Plural-Forms expression "${expr}" has unbalanced parentheses`);
    // C's / is integer division; no real plural rule uses it, so refuse rather than guess
    if (tokens.includes("/"))
        throw new Error(`Plural-Forms expression "${expr}" uses division, which this build does not support`);
    return { nplurals: Number(m[1]), source: `function (n) { return Number(${tokens.join("").replace(/\s+/g, " ").trim()}); }` };
}

function header(po, name) {
    const want = name.toLowerCase();
    const key = Object.keys(po.headers ?? {}).find(k => k.toLowerCase() === want);
    return key === undefined ? undefined : po.headers[key];
}

/**
 * The po.LANG.js source for one .po file's contents (Buffer or string).
 * Returns { source, translated, skipped: { fuzzy, untranslated } }.
 */
export function compileLocale(input, lang) {
    const po = gettextParser.po.parse(input, { validation: true });
    const language = header(po, "Language") || lang;
    const plural = pluralFunction(header(po, "Plural-Forms") ?? "nplurals=2; plural=(n != 1);");
    const messages = [];
    const skipped = { fuzzy: 0, untranslated: 0 };
    for (const [context, byId] of Object.entries(po.translations)) {
        for (const [msgid, t] of Object.entries(byId)) {
            if (msgid === "" && context === "")
                continue; // the header
            const flags = (t.comments?.flag ?? "").split(/[\s,]+/);
            if (flags.includes("fuzzy")) {
                skipped.fuzzy++;
                continue;
            }
            const forms = t.msgstr ?? [];
            const wanted = t.msgid_plural !== undefined ? plural.nplurals : 1;
            if (forms.length < wanted || forms.slice(0, wanted).some(s => !s)) {
                skipped.untranslated++;
                continue;
            }
            const key = context ? `${context}\u0004${msgid}` : msgid;
            messages.push([key, [null, ...forms.slice(0, wanted)]]);
        }
    }
    messages.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const head = [
        `"plural-forms": ${plural.source}`,
        `"language": ${JSON.stringify(language)}`,
        `"language-direction": ${JSON.stringify(RTL.has(language.split(/[_-]/)[0]) ? "rtl" : "ltr")}`,
    ];
    const lines = [`"": {${head.join(", ")}}`, ...messages.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)];
    const source = "// SPDX-License-Identifier: LGPL-2.1-or-later\n" +
        `// Generated from po/${lang}.po by tools/po-build.mjs.\n` +
        `cockpit.locale({\n ${lines.join(",\n ")}\n});\n`;
    return { source, translated: messages.length, skipped };
}

/** The languages that have a po/LANG.po, sorted. */
export function languages(poDir = path.join(ROOT, "po")) {
    return fs.readdirSync(poDir).filter(f => f.endsWith(".po")).map(f => f.slice(0, -3)).sort();
}

/**
 * Write OUTDIR/po.LANG.js and po.LANG.js.gz for every po/LANG.po.
 * Returns [{ lang, file, translated, skipped, gzipped }] (gzipped: bytes of the .gz).
 */
export function buildTranslations(outDir, poDir = path.join(ROOT, "po")) {
    fs.mkdirSync(outDir, { recursive: true });
    const results = [];
    for (const lang of languages(poDir)) {
        let compiled;
        try {
            compiled = compileLocale(fs.readFileSync(path.join(poDir, `${lang}.po`)), lang);
        } catch (e) {
            throw new Error(`po/${lang}.po: ${e.message}`);
        }
        const file = path.join(outDir, `po.${lang}.js`);
        fs.writeFileSync(file, compiled.source);
        const gz = zlib.gzipSync(Buffer.from(compiled.source), { level: 9 });
        fs.writeFileSync(file + ".gz", gz);
        results.push({ lang, file, translated: compiled.translated, skipped: compiled.skipped, gzipped: gz.length });
    }
    return results;
}

export const METAINFO = "org.cockpit_project.gateways.metainfo.xml";

/**
 * OUTDIR/METAINFO: the AppStream metainfo with every language's translations (xml:lang), by
 * gettext's `msgfmt --xml` (its ITS rules for metainfo). Without msgfmt the template is copied
 * untranslated. Returns the line for the build's output.
 */
export function buildMetainfo(outDir, poDir = path.join(ROOT, "po")) {
    const out = path.join(outDir, METAINFO);
    const langs = languages(poDir);
    // msgfmt --xml -d DIR wants DIR/LINGUAS; po/ has none (every LANG.po counts): a scratch DIR
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gw-metainfo-"));
    try {
        fs.writeFileSync(path.join(scratch, "LINGUAS"), langs.join("\n") + "\n");
        for (const lang of langs)
            fs.copyFileSync(path.join(poDir, `${lang}.po`), path.join(scratch, `${lang}.po`));
        execFileSync("msgfmt", ["--xml", "-d", scratch, "--template", path.join(ROOT, METAINFO), "-o", out],
                     { stdio: ["ignore", "ignore", "pipe"] });
        return `${path.relative(ROOT, out)} (translated: ${langs.join(" ")})`;
    } catch (e) {
        if (e.code !== "ENOENT")
            throw new Error(`msgfmt --xml ${METAINFO}: ${e.stderr?.toString().trim() || e.message}`);
        fs.copyFileSync(path.join(ROOT, METAINFO), out);
        return `${path.relative(ROOT, out)} (NOT translated: msgfmt is missing; install gettext)`;
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** One line per language for the build's output, e.g. "dist/po.de.js.gz  3.1 KB (191 messages)". */
export function describe(results) {
    return results.map(r => {
        const skipped = r.skipped.fuzzy + r.skipped.untranslated;
        const name = path.relative(ROOT, r.file) + ".gz";
        return `${name}${" ".repeat(Math.max(1, 18 - name.length))}` +
            `${(r.gzipped / 1024).toFixed(1)} KB (${r.translated} messages` +
            `${skipped ? `; ${r.skipped.fuzzy} fuzzy and ${r.skipped.untranslated} untranslated left out` : ""})`;
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const results = buildTranslations(path.resolve(process.argv[2] ?? path.join(ROOT, "dist")));
    for (const line of describe(results))
        console.log(line);
}
