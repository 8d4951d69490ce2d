# SPDX-License-Identifier: LGPL-2.1-or-later
"""DHCP networks with real daemons, proven by packets.

dnsmasq serves the display network from R2's eth0; dhclient runs in the host namespace with its
own -pf/-lf/-cf files and a -sf script of ours that configures the address the way Debian's
dhclient-script does (never a default route into main, never /etc/resolv.conf or the hostname)
and then sources our real exit hook from src/host/ (with @LIBEXECDIR@ pointing at the checkout),
exactly as /sbin/dhclient-script would.  The host's static 10.0.2.10 is removed first, so eth1 is
DHCP-only.  c2 (10.0.9.2, behind R2) reaches the leased address only while source routing is in
place.  Every daemon is stopped by its PID, also when a test fails.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from typing import Any

from test.integration.base import HELPER, PYTHON, TOP, LabTestCase

DNSMASQ = "/usr/sbin/dnsmasq"
DHCLIENT = "/sbin/dhclient"
HOOKS = os.path.join(TOP, "src", "host")
LIBEXECDIR = os.path.dirname(HELPER)

# What a distribution's dhclient-script does for the address, then our hook, sourced like
# Debian's run_hook does.  No routes into main, no resolv.conf, no hostname.
SCRIPT = """#!/bin/sh
export COCKPIT_GATEWAYS_ROOT='{root}'
echo "$reason $interface new=$new_ip_address/$new_subnet_mask routers=$new_routers old=$old_ip_address" >> '{log}'
case "$reason" in
    PREINIT)
        ip link set dev "$interface" up
        ;;
    BOUND|RENEW|REBIND|REBOOT)
        if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
            ip -4 addr flush dev "$interface" label "$interface"
        fi
        ip -4 addr replace "$new_ip_address/$new_subnet_mask" \\
            ${{new_broadcast_address:+broadcast $new_broadcast_address}} \\
            ${{new_dhcp_lease_time:+valid_lft $new_dhcp_lease_time}} \\
            ${{new_dhcp_lease_time:+preferred_lft $new_dhcp_lease_time}} \\
            dev "$interface" label "$interface"
        ;;
    EXPIRE|FAIL|RELEASE|STOP|TIMEOUT)
        if [ -n "$old_ip_address" ]; then
            ip -4 addr flush dev "$interface" label "$interface"
        fi
        ;;
esac
. '{hook}'
exit 0
"""


def installed_copy(src: str, dst: str) -> str:
    """The hook as `make install` writes it: @LIBEXECDIR@ replaced (here: the checkout)."""
    with open(src, encoding="utf-8") as f:
        text = f.read().replace("@LIBEXECDIR@", LIBEXECDIR)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(dst, 0o755)
    return dst


# the rule in front of ours that lets main's specific routes win (one per family)
MAIN_RULE = (30999, "all", 254)


class DhcpTestCase(LabTestCase):
    prefix = "gwd0"

    def setUp(self) -> None:
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="gwd-tmp-")
        os.chmod(self.tmp, 0o755)
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth1")
        self.hook = installed_copy(os.path.join(HOOKS, "dhclient-exit-hooks.d", "cockpit-gateways"),
                                   os.path.join(self.tmp, "exit-hook"))
        self.dispatcher = installed_copy(os.path.join(HOOKS, "dispatcher.d", "50-cockpit-gateways"),
                                         os.path.join(self.tmp, "50-cockpit-gateways"))
        self.rhel = installed_copy(os.path.join(HOOKS, "dhclient.d", "cockpit_gateways.sh"),
                                   os.path.join(self.tmp, "cockpit_gateways.sh"))
        self.script = os.path.join(self.tmp, "dhclient-script")
        self.script_log = os.path.join(self.tmp, "script.log")
        with open(self.script, "w", encoding="utf-8") as f:
            f.write(SCRIPT.format(root=self.root, log=self.script_log, hook=self.hook))
        os.chmod(self.script, 0o755)
        self.cf = os.path.join(self.tmp, "dhclient.conf")
        open(self.cf, "w").close()
        self.pf = os.path.join(self.tmp, "dhclient.pid")
        self.lf = os.path.join(self.tmp, "dhclient.leases")
        self.dnsmasq_proc: subprocess.Popen[str] | None = None

    # --- daemons ------------------------------------------------------------------------------
    def start_dnsmasq(self, router: str | None = "10.0.2.1") -> None:
        option = f"--dhcp-option=option:router,{router}" if router else "--dhcp-option=option:router"
        argv = ["ip", "netns", "exec", self.lab.ns("r2"), DNSMASQ, "--conf-file=/dev/null", "--port=0",
                "--no-resolv", "--no-hosts", "--interface=eth0", "--bind-interfaces", "--no-ping",
                "--dhcp-range=10.0.2.50,10.0.2.99,255.255.255.0,2m", option, "--user=root",
                f"--dhcp-leasefile={self.tmp}/dnsmasq.leases", f"--pid-file={self.tmp}/dnsmasq.pid",
                f"--log-facility={self.tmp}/dnsmasq.log", "-k"]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)   # `ip netns exec` execs: proc.pid is dnsmasq
        self.addCleanup(self._stop, proc)
        deadline = time.monotonic() + 5
        while not os.path.exists(f"{self.tmp}/dnsmasq.pid"):
            if proc.poll() is not None:
                self.fail(f"dnsmasq exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
            if time.monotonic() > deadline:
                self.fail("dnsmasq did not start")
            time.sleep(0.02)
        self.dnsmasq_proc = proc

    def stop_dnsmasq(self) -> None:
        if self.dnsmasq_proc is not None:
            self._stop(self.dnsmasq_proc)
            if os.path.exists(f"{self.tmp}/dnsmasq.pid"):    # dnsmasq removes it itself on SIGTERM
                os.unlink(f"{self.tmp}/dnsmasq.pid")
            self.dnsmasq_proc = None

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stderr:
            proc.stderr.close()

    def dhclient(self, *flags: str) -> subprocess.CompletedProcess[str]:
        """dhclient with its own files; without flags it gets a lease (-1: one try) and goes to the
        background, its PID in our -pf file."""
        if not flags:
            self.addCleanup(self._kill_dhclient)
        argv = ["ip", "netns", "exec", self.lab.ns("host"), DHCLIENT, "-4", "-v", *(flags or ("-1",)),
                "-pf", self.pf, "-lf", self.lf, "-cf", self.cf, "-sf", self.script, "eth1"]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        except subprocess.TimeoutExpired as e:
            logs = ""
            for name in ("dnsmasq.log", "script.log"):
                if os.path.exists(os.path.join(self.tmp, name)):
                    with open(os.path.join(self.tmp, name)) as f:
                        logs += f"--- {name}\n{f.read()}"
            self.fail(f"dhclient {' '.join(flags)} timed out: {e.stderr!r}\n{logs}")
        if proc.returncode != 0:
            self.fail(f"dhclient {' '.join(flags)} exited {proc.returncode}: {proc.stderr}")
        return proc

    def dhclient_pid(self) -> int | None:
        try:
            with open(self.pf) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return None
        return pid if os.path.exists(f"/proc/{pid}") else None

    def _kill_dhclient(self) -> None:
        pid = self.dhclient_pid()
        if pid is not None:
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() != "dhclient":
                        return
                os.kill(pid, signal.SIGTERM)     # no script runs on SIGTERM
            except (OSError, ProcessLookupError):
                pass

    # --- looking ------------------------------------------------------------------------------
    def eth1_addresses(self) -> list[str]:
        return [a["local"] for link in self.lab.ip_json("host", "-4", "addr", "show", "dev", "eth1")
                for a in link.get("addr_info", [])]

    def leases(self) -> dict[str, Any]:
        path = os.path.join(self.root, "run/cockpit-gateways/dhcp.json")
        if not os.path.exists(path):
            return {}
        with open(path) as f:
            data: dict[str, Any] = json.load(f)
        return data

    def table_of(self, name: str) -> int | None:
        path = os.path.join(self.root, "etc/cockpit-gateways/config.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            entry = json.load(f)["interfaces"].get(name)
        return entry["table"] if entry else None

    def our_summary(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        def net(r: dict[str, Any]) -> str:
            key = "dst" if "dst" in r else "src"
            return f"{r[key]}/{r[key + 'len']}" if f"{key}len" in r else str(r[key])
        rules = sorted((r["priority"], net(r), int(r["table"])) for r in self.our_rules())
        routes = sorted((int(r["table"]), r["dst"], r.get("gateway"), r.get("prefsrc"), r["dev"])
                        for r in self.our_routes())
        return rules, routes


class DhclientLease(DhcpTestCase):
    prefix = "gwd1"

    def test_lease_gives_source_routing_until_release_and_stop(self) -> None:
        self.start_dnsmasq("10.0.2.1")
        main_before = self.lab.ip_json("host", "route", "show", "table", "main")
        started = time.monotonic()
        self.dhclient()
        bound = time.monotonic() - started
        [address] = self.eth1_addresses()
        self.assertTrue(address.startswith("10.0.2."), address)
        self.assert_can_ping("c2", address)
        self.assert_can_ping("c1", "10.0.1.10")
        table = self.table_of("eth1")
        self.assertIsNotNone(table)
        rules, routes = self.our_summary()
        self.assertEqual(rules, [MAIN_RULE, (31000, "10.0.2.0/24", table), (31001, "10.0.2.0/24", table)])
        self.assertEqual(routes, [(table, "10.0.2.0/24", None, address, "eth1"),
                                  (table, "default", "10.0.2.1", None, "eth1")])
        # main (the management default route) is untouched; the lease is volatile, not in config
        main_after = [r for r in self.lab.ip_json("host", "route", "show", "table", "main")
                      if r.get("dev") != "eth1"]
        self.assertEqual(main_after, [r for r in main_before if r.get("dev") != "eth1"])
        self.assertEqual(self.leases()["eth1"]["inet"]["gateway"], "10.0.2.1")
        with open(os.path.join(self.root, "etc/cockpit-gateways/config.json")) as f:
            self.assertEqual(json.load(f)["interfaces"], {"eth1": {"table": table}})
        status = self.helper_json("status")
        eth1 = next(i for i in status["interfaces"] if i["name"] == "eth1")
        self.assertEqual([(g["address"], g["source"], g["state"]) for g in eth1["gateways"]],
                         [("10.0.2.1", "dhcp", "active")])
        self.assertEqual(status["drift"], {"missing": [], "extra": []})
        print(f"\n  dhclient: lease and source routing in {bound:.2f} s", end=" ")

        self.dhclient("-r")                    # release: the script runs with RELEASE
        self.assertEqual(self.eth1_addresses(), [])
        self.assertEqual(self.our_summary(), ([], []))
        self.assertEqual(self.leases(), {})
        self.assert_cannot_ping("c2", address)
        self.assert_can_ping("c1", "10.0.1.10")
        # the table number stays with the interface
        self.assertEqual(self.table_of("eth1"), table)

        self.dhclient()
        [address2] = self.eth1_addresses()
        self.assert_can_ping("c2", address2)
        self.dhclient("-x")                    # stop: the script runs with STOP
        self.assertEqual(self.our_summary(), ([], []))
        self.assertEqual(self.leases(), {})
        self.assert_cannot_ping("c2", address2)
        with open(self.script_log) as f:
            reasons = [line.split()[0] for line in f]
        self.assertIn("RELEASE", reasons)
        self.assertIn("STOP", reasons)

    def test_lease_without_router(self) -> None:
        self.start_dnsmasq(None)
        self.dhclient()
        [address] = self.eth1_addresses()
        self.assertEqual(self.our_summary(), ([], []))
        self.assertIsNone(self.table_of("eth1"))
        self.assert_cannot_ping("c2", address)
        lease = self.leases()["eth1"]["inet"]
        self.assertNotIn("gateway", lease)
        self.assertEqual(lease["address"], f"{address}/24")
        status = self.helper_json("status")
        self.assertEqual(next(i for i in status["interfaces"] if i["name"] == "eth1")["gateways"], [])
        self.assertEqual([(d["interface"], d["router"]) for d in status["dhcp"]], [("eth1", None)])
        self.assertTrue(any("eth1" in w and "no router" in w for w in status["warnings"]), status["warnings"])
        self.dhclient("-r")
        self.assertEqual(self.leases(), {})
        self.assertEqual(self.helper_json("status")["warnings"], [])

    def test_new_router_moves_the_default_route(self) -> None:
        self.start_dnsmasq("10.0.2.1")
        self.dhclient()
        [address] = self.eth1_addresses()
        self.assert_can_ping("c2", address)
        table = self.table_of("eth1")

        # the network's router moves to 10.0.2.2: R2 answers there only, dnsmasq says so
        self.lab.run("r2", "sysctl", "-q", "-w", "net.ipv4.conf.eth0.promote_secondaries=1")
        self.lab.run("r2", "ip", "addr", "add", "10.0.2.2/24", "dev", "eth0")
        self.lab.run("r2", "ip", "addr", "del", "10.0.2.1/24", "dev", "eth0")
        self.stop_dnsmasq()
        self.start_dnsmasq("10.0.2.2")
        self.host("ip", "neigh", "flush", "dev", "eth1")   # forget that 10.0.2.1 was R2's MAC
        self.assert_cannot_ping("c2", address)    # the old default route leads nowhere now
        # a new dhclient (the old one ended without running its script) asks for its lease again
        pid = self.dhclient_pid()
        assert pid is not None
        os.kill(pid, signal.SIGTERM)
        self.dhclient()
        self.assertEqual(self.eth1_addresses(), [address])
        self.assert_can_ping("c2", address)
        rules, routes = self.our_summary()
        self.assertEqual(routes, [(table, "10.0.2.0/24", None, address, "eth1"),
                                  (table, "default", "10.0.2.2", None, "eth1")])
        self.assertEqual(len(rules), 3)          # with main's rule
        self.assertEqual(self.table_of("eth1"), table)

    def test_renew_with_new_address_and_router_leaves_nothing_stale(self) -> None:
        """RENEW as dhclient runs its script: the old address is replaced before the hook runs."""
        def script(env: dict[str, str]) -> None:
            proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), self.script],
                                  env={"PATH": os.environ["PATH"], "interface": "eth1", **env},
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stderr, "")

        self.lab.run("r2", "ip", "addr", "add", "10.0.2.2/24", "dev", "eth0")
        lease = {"new_subnet_mask": "255.255.255.0", "new_network_number": "10.0.2.0",
                 "new_broadcast_address": "10.0.2.255", "new_dhcp_lease_time": "120"}
        script({"reason": "BOUND", "new_ip_address": "10.0.2.60", "new_routers": "10.0.2.1", **lease})
        self.assert_can_ping("c2", "10.0.2.60")
        table = self.table_of("eth1")
        script({"reason": "RENEW", "new_ip_address": "10.0.2.61", "new_routers": "10.0.2.2 10.0.2.1",
                "old_ip_address": "10.0.2.60", "old_subnet_mask": "255.255.255.0", "old_routers": "10.0.2.1",
                **lease})
        self.assertEqual(self.eth1_addresses(), ["10.0.2.61"])
        rules, routes = self.our_summary()
        self.assertEqual(routes, [(table, "10.0.2.0/24", None, "10.0.2.61", "eth1"),
                                  (table, "default", "10.0.2.2", None, "eth1")])
        self.assertEqual(rules, [MAIN_RULE, (31000, "10.0.2.0/24", table), (31001, "10.0.2.0/24", table)])
        self.assert_can_ping("c2", "10.0.2.61")
        # another subnet on renewal
        self.lab.run("r2", "ip", "addr", "add", "10.0.3.1/24", "dev", "eth0")
        script({"reason": "RENEW", "new_ip_address": "10.0.3.70", "new_subnet_mask": "255.255.255.0",
                "new_routers": "10.0.3.1", "old_ip_address": "10.0.2.61", "old_subnet_mask": "255.255.255.0"})
        rules, routes = self.our_summary()
        self.assertEqual(routes, [(table, "10.0.3.0/24", None, "10.0.3.70", "eth1"),
                                  (table, "default", "10.0.3.1", None, "eth1")])
        self.assertEqual(rules, [MAIN_RULE, (31000, "10.0.3.0/24", table), (31001, "10.0.3.0/24", table)])
        self.assert_can_ping("c2", "10.0.3.70")
        script({"reason": "EXPIRE", "old_ip_address": "10.0.3.70", "old_subnet_mask": "255.255.255.0"})
        self.assertEqual(self.our_summary(), ([], []))

    def test_static_gateway_wins_over_the_lease(self) -> None:
        self.start_dnsmasq("10.0.2.1")
        self.lab.run("r2", "ip", "addr", "add", "10.0.2.2/24", "dev", "eth0")
        self.dhclient()
        [address] = self.eth1_addresses()
        table = self.table_of("eth1")
        self.helper("set", "eth1", "10.0.2.2")
        self.assertEqual(self.table_of("eth1"), table)
        _, routes = self.our_summary()
        self.assertIn((table, "default", "10.0.2.2", None, "eth1"), routes)
        status = self.helper_json("status")
        eth1 = next(i for i in status["interfaces"] if i["name"] == "eth1")
        self.assertEqual([(g["address"], g["source"]) for g in eth1["gateways"]], [("10.0.2.2", "static")])
        self.dhclient("-r")                     # the lease goes; the admin's gateway stays
        self.host("ip", "addr", "add", f"{address}/24", "dev", "eth1")
        self.helper("reconcile")
        self.assert_can_ping("c2", address)
        self.helper("unset", "eth1")
        self.assertEqual(self.our_summary(), ([], []))


class Concurrency(DhcpTestCase):
    prefix = "gwd2"

    def test_hundred_events_at_once(self) -> None:
        # eth1 plus a veth pair inside the host namespace: three DHCP interfaces
        self.host("ip", "addr", "add", "10.0.2.57/24", "dev", "eth1")
        self.host("ip", "link", "add", "eth2", "type", "veth", "peer", "name", "eth3")
        for dev, addr in (("eth2", "10.0.3.10/24"), ("eth3", "10.0.4.10/24")):
            self.host("ip", "addr", "add", addr, "dev", dev)
            self.host("ip", "link", "set", dev, "up")
        self.lab.run("r2", "ip", "addr", "add", "10.0.2.2/24", "dev", "eth0")

        def env(reason: str, dev: str, address: str, router: str | None) -> dict[str, str]:
            out = {"reason": reason, "interface": dev}
            prefix = "old" if reason == "RELEASE" else "new"
            out[f"{prefix}_ip_address"] = address
            out[f"{prefix}_subnet_mask"] = "255.255.255.0"
            if router:
                out[f"{prefix}_routers"] = router
            return out

        # eth3 starts with a lease that every later event releases
        self.helper("dhcp-event", env=env("BOUND", "eth3", "10.0.4.10", "10.0.4.1"))
        rng = random.Random(4)
        events = []
        for i in range(100):
            kind = i % 3
            if kind == 0:     # eth1: renewals naming either router, in any order
                events.append(env(rng.choice(["BOUND", "RENEW"]), "eth1", "10.0.2.57",
                                  rng.choice(["10.0.2.1", "10.0.2.2"])))
            elif kind == 1:   # eth2: the same lease, many times
                events.append(env("RENEW", "eth2", "10.0.3.10", "10.0.3.1"))
            else:             # eth3: released, many times
                events.append(env("RELEASE", "eth3", "10.0.4.10", None))
        started = time.monotonic()
        procs = [subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root", self.root,
                                   "dhcp-event"], env={**os.environ, **e}, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for e in events]
        results = [(p.wait(120), p.communicate()) for p in procs]
        elapsed = time.monotonic() - started
        self.assertEqual([rc for rc, _ in results], [0] * 100, [err for _, (_, err) in results if err][:3])

        leases = self.leases()
        self.assertEqual(sorted(leases), ["eth1", "eth2"])
        eth1_router = leases["eth1"]["inet"]["gateway"]
        self.assertIn(eth1_router, ("10.0.2.1", "10.0.2.2"))
        t1, t2, t3 = self.table_of("eth1"), self.table_of("eth2"), self.table_of("eth3")
        self.assertEqual(len({t1, t2, t3}), 3)
        rules, routes = self.our_summary()
        self.assertEqual(rules, sorted([MAIN_RULE, (31000, "10.0.2.0/24", t1), (31001, "10.0.2.0/24", t1),
                                        (31000, "10.0.3.0/24", t2), (31001, "10.0.3.0/24", t2)]))
        self.assertEqual(routes, sorted([(t1, "10.0.2.0/24", None, "10.0.2.57", "eth1"),
                                         (t1, "default", eth1_router, None, "eth1"),
                                         (t2, "10.0.3.0/24", None, "10.0.3.10", "eth2"),
                                         (t2, "default", "10.0.3.1", None, "eth2")]))
        plan = self.helper_json("reconcile", "--dry-run")
        self.assertFalse(plan["changed"], plan)
        self.assert_can_ping("c2", "10.0.2.57")
        print(f"\n  100 concurrent dhcp-event calls: {elapsed:.2f} s", end=" ")


class Hooks(DhcpTestCase):
    prefix = "gwd3"

    def run_hook(self, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), *argv],
                              env={"PATH": os.environ["PATH"], "COCKPIT_GATEWAYS_ROOT": self.root, **env},
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    NM_UP = {
        "CONNECTION_ID": "Wired connection 2", "CONNECTION_UUID": "2d5c1b8e-0000-4000-8000-000000000002",
        "DEVICE_IFACE": "eth1", "DEVICE_IP_IFACE": "eth1", "NM_DISPATCHER_ACTION": "up",
        "IP4_NUM_ADDRESSES": "1", "IP4_ADDRESS_0": "10.0.2.57/24 10.0.2.1", "IP4_GATEWAY": "10.0.2.1",
        "IP4_NUM_ROUTES": "0", "DHCP4_IP_ADDRESS": "10.0.2.57", "DHCP4_SUBNET_MASK": "255.255.255.0",
        "DHCP4_ROUTERS": "10.0.2.1", "DHCP4_DHCP_LEASE_TIME": "120", "DHCP4_EXPIRY": "1767225720",
        "DHCP4_DHCP_SERVER_IDENTIFIER": "10.0.2.1", "DHCP4_BROADCAST_ADDRESS": "10.0.2.255",
    }

    def test_networkmanager_dispatcher(self) -> None:
        self.host("ip", "addr", "add", "10.0.2.57/24", "dev", "eth1")
        self.lab.run("r2", "ip", "addr", "add", "10.0.2.2/24", "dev", "eth0")
        self.run_hook([self.dispatcher, "eth1", "up"], self.NM_UP)
        self.assert_can_ping("c2", "10.0.2.57")
        table = self.table_of("eth1")
        self.assertEqual(self.leases()["eth1"]["inet"]["client"], "NetworkManager")

        before = (self.kernel_state(), self.files())
        for action in ("connectivity-change", "pre-up", "pre-down", "hostname", "vpn-up"):
            self.run_hook([self.dispatcher, "eth1", action], self.NM_UP)
        self.run_hook([self.dispatcher, "", "connectivity-change"], {"CONNECTIVITY_STATE": "FULL"})
        # a statically configured connection: no DHCP4_* variables, nothing to do
        static = {k: v for k, v in self.NM_UP.items() if not k.startswith("DHCP4_")}
        self.run_hook([self.dispatcher, "eth1", "up"], static)
        # bad input never fails NetworkManager's dispatch and changes nothing
        proc = self.run_hook([self.dispatcher, "eth1", "dhcp4-change"], {**self.NM_UP, "DHCP4_ROUTERS": "10.0.2.x"})
        self.assertIn("DHCP4_ROUTERS", proc.stderr)
        self.run_hook([self.dispatcher, "bad/name", "up"], self.NM_UP)
        self.assertEqual((self.kernel_state(), self.files()), before)

        self.run_hook([self.dispatcher, "eth1", "dhcp4-change"],
                      {**self.NM_UP, "DHCP4_ROUTERS": "10.0.2.2", "IP4_GATEWAY": "10.0.2.2",
                       "NM_DISPATCHER_ACTION": "dhcp4-change"})
        _, routes = self.our_summary()
        self.assertIn((table, "default", "10.0.2.2", None, "eth1"), routes)
        self.assert_can_ping("c2", "10.0.2.57")

        # NetworkManager removes the lease's address, then dispatches `down`
        self.host("ip", "addr", "del", "10.0.2.57/24", "dev", "eth1")
        self.run_hook([self.dispatcher, "eth1", "down"], {"CONNECTION_ID": "Wired connection 2",
                                                          "DEVICE_IFACE": "eth1", "NM_DISPATCHER_ACTION": "down"})
        self.assertEqual(self.our_summary(), ([], []))
        self.assertEqual(self.leases(), {})
        self.assert_cannot_ping("c2", "10.0.2.57")

    def test_rhel_dhclient_d_functions(self) -> None:
        self.host("ip", "addr", "add", "10.0.2.57/24", "dev", "eth1")
        lease = {"interface": "eth1", "new_ip_address": "10.0.2.57", "new_subnet_mask": "255.255.255.0",
                 "new_routers": "10.0.2.1"}
        self.run_hook(["bash", "-c", f". '{self.rhel}' && cockpit_gateways_config"], {"reason": "BOUND", **lease})
        self.assert_can_ping("c2", "10.0.2.57")
        # TIMEOUT: *_restore means dhclient-script could not use the cached lease
        self.run_hook(["bash", "-c", f". '{self.rhel}' && cockpit_gateways_restore"], {"reason": "TIMEOUT", **lease})
        self.assertEqual(self.our_summary(), ([], []))
        self.run_hook(["bash", "-c", f". '{self.rhel}' && cockpit_gateways_config"], {"reason": "TIMEOUT", **lease})
        self.assert_can_ping("c2", "10.0.2.57")
        self.run_hook(["bash", "-c", f". '{self.rhel}' && cockpit_gateways_restore"],
                      {"reason": "RELEASE", "interface": "eth1", "old_ip_address": "10.0.2.57"})
        self.assertEqual(self.our_summary(), ([], []))
        self.assert_cannot_ping("c2", "10.0.2.57")

    def test_debian_hook_never_fails_the_client(self) -> None:
        self.host("ip", "addr", "add", "10.0.2.57/24", "dev", "eth1")
        before = (self.kernel_state(), self.files())
        # sourced like Debian's run_hook: a failing helper must not end or fail dhclient-script
        for env in ({"reason": "BOUND", "interface": "eth1", "new_ip_address": "10.0.2.57",
                     "new_subnet_mask": "255.255.255.0", "new_routers": "not-an-address"},
                    {"reason": "BOUND", "interface": "../eth1", "new_ip_address": "10.0.2.57"},
                    {"reason": "RENEW", "interface": "eth1", "new_ip_address": "10.0.2.57",
                     "new_subnet_mask": "255.255.255.0", "new_routers": "fd00:2::1"}):
            proc = self.run_hook(["sh", "-c", f". '{self.hook}'; echo \"after hook: $?\""], env)
            self.assertIn("after hook: 0", proc.stdout)
            self.assertIn("cockpit-gateways: dhcp-event", proc.stderr)
        self.assertEqual((self.kernel_state(), self.files()), before)
        # a helper that is not installed: silently nothing
        missing = installed_copy(os.path.join(HOOKS, "dhclient-exit-hooks.d", "cockpit-gateways"),
                                 os.path.join(self.tmp, "missing-hook"))
        with open(missing) as f:
            text = f.read().replace(LIBEXECDIR, "/nonexistent")
        with open(missing, "w") as f:
            f.write(text)
        proc = self.run_hook(["sh", "-c", f". '{missing}'; echo \"after hook: $?\""],
                             {"reason": "BOUND", "interface": "eth1", "new_ip_address": "10.0.2.57",
                              "new_routers": "10.0.2.1"})
        self.assertEqual((proc.stdout, proc.stderr), ("after hook: 0\n", ""))
        # the function does not leak into dhclient-script
        proc = self.run_hook(["sh", "-c", f". '{self.hook}'; command -v cockpit_gateways_dhclient_hook || echo gone"],
                             {"reason": "PREINIT", "interface": "eth1"})
        self.assertEqual(proc.stdout, "gone\n")


if __name__ == "__main__":
    unittest.main()
