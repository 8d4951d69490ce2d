// SPDX-License-Identifier: LGPL-2.1-or-later
// What a first-time admin tripped over (issue 17), each defect through the real Cockpit shell and
// the lab, checked where the admin would see it and, for changes, in the kernel.
//
// GW_UX_DIST=DIR serves another build (e.g. the code before the fixes, to see these tests fail).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

import { gatewaysFrame, goToView, screenshot, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const BIG = 600;
let s;
let view;

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}


before(async () => {
    s = await startSession({ prefix: "gwux", ...(process.env.GW_UX_DIST ? { dist: process.env.GW_UX_DIST } : {}) });
    // table 300: metric 0 (ip prints no metric), metric 5 and 100, a boot route (no proto), and
    // 172.16.0.5 next to 172.16.0.50-59 (an exact filter must tell them apart)
    const lines = [
        "route add 10.50.0.0/16 via 10.0.2.1 table 300 proto static metric 100",
        "route add 10.51.0.0/16 via 10.0.2.1 table 300 proto static",
        "route add 10.52.0.0/16 via 10.0.2.1 table 300 proto static metric 5",
        "route add 10.53.0.0/16 via 10.0.2.1 table 300 metric 7",
        "route add 172.16.0.5/32 via 10.0.2.1 table 300 proto static metric 9",
    ];
    for (let i = 50; i <= 59; i++)
        lines.push(`route add 172.16.0.${i}/32 via 10.0.2.1 table 300 proto static metric 9`);
    // table 301: a big table, taller than the window
    for (let i = 0; i < BIG; i++)
        lines.push(`route add 172.17.${Math.floor(i / 250)}.${i % 250 + 1}/32 via 10.0.2.1 table 301 proto static`);
    const b = spawnSync("ip", ["-n", s.ns("host"), "-batch", "-"], { input: lines.join("\n") + "\n", encoding: "utf8" });
    assert.equal(b.status, 0, b.stderr);
    assert.doesNotMatch(lab("host", "ip", "route", "show", "table", "300", "10.51.0.0/16"), /metric/, "ip shows metric 0");
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

/** Go to a view the way a link would (the URL), and wait for `ready` there. */
const go = (path, options, ready) => goToView(view.page, path, options, ready, TIMEOUT);

const helper = (...args) => lab("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, ...args);

const routeList = () => view.frame.getByRole("table", { name: /^Routes of table/ });

/** The rendered rows of the route list, each as its cells' texts (and which show a default). */
async function routeRows() {
    return routeList().locator(".gw-route-body [role=row]").evaluateAll(rows => rows.map(row => [...row.querySelectorAll("[role=cell]")]
        .map(c => ({ text: c.textContent ?? "", muted: c.classList.contains("gw-default-value") }))));
}

test("1: metric 0 sorts first and shows as 0; ip's defaults are shown, muted", async () => {
    await go(["tables"], { table: "300" }, () => routeList().getByRole("cell", { name: "10.51.0.0/16", exact: true }));
    await routeList().getByRole("button", { name: "Metric" }).click();
    await routeList().locator("[aria-sort=ascending]").waitFor({ timeout: TIMEOUT });
    let rows;
    for (let i = 0; i < 100; i++) { // the sorted window comes from the host
        rows = await routeRows();
        if (rows[0]?.[0].text === "10.51.0.0/16")
            break;
        await sleep(200);
    }
    const metrics = rows.map(r => r[4].text);
    assert.equal(rows[0][0].text, "10.51.0.0/16", `metric 0 is not first going up: ${rows.map(r => r[0].text)}`);
    assert.deepEqual(metrics, [...metrics].sort((a, b) => Number(a) - Number(b)), `not sorted numerically: ${metrics}`);
    assert.equal(rows[0][4].text, "0", "metric 0 shows as a blank cell");
    assert.ok(rows[0][4].muted, "metric 0 (the default) is not muted");
    assert.equal(rows[0][6].text, "global");
    const boot = rows.find(r => r[0].text === "10.53.0.0/16");
    assert.equal(boot[5].text, "boot", "the boot protocol shows as a blank cell");
    assert.ok(boot[5].muted);
    const stat = rows.find(r => r[0].text === "10.50.0.0/16");
    assert.equal(stat[5].text, "static");
    assert.ok(!stat[5].muted && !stat[4].muted, "set values are muted");
    await routeList().getByRole("button", { name: "Metric" }).click();
    await routeList().locator("[aria-sort=descending]").waitFor({ timeout: TIMEOUT });
    for (let i = 0; i < 100 && (await routeRows())[0]?.[0].text !== "10.50.0.0/16"; i++)
        await sleep(200);
    assert.equal((await routeRows())[0][0].text, "10.50.0.0/16", "metric 100 is not first going down");
    await screenshot(view.page, "ux-1-metric", { fullPage: false });
});

test("6: a table has one name everywhere: gw-eth1 (NUMBER) in the add and the remove preview, the table, the rules", async () => {
    const { frame } = view;
    await go([], {}, () => frame.getByRole("table", { name: "Networks" }));
    await frame.getByRole("button", { name: /^Set gateway of eth1\b.*IPv4/ }).click();
    let dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    // the table does not exist yet: the helper names it in the plan
    const add = dialog.getByText(/^Add route: default via 10\.0\.2\.1 on eth1 in table gw-eth1 \(\d+\)$/);
    await add.waitFor({ timeout: TIMEOUT });
    const number = (await add.textContent()).match(/\((\d+)\)$/)[1];
    const label = `gw-eth1 (${number})`;
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    helper("set", "eth1", "10.0.2.1");
    try {
        await frame.getByRole("button", { name: /^Edit gateway of eth1\b.*IPv4/ }).click();
        dialog = frame.getByRole("dialog");
        await dialog.getByRole("button", { name: "Remove gateway" }).click();
        await dialog.getByText(`Remove route: default via 10.0.2.1 on eth1 in table ${label}`).waitFor({ timeout: TIMEOUT });
        await dialog.getByText(new RegExp(`^Remove rule: traffic from 10\\.0\\.2\\.0/24 uses table ${label.replace(/[()]/g, "\\$&")}`))
            .waitFor({ timeout: TIMEOUT });
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
        await go(["tables"], { table: number }, () => frame.getByRole("heading", { name: `Table ${label}` }));
        await go(["rules"], {}, () => frame.getByRole("table", { name: "IPv4 rules" }));
        await frame.getByRole("table", { name: "IPv4 rules" }).getByText(`lookup ${label}`).first().waitFor({ timeout: TIMEOUT });
    } finally {
        helper("unset", "eth1");
    }
});

test("8: one clear button in a filter box; an exact match tells 172.16.0.5 from 172.16.0.50-59", async () => {
    const { frame } = view;
    await go(["tables"], { table: "300" }, () => routeList().getByRole("cell", { name: "10.51.0.0/16", exact: true }));
    const filter = frame.getByRole("searchbox", { name: "Filter routes" });
    await filter.fill("172.16.0.5 ");
    await frame.getByText("11 routes match").waitFor({ timeout: TIMEOUT });
    // a type="search" field brings the browser's own clear button next to PatternFly's
    assert.notEqual(await filter.evaluate(el => el.type), "search", "the browser adds a second clear button");
    assert.equal(await frame.getByRole("button", { name: "Clear the filter" }).count(), 1);
    await frame.getByRole("checkbox", { name: "Exact match" }).check();
    await frame.getByText("1 route matches").waitFor({ timeout: TIMEOUT });
    await routeList().getByRole("cell", { name: "172.16.0.5", exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(await routeList().getByRole("cell", { name: "172.16.0.50", exact: true }).count(), 0);
    await screenshot(view.page, "ux-8-exact", { fullPage: false });
    await filter.fill("eth1");                                  // a word of the line: every route
    await frame.getByText("15 routes match").waitFor({ timeout: TIMEOUT });
    await frame.getByRole("checkbox", { name: "Exact match" }).uncheck();
    await frame.getByRole("button", { name: "Clear the filter" }).click();
    await frame.getByText("15 routes").waitFor({ timeout: TIMEOUT });
});

/** Elements of the gateways frame that scroll vertically now (the document included). */
async function scrollers() {
    const f = await gatewaysFrame(view.page);
    return f.evaluate(() => [...document.querySelectorAll("*")].filter(e => {
        const o = getComputedStyle(e).overflowY;
        return (e === document.scrollingElement || /auto|scroll|overlay/.test(o)) && e.scrollHeight > e.clientHeight + 1;
    }).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`));
}

test("7: a big table scrolls with the page, one scroll area; its last route comes fully into view", async () => {
    const { frame, page } = view;
    await go(["tables"], { table: "301" }, () => routeList().getByRole("cell", { name: "172.17.0.1", exact: true }));
    await frame.getByText(`${BIG} routes`).waitFor({ timeout: TIMEOUT });
    const areas = await scrollers();
    assert.equal(areas.length, 1, `more than one scroll area: ${areas.join(", ")}`);
    // the end of the page: the end of the list, its last row above the fold
    const f = await gatewaysFrame(page);
    await f.evaluate(sel => {
        const el = [...document.querySelectorAll("*")].find(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}` === sel);
        el.scrollTop = el.scrollHeight;
    }, areas[0]);
    const last = routeList().getByRole("cell", { name: "172.17.2.100", exact: true });
    await last.waitFor({ timeout: TIMEOUT });
    const fits = await last.evaluate(el => el.getBoundingClientRect().bottom <= window.innerHeight);
    assert.ok(fits, "the last route is below the fold at the end of the page");
    // the column headers stay in view while the page scrolls
    const head = await routeList().getByRole("columnheader", { name: "Destination" }).evaluate(el => el.getBoundingClientRect().top);
    assert.ok(head >= 0, "the column headers scrolled away");
    const rendered = await routeList().getByRole("row").count();
    assert.ok(rendered < 80, `the list renders ${rendered} rows: not virtualized`);
    await screenshot(page, "ux-7-end", { fullPage: false });
});

/** What scrolls sideways or is cut in the gateways frame: scroll boxes wider than they are,
 * the page itself, labels cut with an ellipsis, and the view links not on one line. */
async function sideways() {
    const f = await gatewaysFrame(view.page);
    return f.evaluate(() => {
        const out = [];
        const name = e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} "${(e.textContent ?? "").trim().slice(0, 30)}"`;
        const doc = document.scrollingElement;
        if (doc.scrollWidth > doc.clientWidth + 1)
            out.push(`the page by ${doc.scrollWidth - doc.clientWidth} px`);
        for (const e of document.querySelectorAll("*")) {
            const style = getComputedStyle(e);
            if (/auto|scroll/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1 && e.getClientRects().length > 0)
                out.push(`scrolls sideways: ${name(e)}`);
        }
        for (const e of document.querySelectorAll(".pf-v6-c-label__text, .pf-v6-c-label__content"))
            if (e.scrollWidth > e.clientWidth + 1)
                out.push(`cut: ${name(e)}`);
        const links = [...document.querySelectorAll("nav[aria-label=Views] a")].filter(a => a.getClientRects().length > 0);
        if (new Set(links.map(a => Math.round(a.getBoundingClientRect().top))).size > 1)
            out.push("the view links wrap onto a second line");
        return out;
    });
}

test("11: 360 px: no view scrolls sideways, nothing is cut, the views do not wrap", async () => {
    const { frame, page } = view;
    await page.setViewportSize({ width: 360, height: 800 });
    const problems = [];
    try {
        helper("set", "eth1", "10.0.2.1");     // "Managed by Gateways" labels in tables and rules
        const views = [
            ["networks", [], {}, () => frame.getByText("eth1").first()],
            ["tables", ["tables"], {}, () => frame.getByRole("table", { name: "Routing tables" })],
            ["table", ["tables"], { table: "300" }, () => routeList().getByRole("cell", { name: "10.51.0.0/16", exact: true })],
            ["rules", ["rules"], {}, () => frame.getByRole("table", { name: "IPv4 rules" })],
            ["lookup", ["lookup"], { to: "10.0.9.2", from: "10.0.2.10" }, () => frame.locator("#gw-lookup-answer")],
        ];
        for (const [name, path, options, ready] of views) {
            await go(path, options, ready);
            await sleep(300); // layout settles (resize observers)
            await screenshot(page, `ux-11-${name}-360`, { fullPage: false });
            problems.push(...(await sideways()).map(p => `${name}: ${p}`));
        }
    } finally {
        helper("unset", "eth1");
        await page.setViewportSize({ width: 1280, height: 800 });
    }
    assert.deepEqual(problems, []);
    // a wide window: the links, not the list as well
    await sleep(300);
    assert.equal(await frame.locator("#gw-view-select").isVisible(), false, "the views are shown twice at 1280 px");
    assert.equal(await frame.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Rules" }).isVisible(), true);
});

test("12: rules link to their table; an empty table is flagged in the preview; the family is said, or chosen", async () => {
    const { frame } = view;
    lab("host", "ip", "rule", "add", "priority", "1500", "from", "10.0.5.0/24", "table", "300");
    try {
        await go(["rules"], {}, () => frame.getByRole("table", { name: "IPv4 rules" }).getByRole("link", { name: "lookup 300" }));
        await frame.getByRole("table", { name: "IPv4 rules" }).getByRole("link", { name: "lookup 300" }).click();
        await frame.getByRole("heading", { name: "Table 300" }).waitFor({ timeout: TIMEOUT });
        assert.match(view.page.url(), /table=300/);

        await go(["rules"], {}, () => frame.getByRole("button", { name: "Add rule" }));
        await frame.getByRole("button", { name: "Add rule" }).click();
        const dialog = frame.getByRole("dialog");
        await dialog.getByRole("textbox", { name: "Priority" }).fill("1600");
        await dialog.getByRole("combobox", { name: "Table" }).fill("777");
        // no address: the family is asked, not silently IPv4
        const family = dialog.getByRole("combobox", { name: "Family" });
        assert.equal(await family.isEnabled(), true);
        await family.selectOption("inet6");
        await dialog.getByText(/^Add rule: .*uses table 777/).waitFor({ timeout: TIMEOUT });
        // flagged before it is added, as the Rules view flags it after
        await dialog.getByText("Table 777 does not exist").waitFor({ timeout: TIMEOUT });
        await screenshot(view.page, "ux-12-add-rule", { fullPage: false });
        await dialog.getByRole("combobox", { name: "Table" }).fill("300");
        await dialog.getByText(/^Add rule: .*uses table 300/).waitFor({ timeout: TIMEOUT });
        assert.equal(await dialog.getByText(/Table 300 has no routes/).count(), 1, "table 300 has no IPv6 routes");
        await family.selectOption("inet");
        await dialog.getByText(/^Add rule: .*uses table 300/).waitFor({ timeout: TIMEOUT });
        for (let i = 0; i < 50 && await dialog.getByText(/Table 300 has no routes/).count() > 0; i++)
            await sleep(100);
        assert.equal(await dialog.getByText(/Table 300 has no routes/).count(), 0, "table 300 has IPv4 routes");
        await family.selectOption("inet6");
        await dialog.getByRole("button", { name: "Add rule" }).click();
        await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
        assert.match(lab("host", "ip", "-6", "rule", "show", "priority", "1600"), /lookup 300/, "not added for IPv6");
        assert.equal(lab("host", "ip", "-4", "rule", "show", "priority", "1600").trim(), "", "added for IPv4");
        // an address says the family: the choice is shown, not asked
        await frame.getByRole("button", { name: "Add rule" }).click();
        await dialog.getByRole("textbox", { name: "From" }).fill("fd00:5::/64");
        await dialog.getByText("Given by the addresses above.").waitFor({ timeout: TIMEOUT });
        assert.equal(await family.inputValue(), "inet6");
        assert.equal(await family.isEnabled(), false);
        await dialog.getByRole("button", { name: "Cancel" }).click();
    } finally {
        s.labRun("host", "ip", "rule", "del", "priority", "1500");
        s.labRun("host", "ip", "-6", "rule", "del", "priority", "1600");
    }
});

test("3: Add rule says what is wrong at the field, not only at the top of the dialog", async () => {
    const { frame } = view;
    await go(["rules"], {}, () => frame.getByRole("button", { name: "Add rule" }));
    await frame.getByRole("button", { name: "Add rule" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Priority" }).fill("1700");
    await dialog.getByRole("combobox", { name: "Table" }).fill("300");
    const from = dialog.getByRole("textbox", { name: "From" });
    await from.fill("10.0.2.5/24");
    await dialog.locator("#gw-rule-from-help").getByText(/bits set after the prefix length/).waitFor({ timeout: TIMEOUT });
    assert.equal(await from.getAttribute("aria-invalid"), "true");
    await sleep(1000); // a preview would have come back by now
    assert.equal(await dialog.locator(".gw-dialog-error").count(), 0, "an error at the top of the dialog");
    assert.equal(await dialog.getByRole("button", { name: "Add rule" }).isEnabled(), false);
    await screenshot(view.page, "ux-3-field-error", { fullPage: false });
    await from.fill("10.0.2.0/24");
    await dialog.getByText(/^Add rule: traffic from 10\.0\.2\.0\/24 uses table 300/).waitFor({ timeout: TIMEOUT });
    assert.equal(await from.getAttribute("aria-invalid"), "false");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.equal(lab("host", "ip", "rule", "show", "priority", "1700").trim(), "", "the rule was added");
});

test("4: Add route refuses the host's own address, says what to do with an unreachable gateway, and the kernel's refusal in words", async () => {
    const { frame } = view;
    const kernel = () => lab("host", "ip", "route", "show", "table", "300", "10.130.0.0/16");
    await go(["tables"], { table: "300" }, () => frame.getByRole("button", { name: "Add route" }));
    await frame.getByRole("button", { name: "Add route" }).click();
    const dialog = frame.getByRole("dialog");
    const via = dialog.getByRole("textbox", { name: "Gateway" });
    const viaHelp = dialog.locator("#gw-route-via-help");
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.130.0.0/16");
    await via.fill("10.0.2.10");
    await viaHelp.getByText("10.0.2.10 is this host's own address (on eth1): enter the router's address.")
        .waitFor({ timeout: TIMEOUT });
    assert.equal(await dialog.getByRole("button", { name: "Add route" }).isEnabled(), false);
    // off the host's networks: what to do, and on-link offered
    await via.fill("10.0.5.1");
    await viaHelp.getByText(/^10\.0\.5\.1 is on none of this host's networks.*tick On-link/).waitFor({ timeout: TIMEOUT });
    await screenshot(view.page, "ux-4-unreachable", { fullPage: false });
    await dialog.getByRole("combobox", { name: "Device" }).selectOption("eth1");
    await viaHelp.getByText(/^10\.0\.5\.1 is not on a network of eth1\./).waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("checkbox", { name: "On-link" }).check();
    await dialog.getByText("Add route: 10.130.0.0/16 via 10.0.5.1 on eth1 in table 300").waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Add route" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.match(kernel(), /10\.130\.0\.0\/16 via 10\.0\.5\.1 dev eth1 .*onlink/);
    lab("host", "ip", "route", "del", "10.130.0.0/16", "table", "300");

    // the helper refuses its own address too (the kernel would take it)
    const r = s.labRun("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, "route", "add", "10.130.0.0/16",
                       "--table", "300", "--via", "10.0.2.10", "--json");
    assert.equal(r.status, 2, r.stderr);
    assert.equal(JSON.parse(r.stdout).field, "via");
    assert.equal(kernel().trim(), "");

    // the kernel refuses what the page could not know (eth1 went down since): its words, translated, at the field
    await frame.getByRole("button", { name: "Add route" }).click();
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.130.0.0/16");
    await via.fill("10.0.2.1");
    await dialog.getByText("Add route: 10.130.0.0/16 via 10.0.2.1 in table 300").waitFor({ timeout: TIMEOUT });
    lab("host", "ip", "link", "set", "eth1", "down");
    try {
        await dialog.getByRole("button", { name: "Add route" }).click();
        await viaHelp.getByText(/^The kernel cannot reach this gateway directly.*\(The kernel said: Nexthop has invalid gateway\)/)
            .waitFor({ timeout: TIMEOUT });
        assert.equal(await dialog.locator(".gw-dialog-error").count(), 0, "the kernel's message is at the top");
        await screenshot(view.page, "ux-4-kernel", { fullPage: false });
        await dialog.getByRole("button", { name: "Cancel" }).click();
    } finally {
        lab("host", "ip", "link", "set", "eth1", "up");
    }
    assert.equal(kernel().trim(), "");
});
