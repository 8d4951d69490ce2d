// SPDX-License-Identifier: LGPL-2.1-or-later
// Safe apply when the page cannot confirm: closing the browser right after Apply (in the settle
// window, before `confirm`) leaves the host to roll back by itself within CONFIRM_WITHIN_S; a page
// reloaded in that window explains "Connection would be lost" and can apply anyway (no rollback);
// a one-off fix is remembered and explained the same way, and another tab sees it pending on the host.

import assert from "node:assert/strict";
import path from "node:path";

import { REPO_ROOT, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const CONFIRM_WITHIN_S = 20; // src/safe-apply/safe-apply.ts
const HELPER = path.join(REPO_ROOT, "src", "helper", "cockpit-gateways");
let s;
let keeper; // a second page that keeps the local session alive while others close

before(async () => {
    s = await startSession({ prefix: "gwnetr" });
    keeper = await s.openGateways();
    await keeper.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

/** eth1's IPv4 gateway and whether a change waits for confirmation, as the helper sees it. */
function hostState() {
    const r = s.labRun("host", "/usr/bin/python3", HELPER, "--root", s.root, "status", "--json");
    assert.equal(r.status, 0, r.stderr);
    const status = JSON.parse(r.stdout);
    const eth1 = status.interfaces.find(i => i.name === "eth1");
    const gw = (eth1.gateways || []).find(g => g.family === "inet");
    return { gateway: gw ? gw.address : null, state: gw ? gw.state : null, pending: Boolean(status.pending) };
}

async function applyInPage(frame) {
    await frame.getByRole("button", { name: "Set gateway of eth1 IPv4" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await dialog.getByText("Add route: default via 10.0.2.1 on eth1 in table").waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Apply" }).click();
    await dialog.getByText("Testing connection").waitFor({ timeout: TIMEOUT });
}

async function waitForRollback(since) {
    for (;;) {
        const st = hostState();
        if (!st.pending && st.gateway === null)
            return (Date.now() - since) / 1000;
        if (Date.now() - since > (CONFIRM_WITHIN_S + 10) * 1000)
            throw new Error(`no rollback within ${CONFIRM_WITHIN_S + 10} s: ${JSON.stringify(st)}`);
        await sleep(500);
    }
}

test("closing the browser before the confirmation: the host rolls back by itself", async () => {
    const view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
    const start = Date.now();
    await applyInPage(view.frame);
    await view.context.close(); // in the settle window: no round-trip, no confirm
    const mid = hostState();
    assert.equal(mid.pending, true, "no change is waiting for confirmation after the apply");
    assert.equal(s.ping("c2", "10.0.2.10"), true, "the change was not applied");
    const seconds = await waitForRollback(start);
    assert.ok(seconds <= CONFIRM_WITHIN_S + 10, `rolled back after ${seconds} s`);
    assert.equal(s.ping("c2", "10.0.2.10"), false, "the client behind R2 still reaches 10.0.2.10 after the rollback");
});

test("a page reloaded before the confirmation explains it, and can apply anyway", async () => {
    const view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
    const start = Date.now();
    await applyInPage(view.frame);
    await view.page.reload();
    const notice = view.frame.getByText("Connection would be lost");
    await notice.waitFor({ timeout: TIMEOUT });
    await waitForRollback(start);
    const applyAnyway = view.frame.getByRole("button", { name: "Apply anyway" });
    await applyAnyway.waitFor({ timeout: TIMEOUT });
    await applyAnyway.click();
    await notice.waitFor({ state: "detached", timeout: TIMEOUT });
    const row = view.frame.getByRole("row").filter({ has: view.frame.getByRole("rowheader", { name: "eth1 IPv4", exact: true }) });
    await row.getByText("Active").waitFor({ timeout: TIMEOUT });
    const st = hostState();
    assert.deepEqual(st, { gateway: "10.0.2.1", state: "active", pending: false });
    await sleep(500);
    assert.equal(s.ping("c2", "10.0.2.10", { count: 3 }), true, "apply anyway did not make the change");
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});

test("a one-off fix reloaded before its confirmation is explained the same way; another tab sees it pending", async () => {
    const ruleAt = () => s.labRun("host", "ip", "rule", "show", "priority", "31234").stdout.trim();
    const view = await s.openGateways();
    const { frame } = view;
    await frame.getByRole("link", { name: "Rules" }).click();
    await frame.getByRole("table", { name: "IPv4 rules" }).waitFor({ timeout: TIMEOUT });
    await frame.getByRole("button", { name: "Add rule" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Priority" }).fill("31234");
    await dialog.getByLabel(/^From/).fill("10.0.9.0/24");
    await dialog.getByLabel(/^Table/).fill("main");
    await dialog.getByText(/^Add rule/).first().waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Add rule" }).click();
    await dialog.getByText("Testing connection").waitFor({ timeout: TIMEOUT });
    await view.page.reload();
    const notice = view.frame.getByText(/^Adding the rule at priority 31234 could not be confirmed/);
    await notice.waitFor({ timeout: TIMEOUT });
    assert.match(ruleAt(), /from 10\.0\.9\.0\/24 lookup main/, "the rule was not applied");

    // a new tab (its own sessionStorage) learns of the change from the host's pending state
    const other = await s.openGateways();
    await other.frame.getByText("A change is waiting for its confirmation").waitFor({ timeout: TIMEOUT });
    await other.context.close();

    const start = Date.now();
    while (ruleAt() !== "") {
        assert.ok(Date.now() - start < (CONFIRM_WITHIN_S + 10) * 1000, "the host did not undo the rule");
        await sleep(500);
    }
    await view.frame.getByText(/The host has undone the change/).waitFor({ timeout: TIMEOUT });
    await view.frame.getByRole("button", { name: "Dismiss" }).click();
    await notice.waitFor({ state: "detached", timeout: TIMEOUT });
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
    await view.context.close();
});
