# SPDX-License-Identifier: LGPL-2.1-or-later
"""The export writers on the engine's objects for the recorded lab host (test/helper/fixtures),
including the plan's rule that looks up no gateway's table (`lookup main suppress_prefixlength 0`,
main first): each format carries it once, or says that it cannot. The formats as a
whole are judged by the real fleet tools in test/integration/test_export_consumers.py."""

from __future__ import annotations

import os
import sys
import unittest

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways import export, export_yaml, kernel  # noqa: E402
from cockpit_gateways.model import InvalidInput, Rule  # noqa: E402
from cockpit_gateways.plan import Gateway, desired_state  # noqa: E402
from test.helper.test_plan import fixture  # noqa: E402

SUPPRESS = Rule("inet", 30999, (("suppress_prefixlength", "0"),), 254)


def networks(onlink: bool = False) -> list[export.Network]:
    links = kernel.parse_links(fixture("addr.json"))
    gateway = "10.0.5.1" if onlink else "10.0.2.1"
    gw = Gateway("eth1", "inet", gateway, onlink, "static", 10000)
    desired = desired_state([gw], links)
    assert SUPPRESS in desired.rules, desired.rules
    return [export.Network(gw, links["eth1"], desired.routes, desired.rules)]


class Writers(unittest.TestCase):
    def test_suppress_rule_in_every_format(self) -> None:
        nets = networks()
        state = yaml.safe_load(export_yaml.nmstate(nets, [])[0].text)
        self.assertIn({"family": "ipv4", "suppress-prefix-length": 0, "priority": 30999, "route-table": 254},
                      state["route-rules"]["config"])
        role = yaml.safe_load(export_yaml.ansible(nets, [])[0].text)
        self.assertIn({"priority": 30999, "family": "ipv4", "suppress_prefixlength": 0, "table": 254},
                      role["network_connections"][0]["ip"]["routing_rule"])
        (networkd,) = export._networkd(nets, [])
        self.assertIn("[RoutingPolicyRule]\nSuppressPrefixLength=0\nFamily=ipv4\nTable=254\nPriority=30999\n",
                      networkd.text)
        self.assertIn("priority 30999 suppress_prefixlength 0 table 254 protocol 248",
                      export._ifcfg(nets, [])[1].text)
        (netplan,) = export_yaml.netplan(nets, [])
        head = netplan.text.split("\n---\n")[0]
        self.assertIn("# NOT CARRIED: netplan's routing-policy has no suppress_prefixlength", head)
        self.assertEqual(head.splitlines().count("#   ip -4 rule add priority 30999 suppress_prefixlength 0 table 254"), 1)
        policy = yaml.safe_load(netplan.text)["network"]["ethernets"]["eth1"]["routing-policy"]
        self.assertEqual(len(policy), 2)

    def test_onlink_host_route_only_where_no_flag(self) -> None:
        nets = networks(onlink=True)
        routes = yaml.safe_load(export_yaml.nmstate(nets, [])[0].text)["routes"]["config"]
        self.assertEqual([r["destination"] for r in routes], ["10.0.2.0/24", "10.0.5.1/32", "0.0.0.0/0"])
        netplan = yaml.safe_load(export_yaml.netplan(nets, [])[0].text)["network"]["ethernets"]["eth1"]["routes"]
        self.assertEqual([r["to"] for r in netplan], ["10.0.2.0/24", "default"])
        self.assertIs(netplan[1]["on-link"], True)

    def test_a_selector_no_format_knows_is_refused(self) -> None:
        nets = networks()
        nets[0].rules.append(Rule("inet", 30998, (("fwmark", "0x10"),), 10000))
        with self.assertRaisesRegex(InvalidInput, "fwmark"):
            export._networkd(nets, [])


if __name__ == "__main__":
    unittest.main()
