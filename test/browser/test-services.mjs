// SPDX-License-Identifier: LGPL-2.1-or-later
// Boot restore and self-healing in the page (issue 18): the helper's units installed under the
// session's root (install-hooks), the Networks view says both are off, Turn on previews the exact
// systemctl command and runs it; the unit's link then exists and the page says on. systemd does
// not run here, so the page also says that this takes effect at the next boot.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { REPO_ROOT, screenshot, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;

before(async () => {
    s = await startSession({ prefix: "gwsvc" });
    const r = s.labRun("host", "/usr/bin/python3", `${REPO_ROOT}/src/helper/cockpit-gateways`, "--root", s.root, "install-hooks");
    assert.equal(r.status, 0, r.stderr);
    view = await s.openGateways();
});

after(async () => {
    await s?.close();
});

test("both off; Turn on self-healing previews systemctl, runs it, and the page says on", async () => {
    const { page, frame } = view;
    const card = frame.locator(".gw-services");
    await card.getByText("Boot and self-healing").waitFor({ timeout: TIMEOUT });
    assert.equal(await card.locator(".gw-service-state").allTextContents().then(t => t.join("|")), "off|off");
    await card.getByText(/takes effect at the next boot/).waitFor({ timeout: TIMEOUT });

    await card.getByRole("button", { name: "Turn on: Repair source routing when it goes missing (self-healing)" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText(`systemctl --root=${s.root} enable cockpit-gateways-watch.service`).waitFor({ timeout: TIMEOUT });
    await screenshot(page, "services-dialog", { fullPage: false });
    await dialog.getByRole("button", { name: "Turn on", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    // the toast says so (the card's line below says it too once the status is read again)
    await frame.locator(".pf-v6-c-alert__title", { hasText: "Repair source routing when it goes missing (self-healing): on" })
        .waitFor({ timeout: TIMEOUT });
    await card.getByText("on (from the next boot)").waitFor({ timeout: TIMEOUT });
    const wants = path.join(s.root, "etc/systemd/system");
    const links = fs.readdirSync(wants, { recursive: true }).filter(f => String(f).endsWith("cockpit-gateways-watch.service"));
    assert.ok(links.some(f => String(f).includes(".wants/")), `no enablement link under ${wants}: ${links}`);
    assert.equal(await card.getByRole("button", { name: /Turn on: Repair/ }).count(), 0);
    assert.deepEqual(await view.errors(), []);
});
