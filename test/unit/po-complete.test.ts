// SPDX-License-Identifier: LGPL-2.1-or-later
// Translations stay complete: every string that the page, the manifest and the metainfo mark for
// translation is in the committed template and translated (not fuzzy, not empty, same $0…
// placeholders) in every po/LANG.po. When this fails after a source change: `make po-update`,
// translate what it marks, commit po/ (`node tools/po-check.mjs` prints the same list).

import { describe, expect, test } from "vitest";

import { checkTranslations, HOW } from "../../tools/po-check.mjs";
import { extract, POT, ROOT } from "../../tools/po-extract.mjs";
import { readText } from "./po-support.mjs";

const result = checkTranslations();

test("every marked string can be extracted (literal arguments only)", () => {
    expect(result.warnings).toEqual([]);
    expect(result.entries).toBeGreaterThan(100);
});

test("the template has the manifest's label and keywords and the metainfo's texts", () => {
    const { entries } = extract();
    const ids = new Set(entries.map(e => e.msgid));
    const manifest = JSON.parse(readText(`${ROOT}/manifest.json`) ?? "{}") as
        { menu: Record<string, { label: string; keywords?: { matches: string[] }[] }> };
    for (const entry of Object.values(manifest.menu)) {
        expect(ids).toContain(entry.label);
        for (const m of entry.keywords?.flatMap(k => k.matches) ?? [])
            expect(ids).toContain(m);
    }
    const metainfo = entries.filter(e => e.references.some(r => r.startsWith("org.cockpit_project.gateways.metainfo.xml:")));
    expect(metainfo.length).toBeGreaterThanOrEqual(3); // name, summary, description
});

test(`${POT} has the messages of the sources`, () => {
    expect(result.potMissing, `not in ${POT}: ${HOW}`).toEqual([]);
    expect(result.potExtra, `in ${POT} but no longer in the sources: ${HOW}`).toEqual([]);
});

test("there is a German translation", () => {
    expect(Object.keys(result.languages)).toContain("de");
});

describe.each(Object.entries(result.languages))("po/%s.po", (lang, r) => {
    test("has every message of the sources", () => {
        expect(r.missing, `missing in po/${lang}.po: ${HOW}`).toEqual([]);
    });

    test("has no fuzzy or untranslated message", () => {
        expect(r.fuzzy, `fuzzy in po/${lang}.po: ${HOW}`).toEqual([]);
        expect(r.untranslated, `untranslated in po/${lang}.po: ${HOW}`).toEqual([]);
        expect(r.plural, `singular/plural differs from the source in po/${lang}.po: ${HOW}`).toEqual([]);
    });

    test("keeps the placeholders of every message", () => {
        expect(r.placeholders).toEqual([]);
    });
});
