// SPDX-License-Identifier: LGPL-2.1-or-later
// Without administrative access (the bridge runs as `nobody`): the page shows everything read-only,
// hides the editing actions and says why; a changing helper call is refused with access-denied.

import assert from "node:assert/strict";

import { startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;

before(async () => {
    s = await startSession({ prefix: "gwnetu", unprivileged: true });
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

test("read-only: no editing actions, and a hint that says this account may not change routing", async () => {
    const { frame } = view;
    // `nobody` is in no admin group: no switch is offered that cannot work
    const hint = frame.locator(".gw-admin-hint");
    await hint.getByText("This account may not change routing").waitFor({ timeout: TIMEOUT });
    assert.match(await hint.textContent(), /nobody is not an administrator/);
    await frame.getByRole("rowheader", { name: "eth1 IPv4" }).waitFor({ timeout: TIMEOUT });
    assert.equal(await frame.getByRole("button", { name: /gateway of/ }).count(), 0, "an edit action is shown");
    assert.equal(await frame.getByRole("button", { name: /^Repair/ }).count(), 0, "a repair action is shown");
    assert.equal(await frame.getByText("10.0.2.10/24").count(), 1, "the data is not shown read-only");
});

test("the bridge really has no administrative access", async () => {
    const { page } = view;
    const f = page.frame({ name: "cockpit1:localhost/gateways" });
    const problem = await f.evaluate(async () => {
        try {
            await cockpit.spawn(["true"], { superuser: "require" });
            return null;
        } catch (e) {
            return e.problem;
        }
    });
    assert.equal(problem, "access-denied");
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
