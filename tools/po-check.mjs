#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// Are the translations complete? Compares what the sources mark for translation right now
// (tools/po-extract.mjs) with the committed template and with every po/LANG.po:
//   - the template po/cockpit-gateways.pot has the messages extraction gives (references may lag);
//   - every message is in every po/LANG.po, translated (no empty form) and not fuzzy;
//   - every translation keeps the source's $0… placeholders.
//
//   node tools/po-check.mjs     prints the problems; exit status 1 if there are any
// test/unit/po-complete.test.ts runs the same check in `make check-unit`.

import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

import gettextParser from "gettext-parser";

import { languages, pluralFunction } from "./po-build.mjs";
import { currentPot, POT, ROOT } from "./po-extract.mjs";

export const HOW = "run `make po-update`, translate the messages it marks in po/*.po (new ones empty, changed ones " +
    "\"#, fuzzy\": check the translation, then delete that flag) and commit po/";

const label = e => (e.msgctxt ? `${e.msgctxt} | ${e.msgid}` : e.msgid);
const msgOf = json => { const [msgctxt, msgid] = JSON.parse(json); return { msgctxt, msgid } };
const placeholders = s => [...new Set(s.match(/\$(\d+|\{[^}]+\})/g) ?? [])].sort();

/** Problems in one po file's contents (Buffer) against the extracted entries. */
export function checkPo(input, entries) {
    const po = gettextParser.po.parse(input, { validation: true });
    const result = { missing: [], fuzzy: [], untranslated: [], plural: [], placeholders: [], nplurals: 0 };
    result.nplurals = pluralFunction(po.headers["Plural-Forms"]).nplurals;
    for (const e of entries) {
        const t = po.translations[e.msgctxt]?.[e.msgid];
        if (t === undefined) {
            result.missing.push(label(e));
            continue;
        }
        if ((t.comments?.flag ?? "").split(/[\s,]+/).includes("fuzzy"))
            result.fuzzy.push(label(e));
        if ((t.msgid_plural === undefined) !== (e.msgid_plural === undefined))
            result.plural.push(label(e));
        const wanted = e.msgid_plural === undefined ? 1 : result.nplurals;
        const forms = t.msgstr ?? [];
        if (forms.length < wanted || forms.slice(0, wanted).some(s => s === ""))
            result.untranslated.push(label(e));
        if (result.fuzzy.at(-1) === label(e))
            continue; // a guess by msgmerge: reported as fuzzy already
        const want = placeholders(e.msgid + " " + (e.msgid_plural ?? ""));
        for (const form of forms) {
            const got = placeholders(form);
            // a plural form may leave a number out (e.g. "one route"); anything else keeps the exact set
            const ok = e.msgid_plural === undefined ? got.join() === want.join() : got.every(p => want.includes(p));
            if (form !== "" && !ok)
                result.placeholders.push(`${label(e)} → "${form}" (${got.join(" ") || "none"}; source: ${want.join(" ") || "none"})`);
        }
    }
    return result;
}

/**
 * The whole check: { warnings (extraction), potCurrent, potMissing, potExtra, entries (count),
 *                    languages: { LANG: checkPo result } }.
 */
export function checkTranslations(root = ROOT) {
    const { pot, entries, warnings } = currentPot(root);
    // the same messages: references (line numbers) may lag behind until the next `make po-update`
    const potFile = path.join(root, POT);
    const committed = fs.existsSync(potFile) ? gettextParser.po.parse(fs.readFileSync(potFile)).translations : {};
    const messages = (translations) => Object.values(translations).flatMap(byId => Object.values(byId))
        .filter(t => t.msgid !== "" || t.msgctxt).map(t => JSON.stringify([t.msgctxt ?? "", t.msgid, t.msgid_plural ?? null]));
    const want = new Set(messages(gettextParser.po.parse(pot).translations));
    const have = new Set(messages(committed));
    const potMissing = [...want].filter(m => !have.has(m)).map(m => label(msgOf(m)));
    const potExtra = [...have].filter(m => !want.has(m)).map(m => label(msgOf(m)));
    const langs = {};
    const poDir = path.join(root, "po");
    for (const lang of languages(poDir))
        langs[lang] = checkPo(fs.readFileSync(path.join(poDir, `${lang}.po`)), entries);
    return { warnings, potCurrent: potMissing.length === 0 && potExtra.length === 0, potMissing, potExtra,
             entries: entries.length, languages: langs };
}

/** Readable lines for every problem of a checkTranslations() result; empty when complete. */
export function problems(result) {
    const out = result.warnings.map(w => `extraction: ${w}`);
    for (const m of result.potMissing)
        out.push(`${POT}: missing: ${m}`);
    for (const m of result.potExtra)
        out.push(`${POT}: no longer in the sources: ${m}`);
    for (const [lang, r] of Object.entries(result.languages)) {
        for (const kind of ["missing", "fuzzy", "untranslated", "plural", "placeholders"])
            for (const m of r[kind])
                out.push(`po/${lang}.po: ${kind === "plural" ? "singular/plural differs from the source" : kind}: ${m}`);
    }
    return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const result = checkTranslations();
    const lines = problems(result);
    for (const line of lines)
        console.log(line);
    const langs = Object.keys(result.languages);
    if (lines.length > 0) {
        console.log(`\n${lines.length} problem(s): ${HOW}`);
        process.exit(1);
    }
    console.log(`${result.entries} messages, complete in: ${langs.join(" ") || "(no po/*.po)"}`);
}
