# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every export format through the real fleet tool that consumes it (test/integration/consumers.py),
in five scenarios: two networks dual-stack (the seed), a second subnet on one interface, an
on-link gateway, a link-local IPv6 gateway, and a DHCP network exported with --include-dhcp.

Each scenario first runs the helper in the lab and records its kernel objects (routes in our
tables, rules), then, for each format, brings the lab up anew without the helper and lets the
consumer configure it:
  networkd  the drop-ins (next to the admin's own .network files) through systemd-networkd
  netplan   the file (next to the admin's netplan file) through `netplan generate`, then networkd
  ifcfg     the files through the real ifup-routes
  nmstate   NetworkManager profiles (libnm) built from the state: verify(), keyfile written and read
  ansible   the role's own argument validator (provider nm accepted; initscripts refuses), then
            the role's own NM profile builder (libnm), verify(), keyfile written and read
The consumer's objects must equal the helper's, object by object (tables, routes with gateway,
on-link and src, rules with priority and selectors, suppress_prefixlength included); markers and
metrics belong to the consumer and are not compared. The one exception is netplan, which cannot
carry suppress_prefixlength: after it exactly the `lookup main suppress_prefixlength 0` rules are
missing, and the export's header names them. nmstate and the role have no on-link flag: there the export's host route to
the gateway replaces it (consumers.without_onlink). Where the consumer applies to a kernel
(networkd, netplan, ifcfg), and for the NM profiles applied with `ip` as NetworkManager adds
them, the seed's ping story must hold: the client outside the host's subnets reaches the
host's address on the second network, and the management path works.

ExportConsumersComplain: each consumer complains about a misspelt key, so their silence above
means something.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid
from typing import Any

import yaml

from test.integration import consumers
from test.integration.base import HELPER, PYTHON, LabTestCase
from test.integration.consumers import Obj, Private, kernel_objects, show
from test.lab.gwlab import ADDRESSES

FORMATS = ("networkd", "netplan", "ifcfg", "nmstate", "ansible")


@dataclasses.dataclass
class Scenario:
    name: str
    helper: list[list[str]]                                   # helper commands, in order
    host_extra: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    router_extra: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    pings: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    dhcp: dict[str, str] | None = None                        # dhclient's environment for dhcp-event

    def addresses(self) -> dict[str, list[str]]:
        return {name: list(addrs) + self.host_extra.get(name, []) for name, addrs in ADDRESSES["host"].items()}


SEED = Scenario("seed", [["set", "eth0", "10.0.1.1"], ["set", "eth0", "fd00:1::1"],
                         ["set", "eth1", "10.0.2.1"], ["set", "eth1", "fd00:2::1"]],
                pings=[("c2", "10.0.2.10"), ("c2", "fd00:2::10"), ("c1", "10.0.1.10"), ("c1", "fd00:1::10")])
SCENARIOS = {
    "seed": SEED,
    "second-subnet": Scenario("second-subnet", [["set", "eth1", "10.0.2.1"]],
                              host_extra={"eth1": ["10.0.3.10/24"]}, router_extra=[("r2", "eth0", "10.0.3.1/24")],
                              pings=[("c2", "10.0.2.10"), ("c2", "10.0.3.10"), ("c1", "10.0.1.10")]),
    "onlink": Scenario("onlink", [["set", "eth1", "10.0.5.1", "--onlink"]],
                       router_extra=[("r2", "eth0", "10.0.5.1/24")],
                       pings=[("c2", "10.0.2.10"), ("c1", "10.0.1.10")]),
    "link-local": Scenario("link-local", [["set", "eth1", "fe80::1"]],
                           router_extra=[("r2", "eth0", "fe80::1/64")],
                           pings=[("c2", "fd00:2::10"), ("c1", "fd00:1::10")]),
    "dhcp": Scenario("dhcp", [["set", "eth1", "10.0.2.1"]],
                     dhcp={"reason": "BOUND", "interface": "eth0", "new_ip_address": "10.0.1.10",
                           "new_subnet_mask": "255.255.255.0", "new_routers": "10.0.1.1"},
                     pings=[("c2", "10.0.2.10"), ("c1", "10.0.1.10")]),
}


def networkd_files(exported: dict[str, Any]) -> dict[str, str]:
    """The drop-ins in the drop-in directories of the admin's 10-IFACE.network files."""
    return {f"10-{f['name']}": f["text"] for f in exported["files"]}


def netplan_base(addresses: dict[str, list[str]]) -> str:
    eth = {name: {"addresses": addrs} for name, addrs in addresses.items()}
    eth["eth0"]["routes"] = [{"to": "default", "via": "10.0.1.1"}, {"to": "default", "via": "fd00:1::1"}]
    return yaml.safe_dump({"network": {"version": 2, "renderer": "networkd", "ethernets": eth}})


MAIN_GATEWAYS = {"eth0": ["10.0.1.1", "fd00:1::1"]}


class ConsumerLab(LabTestCase):
    """Runs the helper in the lab for a scenario, then gives each consumer the same lab anew."""

    def prepare(self, sc: Scenario) -> None:
        for node, name, address in sc.router_extra:
            extra = ["nodad"] if ":" in address else []
            self.lab.run(node, "ip", "addr", "add", address, "dev", name, *extra)
        for name, addrs in sc.host_extra.items():
            for address in addrs:
                self.host("ip", "addr", "add", address, "dev", name)

    def fresh(self, sc: Scenario) -> None:
        self.lab.up()
        self.prepare(sc)

    def run_helper(self, sc: Scenario) -> set[Obj]:
        self.prepare(sc)
        self.assert_cannot_ping(*sc.pings[0])
        if sc.dhcp is not None:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("new_", "old_"))}
            proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root", self.root,
                                   "dhcp-event"], env={**env, **sc.dhcp}, capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        for argv in sc.helper:
            self.helper(*argv)
        expected = kernel_objects(self.lab)
        self.assertTrue(any(o.kind == "route" and o.gateway for o in expected), show(expected))
        self.assert_pings(sc, "the helper")
        return expected

    def assert_pings(self, sc: Scenario, who: str) -> None:
        for node, address in sc.pings:
            self.assertTrue(self.lab.ping(node, address, count=3, timeout=2),
                            f"{who}: {node} cannot ping {address}")

    def export(self, fmt: str, sc: Scenario) -> dict[str, Any]:
        extra = ["--include-dhcp"] if sc.dhcp is not None else []
        data: dict[str, Any] = self.helper_json("export", "--format", fmt, *extra)
        self.assertEqual(data["skipped"], [], f"{fmt}: {data['skipped']}")
        return data

    def assert_kernel_becomes(self, expected: set[Obj], who: str, private: Private | None = None) -> None:
        if not consumers.wait_for(lambda: kernel_objects(self.lab) == expected, 30):
            got = kernel_objects(self.lab)
            log = private.output() if private else ""
            self.fail(f"{who}: the kernel differs from the helper's objects\nmissing:\n{show(expected - got)}\n"
                      f"extra:\n{show(got - expected)}\n{log}")

    # --- the consumers ---------------------------------------------------------------------------
    def through_networkd(self, sc: Scenario, expected: set[Obj], files: dict[str, str], who: str) -> None:
        self.fresh(sc)
        private = Private(self.lab)
        self.addCleanup(private.close)
        consumers.start_networkd(private, files)
        try:
            self.assert_kernel_becomes(expected, who, private)
            self.assert_pings(sc, who)
            self.coexists_with_helper(expected)
        finally:
            private.close()

    def coexists_with_helper(self, expected: set[Obj]) -> None:
        """The helper on a host whose source routing the fleet tool owns: its objects are foreign
        there, so a reconcile (as the boot unit runs it) leaves them alone."""
        root = tempfile.mkdtemp(prefix="gwe-other-")
        self.addCleanup(shutil.rmtree, root, True)
        before = self.kernel_state()
        proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root", root,
                               "reconcile"], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.kernel_state(), before)
        self.assertEqual(kernel_objects(self.lab), expected)

    def through_netplan(self, sc: Scenario, expected: set[Obj], text: str) -> None:
        # netplan's routing-policy has no suppress_prefixlength: exactly the main-first rules (one
        # per family with a gateway) are missing after netplan, and the export's header says so
        missing = {o for o in expected if o.kind == "rule" and o.suppress >= 0}
        self.assertEqual({o.family for o in missing},
                         {o.family for o in expected if o.kind == "route" and o.gateway}, show(expected))
        head = text.split("\n---\n")[0].splitlines()
        self.assertIn("# NOT CARRIED: netplan's routing-policy has no suppress_prefixlength, so this file lacks", head)
        commands = [f"#   ip {'-4' if o.family == 'inet' else '-6'} rule add priority {o.priority} "
                    f"suppress_prefixlength {o.suppress} table {o.table}" for o in missing]
        self.assertEqual(sorted(line for line in head if line.startswith("#   ip ")), sorted(commands))
        root = tempfile.mkdtemp(prefix="gwe-netplan-")
        self.addCleanup(shutil.rmtree, root, True)
        proc = netplan_generate(root, {"10-admin.yaml": netplan_base(sc.addresses()),
                                       "90-cockpit-gateways.yaml": text})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "", "netplan generate warned")
        generated = os.path.join(root, "run/systemd/network")
        files = {}
        for name in sorted(os.listdir(generated)):
            with open(os.path.join(generated, name)) as f:
                files[name] = f.read()
        self.assertEqual(sorted(files), ["10-netplan-eth0.network", "10-netplan-eth1.network"])
        self.through_networkd(sc, expected - missing, files, "netplan")

    def through_ifup_routes(self, sc: Scenario, expected: set[Obj], exported: dict[str, Any]) -> None:
        self.fresh(sc)
        files = {f["name"]: f["text"] for f in exported["files"]}
        interfaces = sorted({name.split("-", 1)[1] for name in files})
        proc = consumers.ifup_routes(self.lab, files, interfaces)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout + proc.stderr, "", "ifup-routes complained")
        self.assert_kernel_becomes(expected, "ifup-routes")
        self.assert_pings(sc, "ifup-routes")
        # ifcfg is the helper's own persistence: with the same config the helper owns these
        # objects and has nothing to change
        plan = self.helper_json("reconcile", "--dry-run")
        self.assertEqual(plan["changes"], [], plan)

    def through_nm_profiles(self, sc: Scenario, expected: set[Obj], profiles: list[Any], who: str) -> None:
        want = consumers.without_onlink(expected)
        got: set[Obj] = set()
        commands: list[list[str]] = []
        for profile in profiles:
            _, read = consumers.keyfile_roundtrip(profile)
            got |= consumers.profile_objects(read)
            commands += consumers.ip_commands(read)
        self.assertEqual(show(got), show(want), f"{who}: NetworkManager profiles")
        # applied to a kernel as NetworkManager adds them: routes first, then rules
        self.fresh(sc)
        for cmd in sorted(commands, key=lambda c: c[2] != "route"):
            self.lab.run("host", *cmd)
        self.assert_kernel_becomes(want, who)
        self.assert_pings(sc, who)
        if want != expected:
            # the on-link case: without the host route the kernel refuses the default route
            self.fresh(sc)
            default = [c for c in commands if c[2] == "route" and "via" in c]
            proc = self.lab.run("host", *default[0], check=False)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("Nexthop has invalid gateway", proc.stderr)

    def role_profiles(self, text: str) -> list[Any]:
        from test.integration import network_role
        validator_module, module = network_role.load()
        doc = yaml.safe_load(text)
        self.assertEqual(doc["network_provider"], "nm")
        validator = validator_module.ArgValidator_ListConnections()
        connections = validator.validate(doc["network_connections"])
        profiles = []
        for idx, connection in enumerate(connections):
            validator.validate_connection_one("nm", connections, idx)
            if connection["ip"]["routing_rule"]:
                with self.assertRaisesRegex(validator_module.ValidationError, "not supported by initscripts"):
                    validator.validate_connection_one("initscripts", connections, idx)
            connection["nm.uuid"] = str(uuid.uuid4())
            profiles.append(module.NMUtil(nmclient=object()).connection_create(connections, idx))
        return profiles

    def scenario(self, name: str) -> None:
        sc = SCENARIOS[name]
        expected = self.run_helper(sc)
        exports = {fmt: self.export(fmt, sc) for fmt in FORMATS}
        with self.subTest(consumer="networkd"):
            self.through_networkd(sc, expected, consumers.networkd_base(sc.addresses(), MAIN_GATEWAYS)
                                  | networkd_files(exports["networkd"]), "networkd")
        with self.subTest(consumer="netplan"):
            self.through_netplan(sc, expected, exports["netplan"]["text"])
        with self.subTest(consumer="ifcfg"):
            self.through_ifup_routes(sc, expected, exports["ifcfg"])
        with self.subTest(consumer="nmstate"):
            state = yaml.safe_load(exports["nmstate"]["text"])
            self.through_nm_profiles(sc, expected, consumers.nmstate_profiles(state), "nmstate")
        with self.subTest(consumer="ansible"):
            self.through_nm_profiles(sc, expected, self.role_profiles(exports["ansible"]["text"]), "network role")


def netplan_generate(root: str, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    etc = os.path.join(root, "etc", "netplan")
    os.makedirs(etc, exist_ok=True)
    for name, text in files.items():
        path = os.path.join(etc, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
    return subprocess.run(["netplan", "generate", "--root-dir", root], capture_output=True, text=True, timeout=60)


class ExportConsumers(ConsumerLab):
    prefix = "gwxc"

    def test_seed_two_networks_dual_stack(self) -> None:
        self.scenario("seed")

    def test_second_subnet_on_one_interface(self) -> None:
        self.scenario("second-subnet")

    def test_onlink_gateway(self) -> None:
        self.scenario("onlink")

    def test_link_local_ipv6_gateway(self) -> None:
        self.scenario("link-local")

    def test_dhcp_network_with_include_dhcp(self) -> None:
        self.scenario("dhcp")


class ExportConsumersComplain(ConsumerLab):
    """A misspelt key makes each consumer complain (or visibly not apply the object)."""
    prefix = "gwxn"

    def setUp(self) -> None:
        super().setUp()
        self.expected = self.run_helper(SEED)

    def eth1_table(self) -> int:
        return next(o.table for o in self.expected if o.kind == "route" and o.dev == "eth1")

    def test_networkd(self) -> None:
        exported = self.export("networkd", SEED)
        files = consumers.networkd_base(SEED.addresses(), MAIN_GATEWAYS) | networkd_files(exported)
        name = "10-eth1.network.d/50-cockpit-gateways.conf"
        files[name] = files[name].replace("Destination=10.0.2.0/24", "Destinaton=10.0.2.0/24")
        self.fresh(SEED)
        private = Private(self.lab)
        self.addCleanup(private.close)
        consumers.start_networkd(private, files)
        self.assertTrue(consumers.wait_for(lambda: "Destinaton" in private.output(), 30), private.output())
        self.assertIn("Unknown key 'Destinaton' in section [Route], ignoring.", private.output())
        # once networkd configured eth1's table (its default route is there), the subnet route
        # with the misspelt key is missing
        table = self.eth1_table()
        self.assertTrue(consumers.wait_for(lambda: any(o.table == table and o.gateway == "10.0.2.1"
                                                       for o in kernel_objects(self.lab)), 30), private.output())
        subnet = consumers.route_obj("inet", table, "10.0.2.0/24", "eth1", prefsrc="10.0.2.10", scope_link=True)
        self.assertIn(subnet, self.expected)
        self.assertNotIn(subnet, kernel_objects(self.lab))

    def test_netplan(self) -> None:
        text = self.export("netplan", SEED)["text"].replace("table:", "tabel:", 1)
        root = tempfile.mkdtemp(prefix="gwe-netplan-")
        self.addCleanup(shutil.rmtree, root, True)
        proc = netplan_generate(root, {"10-admin.yaml": netplan_base(SEED.addresses()),
                                       "90-cockpit-gateways.yaml": text})
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("tabel", proc.stderr)

    def test_ifcfg(self) -> None:
        files = {f["name"]: f["text"] for f in self.export("ifcfg", SEED)["files"]}
        files["route-eth1"] = files["route-eth1"].replace("dev eth1 table", "dev eth1 tabel", 1)
        self.fresh(SEED)
        proc = consumers.ifup_routes(self.lab, files, ["eth0", "eth1"])
        self.assertIn('"tabel" is a garbage', proc.stdout + proc.stderr)
        got = kernel_objects(self.lab)
        self.assertEqual(show(self.expected - got),
                         f"route inet 10.0.2.0/24 dev eth1 table {self.eth1_table()} src 10.0.2.10 scope link")
        self.assertEqual(got - self.expected, set())

    def test_nmstate(self) -> None:
        state = yaml.safe_load(self.export("nmstate", SEED)["text"])
        state["routes"]["config"][0]["table-idd"] = state["routes"]["config"][0].pop("table-id")
        with self.assertRaisesRegex(ValueError, "table-idd"):
            consumers.nmstate_profiles(state)
        # and libnm itself: verify() refuses a misspelt value, and a misspelt attribute name is unknown
        from gi.repository import GLib
        state = yaml.safe_load(self.export("nmstate", SEED)["text"])
        state["routes"]["config"][0]["source"] = "10.0.1.1O"
        with self.assertRaisesRegex(GLib.Error, "invalid attribute: '10.0.1.1O' is not a valid IPv4 address"):
            consumers.keyfile_roundtrip(consumers.nmstate_profiles(state)[0])
        with self.assertRaisesRegex(GLib.Error, "unknown attribute"):
            consumers.nm().IPRoute.attribute_validate("tabel", GLib.Variant.new_uint32(10000), 2)

    def test_ansible(self) -> None:
        from test.integration import network_role
        validator_module, _ = network_role.load()
        doc = yaml.safe_load(self.export("ansible", SEED)["text"])
        route = doc["network_connections"][0]["ip"]["route"][0]
        route["tabel"] = route.pop("table")
        with self.assertRaisesRegex(validator_module.ValidationError, "tabel"):
            validator_module.ArgValidator_ListConnections().validate(doc["network_connections"])


if __name__ == "__main__":
    unittest.main()
