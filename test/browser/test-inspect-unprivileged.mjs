// SPDX-License-Identifier: LGPL-2.1-or-later
// The inspection views without administrative access (the bridge runs as `nobody`): tables,
// routes, rules and lookups are all readable; Add route, Add rule and Delete are not offered.

import assert from "node:assert/strict";

import { startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;

before(async () => {
    s = await startSession({ prefix: "gwinsu", unprivileged: true });
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

const nav = name => view.frame.getByRole("navigation", { name: "Views" }).getByRole("link", { name });

test("tables and routes read-only", async () => {
    const { frame } = view;
    await nav("Routing tables").click();
    await frame.getByRole("link", { name: "Open table main" }).click();
    const list = frame.getByRole("table", { name: "Routes of table main" });
    await list.getByRole("cell", { name: "10.0.1.0/24", exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(await frame.getByRole("button", { name: "Add route" }).count(), 0);
    assert.equal(await list.getByRole("button", { name: /^Delete/ }).count(), 0);
});

test("rules read-only, lookup works", async () => {
    const { frame } = view;
    await nav("Rules").click();
    await frame.getByRole("table", { name: "IPv4 rules" }).waitFor({ timeout: TIMEOUT });
    assert.equal(await frame.getByRole("button", { name: "Add rule" }).count(), 0);
    assert.equal(await frame.getByRole("button", { name: /^Delete/ }).count(), 0);
    await nav("Route lookup").click();
    await frame.getByRole("textbox", { name: "To" }).fill("10.0.9.2");
    await frame.getByRole("button", { name: "Look up" }).click();
    await frame.locator("#gw-lookup-answer").getByText(/10\.0\.1\.1 on eth0/).waitFor({ timeout: TIMEOUT });
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
