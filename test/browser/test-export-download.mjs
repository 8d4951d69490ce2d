// SPDX-License-Identifier: LGPL-2.1-or-later
// Export downloads through the real Cockpit shell and the lab: a multi-file format (networkd,
// ifcfg) downloads as one tar archive that GNU tar unpacks into exactly the helper's files (folders
// included), with the page's hint naming the command and the target folder; a single-file format
// (netplan) downloads as its file, named as /etc/netplan expects, equal to the helper's text.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { screenshot, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;
let tmp;

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

const helper = (...args) => lab("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, ...args);

before(async () => {
    s = await startSession({ prefix: "gwdl" });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gw-download-"));
    helper("set", "eth1", "10.0.2.1");
    helper("set", "eth1", "fd00:2::1");
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
    if (tmp)
        fs.rmSync(tmp, { recursive: true, force: true });
});

async function openExport() {
    const { frame } = view;
    await frame.getByRole("button", { name: "Export", exact: true }).click();
    const dialog = frame.getByRole("dialog", { name: "Export gateways" });
    await dialog.getByRole("combobox", { name: "Format" }).waitFor({ timeout: TIMEOUT });
    return dialog;
}

/** Click Download and save what the browser got; returns [suggested name, saved path]. */
async function download(dialog) {
    const link = dialog.getByRole("link", { name: "Download" });
    await link.waitFor({ timeout: TIMEOUT });
    const [dl] = await Promise.all([view.page.waitForEvent("download", { timeout: TIMEOUT }), link.click()]);
    const saved = path.join(tmp, `${Date.now()}-${dl.suggestedFilename()}`);
    await dl.saveAs(saved);
    return [dl.suggestedFilename(), saved];
}

function filesUnder(dir) {
    const out = {};
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            const full = path.join(entry.parentPath ?? entry.path, entry.name);
            out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
        }
    }
    return out;
}

for (const [format, label, directory] of [
    ["networkd", "systemd-networkd drop-ins", "/etc/systemd/network"],
    ["ifcfg", "ifcfg files (network-scripts)", "/etc/sysconfig/network-scripts"],
]) {
    test(`${format}: one tar archive that unpacks into the helper's files`, async () => {
        const dialog = await openExport();
        try {
            await dialog.getByRole("combobox", { name: "Format" }).selectOption(format);
            await dialog.getByLabel(`Export as ${label}`).getByText(/# FILE: /).first().waitFor({ timeout: TIMEOUT });
            await dialog.getByText(`tar -xf gateways-${format}.tar -C ${directory}`).waitFor({ timeout: TIMEOUT });
            await screenshot(view.page, `export-archive-${format}`, { fullPage: false });
            assert.ok(await dialog.getByRole("button", { name: "Copy to clipboard" }).isEnabled(), "Copy is disabled");
            const [name, saved] = await download(dialog);
            assert.equal(name, `gateways-${format}.tar`);
            const out = fs.mkdtempSync(path.join(tmp, "unpacked-"));
            const r = spawnSync("tar", ["-xf", saved, "-C", out, "--no-same-owner"], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
            const expected = JSON.parse(helper("export", "--format", format, "--json"));
            assert.equal(expected.directory, directory);
            assert.deepEqual(filesUnder(out), Object.fromEntries(expected.files.map(f => [f.name, f.text])));
            assert.ok(Object.keys(filesUnder(out)).length >= 1);
        } finally {
            await view.page.keyboard.press("Escape");
            await dialog.waitFor({ state: "detached", timeout: 5000 });
        }
    });
}

test("netplan: the file itself, named for /etc/netplan, equal to the helper's", async () => {
    const dialog = await openExport();
    try {
        await dialog.getByRole("combobox", { name: "Format" }).selectOption("netplan");
        await dialog.getByLabel("Export as netplan file (/etc/netplan)").getByText(/routing-policy:/).waitFor({ timeout: TIMEOUT });
        assert.equal(await dialog.getByText(/tar -xf/).count(), 0, "a single file has no archive hint");
        const [name, saved] = await download(dialog);
        assert.equal(name, "90-cockpit-gateways.yaml");
        assert.equal(fs.readFileSync(saved, "utf8"), JSON.parse(helper("export", "--format", "netplan", "--json")).text);
    } finally {
        await view.page.keyboard.press("Escape");
        await dialog.waitFor({ state: "detached", timeout: 5000 });
    }
});
