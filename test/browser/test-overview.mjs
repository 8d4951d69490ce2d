// SPDX-License-Identifier: LGPL-2.1-or-later
// The walking skeleton through the real Cockpit shell: /gateways shows the lab host's interfaces
// and addresses, the gateways frame logs no errors, and screenshots (light, dark, narrow) are saved
// in test/artifacts/.

import assert from "node:assert/strict";

import { fullFrameScreenshot, setTheme, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

// GW_TEST_DIST lets you point the test at another build (e.g. a broken one, to see it fail)
const DIST = process.env.GW_TEST_DIST || undefined;
const TIMEOUT = 30000;

let s;
let view; // { page, frame, errors } of the page opened once for the whole file
let shown; // memoised wait for the lab's data, so a broken page fails each test without waiting again

function dataShown() {
    shown ??= (async () => {
        for (const text of ["eth0", "eth1", "10.0.1.10", "10.0.2.10"])
            await view.frame.getByText(text).first().waitFor({ state: "visible", timeout: TIMEOUT });
    })();
    return shown;
}

before(async () => {
    s = await startSession({ dist: DIST });
    view = await s.openGateways();
});

after(async () => {
    await s?.close();
});

test("the page shows the lab host's interfaces and addresses", async () => {
    const { frame } = view;
    await dataShown();
    // the lab's routers and clients are in other namespaces: the bridge must not see them
    assert.equal(await frame.getByText("10.0.8.2").count(), 0);
});

test("the page shows no loading or error state once loaded", async () => {
    const { frame } = view;
    await dataShown();
    // PatternFly empty states are used for loading / error: none may remain once data is shown
    assert.equal(await frame.locator(".pf-v6-c-empty-state .pf-v6-c-spinner").count(), 0, "a spinner is still shown");
    assert.equal(await frame.locator(".pf-v6-c-alert.pf-m-danger").count(), 0, "a danger alert is shown");
});

test("theme follows the shell; screenshots: light, dark, narrow", async () => {
    const { page, frame } = view;
    await dataShown();
    await fullFrameScreenshot(page, "overview-light");

    // the shell's own switch only (no prefers-color-scheme emulation): the page must follow it live
    await setTheme(page, "dark");
    await frame.locator("html.pf-v6-theme-dark").waitFor({ state: "attached", timeout: 5000 })
        .catch(() => { throw new Error("the page did not follow shell:style=dark (no html.pf-v6-theme-dark)") });
    await fullFrameScreenshot(page, "overview-dark");
    await setTheme(page, "light");
    await frame.locator("html:not(.pf-v6-theme-dark)").waitFor({ state: "attached", timeout: 5000 });

    // "auto" follows the browser's prefers-color-scheme
    await setTheme(page, "auto");
    await page.emulateMedia({ colorScheme: "dark" });
    await frame.locator("html.pf-v6-theme-dark").waitFor({ state: "attached", timeout: 5000 })
        .catch(() => { throw new Error("with shell:style=auto the page did not follow prefers-color-scheme: dark") });
    await page.emulateMedia({ colorScheme: "light" });
    await frame.locator("html:not(.pf-v6-theme-dark)").waitFor({ state: "attached", timeout: 5000 });

    await page.setViewportSize({ width: 400, height: 900 });
    await frame.getByText("10.0.2.10").first().waitFor({ state: "visible", timeout: TIMEOUT });
    await fullFrameScreenshot(page, "overview-narrow");
    await page.setViewportSize({ width: 1280, height: 800 });
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
