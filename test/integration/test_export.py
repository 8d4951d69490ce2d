# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cockpit-gateways export` in the lab: the shape of each format (YAML parsed with Debian's
python3-yaml, networkd sections with configparser), DHCP gateways only in a comment unless asked
for, the ifcfg files equal to what the helper itself writes to network-scripts, and the ifcfg
export applied line by line with `ip` in a fresh lab giving the kernel exactly the objects of
`set`, proven by c2's ping to 10.0.2.10. test_export_consumers.py runs every format through the
real consumer."""

from __future__ import annotations

import configparser
import json
import os
import unittest
from typing import Any

import yaml

from test.integration.base import LabTestCase
from test.lab.gwlab import Lab

TABLE = 10000


def split_files(text: str) -> dict[str, str]:
    """`# FILE: name` separated text → {name: content}; what comes before the first is the header."""
    files: dict[str, str] = {}
    name = None
    for line in text.splitlines(keepends=True):
        if line.startswith("# FILE: "):
            name = line[len("# FILE: "):].strip()
            files[name] = ""
        elif name is not None:
            files[name] += line
    return files


def commands(content: str) -> list[str]:
    return [line for line in content.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def networkd_sections(content: str) -> list[tuple[str, dict[str, str]]]:
    """A drop-in repeats [Route] and [RoutingPolicyRule]: parse each section on its own."""
    chunks: list[str] = []
    for line in content.splitlines(keepends=True):
        if line.startswith("["):
            chunks.append("")
        if chunks:
            chunks[-1] += line
    out = []
    for chunk in chunks:
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str        # type: ignore[assignment,method-assign]
        parser.read_string(chunk)
        (name,) = parser.sections()
        out.append((name, dict(parser[name])))
    return out


class ExportFormats(LabTestCase):
    prefix = "gwx1"

    def setUp(self) -> None:
        super().setUp()
        os.makedirs(os.path.join(self.root, "etc/sysconfig/network-scripts"))
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        # a DHCP lease's gateway on eth0, as dhcp-event keeps it
        config_path = os.path.join(self.root, "etc/cockpit-gateways/config.json")
        with open(config_path) as f:
            config = json.load(f)
        config["interfaces"]["eth0"] = {"table": TABLE + 1}
        with open(config_path, "w") as f:
            json.dump(config, f)
        os.makedirs(os.path.join(self.root, "run/cockpit-gateways"), exist_ok=True)
        with open(os.path.join(self.root, "run/cockpit-gateways/dhcp.json"), "w") as f:
            json.dump({"eth0": {"inet": {"gateway": "10.0.1.1"}}}, f)

    def export(self, fmt: str, *extra: str) -> str:
        return self.helper("export", "--format", fmt, *extra).stdout

    def test_nmstate(self) -> None:
        text = self.export("nmstate")
        self.assertIn("# Not exported: eth0 inet via 10.0.1.1 (dhcp", text)
        doc = yaml.safe_load(text)
        self.assertEqual(set(doc), {"routes", "route-rules"})
        self.assertEqual(doc["routes"]["config"], [
            {"destination": "10.0.2.0/24", "next-hop-interface": "eth1", "table-id": TABLE, "source": "10.0.2.10"},
            {"destination": "0.0.0.0/0", "next-hop-interface": "eth1", "next-hop-address": "10.0.2.1",
             "table-id": TABLE},
            {"destination": "fd00:2::/64", "next-hop-interface": "eth1", "table-id": TABLE},
            {"destination": "::/0", "next-hop-interface": "eth1", "next-hop-address": "fd00:2::1", "table-id": TABLE},
        ])
        self.assertEqual(doc["route-rules"]["config"], [
            {"ip-to": "10.0.2.0/24", "priority": 31000, "route-table": TABLE},
            {"ip-from": "10.0.2.0/24", "priority": 31001, "route-table": TABLE},
            {"family": "ipv4", "priority": 30999, "route-table": 254, "suppress-prefix-length": 0},
            {"ip-to": "fd00:2::/64", "priority": 31000, "route-table": TABLE},
            {"ip-from": "fd00:2::/64", "priority": 31001, "route-table": TABLE},
            {"family": "ipv6", "priority": 30999, "route-table": 254, "suppress-prefix-length": 0},
        ])
        # with --include-dhcp the lease's gateway is there too, in its own table
        doc = yaml.safe_load(self.export("nmstate", "--include-dhcp"))
        self.assertIn({"destination": "0.0.0.0/0", "next-hop-interface": "eth0", "next-hop-address": "10.0.1.1",
                       "table-id": TABLE + 1}, doc["routes"]["config"])

    def test_ansible(self) -> None:
        text = self.export("ansible")
        self.assertIn("# Not exported: eth0 inet via 10.0.1.1 (dhcp", text)
        self.assertIn("# network_provider is nm: the role picks its initscripts provider", text)
        doc = yaml.safe_load(text)
        self.assertEqual(doc["network_provider"], "nm")
        (conn,) = doc["network_connections"]
        self.assertEqual((conn["name"], conn["interface_name"], conn["state"]), ("eth1", "eth1", "up"))
        ip = conn["ip"]
        self.assertEqual(ip["address"], ["10.0.2.10/24", "fd00:2::10/64"])
        self.assertIs(ip["dhcp4"], False)
        self.assertIs(ip["route_append_only"], True)
        self.assertEqual(ip["route"], [
            {"network": "10.0.2.0", "prefix": 24, "table": TABLE, "src": "10.0.2.10"},
            {"network": "0.0.0.0", "prefix": 0, "gateway": "10.0.2.1", "table": TABLE},
            {"network": "fd00:2::", "prefix": 64, "table": TABLE},
            {"network": "::", "prefix": 0, "gateway": "fd00:2::1", "table": TABLE},
        ])
        self.assertEqual(ip["routing_rule"], [
            {"priority": 31000, "family": "ipv4", "to": "10.0.2.0/24", "table": TABLE},
            {"priority": 31001, "family": "ipv4", "from": "10.0.2.0/24", "table": TABLE},
            {"priority": 30999, "family": "ipv4", "suppress_prefixlength": 0, "table": 254},
            {"priority": 31000, "family": "ipv6", "to": "fd00:2::/64", "table": TABLE},
            {"priority": 31001, "family": "ipv6", "from": "fd00:2::/64", "table": TABLE},
            {"priority": 30999, "family": "ipv6", "suppress_prefixlength": 0, "table": 254},
        ])

    def test_ifcfg_is_what_the_helper_writes(self) -> None:
        text = self.export("ifcfg")
        self.assertTrue(text.startswith("# cockpit-gateways export"))
        self.assertIn("# Not exported: eth0 inet via 10.0.1.1 (dhcp", text)
        files = split_files(text)
        self.assertEqual(set(files), {"route-eth1", "rule-eth1", "route6-eth1", "rule6-eth1"})
        self.assertEqual(commands(files["route-eth1"]), [
            "10.0.2.0/24 dev eth1 table 10000 proto 248 scope link src 10.0.2.10",
            "default via 10.0.2.1 dev eth1 table 10000 proto 248"])
        self.assertEqual(commands(files["rule6-eth1"]), [
            "priority 31000 to fd00:2::/64 table 10000 protocol 248",
            "priority 31001 from fd00:2::/64 table 10000 protocol 248",
            "priority 30999 suppress_prefixlength 0 table 254 protocol 248"])
        scripts = os.path.join(self.root, "etc/sysconfig/network-scripts")
        for name, content in files.items():
            with open(os.path.join(scripts, name)) as f:
                self.assertEqual(commands(content), commands(f.read()), name)

    def test_networkd(self) -> None:
        files = split_files(self.export("networkd"))
        self.assertEqual(list(files), ["eth1.network.d/50-cockpit-gateways.conf"])
        sections = networkd_sections(files["eth1.network.d/50-cockpit-gateways.conf"])
        self.assertEqual(sections, [
            ("Route", {"Destination": "10.0.2.0/24", "Scope": "link", "PreferredSource": "10.0.2.10",
                       "Table": "10000"}),
            ("Route", {"Gateway": "10.0.2.1", "Table": "10000"}),
            ("RoutingPolicyRule", {"To": "10.0.2.0/24", "Table": "10000", "Priority": "31000"}),
            ("RoutingPolicyRule", {"From": "10.0.2.0/24", "Table": "10000", "Priority": "31001"}),
            ("RoutingPolicyRule", {"Family": "ipv4", "SuppressPrefixLength": "0", "Table": "254", "Priority": "30999"}),
            ("Route", {"Destination": "fd00:2::/64", "Table": "10000"}),
            ("Route", {"Gateway": "fd00:2::1", "Table": "10000"}),
            ("RoutingPolicyRule", {"To": "fd00:2::/64", "Table": "10000", "Priority": "31000"}),
            ("RoutingPolicyRule", {"From": "fd00:2::/64", "Table": "10000", "Priority": "31001"}),
            ("RoutingPolicyRule", {"Family": "ipv6", "SuppressPrefixLength": "0", "Table": "254", "Priority": "30999"}),
        ])

    def test_netplan(self) -> None:
        text = self.export("netplan")
        self.assertIn("# Not exported: eth0 inet via 10.0.1.1 (dhcp", text)
        # netplan cannot carry the main-first rules: the header names them, once per family
        head = text.split("\n---\n")[0].splitlines()
        self.assertEqual([line for line in head if line.startswith("#   ip ")], [
            "#   ip -4 rule add priority 30999 suppress_prefixlength 0 table 254",
            "#   ip -6 rule add priority 30999 suppress_prefixlength 0 table 254"])
        doc = yaml.safe_load(text)
        self.assertEqual(doc, {"network": {"version": 2, "ethernets": {"eth1": {
            "routes": [
                {"to": "10.0.2.0/24", "scope": "link", "from": "10.0.2.10", "table": TABLE},
                {"to": "default", "via": "10.0.2.1", "table": TABLE},
                {"to": "fd00:2::/64", "scope": "link", "table": TABLE},
                {"to": "default", "via": "fd00:2::1", "table": TABLE},
            ],
            "routing-policy": [
                {"to": "10.0.2.0/24", "table": TABLE, "priority": 31000},
                {"from": "10.0.2.0/24", "table": TABLE, "priority": 31001},
                {"to": "fd00:2::/64", "table": TABLE, "priority": 31000},
                {"from": "fd00:2::/64", "table": TABLE, "priority": 31001},
            ]}}}})

    def test_onlink_gateway(self) -> None:
        """Formats with an on-link flag carry it; nmstate and the role get a host route to the
        gateway (scope link, same table) before the default route instead."""
        self.helper("set", "eth1", "10.0.5.1", "--onlink")
        nmstate = yaml.safe_load(self.export("nmstate"))["routes"]["config"]
        self.assertEqual(nmstate[1:3], [
            {"destination": "10.0.5.1/32", "next-hop-interface": "eth1", "table-id": TABLE},
            {"destination": "0.0.0.0/0", "next-hop-interface": "eth1", "next-hop-address": "10.0.5.1",
             "table-id": TABLE}])
        (conn,) = yaml.safe_load(self.export("ansible"))["network_connections"]
        self.assertEqual(conn["ip"]["route"][1:3], [
            {"network": "10.0.5.1", "prefix": 32, "table": TABLE},
            {"network": "0.0.0.0", "prefix": 0, "gateway": "10.0.5.1", "table": TABLE}])
        self.assertIn("a host route to the gateway", self.export("ansible"))
        netplan = yaml.safe_load(self.export("netplan"))["network"]["ethernets"]["eth1"]["routes"]
        self.assertIn({"to": "default", "via": "10.0.5.1", "on-link": True, "table": TABLE}, netplan)
        self.assertEqual(len(netplan), 4)
        sections = networkd_sections(split_files(self.export("networkd"))["eth1.network.d/50-cockpit-gateways.conf"])
        self.assertIn(("Route", {"Gateway": "10.0.5.1", "GatewayOnLink": "yes", "Table": "10000"}), sections)
        self.assertIn("default via 10.0.5.1 dev eth1 table 10000 proto 248 onlink",
                      commands(split_files(self.export("ifcfg"))["route-eth1"]))

    def test_json(self) -> None:
        data: dict[str, Any] = self.helper_json("export", "--format", "networkd")
        self.assertEqual(data["format"], "networkd")
        self.assertEqual(data["directory"], "/etc/systemd/network")
        self.assertEqual([f["name"] for f in data["files"]], ["eth1.network.d/50-cockpit-gateways.conf"])
        self.assertEqual({(n["interface"], n["family"], n["source"]) for n in data["networks"]},
                         {("eth1", "inet", "static"), ("eth1", "inet6", "static")})
        self.assertEqual([(s["interface"], s["gateway"]) for s in data["skipped"]], [("eth0", "10.0.1.1")])
        self.assertIn("# FILE: eth1.network.d/50-cockpit-gateways.conf\n", data["text"])

    def test_bad_format_exits_2(self) -> None:
        proc = self.helper("export", "--format", "yaml", "--json", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("format", json.loads(proc.stdout)["error"])

    def test_export_changes_nothing(self) -> None:
        kernel, files = self.kernel_state(), self.files()
        for fmt in ("nmstate", "ansible", "netplan", "ifcfg", "networkd"):
            self.export(fmt)
        self.assertEqual(self.kernel_state(), kernel)
        self.assertEqual(self.files(), files)


class IfcfgAppliedByIp(LabTestCase):
    """The ifcfg export applied the way ifup-routes does (`ip route add LINE`, `ip rule add LINE`)
    on a fresh host gives the kernel exactly the objects that `set` gives."""
    prefix = "gwx2"

    def owned(self, lab: Lab) -> str:
        rules = [r for f in ("-4", "-6") for r in lab.ip_json("host", f, "rule", "show")
                 if str(r.get("protocol")) == "248"]
        routes = [r for f in ("-4", "-6") for r in lab.ip_json("host", f, "route", "show", "table", "all",
                                                               "proto", "248")]
        return json.dumps([sorted(json.dumps(o, sort_keys=True) for o in objs) for objs in (rules, routes)],
                          indent=1)

    def test_same_objects_and_c2_reaches_the_host(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        expected = self.owned(self.lab)
        files = split_files(self.helper("export", "--format", "ifcfg").stdout)

        fresh = Lab("gwx3").up()
        self.addCleanup(fresh.down)
        self.assertFalse(fresh.ping("c2", "10.0.2.10"), "c2 reaches the host before any source routing")
        # routes first, as ifup-routes does, so no rule points at an empty table
        for name in ("route-eth1", "route6-eth1", "rule-eth1", "rule6-eth1"):
            family = "-6" if "6-" in name else "-4"
            what = "route" if name.startswith("route") else "rule"
            for line in commands(files[name]):
                fresh.run("host", "ip", family, what, "add", *line.split())
        self.assertEqual(self.owned(fresh), expected)
        self.assertTrue(fresh.ping("c2", "10.0.2.10"), "c2 cannot reach 10.0.2.10 after the ifcfg export")
        self.assertTrue(fresh.ping("c1", "10.0.1.10"), "the management path broke")


if __name__ == "__main__":
    unittest.main()
