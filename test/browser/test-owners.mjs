// SPDX-License-Identifier: LGPL-2.1-or-later
// Coexisting with other tools, seen in the page (issue 12): eth1 gets a gateway, then another
// tool's rule lands at one of our priorities (31001, as ip rule add without protocol does) and
// a static route goes into main. The Networks view shows the conflict the helper reports, the
// Rules view each rule's owner and filters by owner, and the Routing tables view filters main's
// routes by owner on the host (`routes --owner`). A foreign IPv6 rule before ours that answers
// every packet from eth1's IPv6 subnet: the preview of eth1's IPv6 gateway warns of it. Last,
// eth1's address on a second interface: eth1's state becomes "Conflict", with the helper's reason.

import assert from "node:assert/strict";

import { axeViolations, gatewaysFrame, screenshot, startSession } from "./harness.mjs";
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
    s = await startSession({ prefix: "gwown" });
    helper("set", "eth1", "10.0.2.1");
    lab("host", "ip", "rule", "add", "priority", "31001", "from", "10.0.9.0/24", "table", "200");
    lab("host", "ip", "route", "add", "10.0.5.0/24", "via", "10.0.1.1", "proto", "static");
    lab("host", "ip", "route", "add", "10.0.7.0/24", "via", "10.0.1.1", "proto", "dhcp");
    lab("host", "ip", "-6", "rule", "add", "priority", "100", "from", "fd00:2::/64", "unreachable");
    const conflicts = JSON.parse(helper("status", "--json")).conflicts;
    assert.ok(conflicts.some(c => c.kind === "priority" && c.priority === 31001), JSON.stringify(conflicts));
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

const nav = name => view.frame.getByRole("navigation", { name: "Views" }).getByRole("link", { name });

/** Each body row's cell texts, by column header. */
async function columns(table, ...names) {
    const headers = (await table.locator("thead th").allTextContents()).map(t => t.trim());
    const rows = [];
    for (const row of await table.locator("tbody tr").all()) {
        const cells = await row.locator("td").allTextContents();
        rows.push(names.map(n => cells[headers.indexOf(n)]));
    }
    return rows;
}

test("the Networks view shows the conflict: its kind as the title, the helper's message", async () => {
    const notice = view.frame.getByLabel("Conflicts with other tools");
    await notice.getByText("Another rule uses one of our priorities").waitFor({ timeout: TIMEOUT });
    await notice.getByText(/Rule 31001 \(from 10\.0\.9\.0\/24 .*table 200\) of another tool sits at a priority ours use/).waitFor({ timeout: TIMEOUT });
    await screenshot(view.page, "owners-networks-conflict");
    assert.deepEqual(await axeViolations(view.page), []);
});

test("the preview of eth1's IPv6 gateway warns of the conflict it would create", async () => {
    const { frame } = view;
    await frame.getByRole("button", { name: "Set gateway of eth1 IPv6" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("fd00:2::1");
    await dialog.getByText("This change creates a conflict").waitFor({ timeout: TIMEOUT });
    await dialog.getByText("Another rule comes before ours:").waitFor({ timeout: TIMEOUT });
    await dialog.getByText(/Rule 100 \(from fd00:2::\/64 .*\) comes before ours/).waitFor({ timeout: TIMEOUT });
    await screenshot(view.page, "owners-preview-conflict", { fullPage: false });
    assert.deepEqual(await axeViolations(view.page), []);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    // nothing was applied, and the IPv4 notice does not list the IPv6 rule (eth1's IPv6 is not managed)
    assert.equal(JSON.parse(helper("status", "--json")).conflicts.filter(c => c.kind === "shadowed").length, 0);
});

test("the Rules view shows every rule's owner and filters by owner", async () => {
    const { frame } = view;
    await nav("Rules").click();
    const rules = frame.getByRole("table", { name: "IPv4 rules" });
    await rules.waitFor({ timeout: TIMEOUT });
    await rules.getByText("Gateways").first().waitFor({ timeout: TIMEOUT });
    const all = await columns(rules, "Priority", "Owner");
    const owner = p => all.find(([priority]) => priority === p)?.[1] ?? "";
    assert.match(owner("0"), /^Kernel/);
    assert.match(owner("30999"), /^Gateways/);
    assert.ok(all.filter(([p]) => p === "31001").some(([, o]) => o.startsWith("Static")), JSON.stringify(all));
    assert.ok(all.filter(([p]) => p === "31001").some(([, o]) => o.startsWith("Gateways")), JSON.stringify(all));
    // the helper's clue is the label's title
    const staticTag = rules.locator("tbody tr").filter({ hasText: "10.0.9.0/24" }).locator(".gw-owner");
    assert.ok((await staticTag.getAttribute("title")).length > 0);

    await frame.getByRole("combobox", { name: "Filter by owner" }).selectOption("static");
    await rules.locator("tbody tr").filter({ hasText: "30999" }).waitFor({ state: "detached", timeout: TIMEOUT });
    const filtered = await columns(rules, "Priority", "Selector", "Owner");
    assert.deepEqual(filtered.map(([p, sel]) => [p, sel]), [["31001", "from 10.0.9.0/24"]]);
    const ipv6 = frame.getByRole("table", { name: "IPv6 rules" });
    assert.deepEqual((await columns(ipv6, "Priority", "Selector")), [["100", "from fd00:2::/64"]]);
    await frame.getByRole("combobox", { name: "Filter by owner" }).selectOption("cockpit-gateways");
    await frame.getByText("No rule of this family has the chosen owner.").waitFor({ timeout: TIMEOUT }); // IPv6: not managed
    assert.ok((await columns(rules, "Owner")).every(([o]) => o.startsWith("Gateways")));
    await frame.getByRole("combobox", { name: "Filter by owner" }).selectOption("");
    await frame.getByRole("table", { name: "IPv6 rules" }).waitFor({ timeout: TIMEOUT });
});

test("the Routing tables view shows each route's owner and filters main by owner on the host", async () => {
    const { frame } = view;
    await nav("Routing tables").click();
    await frame.getByRole("link", { name: "Open table main" }).click();
    const routes = frame.getByRole("table", { name: "Routes of table main" });
    await routes.getByText("10.0.5.0/24").waitFor({ timeout: TIMEOUT });
    const row = dst => routes.getByRole("row").filter({ has: frame.getByRole("cell", { name: dst, exact: true }) });
    await row("10.0.5.0/24").getByRole("cell", { name: "Static", exact: true }).waitFor({ timeout: TIMEOUT });
    await row("10.0.7.0/24").getByRole("cell", { name: "DHCP", exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(await row("10.0.7.0/24").getByRole("cell", { name: "DHCP", exact: true }).getAttribute("title"), "proto dhcp");

    await frame.getByRole("combobox", { name: "Filter by owner" }).selectOption("dhcp");
    await frame.getByText("1 route matches").waitFor({ timeout: TIMEOUT });
    const dsts = await routes.locator(".gw-route-body [role=row] > [role=cell]:first-child").allTextContents();
    assert.deepEqual(dsts, ["10.0.7.0/24"]);
    await frame.getByRole("combobox", { name: "Filter by owner" }).selectOption("kernel");
    await routes.getByText("10.0.7.0/24").waitFor({ state: "detached", timeout: TIMEOUT });
    await routes.getByText("10.0.1.0/24").waitFor({ timeout: TIMEOUT });
    const owners = await routes.locator(".gw-route-body [role=row] > [role=cell]:nth-child(10)").allTextContents();
    assert.ok(owners.length > 0 && owners.every(o => o === "Kernel"), JSON.stringify(owners));
    await frame.getByRole("combobox", { name: "Filter by owner" }).selectOption("");
    await routes.getByText("10.0.5.0/24").waitFor({ timeout: TIMEOUT });
});

test("eth1's address on a second interface: the state says Conflict, with the reason", async () => {
    lab("host", "ip", "link", "add", "gwdup0", "type", "veth", "peer", "name", "gwdup1");
    lab("host", "ip", "addr", "add", "10.0.2.10/24", "dev", "gwdup0");
    lab("host", "ip", "link", "set", "gwdup0", "up");
    const eth1 = JSON.parse(helper("status", "--json")).interfaces.find(i => i.name === "eth1");
    assert.equal(eth1.gateways[0].state, "conflict", JSON.stringify(eth1.gateways));
    const { page } = view;
    await nav("Networks").click();
    await page.reload();
    view.frame = await gatewaysFrame(page);
    const row = view.frame.getByRole("row").filter({ has: view.frame.getByRole("rowheader", { name: "eth1 IPv4", exact: true }) });
    await row.getByText("Conflict", { exact: true }).waitFor({ timeout: TIMEOUT });
    await row.getByText("10.0.2.10 is also an address of gwdup0: replies from it cannot be told apart").waitFor({ timeout: TIMEOUT });
    await screenshot(page, "owners-state-conflict");
});
