// SPDX-License-Identifier: LGPL-2.1-or-later
// The page by keyboard alone, through the real Cockpit shell and the lab: the views by Tab and
// Enter, the gateway dialog opened with Tab+Enter (and Space), typed into, closed with Escape, the
// focus back on its button; Export after eth1's gateway was set in the lab (the nmstate text, the
// download, copy, another format by arrow keys); the fix dialogs give the focus back too. axe on
// the export, add rule, add route and delete dialogs in light and dark. Screenshots for the
// README (readme-*.png, 1280x800).

import assert from "node:assert/strict";

import { screenshot, startSession } from "./harness.mjs";
import { BEHIND_MODAL, assertFocusReturns, axeLightAndDark, isFocused, tabTo } from "./keyboard.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

const helper = (...args) => lab("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, ...args);

before(async () => {
    s = await startSession({ prefix: "gwkbd" });
    for (let i = 1; i <= 12; i++)
        lab("host", "ip", "route", "add", `172.16.0.${i}/32`, "via", "10.0.2.1", "table", "300");
    lab("host", "ip", "rule", "add", "priority", "1500", "from", "10.0.5.0/24", "table", "300");
    view = await s.openGateways();
    await view.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: s.baseUrl });
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

const nav = name => view.frame.getByRole("navigation", { name: "Views" }).getByRole("link", { name });

/** Start keyboard walks from the view links (the first controls of the page). */
async function startAt(name) {
    await nav(name).focus();
    assert.ok(await isFocused(nav(name)));
}

test("the views by Tab and Enter: Routing tables, a table, back, Rules, Route lookup, Networks", async () => {
    const { page, frame } = view;
    await startAt("Networks");
    await tabTo(page, nav("Routing tables"), { what: "the Routing tables link" });
    await page.keyboard.press("Enter");
    await frame.getByRole("table", { name: "Routing tables" }).waitFor({ timeout: TIMEOUT });
    const open300 = frame.getByRole("link", { name: "Open table 300" });
    await tabTo(page, open300, { what: "Open table 300" });
    await page.keyboard.press("Enter");
    const routes = frame.getByRole("table", { name: "Routes of table 300" });
    await routes.getByRole("cell", { name: "172.16.0.1", exact: true }).waitFor({ timeout: TIMEOUT });
    // the route list scrolls by keyboard: it takes the focus
    await tabTo(page, routes, { what: "the route list" });
    await startAt("Routing tables");
    const back = frame.getByRole("button", { name: "All tables" });
    await tabTo(page, back, { what: "All tables" });
    await page.keyboard.press("Enter");
    await frame.getByRole("table", { name: "Routing tables" }).waitFor({ timeout: TIMEOUT });

    await startAt("Routing tables");
    await page.keyboard.press("Tab");
    assert.ok(await isFocused(nav("Rules")), "Tab from Routing tables does not reach Rules");
    await page.keyboard.press("Enter");
    await frame.getByRole("table", { name: "IPv4 rules" }).waitFor({ timeout: TIMEOUT });
    await startAt("Rules");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const to = frame.getByRole("textbox", { name: "To" });
    await to.waitFor({ timeout: TIMEOUT });
    // the lookup form by keyboard: type, Enter submits
    await tabTo(page, to, { what: "the lookup's To field" });
    await page.keyboard.type("10.0.9.2");
    await page.keyboard.press("Enter");
    await frame.locator("#gw-lookup-answer").getByText(/10\.0\.1\.1 on eth0/).waitFor({ timeout: TIMEOUT });
    await startAt("Route lookup");
    await tabTo(page, nav("Networks"), { back: true, what: "the Networks link" });
    await page.keyboard.press("Enter");
    await frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

test("gateway dialog by keyboard: Tab+Enter opens it, type, Escape closes it, the focus is back; Space too", async () => {
    const { page, frame } = view;
    const set = frame.getByRole("button", { name: "Set gateway of eth1 IPv4" });
    try {
        await gatewayByKeyboard(page, frame, set);
    } finally {
        if (await frame.getByRole("dialog").count() > 0)
            await page.keyboard.press("Escape"); // a failed check must not leave the dialog over the next test
    }
});

async function gatewayByKeyboard(page, frame, set) {
    await startAt("Networks");
    await tabTo(page, set, { what: "Set gateway of eth1 IPv4" });
    await page.keyboard.press("Enter");
    const dialog = frame.getByRole("dialog");
    const field = dialog.getByRole("textbox", { name: "Gateway" });
    await field.waitFor({ timeout: 5000 });
    await assertFocusReturns(field, "the gateway field", 5000);
    await page.keyboard.type("10.0.2.1");
    await dialog.getByText("Add route: default via 10.0.2.1 on eth1 in table").waitFor({ timeout: TIMEOUT });
    await dialog.getByText("Show the exact commands").click();
    await page.mouse.move(700, 50); // the shell's empty top bar: no hover anywhere
    await screenshot(page, "readme-gateway-dialog", { fullPage: false });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5000 });
    await assertFocusReturns(set, "Set gateway of eth1 IPv4");

    await page.keyboard.press("Space");
    await field.waitFor({ timeout: 5000 });
    // Tab stays inside the dialog (focus trap) and reaches Cancel; Enter on it closes
    await tabTo(page, dialog.getByRole("button", { name: "Cancel" }), { what: "Cancel" });
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached", timeout: 5000 });
    await assertFocusReturns(set, "Set gateway of eth1 IPv4");
}

test("export after eth1's gateway was set in the lab: nmstate text, download, copy, another format, Escape", async () => {
    const { page, frame } = view;
    helper("set", "eth1", "10.0.2.1");
    try {
        await frame.getByRole("row").filter({ has: frame.getByRole("rowheader", { name: "eth1 IPv4", exact: true }) })
            .getByText("Active").waitFor({ timeout: TIMEOUT });
        const exportButton = frame.getByRole("button", { name: "Export", exact: true });
        await startAt("Networks");
        await tabTo(page, exportButton, { what: "Export" });
        await page.keyboard.press("Enter");
        const dialog = frame.getByRole("dialog", { name: "Export gateways" });
        const format = dialog.getByRole("combobox", { name: "Format" });
        await format.waitFor({ timeout: 5000 });
        await assertFocusReturns(format, "the format select", 5000);
        const text = dialog.getByLabel("Export as nmstate (nmstatectl apply)");
        await text.getByText(/next-hop-address: "10\.0\.2\.1"/).waitFor({ timeout: TIMEOUT });
        const content = await text.textContent();
        assert.match(content, /route-rules:/);
        assert.match(content, /ip-from: "10\.0\.2\.0\/24"/);
        assert.match(content, /table-id: 1\d{4}/);
        await dialog.getByText("1 gateway exported.").waitFor({ timeout: 5000 });
        const download = dialog.getByRole("link", { name: "Download" });
        assert.equal(await download.getAttribute("download"), "gateways-nmstate.yml");
        assert.match(await download.getAttribute("href"), /^blob:/);

        await tabTo(page, dialog.getByRole("button", { name: "Copy to clipboard" }), { what: "Copy to clipboard" });
        await page.keyboard.press("Enter");
        await dialog.getByText("Copied", { exact: true }).waitFor({ timeout: 5000 });
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), content);
        await screenshot(page, "readme-export", { fullPage: false });
        await axeLightAndDark(page, frame, "the export dialog", { exclude: [BEHIND_MODAL] });

        // another format with the arrow keys on the focused select
        await tabTo(page, format, { what: "the format select" });
        await page.keyboard.press("ArrowDown");
        await dialog.getByLabel("Export as Ansible network role variables").getByText(/network_connections:/)
            .waitFor({ timeout: TIMEOUT });
        assert.equal(await download.getAttribute("download"), "gateways-ansible.yml");

        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "detached", timeout: 5000 });
        await assertFocusReturns(exportButton, "Export");
    } finally {
        helper("unset", "eth1");
        await page.keyboard.press("Escape"); // a failed check must not leave the dialog over the next test
    }
});

test("fix dialogs by keyboard give the focus back: Add rule, Delete rule, Add route; axe light and dark", async () => {
    const { page, frame } = view;
    await startAt("Networks");
    await tabTo(page, nav("Rules"), { what: "the Rules link" });
    await page.keyboard.press("Enter");
    await frame.getByRole("table", { name: "IPv4 rules" }).waitFor({ timeout: TIMEOUT });

    const addRule = frame.getByRole("button", { name: "Add rule" });
    await tabTo(page, addRule, { what: "Add rule" });
    await page.keyboard.press("Enter");
    let dialog = frame.getByRole("dialog");
    const priority = dialog.getByRole("textbox", { name: "Priority" });
    await priority.waitFor({ timeout: 5000 });
    await assertFocusReturns(priority, "the priority field", 5000);
    await page.keyboard.type("0");
    await dialog.getByText("The priority is a whole number from 1 to 4294967295.").waitFor({ timeout: 5000 });
    await axeLightAndDark(page, frame, "the add rule dialog", { exclude: [BEHIND_MODAL] });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5000 });
    await assertFocusReturns(addRule, "Add rule");

    const del = frame.getByRole("button", { name: "Delete IPv4 rule 1500" });
    await tabTo(page, del, { what: "Delete IPv4 rule 1500" });
    await page.keyboard.press("Enter");
    dialog = frame.getByRole("dialog");
    await dialog.getByText("This rule is not owned by cockpit-gateways").waitFor({ timeout: 5000 });
    await axeLightAndDark(page, frame, "the delete rule dialog", { exclude: [BEHIND_MODAL] });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5000 });
    await assertFocusReturns(del, "Delete IPv4 rule 1500");

    await startAt("Rules");
    await tabTo(page, nav("Routing tables"), { back: true, what: "the Routing tables link" });
    await page.keyboard.press("Enter");
    await tabTo(page, frame.getByRole("link", { name: "Open table 300" }), { what: "Open table 300" });
    await page.keyboard.press("Enter");
    await frame.getByRole("table", { name: "Routes of table 300" }).getByRole("cell", { name: "172.16.0.1", exact: true })
        .waitFor({ timeout: TIMEOUT });
    const addRoute = frame.getByRole("button", { name: "Add route" });
    await startAt("Routing tables");
    await tabTo(page, addRoute, { what: "Add route" });
    await page.keyboard.press("Enter");
    dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Destination" }).waitFor({ timeout: 5000 });
    await axeLightAndDark(page, frame, "the add route dialog", { exclude: [BEHIND_MODAL] });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5000 });
    await assertFocusReturns(addRoute, "Add route");
    assert.equal(lab("host", "ip", "rule", "show", "priority", "1500").includes("10.0.5.0/24"), true, "the rule was deleted");
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
