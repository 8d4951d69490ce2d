// SPDX-License-Identifier: LGPL-2.1-or-later
// tools/po-build.mjs: po/LANG.po → po.LANG.js as Cockpit's own files are, checked with the host's real
// cockpit.js (its gettext/ngettext look the messages up), and the Plural-Forms header turned into
// a function without evaluating anything foreign.

import { Window } from "happy-dom";
import { afterEach, describe, expect, test } from "vitest";

import { compileLocale, pluralFunction } from "../../tools/po-build.mjs";
import { checkPo } from "../../tools/po-check.mjs";
import { cockpitJs } from "./po-support.mjs";

const PO = String.raw`msgid ""
msgstr ""
"Language: pl\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

msgid "Gateway"
msgstr "Brama"

msgctxt "menu"
msgid "Gateway"
msgstr "Brama sieciowa"

msgid "$0 route"
msgid_plural "$0 routes"
msgstr[0] "$0 trasa"
msgstr[1] "$0 trasy"
msgstr[2] "$0 tras"

#, fuzzy
msgid "Apply"
msgstr "Zastosuj?"

msgid "Cancel"
msgstr ""

msgid "$0 rule"
msgid_plural "$0 rules"
msgstr[0] "$0 reguła"
msgstr[1] ""
msgstr[2] "$0 reguł"

msgid "Say \"hi\"\n</script>"
msgstr "Powiedz „cześć”\n</script>"
`;

/** Evaluate a po.js source with a recording cockpit.locale (test only: the build never evaluates). */
function localeData(source: string): Record<string, unknown> {
    let data: Record<string, unknown> = {};
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- runs the built file as the browser would
    new Function("cockpit", source)({ locale: (d: Record<string, unknown>) => { data = d } });
    return data;
}

describe("compileLocale", () => {
    const out = compileLocale(PO, "pl");

    test("writes one cockpit.locale() call", () => {
        expect(out.source).toMatch(/^\/\/ SPDX-License-Identifier: LGPL-2.1-or-later\n/);
        expect(out.source).toMatch(/\ncockpit\.locale\(\{\n[\s\S]*\}\);\n$/);
        expect(out.source).not.toMatch(/\beval\b/);
    });

    test("keeps translated messages, plural arrays and contexts; drops fuzzy and untranslated ones", () => {
        const data = localeData(out.source);
        expect(data["Gateway"]).toEqual([null, "Brama"]);
        expect(data["menu\u0004Gateway"]).toEqual([null, "Brama sieciowa"]);
        expect(data["$0 route"]).toEqual([null, "$0 trasa", "$0 trasy", "$0 tras"]);
        expect(data).not.toHaveProperty("Apply");
        expect(data).not.toHaveProperty("Cancel");
        expect(data).not.toHaveProperty("$0 rule");
        expect(data["Say \"hi\"\n</script>"]).toEqual([null, "Powiedz „cześć”\n</script>"]);
        expect(out.translated).toBe(4);
        expect(out.skipped).toEqual({ fuzzy: 1, untranslated: 2 });
    });

    test("the header carries language, direction and a plural function", () => {
        const head = localeData(out.source)[""] as Record<string, unknown>;
        expect(head["language"]).toBe("pl");
        expect(head["language-direction"]).toBe("ltr");
        const plural = head["plural-forms"] as (n: number) => number;
        expect([1, 2, 4, 5, 12, 22, 25, 101].map(plural)).toEqual([0, 1, 1, 2, 2, 1, 2, 2]);
    });

    test("a right-to-left language says so", () => {
        const he = compileLocale(PO.replace("Language: pl", "Language: he"), "he");
        expect((localeData(he.source)[""] as Record<string, unknown>)["language-direction"]).toBe("rtl");
    });

    test("is deterministic", () => {
        expect(compileLocale(PO, "pl").source).toBe(out.source);
    });
});

describe("pluralFunction", () => {
    test.each([
        ["nplurals=2; plural=(n != 1);", 2, [1, 0, 2], [0, 1, 1]],
        ["nplurals=2; plural=n > 1;", 2, [0, 1, 2], [0, 0, 1]],
        ["nplurals=1; plural=0;", 1, [1, 7], [0, 0]],
        ["nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);", 3,
         [1, 11, 21, 3, 13, 5], [0, 2, 0, 1, 2, 2]],
    ])("%s", (header, nplurals, ns, forms) => {
        const p = pluralFunction(header);
        expect(p.nplurals).toBe(nplurals);
        // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the plural rule as the browser runs it
        const f = new Function(`return (${p.source});`)() as (n: number) => number;
        expect(ns.map(f)).toEqual(forms);
    });

    test.each([
        "nplurals=2; plural=alert(1);",
        "nplurals=2; plural=(n != 1)); fetch('x'); ((1;",
        "nplurals=2; plural=n n;",
        "nplurals=2; plural=(n;",
        "nplurals=2; plural=n / 2;",
        "nplurals=2; plural=n[0];",
        "plural=(n != 1);",
        undefined,
    ])("refuses %s", header => {
        expect(() => pluralFunction(header)).toThrow();
    });
});

describe("with the host's cockpit.js", () => {
    const source = cockpitJs();
    let win: Window | null = null;
    afterEach(async () => {
        await win?.happyDOM.abort();
        win?.close();
        win = null;
    });

    test.skipIf(source === null)("cockpit.gettext and ngettext find the compiled messages", () => {
        win = new Window({ url: "http://localhost/cockpit/@localhost/gateways/index.html" });
        const w = win as unknown as { eval(code: string): unknown; cockpit: typeof cockpit };
        w.eval(source ?? "");
        w.eval(compileLocale(PO, "pl").source);
        const c = w.cockpit;
        expect(c.language).toBe("pl");
        expect(c.gettext("Gateway")).toBe("Brama");
        expect(c.gettext("menu", "Gateway")).toBe("Brama sieciowa");
        expect(c.gettext("Apply")).toBe("Apply"); // fuzzy: English
        expect(c.gettext("Cancel")).toBe("Cancel"); // untranslated: English
        expect([1, 3, 5, 22].map(n => c.format(c.ngettext("$0 route", "$0 routes", n), n)))
            .toEqual(["1 trasa", "3 trasy", "5 tras", "22 trasy"]);
        expect(c.ngettext("$0 rule", "$0 rules", 5)).toBe("$0 rules");
    });
});

describe("checkPo", () => {
    const entries = [
        { msgctxt: "", msgid: "Gateway", references: [], extracted: [] },
        { msgctxt: "menu", msgid: "Gateway", references: [], extracted: [] },
        { msgctxt: "", msgid: "$0 route", msgid_plural: "$0 routes", references: [], extracted: [] },
        { msgctxt: "", msgid: "Apply", references: [], extracted: [] },
        { msgctxt: "", msgid: "Cancel", references: [], extracted: [] },
        { msgctxt: "", msgid: "$0 rule", msgid_plural: "$0 rules", references: [], extracted: [] },
        { msgctxt: "", msgid: "Table $0", references: [], extracted: [] },
    ];

    test("finds missing, fuzzy, untranslated messages and lost placeholders", () => {
        const r = checkPo(PO + '\nmsgid "Table $0"\nmsgstr "Tabela"\n', [...entries, { msgctxt: "", msgid: "Retry", references: [], extracted: [] }]);
        expect(r.missing).toEqual(["Retry"]);
        expect(r.fuzzy).toEqual(["Apply"]);
        expect(r.untranslated).toEqual(["Cancel", "$0 rule"]);
        expect(r.placeholders).toEqual(['Table $0 → "Tabela" (none; source: $0)']);
        expect(r.nplurals).toBe(3);
    });
});
