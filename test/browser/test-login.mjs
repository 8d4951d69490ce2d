// SPDX-License-Identifier: LGPL-2.1-or-later
// Logged in the way admins log in (login-harness.mjs: a normal cockpit-ws, PAM through
// cockpit-session, sudo for administrative access), not as the root bridge of a local session:
// - a sudo admin starts limited (read-only, with the way to switch), switches in the shell's own
//   dialog, the page becomes editable without a reload, sets eth1's gateway (proven by packets
//   from the client behind R2), and switching back makes it read-only again;
// - an account without sudo is read-only and told that it may not change routing;
// - root logging in directly can edit at once.
// The machine's own /etc and /run are untouched afterwards: the root helper ran under sudo (its
// environment reset) and wrote only into the session's overlays.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";

import { screenshot } from "./harness.mjs";
import { startLoginSession, sudoAdminSetsGateway } from "./login-harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
// a new account's first page load (its session bus, the helper fetched and run): generous on a busy machine
const FIRST_LOAD = 90000;
const PASSWORD = "gw-Test-pw-1";
let s;
let machine;

/** What of the machine the root helper would write if it escaped the overlays. */
function machineState() {
    const hash = p => {
        if (!fs.existsSync(p))
            return null;
        const st = fs.statSync(p);
        if (!st.isDirectory())
            return crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
        return Object.fromEntries(fs.readdirSync(p).sort().map(n => [n, hash(`${p}/${n}`)]));
    };
    return Object.fromEntries(["/etc/cockpit-gateways", "/etc/iproute2", "/run/cockpit-gateways", "/etc/passwd",
        "/etc/group", "/etc/shadow", "/etc/cockpit/disallowed-users"].map(p => [p, hash(p)]));
}

before(async () => {
    machine = machineState();
    s = await startLoginSession({ prefix: "gwlog" });
    s.addUser("gwanna", PASSWORD, { groups: ["sudo"] });
    s.addUser("gwbob", PASSWORD);
    s.allowRoot(PASSWORD);
});

after(async () => {
    await s?.close();
});

const row = (frame, name) => frame.getByRole("row").filter({ has: frame.getByRole("rowheader", { name, exact: true }) });

test("a sudo admin: limited → switch in the shell → set eth1's gateway → limited again, no reload", async () => {
    const { page, frame, errors, context } = await s.login("gwanna", PASSWORD);
    try {
        await row(frame, "eth1 IPv4").waitFor({ timeout: FIRST_LOAD });
        const hint = frame.locator(".gw-admin-hint");
        await hint.getByText("\"Limited access\" button").waitFor({ timeout: TIMEOUT });
        assert.equal(await frame.getByRole("button", { name: "Set gateway of eth1 IPv4" }).count(), 0,
                     "a limited session is offered Set gateway");
        await screenshot(page, "login-sudo-limited", { fullPage: false });

        // a mark in the frame's window: gone if the page reloads
        const gw = page.frame({ name: "cockpit1:localhost/gateways" });
        await gw.evaluate(() => { window.__gwNoReload = true });

        await sudoAdminSetsGateway(s, { page, frame }, PASSWORD);
        await hint.waitFor({ state: "detached", timeout: TIMEOUT });
        assert.equal(await gw.evaluate(() => window.__gwNoReload), true, "the page reloaded on the switch");
        await screenshot(page, "login-sudo-admin", { fullPage: false });
        // the helper ran as root through sudo, and wrote the overlay's /etc, not the machine's
        const config = JSON.parse(s.inSession("cat", "/etc/cockpit-gateways/config.json"));
        assert.equal(JSON.stringify(config).includes("10.0.2.1"), true, "config.json does not hold the gateway");

        await s.switchAccess(page, "limited");
        await hint.waitFor({ timeout: TIMEOUT });
        await frame.getByRole("button", { name: "Edit gateway of eth1 IPv4" }).waitFor({ state: "detached", timeout: TIMEOUT });
        assert.equal(await gw.evaluate(() => window.__gwNoReload), true, "the page reloaded on the switch back");
        assert.deepEqual(await errors(), []);
    } finally {
        await context.close();
    }
});

test("an account without sudo: read-only, told that it may not change routing", async () => {
    const { page, frame, errors, context } = await s.login("gwbob", PASSWORD);
    try {
        await row(frame, "eth1 IPv4").waitFor({ timeout: FIRST_LOAD });
        const hint = frame.locator(".gw-admin-hint");
        await hint.getByText("This account may not change routing").waitFor({ timeout: TIMEOUT });
        const text = await hint.textContent();
        assert.match(text, /gwbob is not an administrator/);
        assert.doesNotMatch(text, /Limited access/, "the hint offers a switch that cannot work");
        assert.equal(await frame.getByRole("button", { name: /gateway of eth1/ }).count(), 0);
        await screenshot(page, "login-no-sudo", { fullPage: false });
        assert.deepEqual(await errors(), []);
    } finally {
        await context.close();
    }
});

test("root logging in directly can edit at once", async () => {
    const { frame, errors, context } = await s.login("root", PASSWORD);
    try {
        await frame.getByRole("button", { name: /^(Set|Edit) gateway of eth1 IPv4$/ }).waitFor({ timeout: TIMEOUT });
        assert.equal(await frame.locator(".gw-admin-hint").count(), 0);
        assert.deepEqual(await errors(), []);
    } finally {
        await context.close();
    }
});

test("the machine's own /etc and /run are untouched", async () => {
    await s.close();
    assert.deepEqual(machineState(), machine);
});
