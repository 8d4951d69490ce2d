# SPDX-License-Identifier: LGPL-2.1-or-later
"""Coexisting with what real hosts have besides their networks, proven by packets (issue 12).

Point 1: the routes of main other than its default (a container bridge, a libvirt-style NAT
bridge, a static route) keep winning for replies from a managed address; only the *default*
choice moves to the network's gateway.  This is the rule `lookup main suppress_prefixlength 0`
at priority 30999 (ours: protocol 248), in front of the to- and from-rules.  Each test also shows
the failure it prevents: with that one rule deleted by hand, the same packets die.

The lab gets extra namespaces here (a container, a VM), named after the lab's prefix (which
carries GW_LAB_TAG) and removed by the test, also when it fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import yaml

from test.integration.base import HELPER, PYTHON, LabTestCase

SUPPRESS = {"priority": 30999, "src": "all", "table": "254", "suppress_prefixlen": 0, "protocol": "248"}


class ExtraNodes(LabTestCase):
    """A lab with room for more namespaces: containers, VMs, routers and clients of a test's own."""

    def add_node(self, node: str) -> str:
        name = f"{self.lab.prefix}-{node}"
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)   # a crashed run's
        subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", name], capture_output=True, check=False)
        self.netns(name, "ip", "link", "set", "lo", "up")
        self.netns(name, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
        return name

    def netns(self, name: str, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(["ip", "netns", "exec", name, *argv], capture_output=True, text=True, timeout=30)
        if check and proc.returncode != 0:
            self.fail(f"{name}: {' '.join(argv)}: {proc.stderr}")
        return proc

    def ping_from(self, name: str, address: str, source: str | None = None) -> bool:
        """Any echo reply out of two (the lab's first IPv6 packet is sometimes lost to neighbour
        discovery, with or without our rules)."""
        argv = ["ping", "-6" if ":" in address else "-4", "-n", "-q", "-c", "2", "-i", "0.2", "-W", "1"]
        argv += ["-I", source] if source else []
        return self.netns(name, *argv, address, check=False).returncode == 0

    def bridge_with_guest(self, bridge: str, node: str, host_addrs: tuple[str, ...],
                          guest_addrs: tuple[str, ...], gateways: tuple[str, ...]) -> str:
        """A bridge on the host (docker0, virbr0) with one guest namespace behind a veth port."""
        guest = self.add_node(node)
        port = f"v{node}0"
        self.host("ip", "link", "add", bridge, "type", "bridge")
        self.host("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", guest)
        self.host("ip", "link", "set", port, "master", bridge, "up")
        for addr in host_addrs:
            self.host("ip", "addr", "add", addr, "dev", bridge, *(["nodad"] if ":" in addr else []))
        self.host("ip", "link", "set", bridge, "up")
        for addr in guest_addrs:
            self.netns(guest, "ip", "addr", "add", addr, "dev", "eth0", *(["nodad"] if ":" in addr else []))
        self.netns(guest, "ip", "link", "set", "eth0", "up")
        for gw in gateways:
            self.netns(guest, "ip", "route", "add", "default", "via", gw)
        return guest

    def suppress_rules(self) -> list[dict[str, object]]:
        return [r for f in ("-4", "-6") for r in self.rules(f) if r.get("suppress_prefixlen") is not None]

    def delete_suppress_rule(self, family: str = "-4") -> None:
        self.host("ip", family, "rule", "del", "priority", "30999", "suppress_prefixlength", "0", "table", "254",
                  "protocol", "248")

    def assert_seed_story(self) -> None:
        """The client outside the host's subnets reaches eth1's address, the reply leaves by eth1;
        the management client reaches eth0's address."""
        self.assert_can_ping("c2", "10.0.2.10")
        got = self.lab.ip_json("host", "route", "get", "10.0.9.2", "from", "10.0.2.10")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth1", "10.0.2.1"))
        self.assert_can_ping("c1", "10.0.1.10")


class Containers(ExtraNodes):
    prefix = "gwic1"

    def test_container_bridge_both_ways(self) -> None:
        ct = self.bridge_with_guest("docker0", "ct", ("172.17.0.1/16", "fd00:17::1/64"),
                                    ("172.17.0.2/16", "fd00:17::2/64"), ("172.17.0.1", "fd00:17::1"))
        self.assertTrue(self.ping_from(ct, "10.0.2.10"))
        self.assertTrue(self.lab.ping("host", "172.17.0.2", source="10.0.2.10"))

        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        self.assertEqual(self.suppress_rules(), [SUPPRESS, SUPPRESS])          # one per family
        for address, container, source in (("10.0.2.10", "172.17.0.2", "10.0.2.10"),
                                           ("fd00:2::10", "fd00:17::2", "fd00:2::10")):
            self.assertTrue(self.ping_from(ct, address), f"container cannot reach {address}")
            self.assertTrue(self.lab.ping("host", container, source=source, count=3),
                            f"{source} cannot reach {container}")
        got = self.lab.ip_json("host", "route", "get", "172.17.0.2", "from", "10.0.2.10")[0]
        self.assertEqual((got["dev"], got.get("table", "main")), ("docker0", "main"))
        # `lookup` names the rule that decided: ours for main's bridge route, main's own for its default
        found = self.helper_json("lookup", "172.17.0.2", "--from", "10.0.2.10")
        self.assertEqual((found["rule"]["priority"], found["matched_route"]["dst"]), (30999, "172.17.0.0/16"))
        found = self.helper_json("lookup", "10.0.9.2")
        self.assertEqual((found["rule"]["priority"], found["matched_route"]["dst"]), (32766, "default"))
        self.assert_seed_story()
        self.assert_can_ping("c2", "fd00:2::10", count=3)

        # the failure it prevents: without the rule, replies to the container take eth1's default
        self.delete_suppress_rule("-4")
        self.delete_suppress_rule("-6")
        self.assertFalse(self.ping_from(ct, "10.0.2.10"))
        self.assertFalse(self.lab.ping("host", "fd00:17::2", source="fd00:2::10", count=2))
        status = self.helper_json("status")
        eth1 = next(i for i in status["interfaces"] if i["name"] == "eth1")
        self.assertEqual({g["state"] for g in eth1["gateways"]}, {"drift"})
        self.helper("reconcile")
        self.assertTrue(self.ping_from(ct, "10.0.2.10"))
        self.assertTrue(self.lab.ping("host", "fd00:17::2", source="fd00:2::10", count=3))

        # the rule lives as long as a network of its family has a gateway
        self.helper("unset", "eth1", "--family", "inet6")
        self.assertEqual(self.suppress_rules(), [SUPPRESS])
        self.helper("unset", "eth1")
        self.assertEqual((self.our_rules(), self.our_routes()), ([], []))
        self.assertTrue(self.ping_from(ct, "10.0.2.10"))

    def test_rule_created_with_the_first_network_removed_with_the_last(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth0", "10.0.1.1")
        self.assertEqual([r["priority"] for r in self.our_rules()], [30999, 31000, 31000, 31001, 31001])
        self.helper("unset", "eth1")
        self.assertEqual([r["priority"] for r in self.our_rules()], [30999, 31000, 31001])
        self.helper("unset", "eth0")
        self.assertEqual(self.our_rules(), [])
        # a reconcile of one interface also repairs the shared rule
        self.helper("set", "eth1", "10.0.2.1")
        self.delete_suppress_rule()
        self.assertEqual(len(self.helper_json("reconcile", "eth1", "--dry-run")["changes"]), 1)
        self.helper("reconcile", "eth1")
        self.assertEqual(self.suppress_rules(), [SUPPRESS])


class NatBridge(ExtraNodes):
    prefix = "gwic2"

    def test_libvirt_style_nat_bridge(self) -> None:
        self.assertTrue(shutil.which("nft"), "needs nftables' nft (test/system-deps.sh installs it)")
        vm = self.bridge_with_guest("virbr0", "vm", ("192.168.122.1/24",), ("192.168.122.2/24",),
                                    ("192.168.122.1",))
        # libvirt's default network: the host forwards and masquerades the VMs' traffic
        self.host("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
        subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), "nft", "-f", "-"], check=True, text=True,
                       capture_output=True,
                       input="table ip gwlabnat {\n chain post {\n  type nat hook postrouting priority 100;\n"
                             "  ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade\n }\n}\n")
        self.helper("set", "eth1", "10.0.2.1")
        self.assertTrue(self.ping_from(vm, "10.0.2.10"), "the VM cannot reach eth1's address")
        self.assertTrue(self.lab.ping("host", "192.168.122.2", source="10.0.2.10"))
        self.assertTrue(self.ping_from(vm, "10.0.2.1"), "the VM's NATed traffic to the display network")
        self.assertTrue(self.ping_from(vm, "10.0.8.2"), "the VM's NATed traffic through the management gateway")
        self.assert_seed_story()

        self.delete_suppress_rule()
        self.assertFalse(self.ping_from(vm, "10.0.2.10"))
        self.assertFalse(self.lab.ping("host", "192.168.122.2", source="10.0.2.10"))
        self.helper("reconcile")
        self.assertTrue(self.ping_from(vm, "10.0.2.10"))


class StaticRoute(ExtraNodes):
    prefix = "gwic3"

    def test_static_route_in_main_keeps_winning(self) -> None:
        # the management client reaches eth1's address through R1 and eth0, by the admin's route
        self.lab.run("r1", "ip", "route", "add", "10.0.2.0/24", "via", "10.0.1.10")
        self.host("ip", "route", "add", "10.0.8.0/24", "via", "10.0.1.1", "dev", "eth0", "proto", "static")
        self.assert_can_ping("c1", "10.0.2.10")
        self.helper("set", "eth1", "10.0.2.1")
        self.assert_can_ping("c1", "10.0.2.10")
        got = self.lab.ip_json("host", "route", "get", "10.0.8.2", "from", "10.0.2.10")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth0", "10.0.1.1"))
        self.assert_seed_story()
        # only the default choice moved: without the static route the reply takes eth1's gateway
        self.host("ip", "route", "del", "10.0.8.0/24", "via", "10.0.1.1", "dev", "eth0")
        self.assert_cannot_ping("c1", "10.0.2.10")
        got = self.lab.ip_json("host", "route", "get", "10.0.8.2", "from", "10.0.2.10")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth1", "10.0.2.1"))


class SameSubnet(ExtraNodes):
    """Point 2: eth2 on eth1's subnet (another segment, its own router R3 and client C3)::

        c3 10.0.10.2 ── R3 10.0.10.1 / 10.0.2.254 ── host eth2 10.0.2.20/24 fd00:2::20/64
    """
    prefix = "gwic4"

    def setUp(self) -> None:
        super().setUp()
        r3, c3 = self.add_node("r3"), self.add_node("c3")
        self.c3 = c3
        self.host("ip", "link", "add", "eth2", "type", "veth", "peer", "name", "eth0", "netns", r3)
        self.netns(r3, "ip", "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", c3)
        self.netns(r3, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1")
        for name, dev, addrs in ((r3, "eth0", ("10.0.2.254/24", "fd00:2::fe/64")),
                                 (r3, "eth1", ("10.0.10.1/24", "fd00:10::1/64")),
                                 (c3, "eth0", ("10.0.10.2/24", "fd00:10::2/64"))):
            for addr in addrs:
                self.netns(name, "ip", "addr", "add", addr, "dev", dev, *(["nodad"] if ":" in addr else []))
            self.netns(name, "ip", "link", "set", dev, "up")
        for gw in ("10.0.10.1", "fd00:10::1"):
            self.netns(c3, "ip", "route", "add", "default", "via", gw)
        self.host("sysctl", "-q", "-w", "net.ipv4.conf.eth2.rp_filter=1")
        for addr in ("10.0.2.20/24", "fd00:2::20/64"):
            self.host("ip", "addr", "add", addr, "dev", "eth2", *(["nodad"] if ":" in addr else []))
        self.host("ip", "link", "set", "eth2", "up")

    def from_rules(self) -> list[tuple[int, str, str, str]]:
        """Our rules with a source: (priority, from, to or "", table)."""
        def net(r: dict[str, object], key: str) -> str:
            if key not in r:
                return ""
            return f"{r[key]}/{r.get(key + 'len', 128 if ':' in str(r[key]) else 32)}"
        return sorted((int(str(r["priority"])), net(r, "src"), net(r, "dst"), str(r["table"]))
                      for r in self.our_rules() if r.get("src", "all") != "all")

    def states(self) -> dict[str, set[str]]:
        return {i["name"]: {g["state"] for g in i["gateways"]} for i in self.helper_json("status")["interfaces"]
                if i["gateways"]}

    def test_a_client_through_each_interface(self) -> None:
        for gw in ("10.0.2.1", "fd00:2::1"):
            self.helper("set", "eth1", gw)
        for gw in ("10.0.2.254", "fd00:2::fe"):
            self.helper("set", "eth2", gw)
        self.assertEqual(self.from_rules(), [
            (30998, "10.0.2.10/32", "10.0.2.0/24", "10000"), (30998, "10.0.2.20/32", "10.0.2.0/24", "10001"),
            (30998, "fd00:2::10/128", "fd00:2::/64", "10000"), (30998, "fd00:2::20/128", "fd00:2::/64", "10001"),
            (31001, "10.0.2.10/32", "", "10000"), (31001, "10.0.2.20/32", "", "10001"),
            (31001, "fd00:2::10/128", "", "10000"), (31001, "fd00:2::20/128", "", "10001")])
        self.assertEqual(self.states(), {"eth1": {"active"}, "eth2": {"active"}})
        self.assert_seed_story()
        self.assertTrue(self.lab.ping("c2", "fd00:2::10", count=3))
        self.assertTrue(self.ping_from(self.c3, "10.0.2.20"), "c3 cannot reach eth2's address")
        self.assertTrue(self.ping_from(self.c3, "fd00:2::20"), "c3 cannot reach eth2's IPv6 address")
        got = self.lab.ip_json("host", "route", "get", "10.0.10.2", "from", "10.0.2.20")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth2", "10.0.2.254"))
        # each client only through its own interface: the other address is not its network's
        self.assertFalse(self.ping_from(self.c3, "10.0.2.10"))

        # the fleet tools get the same rules (nmstate: from and to in one rule)
        rules = yaml.safe_load(self.helper("export", "--format", "nmstate").stdout)["route-rules"]["config"]
        self.assertIn({"ip-from": "10.0.2.20/32", "ip-to": "10.0.2.0/24", "priority": 30998, "route-table": 10001},
                      rules)

        # what subnet rules did (the story): eth2's replies leave by eth1's table
        for prio, sel in (("30998", ("from", "10.0.2.20/32", "to", "10.0.2.0/24")), ("31001", ("from", "10.0.2.20/32"))):
            self.host("ip", "rule", "del", "priority", prio, *sel, "table", "10001", "protocol", "248")
        self.host("ip", "rule", "add", "priority", "31001", "from", "10.0.2.0/24", "table", "10000")
        self.host("ip", "rule", "add", "priority", "31001", "from", "10.0.2.0/24", "table", "10001")
        self.assertFalse(self.ping_from(self.c3, "10.0.2.20"), "subnet rules: the first table wins")
        eth2 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth2")
        self.assertEqual({g["family"]: g["state"] for g in eth2["gateways"]}, {"inet": "drift", "inet6": "active"})
        for table in ("10000", "10001"):
            self.host("ip", "rule", "del", "priority", "31001", "from", "10.0.2.0/24", "table", table)
        self.helper("reconcile")
        self.assertTrue(self.ping_from(self.c3, "10.0.2.20"))

        # eth2 unmanaged but still on the subnet: eth1 keeps its per-address rule
        self.helper("unset", "eth2")
        self.assertEqual(self.from_rules(), [
            (30998, "10.0.2.10/32", "10.0.2.0/24", "10000"), (30998, "fd00:2::10/128", "fd00:2::/64", "10000"),
            (31001, "10.0.2.10/32", "", "10000"), (31001, "fd00:2::10/128", "", "10000")])
        self.assert_seed_story()
        # eth2 leaves the subnet: back to the subnet rules, nothing left behind
        self.host("ip", "addr", "flush", "dev", "eth2", "scope", "global")
        self.helper("reconcile")
        self.assertEqual(self.from_rules(), [(31001, "10.0.2.0/24", "", "10000"), (31001, "fd00:2::/64", "", "10000")])
        self.assertEqual(self.helper_json("status")["drift"], {"missing": [], "extra": []})
        self.assert_seed_story()

    def test_same_address_twice_is_a_conflict_not_active(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth2", "10.0.2.254")
        self.host("ip", "addr", "add", "10.0.2.10/24", "dev", "eth2")      # eth1's address on eth2 too
        self.helper("reconcile")
        status = self.helper_json("status")
        gws = {i["name"]: i["gateways"][0] for i in status["interfaces"] if i["gateways"]}
        self.assertEqual({n: g["state"] for n, g in gws.items()}, {"eth1": "conflict", "eth2": "conflict"})
        self.assertIn("10.0.2.10 is also an address of eth2", gws["eth1"]["reason"])
        self.assertEqual(self.our_rules() + self.our_routes(), [])          # nothing half-working stays
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth2")
        self.helper("reconcile")
        self.assertEqual(self.states(), {"eth1": {"active"}, "eth2": {"active"}})
        self.assert_seed_story()
        self.assertTrue(self.ping_from(self.c3, "10.0.2.20"))


class Churn(ExtraNodes):
    """Point 5: interfaces and addresses come and go while gateways are set; `watch` (and
    `reconcile`) converge, leave nothing behind, and never touch foreign objects."""
    prefix = "gwic5"

    def setUp(self) -> None:
        super().setUp()
        self.add_foreign_objects()
        self.helper("set", "eth1", "10.0.2.1")
        # eth1's table: not 10000, which the foreign objects use
        self.t1 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")["gateways"][0]["table"]
        self.log = tempfile.NamedTemporaryFile(prefix="gwic-watch-", suffix=".log", delete=False)
        self.addCleanup(os.unlink, self.log.name)
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root",
                                      self.root, "watch"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        self.addCleanup(self.stop_watch)
        deadline = time.monotonic() + 20
        while "following" not in self.read_log():
            self.assertLess(time.monotonic(), deadline, self.read_log())
            time.sleep(0.05)

    def stop_watch(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)      # by PID: `ip netns exec` execs python
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()

    def read_log(self) -> str:
        with open(self.log.name) as f:
            return f.read()

    def ours(self) -> tuple[list[str], list[str]]:
        """Our IPv4 rules (`priority from to table`) and routes (`dst dev table`), sorted."""
        rules = [f"{r['priority']} {r.get('src', 'all')}/{r.get('srclen', 32)} {r.get('dst', 'all')} {r['table']}"
                 for r in self.rules("-4") if str(r.get("protocol")) == "248"]
        routes = [f"{r['dst']} {r['dev']} {r['table']}" for r in self.routes("-4", "proto", "248")]
        return sorted(rules), sorted(routes)

    def converges_to(self, rules: list[str], routes: list[str], limit: float = 20.0) -> None:
        """watch alone brings our objects there (polled, generous limit) and then has nothing left
        to do."""
        want = (sorted(rules), sorted(routes))
        deadline = time.monotonic() + limit
        while self.ours() != want:
            if time.monotonic() > deadline:
                self.assertEqual(self.ours(), want, self.read_log())
            time.sleep(0.1)
        deadline = time.monotonic() + limit
        while self.helper_json("reconcile", "--dry-run")["changed"]:
            self.assertLess(time.monotonic(), deadline, self.read_log())
            time.sleep(0.1)

    @property
    def RULES(self) -> list[str]:
        return ["30999 all/32 all 254", f"31000 all/32 10.0.2.0 {self.t1}", f"31001 10.0.2.0/24 all {self.t1}"]

    @property
    def ROUTES(self) -> list[str]:
        return [f"10.0.2.0/24 eth1 {self.t1}", f"default eth1 {self.t1}"]

    def test_bridges_addresses_and_interfaces_coming_and_going(self) -> None:
        foreign = self.foreign_state()
        self.converges_to(self.RULES, self.ROUTES)
        # a container bridge appears: nothing of ours changes, the container reaches eth1's address
        ct = self.bridge_with_guest("docker0", "ct", ("172.17.0.1/16",), ("172.17.0.2/16",), ("172.17.0.1",))
        self.converges_to(self.RULES, self.ROUTES)
        self.assertTrue(self.ping_from(ct, "10.0.2.10"))
        # a bridge with an address on eth1's subnet appears: per-address rules; it goes: back
        self.host("ip", "link", "add", "br-x", "type", "bridge")
        self.host("ip", "addr", "add", "10.0.2.30/24", "dev", "br-x")
        self.host("ip", "link", "set", "br-x", "up")
        self.converges_to([f"30998 10.0.2.10/32 10.0.2.0 {self.t1}", "30999 all/32 all 254",
                           f"31001 10.0.2.10/32 all {self.t1}"], self.ROUTES)
        self.assert_seed_story()
        self.host("ip", "link", "del", "br-x")
        self.converges_to(self.RULES, self.ROUTES)
        # a second address on the managed interface: in its subnet nothing changes; in a new one
        # that subnet gets its route and rules, and loses them with the address
        self.host("ip", "addr", "add", "10.0.2.11/24", "dev", "eth1")
        self.converges_to(self.RULES, self.ROUTES)
        self.assert_can_ping("c2", "10.0.2.11")
        self.host("ip", "addr", "add", "10.0.3.10/24", "dev", "eth1")
        self.converges_to(self.RULES + [f"31000 all/32 10.0.3.0 {self.t1}", f"31001 10.0.3.0/24 all {self.t1}"],
                          self.ROUTES + [f"10.0.3.0/24 eth1 {self.t1}"])
        self.host("ip", "addr", "del", "10.0.3.10/24", "dev", "eth1")
        self.host("ip", "addr", "del", "10.0.2.11/24", "dev", "eth1")
        self.converges_to(self.RULES, self.ROUTES)
        # the container bridge goes: foreign objects are as they were
        self.host("ip", "link", "del", "vct0")
        self.host("ip", "link", "del", "docker0")
        self.converges_to(self.RULES, self.ROUTES)
        self.assertEqual(self.foreign_state(), foreign)
        foreign_rules = [r for f in ("-4", "-6") for r in self.rules(f) if str(r.get("protocol")) != "248"]
        # the address moves to another interface: eth1 has none, nothing of ours stays; it moves back
        # (the kernel itself drops every route through eth1 then, foreign ones included)
        self.host("ip", "link", "add", "br-y", "type", "bridge")
        self.host("ip", "link", "set", "br-y", "up")
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth1")
        self.host("ip", "addr", "add", "10.0.2.10/24", "dev", "br-y")
        self.converges_to([], [])
        eth1 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")
        self.assertEqual(eth1["gateways"][0]["state"], "no-address")
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "br-y")
        self.host("ip", "addr", "add", "10.0.2.10/24", "dev", "eth1")
        self.converges_to(self.RULES, self.ROUTES)
        self.assert_seed_story()
        # the last bridge vanishes: foreign rules as they were, ours as before
        self.host("ip", "link", "del", "br-y")
        self.converges_to(self.RULES, self.ROUTES)
        self.assertEqual([r for f in ("-4", "-6") for r in self.rules(f) if str(r.get("protocol")) != "248"],
                         foreign_rules)

    def test_managed_bridge_vanishes_and_returns(self) -> None:
        self.host("ip", "link", "add", "br-vm", "type", "bridge")
        self.host("ip", "addr", "add", "10.0.5.10/24", "dev", "br-vm")
        self.host("ip", "link", "set", "br-vm", "up")
        self.helper("set", "br-vm", "10.0.5.1")
        t = self.t1 + 1
        vm_rules = [f"31000 all/32 10.0.5.0 {t}", f"31001 10.0.5.0/24 all {t}"]
        vm_routes = [f"10.0.5.0/24 br-vm {t}", f"default br-vm {t}"]
        self.converges_to(self.RULES + vm_rules, self.ROUTES + vm_routes)
        self.host("ip", "link", "del", "br-vm")
        self.converges_to(self.RULES, self.ROUTES)
        gws = {i["name"]: i["gateways"] for i in self.helper_json("status")["interfaces"]}
        self.assertNotIn("br-vm", gws)        # gone from the interfaces; its config stays for its return
        self.host("ip", "link", "add", "br-vm", "type", "bridge")
        self.host("ip", "addr", "add", "10.0.5.10/24", "dev", "br-vm")
        self.host("ip", "link", "set", "br-vm", "up")
        self.converges_to(self.RULES + vm_rules, self.ROUTES + vm_routes)
        self.assert_seed_story()

if __name__ == "__main__":
    unittest.main()
