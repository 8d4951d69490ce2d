// SPDX-License-Identifier: LGPL-2.1-or-later
// The Networks view through the real Cockpit shell and the lab: set eth1's gateway in the page,
// see the preview, apply (safe apply: testing the connection, then confirm), prove it by packets
// from the client behind R2, remove it again; axe and screenshots of the view and the dialog in
// light and dark.

import assert from "node:assert/strict";

import { axeViolations, fullFrameScreenshot, screenshot, setTheme, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;

before(async () => {
    s = await startSession({ prefix: "gwnet" });
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

const row = name => view.frame.getByRole("row").filter({ has: view.frame.getByRole("rowheader", { name, exact: true }) });

/** Ping the host's display address from the client behind R2, a few tries (routing settles). */
async function pingsDisplay(expected) {
    let ok = null;
    for (let i = 0; i < 10; i++) {
        ok = s.ping("c2", "10.0.2.10");
        if (ok === expected)
            return ok;
        await sleep(300);
    }
    return ok;
}

async function assertNoAxe(page, what) {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe on ${what}:\n${violations.join("\n")}`);
}

test("rows per network; the management interface carries the host's default gateway", async () => {
    const eth0 = row("eth0 IPv4");
    await eth0.getByText("Host default gateway").waitFor({ timeout: TIMEOUT });
    assert.equal(await eth0.getByText("10.0.1.1", { exact: true }).count(), 1);
    assert.equal(await row("eth1 IPv4").getByText("Off").count(), 1);
    assert.equal(await view.frame.getByRole("heading", { name: "Gateways", level: 1 }).count(), 1);
});

test("the filter box narrows the rows", async () => {
    const { frame } = view;
    await frame.getByRole("searchbox", { name: "Filter networks" }).fill("10.0.2");
    await frame.getByRole("rowheader", { name: "eth0 IPv4" }).waitFor({ state: "detached", timeout: 5000 });
    assert.equal(await frame.getByRole("rowheader", { name: "eth1 IPv4" }).count(), 1);
    await frame.getByRole("button", { name: "Clear the filter" }).click();
    await frame.getByRole("rowheader", { name: "eth0 IPv4" }).waitFor({ timeout: 5000 });
});

test("main view: screenshots and axe, light and dark", async () => {
    const { page, frame } = view;
    await fullFrameScreenshot(page, "networks-light");
    await assertNoAxe(page, "the page (light)");
    await setTheme(page, "dark");
    await frame.locator("html.pf-v6-theme-dark").waitFor({ state: "attached", timeout: 5000 });
    await fullFrameScreenshot(page, "networks-dark");
    await assertNoAxe(page, "the page (dark)");
    await setTheme(page, "light");
    await page.setViewportSize({ width: 360, height: 800 });
    await sleep(300);
    const overflow = await (await import("./harness.mjs")).gatewaysFrame(page).then(f =>
        f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth));
    await fullFrameScreenshot(page, "networks-narrow");
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.ok(overflow <= 0, `the page overflows a 360 px window by ${overflow} px`);
});

test("set eth1's gateway: validation, preview, safe apply, proven by packets", async () => {
    const { page, frame } = view;
    assert.equal(await pingsDisplay(false), false, "the client behind R2 reaches 10.0.2.10 before the change");

    await frame.getByRole("button", { name: "Set gateway of eth1 IPv4" }).click();
    const dialog = frame.getByRole("dialog");
    const field = dialog.getByRole("textbox", { name: "Gateway" });
    await field.waitFor({ timeout: 5000 });
    assert.ok(await field.evaluate(el => el === document.activeElement), "the gateway field has the focus");

    await field.pressSequentially("10.0.3.1");
    await dialog.getByText("The gateway must be inside the interface's network (10.0.2.0/24), or on this link: then tick “The gateway is on this link (on-link)”.").waitFor({ timeout: 5000 });
    assert.ok(await dialog.getByRole("button", { name: "Apply" }).isDisabled(), "Apply is enabled for an invalid gateway");

    await field.fill("10.0.2.1");
    await dialog.getByText("Add route: default via 10.0.2.1 on eth1 in table").waitFor({ timeout: TIMEOUT });
    await dialog.getByText("Show the exact commands").click();
    await dialog.getByText(/route add default via 10\.0\.2\.1 dev eth1 table \d+ proto 248/).waitFor({ timeout: 5000 });
    await screenshot(page, "networks-dialog-light", { fullPage: false });
    await assertNoAxe(page, "the dialog (light)");
    await setTheme(page, "dark");
    await frame.locator("html.pf-v6-theme-dark").waitFor({ state: "attached", timeout: 5000 });
    await screenshot(page, "networks-dialog-dark", { fullPage: false });
    await assertNoAxe(page, "the dialog (dark)");
    await setTheme(page, "light");

    await dialog.getByRole("button", { name: "Apply" }).click();
    await dialog.getByText("Testing connection").waitFor({ timeout: TIMEOUT });
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    await row("eth1 IPv4").getByText("Active").waitFor({ timeout: TIMEOUT });
    assert.equal(await row("eth1 IPv4").getByText("10.0.2.1", { exact: true }).count(), 1);
    assert.ok(await frame.getByRole("button", { name: "Edit gateway of eth1 IPv4" })
        .evaluate(el => el === document.activeElement), "the focus is back on the row's button");
    assert.equal(await pingsDisplay(true), true, "the client behind R2 does not reach 10.0.2.10 with the gateway set");
    assert.equal(s.ping("c1", "10.0.1.10"), true, "the management path broke");
});

test("remove eth1's gateway: the ping fails again", async () => {
    const { frame } = view;
    await frame.getByRole("button", { name: "Edit gateway of eth1 IPv4" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("button", { name: "Remove gateway" }).click();
    await dialog.getByText("Remove route: default via 10.0.2.1 on eth1 in table").waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Remove gateway" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    await row("eth1 IPv4").getByText("Off").waitFor({ timeout: TIMEOUT });
    assert.equal(await pingsDisplay(false), false, "the client behind R2 still reaches 10.0.2.10");
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
