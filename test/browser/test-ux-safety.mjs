// SPDX-License-Identifier: LGPL-2.1-or-later
// Issue 17, the safety of changes: Repair previews and repairs only the family it names (defect
// 5); while a change is being tested the actions say why and until when, and the gateway cell
// shows old → new once (defect 9); the Set gateway dialog shows the network, offers the routers
// seen on it and an on-link choice for a gateway outside the subnet (proven by a client's ping);
// each view links to its help. Through the real Cockpit shell and the lab, checked in the kernel.
//
// GW_UX_DIST=DIR serves another build (e.g. the code before the fixes, to see these tests fail).

import assert from "node:assert/strict";
import path from "node:path";

import { REPO_ROOT, screenshot, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const CONFIRM_WITHIN_S = 20; // src/safe-apply/safe-apply.ts
const HELPER = path.join(REPO_ROOT, "src", "helper", "cockpit-gateways");
let s;
let view;

before(async () => {
    s = await startSession({ prefix: "gwsafe", ...(process.env.GW_UX_DIST ? { dist: process.env.GW_UX_DIST } : {}) });
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

const helper = (...args) => lab("host", "/usr/bin/python3", HELPER, "--root", s.root, ...args);
const status = () => JSON.parse(helper("status", "--json"));
const tableRoutes = (family, table) => JSON.parse(lab("host", "ip", "-j", family, "route", "show", "table", String(table)) || "[]");

/** Wait until `check()` is true (polled; generous limit: the machine is shared). */
async function until(check, what, ms = 60000) {
    const start = Date.now();
    while (!(await check())) {
        assert.ok(Date.now() - start < ms, `not within ${ms / 1000} s: ${what}`);
        await sleep(250);
    }
}

async function reload() {
    await view.page.reload();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
}

const row = name => view.frame.getByRole("row").filter({ has: view.frame.getByRole("rowheader", { name }) });

test("5: Repair previews its plan, repairs only the family it names, and is safely applied", async () => {
    helper("set", "eth1", "10.0.2.1");
    helper("set", "eth1", "fd00:2::1");
    try {
        const table = status().tables.find(t => t.name === "gw-eth1").id;
        lab("host", "ip", "-4", "route", "flush", "table", String(table));
        lab("host", "ip", "-6", "route", "flush", "table", String(table));
        await reload();
        const { frame } = view;
        await frame.getByRole("button", { name: "Repair source routing of eth1 IPv4" }).click();
        const dialog = frame.getByRole("dialog", { name: "Repair source routing of eth1 (IPv4)" });
        await dialog.getByText(/^Add route: default via 10\.0\.2\.1 on eth1 in table gw-eth1/).waitFor({ timeout: TIMEOUT });
        const plan = await dialog.locator(".gw-commands").textContent();
        assert.doesNotMatch(plan, /fd00|inet6|-6 /, `the IPv4 repair would touch IPv6:\n${plan}`);
        assert.deepEqual(tableRoutes("-4", table), [], "the preview changed the kernel");
        await screenshot(view.page, "ux-5-repair-preview", { fullPage: false });
        await dialog.getByRole("button", { name: "Repair" }).click();
        await dialog.waitFor({ state: "detached", timeout: TIMEOUT + CONFIRM_WITHIN_S * 1000 });
        await frame.getByText("Source routing of eth1 (IPv4) repaired").waitFor({ timeout: TIMEOUT });
        assert.deepEqual(tableRoutes("-4", table).map(r => r.dst).sort(), ["10.0.2.0/24", "default"]);
        assert.deepEqual(tableRoutes("-6", table), [], "repairing IPv4 also repaired IPv6");
        assert.ok(s.ping("c2", "10.0.2.10", { count: 3 }), "the client behind R2 does not reach 10.0.2.10");
        assert.ok(!s.ping("c2", "fd00:2::10"), "IPv6 works though it was not repaired");
        assert.equal(status().pending, undefined, "the repair was not confirmed");
        // the IPv6 row still offers its own repair
        await frame.getByRole("button", { name: "Repair source routing of eth1 IPv6" }).waitFor({ timeout: TIMEOUT });
    } finally {
        helper("unset", "eth1");
    }
});

test("9: while a change is tested, the actions say why and until when; the gateway cell shows old → new once", async () => {
    helper("set", "eth0", "10.0.1.1");          // the management network: also the host's default gateway
    helper("set", "eth1", "10.0.2.1");
    const tested = JSON.parse(helper("set", "eth1", "10.0.2.254", "--confirm-within", "120", "--json"));
    try {
        await reload();                            // a page that knows nothing of the change: the host tells it
        const { frame } = view;
        await frame.getByText("A change is waiting for its confirmation").waitFor({ timeout: TIMEOUT });
        const edit = frame.getByRole("button", { name: "Edit gateway of eth1 IPv4" });
        assert.equal(await edit.getAttribute("aria-disabled"), "true", "Edit is not held back");
        const why = await edit.getAttribute("title");
        assert.match(why ?? "", /^A change is being tested: .* \(rolls back at \d{1,2}:\d\d:\d\d( [AP]M)?, in \d+ s\)\.$/);
        const left = Number(/in (\d+) s/.exec(why)[1]);
        assert.ok(left > 60 && left <= 120, `time left ${left} s`);
        const described = await edit.getAttribute("aria-describedby");
        assert.equal((await frame.locator(`#${described}`).textContent()).replace(/in \d+ s/, ""), why.replace(/in \d+ s/, ""));
        // the clock runs: the seconds go down without a reload
        await until(async () => Number(/in (\d+) s/.exec(await edit.getAttribute("title"))[1]) < left, "the countdown");
        await edit.click({ force: true });
        assert.equal(await frame.getByRole("dialog").count(), 0, "a held-back action opened its dialog");

        const cell = await row(/^eth1 IPv4/).getByRole("cell").nth(3).textContent();
        assert.equal(cell.match(/10\.0\.2\.1(?!\d)/g)?.length, 1, `the old gateway once: ${cell}`);
        assert.equal(cell.match(/10\.0\.2\.254/g)?.length, 1, `the new gateway once: ${cell}`);
        assert.ok(cell.indexOf("10.0.2.1") < cell.indexOf("→") && cell.indexOf("→") < cell.indexOf("10.0.2.254"), cell);
        const mgmt = await row(/^eth0 IPv4/).getByRole("cell").nth(3).textContent();
        assert.equal(mgmt.match(/10\.0\.1\.1(?!\d)/g)?.length, 1, `the management gateway shows twice: ${mgmt}`);
        assert.match(mgmt, /Host default gateway/);
        await screenshot(view.page, "ux-9-held", { fullPage: false });

        helper("confirm", tested.token);
        await reload();
        assert.equal(await view.frame.getByRole("button", { name: "Edit gateway of eth1 IPv4" }).getAttribute("aria-disabled"), null);
        assert.equal(await view.frame.getByText("→").count(), 0);
    } finally {
        helper("unset", "eth1");
        helper("unset", "eth0");
    }
});

test("Set gateway: the dialog shows the network and the routers seen on it, one click each", async () => {
    assert.ok(s.ping("host", "10.0.2.1"));     // R2 answers: it is in the neighbour table now
    await reload();
    const { frame } = view;
    await frame.getByRole("button", { name: "Set gateway of eth1 IPv4" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText("10.0.2.0/24 (this host: 10.0.2.10)").waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Use 10.0.2.1 (answers on this network)" }).click();
    assert.equal(await dialog.getByRole("textbox", { name: "Gateway" }).inputValue(), "10.0.2.1");
    await dialog.getByText(/^Add route: default via 10\.0\.2\.1 on eth1/).waitFor({ timeout: TIMEOUT });
    await screenshot(view.page, "ux-gateway-routers", { fullPage: false });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
});

test("Set gateway: a gateway outside the subnet is offered on-link, applied, and answers the client", async () => {
    lab("r2", "ip", "addr", "add", "10.0.3.1/24", "dev", "eth0");   // R2 on eth1's link, outside 10.0.2.0/24
    try {
        assert.ok(!s.ping("c2", "10.0.2.10"));
        const { frame } = view;
        await frame.getByRole("button", { name: "Set gateway of eth1 IPv4" }).click();
        const dialog = frame.getByRole("dialog");
        await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.3.1");
        const onlink = dialog.getByRole("checkbox", { name: "The gateway is on this link (on-link)" });
        await onlink.waitFor({ timeout: TIMEOUT });
        assert.equal(await dialog.getByRole("button", { name: "Apply" }).isDisabled(), true);
        await onlink.check();
        await dialog.getByText(/^Add route: default via 10\.0\.3\.1 on eth1/).waitFor({ timeout: TIMEOUT });
        await screenshot(view.page, "ux-gateway-onlink", { fullPage: false });
        // nothing moves under the click: the routers' list and the preview have come in
        await dialog.getByText("Looking for routers…").waitFor({ state: "detached", timeout: TIMEOUT });
        const apply = dialog.getByRole("button", { name: "Apply" });
        await until(async () => !(await apply.isDisabled()), "Apply is enabled");
        await apply.click();
        await dialog.getByText(/^(Applying the change|Testing connection)$/).waitFor({ timeout: TIMEOUT }).catch(async e => {
            await screenshot(view.page, "ux-gateway-onlink-failed", { fullPage: false });
            throw new Error(`${e.message}\nthe dialog says: ${await dialog.textContent().catch(() => "(gone)")}\ncockpit-ws: ${s.wsLog.join("").slice(-3000)}`);
        });
        await dialog.waitFor({ state: "detached", timeout: TIMEOUT + CONFIRM_WITHIN_S * 1000 });
        const eth1 = () => status().interfaces.find(i => i.name === "eth1").gateways.find(g => g.family === "inet");
        assert.deepEqual([eth1()?.address, eth1()?.onlink, eth1()?.state], ["10.0.3.1", true, "active"]);
        assert.ok(s.ping("c2", "10.0.2.10", { count: 3 }), "the client does not get replies through the on-link gateway");
    } finally {
        helper("unset", "eth1");
        lab("r2", "ip", "addr", "del", "10.0.3.1/24", "dev", "eth0");
    }
});

test("Help: each view links to its section of the help shipped with the page; the shell's Help menu too", async () => {
    const { frame, page } = view;
    const views = [["Networks", false, "networks"], ["Routing tables", true, "routing-tables"],
        ["Rules", true, "rules"], ["Route lookup", true, "route-lookup"]];
    for (const [title, navigate, section] of views) {
        if (navigate)
            await frame.getByRole("navigation", { name: "Views" }).getByRole("link", { name: title, exact: true }).click();
        const link = frame.getByRole("link", { name: `Help: ${title} (opens in a new tab)` });
        await link.waitFor({ timeout: TIMEOUT });
        const href = await link.evaluate(a => a.href);
        assert.match(href, new RegExp(`/gateways/help\\.html#${section}$`));
        const res = await page.request.get(href);
        assert.equal(res.status(), 200, href);
        assert.match(await res.text(), new RegExp(`<h\\d id="${section}">`), `${href}: no such section`);
    }
    const [tab] = await Promise.all([page.context().waitForEvent("page"),
        frame.getByRole("link", { name: "Help: Route lookup (opens in a new tab)" }).click()]);
    await tab.getByRole("heading", { name: "Route lookup" }).waitFor({ timeout: TIMEOUT });
    await tab.close();
    // the shell's Help menu names our help, at an address that answers
    await page.locator("#toggle-docs").click();
    const item = page.getByRole("menuitem", { name: /Gateways: a gateway per network/ });
    await item.waitFor({ timeout: TIMEOUT });
    const docs = await item.evaluate(e => (e.closest("a") ?? e.querySelector("a") ?? e).href);
    assert.match(docs ?? "", /\/cockpit\/@localhost\/gateways\/help\.html$/);
    assert.equal((await page.request.get(docs)).status(), 200, docs);
    await page.keyboard.press("Escape");
    // Cockpit's own search finds us by the words an admin coming from Networking types
    const search = page.getByRole("textbox", { name: "Search input" });
    const ours = page.locator("#host-apps").getByRole("link", { name: /^Gateways/ });
    await search.fill("zzzqx");
    await ours.waitFor({ state: "detached", timeout: TIMEOUT });       // the filter works: we are gone
    for (const words of ["source routing", "rp_filter", "multihomed", "policy"]) {
        await search.fill(words);
        await ours.waitFor({ timeout: TIMEOUT });
    }
    await search.fill("");
});
