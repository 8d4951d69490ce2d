// SPDX-License-Identifier: LGPL-2.1-or-later
// Deletion warnings follow who made the object (issue 17, defect 2), through the real Cockpit shell
// and the lab, checked in the dialog and in the kernel:
// - a gateway's rule or route: the dialog says it is part of eth1's gateway and that deleting it
//   alone breaks that network, offers "Remove eth1's gateway" (the gateway dialog on its remove
//   step) and deletes nothing by itself;
// - a route the admin just added on this page: "added with cockpit-gateways (a one-off fix)", no
//   "someone else made it" warning;
// - someone else's route: the foreign warning, and only that exact route goes (its twin stays).
//
// GW_UX_DIST=DIR serves another build (e.g. the code before the fix, to see these tests fail).

import assert from "node:assert/strict";

import { axeViolations, gatewaysFrame, goToView, screenshot, setTheme, startSession } from "./harness.mjs";
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
    s = await startSession({ prefix: "gwuxd", ...(process.env.GW_UX_DIST ? { dist: process.env.GW_UX_DIST } : {}) });
    helper("set", "eth1", "10.0.2.1");
    // someone else's route in table 300, and its twin that differs only in the metric
    lab("host", "ip", "route", "add", "10.70.0.0/24", "via", "10.0.2.1", "table", "300", "proto", "static", "metric", "5");
    lab("host", "ip", "route", "add", "10.70.0.0/24", "via", "10.0.2.1", "table", "300", "proto", "static", "metric", "6");
    for (const dst of ["10.80.0.0/24", "10.81.0.0/24", "10.82.0.0/24"])
        lab("host", "ip", "route", "add", dst, "via", "10.0.2.1", "table", "300", "proto", "static");
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

/** Go to a view the way a link would (the URL), and wait for `ready` there. */
const go = (path, options, ready) => goToView(view.page, path, options, ready, TIMEOUT);

async function assertNoAxe(page, what) {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe on ${what}:\n${violations.join("\n")}`);
}

const ourTable = () => JSON.parse(helper("status", "--json")).interfaces.find(i => i.name === "eth1").gateways[0].table;
const rule31001 = () => lab("host", "ip", "-4", "rule", "show", "priority", "31001");

test("a gateway's rule from the Rules view: part of eth1's gateway, offers removing that gateway instead", async () => {
    const { frame, page } = view;
    await go(["rules"], {}, () => frame.getByRole("table", { name: "IPv4 rules" }));
    await frame.getByRole("button", { name: "Delete IPv4 rule 31001" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText("This rule is part of the gateway of eth1 (IPv4):").waitFor({ timeout: TIMEOUT });
    await dialog.getByText("Deleting it alone would break the source routing of eth1").waitFor({ timeout: TIMEOUT });
    assert.equal(await dialog.getByRole("button", { name: "Delete", exact: true }).count(), 0, "a raw delete is offered");
    await screenshot(page, "ux-delete-gateway-rule", { fullPage: false });
    await assertNoAxe(page, "the dialog of a gateway's rule");
    await dialog.getByRole("button", { name: "Remove eth1's gateway" }).click();
    // the gateway dialog, on its remove step, previews removing every object of eth1's source routing
    const remove = frame.getByRole("dialog", { name: "Remove the gateway of eth1 (IPv4)" });
    await remove.getByText(/^Remove rule: traffic from 10\.0\.2\.0\/24 uses table gw-eth1 \(\d+\) \(priority 31001\)$/)
        .waitFor({ timeout: TIMEOUT });
    assert.match(rule31001(), /31001:\s+from 10\.0\.2\.0\/24/, "the rule went before the admin chose");
    await remove.getByRole("button", { name: "Cancel" }).click();
    await remove.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.match(rule31001(), /31001:\s+from 10\.0\.2\.0\/24/);
});

test("a gateway's route from its table: part of eth1's gateway, nothing deleted", async () => {
    const { frame } = view;
    const table = ourTable();
    await go(["tables"], { table: String(table) }, () => frame.getByRole("button", { name: "Delete route default" }));
    await frame.getByRole("button", { name: "Delete route default" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText(`This route in table gw-eth1 (${table}) is part of the gateway of eth1 (IPv4):`).waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Remove eth1's gateway" }).waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.match(lab("host", "ip", "route", "show", "table", String(table), "default"), /default via 10\.0\.2\.1 dev eth1/);
});

test("a route the admin just added on this page is theirs: a one-off fix, no foreign warning", async () => {
    const { frame, page } = view;
    await go(["tables"], { table: "300" }, () => frame.getByRole("button", { name: "Add route" }));
    await frame.getByRole("button", { name: "Add route" }).click();
    const add = frame.getByRole("dialog");
    await add.getByRole("textbox", { name: "Destination" }).fill("10.60.0.0/24");
    await add.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await add.getByText("Add route: 10.60.0.0/24 via 10.0.2.1 in table 300").waitFor({ timeout: TIMEOUT });
    await add.getByRole("button", { name: "Add route" }).click();
    await add.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.match(lab("host", "ip", "route", "show", "table", "300", "10.60.0.0/24"), /via 10\.0\.2\.1/);

    await frame.getByRole("button", { name: "Delete route 10.60.0.0/24" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText("This route was added with cockpit-gateways (a one-off fix)").waitFor({ timeout: TIMEOUT });
    assert.equal(await dialog.getByText("This route is not owned by cockpit-gateways").count(), 0, "called someone else's");
    assert.equal(await dialog.getByText(/Someone else made it/).count(), 0);
    await screenshot(page, "ux-delete-own-fix", { fullPage: false });
    await assertNoAxe(page, "the delete dialog of the admin's own fix");
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.equal(lab("host", "ip", "route", "show", "table", "300", "10.60.0.0/24").trim(), "");
    assert.equal(lab("host", "ip", "route", "show", "table", "300", "10.70.0.0/24").trim().split("\n").length, 2);
});

test("someone else's route: the foreign warning, and only that exact route goes", async () => {
    const { frame } = view;
    await go(["tables"], { table: "300" }, () => frame.getByRole("button", { name: "Delete route 10.70.0.0/24" }).first());
    await frame.getByRole("button", { name: "Delete route 10.70.0.0/24" }).first().click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText("This route is not owned by cockpit-gateways").waitFor({ timeout: TIMEOUT });
    assert.equal(await dialog.getByText(/one-off fix|part of the gateway/).count(), 0);
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    const left = lab("host", "ip", "route", "show", "table", "300", "10.70.0.0/24").trim().split("\n");
    assert.equal(left.length, 1, `not exactly one of the twins went: ${left}`);
});

test("several routes selected and deleted in one previewed change; the others stay", async () => {
    const { frame, page } = view;
    await go(["tables"], { table: "300" }, () => frame.getByRole("checkbox", { name: "Select route 10.80.0.0/24" }));
    await frame.getByRole("checkbox", { name: "Select route 10.80.0.0/24" }).check();
    await frame.getByRole("checkbox", { name: "Select route 10.81.0.0/24" }).check();
    await frame.getByRole("button", { name: "Delete 2 selected routes" }).click();
    const dialog = frame.getByRole("dialog", { name: "Delete 2 routes?" });
    await dialog.getByText("Remove route: 10.80.0.0/24 via 10.0.2.1 on eth1 in table 300").waitFor({ timeout: TIMEOUT });
    await dialog.getByText("Remove route: 10.81.0.0/24 via 10.0.2.1 on eth1 in table 300").waitFor({ timeout: TIMEOUT });
    await dialog.getByText("2 of them are not owned by cockpit-gateways").waitFor({ timeout: TIMEOUT });
    await screenshot(page, "ux-delete-many", { fullPage: false });
    await assertNoAxe(page, "the delete of several routes");
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.equal(lab("host", "ip", "route", "show", "table", "300", "10.80.0.0/24").trim(), "");
    assert.equal(lab("host", "ip", "route", "show", "table", "300", "10.81.0.0/24").trim(), "");
    assert.match(lab("host", "ip", "route", "show", "table", "300", "10.82.0.0/24"), /via 10\.0\.2\.1/);
    assert.match(lab("host", "ip", "route", "show", "table", "300", "10.70.0.0/24"), /via 10\.0\.2\.1/);
});

test("the gateway's dialog reads well dark and at 360 px", async () => {
    const narrow = await s.openGateways({ viewport: { width: 360, height: 740 }, colorScheme: "dark" });
    try {
        await narrow.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
        await setTheme(narrow.page, "dark");
        const f = await gatewaysFrame(narrow.page);
        await f.evaluate(() => cockpit.location.go(["rules"], {}));
        await narrow.frame.getByRole("button", { name: "Delete IPv4 rule 31001" }).click();
        const dialog = narrow.frame.getByRole("dialog");
        await dialog.getByRole("button", { name: "Remove eth1's gateway" }).waitFor({ timeout: TIMEOUT });
        const box = await dialog.boundingBox();
        assert.ok(box !== null && box.width <= 360, `the dialog is wider than the screen: ${box?.width}`);
        await screenshot(narrow.page, "ux-delete-gateway-rule-dark-narrow", { fullPage: false });
        assert.deepEqual(await narrow.errors(), []);
    } finally {
        await narrow.context.close();
    }
    assert.deepEqual(await view.errors(), []);
});
