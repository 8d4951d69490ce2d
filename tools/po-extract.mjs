#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// Extract every translatable string into the template po/cockpit-gateways.pot.
//
//   node tools/po-extract.mjs                 write po/cockpit-gateways.pot
//   node tools/po-extract.mjs -o FILE         write FILE instead ("-" for stdout)
//
// Sources, in this order (each message keeps the position of its first occurrence; every
// occurrence adds a "#:" reference):
//   - src/**/*.ts(x), files sorted by path, parsed with the TypeScript compiler API: calls to
//     `_(msgid)`, `N_(msgid)`, `cockpit.gettext(msgid)`, `cockpit.gettext(context, msgid)`,
//     `cockpit.ngettext(singular, plural, n)` and `cockpit.ngettext(context, singular, plural, n)`.
//     Arguments must be string literals (or literals joined with +); a call with anything else is
//     reported as a warning with its position and skipped. A comment starting with
//     "TRANSLATORS:" on the line(s) right above a call becomes a "#." note for translators.
//   - manifest.json: every menu/tools entry's label, its docs labels and keyword matches (the
//     shell translates them with the page's own po.<lang>.js).
//   - the AppStream metainfo: name, summary and each description paragraph (whitespace collapsed,
//     as itstool does).
// The output has no creation date, so extracting twice gives identical bytes.

import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

import gettextParser from "gettext-parser";
import ts from "typescript";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const POT = "po/cockpit-gateways.pot";
export const DOMAIN = "cockpit-gateways";
const METAINFO = "org.cockpit_project.gateways.metainfo.xml";

/** Files under dir (relative to root) ending in one of exts, sorted, skipping *.d.ts. */
function listSources(root, dir, exts) {
    const out = [];
    const walk = rel => {
        for (const ent of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
            const p = path.posix.join(rel, ent.name);
            if (ent.isDirectory()) {
                if (ent.name !== "node_modules")
                    walk(p);
            } else if (exts.some(e => ent.name.endsWith(e)) && !ent.name.endsWith(".d.ts")) {
                out.push(p);
            }
        }
    };
    if (fs.existsSync(path.join(root, dir)))
        walk(dir);
    return out.sort();
}

/** Collects messages in first-seen order, merging references of repeated ones. */
class Catalog {
    constructor() {
        this.byKey = new Map();
        this.warnings = [];
    }

    add({ msgctxt = "", msgid, msgid_plural, reference, extracted }) {
        if (msgid === "") {
            this.warnings.push(`${reference}: empty msgid skipped (it would be the .po header)`);
            return;
        }
        const key = msgctxt + "\u0004" + msgid;
        let e = this.byKey.get(key);
        if (!e) {
            e = { msgctxt, msgid, msgid_plural, references: [], extracted: [] };
            this.byKey.set(key, e);
        } else if (msgid_plural !== undefined && e.msgid_plural !== undefined && e.msgid_plural !== msgid_plural) {
            this.warnings.push(`${reference}: "${msgid}" has a different plural than before ("${e.msgid_plural}")`);
        } else if (e.msgid_plural === undefined && msgid_plural !== undefined) {
            e.msgid_plural = msgid_plural;
        }
        if (!e.references.includes(reference))
            e.references.push(reference);
        if (extracted && !e.extracted.includes(extracted))
            e.extracted.push(extracted);
    }

    get entries() {
        return [...this.byKey.values()];
    }
}

/** The string value of a literal argument ("a", 'a', `a`, "a" + "b"), or undefined. */
function literal(node) {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
        return node.text;
    if (ts.isParenthesizedExpression(node))
        return literal(node.expression);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const l = literal(node.left), r = literal(node.right);
        return l !== undefined && r !== undefined ? l + r : undefined;
    }
    return undefined;
}

/** Which marker a call is: "gettext" | "ngettext" | undefined. */
function markerOf(callee) {
    if (ts.isIdentifier(callee))
        return callee.text === "_" || callee.text === "N_" ? "gettext" : undefined;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) &&
        callee.expression.text === "cockpit") {
        const name = callee.name.text;
        return name === "gettext" || name === "ngettext" ? name : undefined;
    }
    return undefined;
}

/** "TRANSLATORS: …" from the comment lines directly above line (0-based), or undefined. */
function translatorComment(lines, line) {
    const collected = [];
    for (let i = line - 1; i >= 0; i--) {
        const m = /^\s*(?:\/\/|\{?\/\*|\*)\s?(.*?)\s*(?:\*\/\}?)?\s*$/.exec(lines[i]);
        if (!m || lines[i].trim() === "")
            break;
        collected.unshift(m[1]);
        if (/^TRANSLATORS:/.test(m[1]))
            return collected.join(" ").trim();
    }
    return undefined;
}

function extractSource(catalog, root, rel) {
    const text = fs.readFileSync(path.join(root, rel), "utf-8");
    const kind = rel.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, kind);
    const lines = text.split("\n");
    const visit = node => {
        if (ts.isCallExpression(node)) {
            const marker = markerOf(node.expression);
            if (marker) {
                const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
                const reference = `${rel}:${line + 1}`;
                const args = node.arguments;
                // cockpit.gettext(ctx, id) / cockpit.ngettext(ctx, s, p, n): a leading context
                const strings = marker === "gettext" ? args.length : args.length - 1;
                const wanted = marker === "gettext" ? [1, 2] : [2, 3];
                const isUnderscore = ts.isIdentifier(node.expression);
                const values = args.slice(0, strings).map(literal);
                if (!wanted.includes(strings) || (isUnderscore && strings !== 1)) {
                    catalog.warnings.push(`${reference}: ${node.expression.getText(sf)}() with ${args.length} argument(s) skipped`);
                } else if (values.some(v => v === undefined)) {
                    catalog.warnings.push(`${reference}: ${node.expression.getText(sf)}() with a non-literal argument skipped ` +
                                          "(mark the string itself with N_() where it is defined)");
                } else {
                    const hasContext = strings === wanted[1];
                    const [msgctxt, ...rest] = hasContext ? values : ["", ...values];
                    catalog.add({
                        msgctxt,
                        msgid: rest[0],
                        msgid_plural: marker === "ngettext" ? rest[1] : undefined,
                        reference,
                        extracted: translatorComment(lines, line),
                    });
                }
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(sf);
}

/** 1-based line of the first occurrence of needle in text at or after from (an index), and its index. */
function lineOf(text, needle, from = 0) {
    const at = text.indexOf(needle, from);
    return at < 0 ? { line: 1, at: from } : { line: text.slice(0, at).split("\n").length, at: at + needle.length };
}

function extractManifest(catalog, root, rel) {
    const file = path.join(root, rel);
    if (!fs.existsSync(file))
        return;
    const text = fs.readFileSync(file, "utf-8");
    const manifest = JSON.parse(text);
    let cursor = 0;
    const add = msgid => {
        const { line, at } = lineOf(text, JSON.stringify(msgid), cursor);
        cursor = at;
        catalog.add({ msgid, reference: `${rel}:${line}` });
    };
    for (const section of ["menu", "tools", "dashboard"]) {
        for (const entry of Object.values(manifest[section] || {})) {
            if (entry.label)
                add(entry.label);
            for (const doc of entry.docs || [])
                if (doc.label)
                    add(doc.label);
            for (const kw of entry.keywords || [])
                for (const m of kw.matches || [])
                    add(m);
        }
    }
}

function decodeXml(s) {
    return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_m, e) => {
        const named = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" }[e.toLowerCase()];
        if (named)
            return named;
        return String.fromCodePoint(e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    });
}

function extractMetainfo(catalog, root, rel) {
    const file = path.join(root, rel);
    if (!fs.existsSync(file))
        return;
    // comments and nested blocks that have names of their own are blanked (keeping line numbers)
    const blank = m => m.replace(/[^\n]/g, " ");
    const text = fs.readFileSync(file, "utf-8").replace(/<!--[\s\S]*?-->/g, blank)
        .replace(/<(developer|provides|releases|requires|recommends)\b[\s\S]*?<\/\1>/g, blank);
    // the untranslated elements only (no xml:lang): name, summary, description's p and li
    const re = /<(name|summary|p|li)>([\s\S]*?)<\/\1>/g;
    const descStart = text.indexOf("<description>");
    const descEnd = text.indexOf("</description>");
    for (let m; (m = re.exec(text));) {
        const inDescription = m.index > descStart && m.index < descEnd;
        if ((m[1] === "p" || m[1] === "li") !== inDescription)
            continue;
        const msgid = decodeXml(m[2].replace(/\s+/g, " ").trim());
        const line = text.slice(0, m.index).split("\n").length;
        catalog.add({ msgid, reference: `${rel}:${line}` });
    }
}

/** Every message of the project: { entries: [{msgctxt, msgid, msgid_plural?, references, extracted}], warnings }. */
export function extract(root = ROOT) {
    const catalog = new Catalog();
    for (const rel of listSources(root, "src", [".ts", ".tsx"]))
        extractSource(catalog, root, rel);
    extractManifest(catalog, root, "manifest.json");
    extractMetainfo(catalog, root, METAINFO);
    return { entries: catalog.entries, warnings: catalog.warnings };
}

/** The .pot file for entries, as a Buffer (gettext-parser's compiler, no creation date). */
export function toPot(entries, { version = "" } = {}) {
    const translations = { "": { "": { msgid: "", msgstr: [""] } } };
    for (const e of entries) {
        const ctx = (translations[e.msgctxt] ??= {});
        const t = { msgid: e.msgid, msgstr: e.msgid_plural === undefined ? [""] : ["", ""] };
        if (e.msgctxt)
            t.msgctxt = e.msgctxt;
        if (e.msgid_plural !== undefined)
            t.msgid_plural = e.msgid_plural;
        t.comments = { reference: e.references.join("\n") };
        if (e.extracted.length)
            t.comments.extracted = e.extracted.join("\n");
        ctx[e.msgid] = t;
    }
    // gettext-parser writes contexts in key order; keep the extraction's own order instead
    const order = new Map(entries.map((e, i) => [e.msgctxt + "\u0004" + e.msgid, i]));
    const rank = t => order.get((t.msgctxt || "") + "\u0004" + t.msgid) ?? -1;
    return gettextParser.po.compile({
        charset: "UTF-8",
        headers: {
            "Project-Id-Version": `${DOMAIN}${version ? " " + version : ""}`,
            "Report-Msgid-Bugs-To": "",
            "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
            "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
            "Language-Team": "LANGUAGE <LL@li.org>",
            Language: "",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=INTEGER; plural=EXPRESSION;",
        },
        translations,
    }, { sort: (a, b) => rank(a) - rank(b) });
}

/** The template as extracted from the tree right now (what `make po/cockpit-gateways.pot` writes). */
export function currentPot(root = ROOT) {
    const { entries, warnings } = extract(root);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf-8"));
    const header = Buffer.from("# Translation template of cockpit-gateways: generated by tools/po-extract.mjs, do not edit.\n" +
                               "# SPDX-License-Identifier: LGPL-2.1-or-later\n");
    return { pot: Buffer.concat([header, toPot(entries, { version: pkg.version }), Buffer.from("\n")]), entries, warnings };
}

function main(argv) {
    let out = POT;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "-o")
            out = argv[++i];
        else
            throw new Error(`usage: node tools/po-extract.mjs [-o FILE]  (unknown argument ${argv[i]})`);
    }
    const { pot, entries, warnings } = currentPot();
    for (const w of warnings)
        console.error(`warning: ${w}`);
    if (out === "-") {
        process.stdout.write(pot);
    } else {
        const file = path.resolve(ROOT, out);
        fs.writeFileSync(file + ".tmp", pot);
        fs.renameSync(file + ".tmp", file);
        console.error(`${out}: ${entries.length} messages`);
    }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
    main(process.argv.slice(2));
