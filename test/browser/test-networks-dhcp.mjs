// SPDX-License-Identifier: LGPL-2.1-or-later
// A DHCP network in the page, with real daemons: dnsmasq serves the display network from R2,
// dhclient leases eth1's address in the lab host with a -sf script that configures the address
// like a distribution's dhclient-script and then sources our real exit hook. The page shows the
// lease's gateway read-only (no edit action), source routing follows the lease (proven by a ping
// from the client behind R2), and the release removes it again. Daemons are stopped by PID.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { REPO_ROOT, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const HOOK = path.join(REPO_ROOT, "src", "host", "dhclient-exit-hooks.d", "cockpit-gateways");
let s;
let view;
let tmp;
let dnsmasq = null;

const SCRIPT = (root, hook) => `#!/bin/sh
export COCKPIT_GATEWAYS_ROOT='${root}'
case "$reason" in
    PREINIT) ip link set dev "$interface" up ;;
    BOUND|RENEW|REBIND|REBOOT)
        ip -4 addr replace "$new_ip_address/$new_subnet_mask" valid_lft "$new_dhcp_lease_time" \\
            preferred_lft "$new_dhcp_lease_time" dev "$interface" ;;
    EXPIRE|FAIL|RELEASE|STOP|TIMEOUT)
        [ -n "$old_ip_address" ] && ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" ;;
esac
. '${hook}'
exit 0
`;

function dhclient(...args) {
    return spawnSync("ip", ["netns", "exec", s.ns("host"), "/sbin/dhclient", "-4", "-pf", `${tmp}/dhclient.pid`,
        "-lf", `${tmp}/dhclient.leases`, "-cf", `${tmp}/dhclient.conf`, "-sf", `${tmp}/script`, ...args, "eth1"],
    { encoding: "utf8", timeout: 30000 });
}

function leasedAddress() {
    const links = JSON.parse(s.labRun("host", "ip", "-j", "addr", "show", "dev", "eth1").stdout);
    const v4 = links[0].addr_info.find(a => a.family === "inet" && a.scope === "global");
    return v4?.local;
}

before(async () => {
    s = await startSession({ prefix: "gwndh" });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gwndh-"));
    fs.chmodSync(tmp, 0o755);
    const hook = path.join(tmp, "exit-hook");
    fs.writeFileSync(hook, fs.readFileSync(HOOK, "utf8").replaceAll("@LIBEXECDIR@", path.join(REPO_ROOT, "src", "helper")));
    fs.writeFileSync(path.join(tmp, "script"), SCRIPT(s.root, hook), { mode: 0o755 });
    fs.writeFileSync(path.join(tmp, "dhclient.conf"), "");
    s.labRun("host", "ip", "addr", "del", "10.0.2.10/24", "dev", "eth1");

    dnsmasq = spawn("ip", ["netns", "exec", s.ns("r2"), "/usr/sbin/dnsmasq", "-k", "--conf-file=/dev/null",
        "--port=0", "--no-resolv", "--no-hosts", "--interface=eth0", "--bind-interfaces", "--no-ping",
        "--dhcp-range=10.0.2.50,10.0.2.99,255.255.255.0,2m", "--dhcp-option=option:router,10.0.2.1",
        "--user=root", `--dhcp-leasefile=${tmp}/dnsmasq.leases`, `--pid-file=${tmp}/dnsmasq.pid`,
        `--log-facility=${tmp}/dnsmasq.log`], { stdio: "ignore" });   // ip netns exec execs: the PID is dnsmasq's
    for (let i = 0; i < 100 && !fs.existsSync(`${tmp}/dnsmasq.pid`); i++)
        await sleep(50);
    const r = dhclient("-1");
    assert.equal(r.status, 0, `dhclient: ${r.stderr}`);
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    if (tmp && fs.existsSync(`${tmp}/dhclient.pid`))
        dhclient("-x");                                  // stops the dhclient of that pid file
    if (dnsmasq && dnsmasq.exitCode === null) {
        dnsmasq.kill("SIGTERM");
        await new Promise(resolve => dnsmasq.exitCode !== null ? resolve() : dnsmasq.once("exit", resolve));
    }
    await s?.close();
    if (tmp)
        fs.rmSync(tmp, { recursive: true, force: true });
});

const row = name => view.frame.getByRole("row").filter({ has: view.frame.getByRole("rowheader", { name, exact: true }) });

test("the lease's gateway is shown read-only and source routing follows the lease", async () => {
    const address = leasedAddress();
    assert.match(address ?? "", /^10\.0\.2\.(5\d|[6-9]\d)$/, "no lease on eth1");
    const eth1 = row("eth1 IPv4");
    await eth1.getByText("10.0.2.1", { exact: true }).waitFor({ timeout: TIMEOUT });
    await eth1.getByText("from DHCP").waitFor({ timeout: TIMEOUT });
    await eth1.getByText("Active").waitFor({ timeout: TIMEOUT });
    assert.equal(await eth1.getByRole("button", { name: /gateway of eth1 IPv4/ }).count(), 0,
        "a DHCP network offers to edit its gateway");
    assert.equal(s.ping("c2", address), true, "the client behind R2 does not reach the leased address");

    const release = dhclient("-r");
    assert.equal(release.status, 0, `dhclient -r: ${release.stderr}`);
    await eth1.getByText("from DHCP").waitFor({ state: "detached", timeout: TIMEOUT });   // live refresh
    assert.equal(s.ping("c2", address), false, "source routing outlived the lease");
});
