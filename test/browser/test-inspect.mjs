// SPDX-License-Identifier: LGPL-2.1-or-later
// The inspection views through the real Cockpit shell and the lab (issue 6): a table of 5000
// routes opened, filtered and scrolled to its end (windows fetched on demand, few rows in the
// DOM); a lookup whose answer changes when eth1 gets a gateway; a route added to table 300 and
// deleted again through the page (preview, safe apply, foreign confirmation), checked in the
// kernel; rules flagged; axe and screenshots in light, dark and 360 px.

import assert from "node:assert/strict";

import { axeViolations, fullFrameScreenshot, gatewaysFrame, screenshot, setTheme, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const ROUTES = 5000;
let s;
let view;

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

function helper(...args) {
    return lab("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, ...args);
}

const table300 = () => lab("host", "ip", "-j", "route", "show", "table", "300");

before(async () => {
    s = await startSession({ prefix: "gwins" });
    const lines = [];
    for (let i = 0; i < ROUTES; i++)
        lines.push(`route add 172.16.${Math.floor(i / 250)}.${i % 250 + 1}/32 via 10.0.2.1 table 300`);
    const r = s.labRun("host", "ip", "-batch", "-");
    assert.equal(r.status, 0); // (empty batch: checks the namespace)
    const { spawnSync } = await import("node:child_process");
    const b = spawnSync("ip", ["-n", s.ns("host"), "-batch", "-"], { input: lines.join("\n") + "\n", encoding: "utf8" });
    assert.equal(b.status, 0, b.stderr);
    // a foreign rule at an empty table and one naming a device that does not exist
    lab("host", "ip", "rule", "add", "priority", "1500", "from", "10.0.5.0/24", "table", "777");
    lab("host", "ip", "rule", "add", "priority", "1501", "iif", "nosuch0", "table", "300");
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

async function assertNoAxe(page, what) {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe on ${what}:\n${violations.join("\n")}`);
}

async function lightAndDark(name) {
    const { page, frame } = view;
    await fullFrameScreenshot(page, `${name}-light`);
    await assertNoAxe(page, `${name} (light)`);
    await setTheme(page, "dark");
    await frame.locator("html.pf-v6-theme-dark").waitFor({ state: "attached", timeout: 5000 });
    await fullFrameScreenshot(page, `${name}-dark`);
    await assertNoAxe(page, `${name} (dark)`);
    await setTheme(page, "light");
    await frame.locator("html:not(.pf-v6-theme-dark)").waitFor({ state: "attached", timeout: 5000 });
}

const nav = name => view.frame.getByRole("navigation", { name: "Views" }).getByRole("link", { name });
const routeScroller = () => view.frame.getByRole("table", { name: "Routes of table 300" });

test("the tables list shows every table with its counts; the view is in the URL", async () => {
    const { page, frame } = view;
    await nav("Routing tables").click();
    const list = frame.getByRole("table", { name: "Routing tables" });
    await list.waitFor({ timeout: TIMEOUT });
    const row = list.getByRole("row").filter({ has: frame.getByRole("link", { name: "Open table 300" }) });
    await row.getByText(String(ROUTES), { exact: true }).waitFor({ timeout: TIMEOUT });
    assert.match(page.url(), /#\/tables/);
    await page.reload();
    view.frame = page.frameLocator('iframe[name="cockpit1:localhost/gateways"]');
    await view.frame.getByRole("table", { name: "Routing tables" }).waitFor({ timeout: TIMEOUT });
    await lightAndDark("inspect-tables");
});

test("open table 300: the first window, then its last route after scrolling to the end", async () => {
    const { frame, page } = view;
    await frame.getByRole("link", { name: "Open table 300" }).click();
    await frame.getByText(`${ROUTES} routes`).waitFor({ timeout: TIMEOUT });
    const routes = JSON.parse(table300());
    const first = routes[0].dst;
    const last = routes[routes.length - 1].dst;
    await routeScroller().getByRole("cell", { name: first, exact: true }).waitFor({ timeout: TIMEOUT });
    assert.match(page.url(), /table=300/);
    await screenshot(page, "inspect-routes-light", { fullPage: false });
    await assertNoAxe(page, "the routes of a table");
    // the list scrolls with the page (issue 17): the end of the page is the end of the list
    await routeScroller().evaluate(el => { el.closest(".pf-v6-c-page__main").scrollTop = 1e9 });
    await routeScroller().getByRole("cell", { name: last, exact: true }).waitFor({ timeout: TIMEOUT });
    const rendered = await routeScroller().getByRole("row").count();
    assert.ok(rendered < 80, `the list renders ${rendered} rows: not virtualized`);
    await screenshot(page, "inspect-routes-end", { fullPage: false });
});

test("filter the table on the host: only the matching route stays", async () => {
    const { frame } = view;
    await frame.getByRole("searchbox", { name: "Filter routes" }).fill("172.16.3.33");
    await frame.getByText("1 route matches").waitFor({ timeout: TIMEOUT });
    await routeScroller().getByRole("cell", { name: "172.16.3.33", exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(await routeScroller().getByRole("cell", { name: "172.16.3.34", exact: true }).count(), 0);
    await frame.getByRole("button", { name: "Clear the filter" }).click();
    await frame.getByText(`${ROUTES} routes`).waitFor({ timeout: TIMEOUT });
});

test("add a route to table 300 through the page, then delete it (the admin's own fix: named, no foreign warning)", async () => {
    const { frame, page } = view;
    await frame.getByRole("button", { name: "Add route" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.123.0.0/16");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await dialog.getByText("Add route: 10.123.0.0/16 via 10.0.2.1 in table 300").waitFor({ timeout: TIMEOUT });
    await screenshot(page, "inspect-add-route-light", { fullPage: false });
    await assertNoAxe(page, "the add route dialog");
    await dialog.getByRole("button", { name: "Add route" }).click();
    await dialog.getByText("Testing connection").waitFor({ timeout: TIMEOUT });
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.match(lab("host", "ip", "route", "show", "table", "300", "10.123.0.0/16"), /10\.123\.0\.0\/16 via 10\.0\.2\.1/);

    await frame.getByRole("searchbox", { name: "Filter routes" }).fill("10.123.");
    await frame.getByText("1 route matches").waitFor({ timeout: TIMEOUT });
    await routeScroller().getByRole("button", { name: "Delete route 10.123.0.0/16" }).click();
    const confirm = frame.getByRole("dialog");
    await confirm.getByText("This route was added with cockpit-gateways (a one-off fix)").waitFor({ timeout: TIMEOUT });
    assert.equal(await confirm.getByText("This route is not owned by cockpit-gateways").count(), 0);
    await confirm.getByText(/10\.123\.0\.0\/16 via 10\.0\.2\.1 dev eth1/).waitFor({ timeout: TIMEOUT });
    await screenshot(page, "inspect-delete-route-light", { fullPage: false });
    await assertNoAxe(page, "the delete dialog");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await confirm.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.equal(lab("host", "ip", "route", "show", "table", "300", "10.123.0.0/16").trim(), "");
    assert.equal(JSON.parse(table300()).length, ROUTES, "other routes of table 300 were touched");
    await frame.getByText("No matching routes").waitFor({ timeout: TIMEOUT });
    await frame.getByRole("button", { name: "Clear the filter" }).click();
});

test("rules: evaluation order, owners, an empty table and a missing device flagged", async () => {
    const { frame } = view;
    await nav("Rules").click();
    const rules = frame.getByRole("table", { name: "IPv4 rules" });
    await rules.waitFor({ timeout: TIMEOUT });
    await rules.getByText("Table 777 has no routes for this family").waitFor({ timeout: TIMEOUT });
    await rules.getByText("Device nosuch0 does not exist").waitFor({ timeout: TIMEOUT });
    const priorities = await rules.locator("tbody tr td:first-child").allTextContents();
    assert.deepEqual(priorities.map(Number), [...priorities.map(Number)].sort((a, b) => a - b));
    await lightAndDark("inspect-rules");
});

test("lookup from a network's row: the answer changes once eth1 has a gateway", async () => {
    const { frame, page } = view;
    await nav("Networks").click();
    // "Where do replies go?" asks for a client and checks request and reply (the reachability doctor)
    await frame.getByRole("button", { name: "Where do replies from eth1 IPv4 go?" }).click();
    const doctor = frame.getByRole("dialog", { name: "Can a client reach eth1 (IPv4)?" });
    await doctor.getByRole("textbox", { name: "Client address" }).fill("10.0.9.2");
    await doctor.getByRole("button", { name: "Check" }).click();
    await doctor.locator("#gw-reach-verdict").getByText(/reverse-path filtering on eth1/).waitFor({ timeout: TIMEOUT });
    await doctor.getByRole("button", { name: "Show the request in Route lookup" }).click();
    const to = frame.getByRole("textbox", { name: "To" });
    await to.waitFor({ timeout: TIMEOUT });
    assert.equal(await frame.getByRole("textbox", { name: "From" }).inputValue(), "10.0.9.2");
    await frame.locator("#gw-lookup-answer").getByText(/reverse-path filtering on eth1/).waitFor({ timeout: TIMEOUT });
    await frame.getByRole("textbox", { name: "From" }).fill("10.0.2.10");
    await frame.getByRole("combobox", { name: "Incoming device" }).selectOption("");
    await to.fill("10.0.9.2");
    await frame.getByRole("button", { name: "Look up" }).click();
    const answer = frame.locator("#gw-lookup-answer");
    await answer.getByText(/table main\b.*10\.0\.1\.1 on eth0/).waitFor({ timeout: TIMEOUT });
    await lightAndDark("inspect-lookup");
    helper("set", "eth1", "10.0.2.1");
    try {
        // the page follows ip monitor: no reload, no click
        await answer.getByText(/10\.0\.2\.1 on eth1/).waitFor({ timeout: TIMEOUT });
        await frame.getByText("31001").first().waitFor({ timeout: TIMEOUT });
    } finally {
        helper("unset", "eth1");
    }
    await answer.getByText(/10\.0\.1\.1 on eth0/).waitFor({ timeout: TIMEOUT });
    assert.match(page.url(), /#\/lookup\?.*to=10\.0\.9\.2/);
});

test("360 px: no view overflows the window", async () => {
    const { page, frame } = view;
    await page.setViewportSize({ width: 360, height: 800 });
    try {
        // a narrow window lists the views to choose from (issue 17: the links wrapped)
        const views = frame.getByRole("navigation", { name: "Views" }).getByRole("combobox", { name: "View" });
        for (const name of ["tables", "rules", "lookup"]) {
            await views.selectOption(name);
            await sleep(500);
            const f = await gatewaysFrame(page);
            const overflow = await f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            await fullFrameScreenshot(page, `inspect-${name}-narrow`);
            assert.ok(overflow <= 0, `${name} overflows a 360 px window by ${overflow} px`);
        }
        await views.selectOption("tables");
        await frame.getByRole("link", { name: "Open table 300" }).click();
        await routeScroller().waitFor({ timeout: TIMEOUT });
        await screenshot(page, "inspect-routes-narrow", { fullPage: false });
    } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
    }
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
