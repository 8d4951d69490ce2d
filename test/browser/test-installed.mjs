// SPDX-License-Identifier: LGPL-2.1-or-later
// The installed package, for real: the .deb installed with dpkg -i (and, the second way admins
// install, `make install PREFIX=/usr/local`), a sudo admin logging in with the page served from the
// system's package directory (nothing in the account's home), the set-gateway story by packets, the
// installed `cockpit-gateways` command, then `dpkg --purge` (`make uninstall`) and no file of the
// package left on the machine. Whatever fails, the package is removed again.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { REPO_ROOT } from "./harness.mjs";
import { startLoginSession, sudoAdminSetsGateway } from "./login-harness.mjs";
import { after, test } from "./runner.mjs";

const PASSWORD = "gw-Test-pw-2";
// where either install writes on a host; their whole trees are compared before and after
const PLACES = ["/usr/share/cockpit", "/usr/local/share/cockpit", "/usr/libexec", "/usr/local/libexec", "/usr/sbin",
    "/usr/local/sbin", "/usr/lib/systemd/system", "/usr/local/lib/systemd/system", "/usr/share/metainfo",
    "/usr/local/share/metainfo", "/usr/share/doc", "/etc/dhcp", "/etc/NetworkManager", "/etc/systemd/system",
    "/etc/cockpit-gateways", "/run/cockpit-gateways", "/etc/iproute2", "/usr/local/lib/systemd", "/usr/local/lib"];

let s = null;
let cleanup = null;

after(async () => {
    await s?.close();
    cleanup?.();
});

function run(argv, opts = {}) {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 300000, cwd: REPO_ROOT, ...opts });
    assert.equal(r.status, 0, `${argv.join(" ")} exited ${r.status}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
}

/** Every path under PLACES (files, links, directories). */
function tree() {
    const out = [];
    const walk = p => {
        let st;
        try { st = fs.lstatSync(p) } catch { return }
        out.push(p);
        if (st.isDirectory())
            for (const n of fs.readdirSync(p).sort())
                walk(path.join(p, n));
    };
    for (const p of PLACES)
        walk(p);
    return out;
}

function installedHere() {
    const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", "cockpit-gateways"], { encoding: "utf8" });
    return r.status === 0 && r.stdout.includes("install ok installed");
}

/** Log in as a sudo admin, switch, set eth1's gateway by packets, run the installed command. */
async function story(prefix, pkgdir, cli) {
    assert.ok(fs.existsSync(path.join(pkgdir, "manifest.json")), `no package in ${pkgdir}`);
    s = await startLoginSession({ prefix, installed: true });
    const home = s.addUser("gwinst", PASSWORD, { groups: ["sudo"] });
    assert.equal(fs.existsSync(path.join(home, ".local")), false, "the page must come from the installed package");
    const view = await s.login("gwinst", PASSWORD);
    await view.frame.locator(".gw-admin-hint").waitFor({ timeout: 30000 });
    await sudoAdminSetsGateway(s, view, PASSWORD);
    // the installed command, where the page's helper wrote (the session's overlays)
    const status = JSON.parse(s.inSession(cli, "status", "--json"));
    const eth1 = status.interfaces.find(i => i.name === "eth1");
    assert.deepEqual(eth1.gateways.map(g => [g.address, g.source, g.state]), [["10.0.2.1", "static", "active"]]);
    assert.match(s.inSession(cli, "--help"), /usage: cockpit-gateways/);
    assert.deepEqual(await view.errors(), []);
    await view.context.close();
    await s.close();
    s = null;
}

test("the .deb: dpkg -i, a sudo admin's story, the installed command, dpkg --purge leaves nothing", async () => {
    assert.equal(installedHere(), false, "cockpit-gateways is already installed on this machine");
    const before = tree();
    for (const old of fs.readdirSync(REPO_ROOT).filter(n => /^cockpit-gateways_.*_all\.deb$/.test(n)))
        fs.unlinkSync(path.join(REPO_ROOT, old));
    run(["make", "--no-print-directory", "-s", "-o", "all", "deb"]);
    const deb = fs.readdirSync(REPO_ROOT).find(n => /^cockpit-gateways_.*_all\.deb$/.test(n));
    cleanup = () => spawnSync("dpkg", ["--purge", "cockpit-gateways"], { encoding: "utf8" });
    run(["dpkg", "-i", path.join(REPO_ROOT, deb)]);
    const files = run(["dpkg", "-L", "cockpit-gateways"]).split("\n").filter(Boolean);
    // boot restore and self-healing are on after the install, the way Debian packages enable units
    for (const unit of ["cockpit-gateways.service", "cockpit-gateways-watch.service"])
        assert.ok(fs.existsSync(`/etc/systemd/system/multi-user.target.wants/${unit}`), `${unit} is not enabled by dpkg -i`);
    const services = JSON.parse(run(["/usr/sbin/cockpit-gateways", "service", "status", "--json"]));
    assert.deepEqual(services.services.map(x => [x.name, x.enabled]), [["boot", true], ["watch", true]]);
    await story("gwdeb", "/usr/share/cockpit/gateways", "/usr/sbin/cockpit-gateways");
    run(["dpkg", "--purge", "cockpit-gateways"]);
    cleanup = null;
    assert.equal(installedHere(), false);
    const left = files.filter(f => fs.existsSync(f) && !fs.statSync(f).isDirectory());
    assert.deepEqual(left, [], "files of the package left after dpkg --purge");
    assert.deepEqual(tree().filter(p => !before.includes(p)), [], "new paths left after dpkg --purge");
});

test("make install PREFIX=/usr/local: the same story, make uninstall leaves nothing", async () => {
    const before = tree();
    const uninstall = () => {
        spawnSync("make", ["--no-print-directory", "-s", "uninstall", "PREFIX=/usr/local"], { cwd: REPO_ROOT });
        // directories the install created for itself (make uninstall leaves parents alone)
        for (const p of tree().filter(q => !before.includes(q)).reverse()) {
            try { fs.rmdirSync(p) } catch { /* not empty: the assertion below names it */ }
        }
    };
    cleanup = uninstall;
    const out = run(["make", "--no-print-directory", "-s", "-o", "all", "install", "PREFIX=/usr/local"]);
    await story("gwmki", "/usr/local/share/cockpit/gateways", "/usr/local/sbin/cockpit-gateways");
    uninstall();
    cleanup = null;
    assert.deepEqual(tree().filter(p => !before.includes(p)), [], `paths left after make uninstall (install said: ${out})`);
});
