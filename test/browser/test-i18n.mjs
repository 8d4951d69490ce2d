// SPDX-License-Identifier: LGPL-2.1-or-later
// Translations through the real Cockpit shell: with a German browser (Accept-Language de-DE) the
// bridge serves our po.de.js for po.js, the shell finds our entry by its German keywords and the
// page speaks German; the CockpitLang cookie does the same; in English po.js is an empty 200 and
// the page stays English. Our frame logs no error in any of them. Screenshot: test/artifacts/i18n-de.png.

import assert from "node:assert/strict";

import { fullFrameScreenshot, GATEWAYS_FRAME, gatewaysFrame, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;

before(async () => {
    s = await startSession({ prefix: "gwi18n" });
});

after(async () => {
    await s?.close();
});

/** Open the page, wait for the Networks table (by its accessible name) and return the view. */
async function open({ locale, cookie, table }) {
    // as openGateways(), with the cookie set before the shell loads
    const view = await s.newPage({ locale });
    if (cookie)
        await view.context.addCookies([{ name: "CockpitLang", value: cookie, url: s.baseUrl }]);
    await view.page.goto(s.url("/gateways"));
    view.frame = view.page.frameLocator(`iframe[name="${GATEWAYS_FRAME}"]`);
    await view.frame.getByRole("table", { name: table }).waitFor({ timeout: TIMEOUT });
    // what the bridge answered for our po.js, fetched from inside our frame (same headers, cookies)
    const f = await gatewaysFrame(view.page);
    view.po = await f.evaluate(async () => {
        const r = await fetch("po.js");
        return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
    });
    view.language = await f.evaluate(() => cockpit.language);
    return view;
}

async function assertNoFrameErrors(view, what) {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame (${what}):\n${errors.join("\n")}`);
}

test("German browser: German page, shell finds our entry by its German keyword", async () => {
    const view = await open({ locale: "de-DE", table: "Netzwerke" });
    try {
        const { page, frame } = view;
        assert.equal(view.po.status, 200);
        assert.match(view.po.body, /^cockpit\.locale\(\{/m, "po.js is not our po.de.js");
        assert.equal(view.language, "de");

        // the Networks view: heading, view links, column headers, state labels in German
        await frame.getByRole("columnheader", { name: "Schnittstelle" }).waitFor({ timeout: TIMEOUT });
        for (const header of ["Adressen", "Gateway", "Quellbasiertes Routing"])
            assert.equal(await frame.getByRole("columnheader", { name: header }).count(), 1, `no column "${header}"`);
        assert.equal(await frame.getByRole("columnheader", { name: "Interface" }).count(), 0);
        assert.equal(await frame.getByRole("link", { name: "Routingtabellen" }).count(), 1);
        assert.equal(await frame.getByRole("link", { name: "Regeln" }).count(), 1);
        await frame.getByText("Standard-Gateway des Hosts").first().waitFor({ timeout: TIMEOUT });
        assert.equal(await frame.getByRole("searchbox", { name: "Netzwerke filtern" }).count(), 1);

        // the shell: the menu entry's label comes from our po.de.js ("Gateways" is German too), and
        // its German keywords find it: "Regel" (rule), "Routingtabelle" would not be in English
        const shellSays = await page.evaluate(() => [cockpit.gettext("Gateways"), cockpit.gettext("rule"),
            cockpit.gettext("source routing"), cockpit.language]);
        assert.deepEqual(shellSays, ["Gateways", "Regel", "quellbasiertes Routing", "de"]);
        const entry = page.locator("#host-apps a[href='/gateways']");
        assert.equal((await entry.innerText()).trim(), "Gateways");
        const search = page.locator("#host-apps input[placeholder='Suche']"); // the shell's own German
        await search.fill("zzz-nothing");
        await entry.waitFor({ state: "detached", timeout: 5000 });
        await search.fill("quellbasiert");
        await entry.waitFor({ timeout: 5000 }).catch(() => {
            throw new Error("the shell's search did not find our entry by its German keyword \"quellbasiert\"");
        });
        await search.fill("");

        await fullFrameScreenshot(page, "i18n-de");
        await assertNoFrameErrors(view, "German");
    } finally {
        await view.context.close();
    }
});

test("CockpitLang cookie de-de: German page also with an English browser", async () => {
    const view = await open({ locale: "en-US", cookie: "de-de", table: "Netzwerke" });
    try {
        assert.equal(view.language, "de");
        assert.equal(await view.frame.getByRole("columnheader", { name: "Schnittstelle" }).count(), 1);
        await assertNoFrameErrors(view, "CockpitLang cookie");
    } finally {
        await view.context.close();
    }
});

test("English browser: po.js is an empty 200, the page stays English", async () => {
    const view = await open({ locale: "en-US", table: "Networks" });
    try {
        const { page, frame } = view;
        assert.deepEqual([view.po.status, view.po.body], [200, ""]);
        assert.equal(view.language, "en");
        assert.equal(await frame.getByRole("columnheader", { name: "Interface" }).count(), 1);
        assert.equal(await frame.getByRole("columnheader", { name: "Schnittstelle" }).count(), 0);
        assert.equal(await page.evaluate(() => cockpit.gettext("rule")), "rule");
        await assertNoFrameErrors(view, "English");
    } finally {
        await view.context.close();
    }
});
