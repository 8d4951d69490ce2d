# SPDX-License-Identifier: LGPL-2.1-or-later
"""Planning and diffing, fed `ip -N -j` output recorded in the lab (test/helper/fixtures)."""

from __future__ import annotations

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways import kernel  # noqa: E402
from cockpit_gateways.model import InvalidInput, Route, Rule, parse_layout  # noqa: E402
from cockpit_gateways.plan import Gateway, Subnets, batches, desired_state, diff, effective_gateways  # noqa: E402
from cockpit_gateways.store import InterfaceConfig, StaticGateway  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def fixture(name: str) -> list[dict[str, object]]:
    with open(os.path.join(FIXTURES, name)) as f:
        data: list[dict[str, object]] = json.load(f)
    return data


def recorded_state() -> tuple[dict[str, kernel.Link], list[Route], list[Rule]]:
    """The lab host after `set eth1 10.0.2.1` and `set eth1 fd00:2::1`."""
    links = kernel.parse_links(fixture("addr.json"))
    routes = [r for family, name in (("inet", "route4-ours.json"), ("inet6", "route6-ours.json"))
              for r in (kernel.parse_route(e, family) for e in fixture(name)) if r is not None]  # type: ignore[arg-type]
    rules = kernel.owned_rules({"inet": fixture("rule4.json"), "inet6": fixture("rule6.json")})
    return links, routes, rules


ETH1 = {"eth1": InterfaceConfig(10000, {"inet": StaticGateway("10.0.2.1"), "inet6": StaticGateway("fd00:2::1")})}


class Parsing(unittest.TestCase):
    def test_links_and_addresses(self) -> None:
        links, _, _ = recorded_state()
        self.assertEqual(sorted(links), ["eth0", "eth1", "lo"])
        eth1 = links["eth1"]
        self.assertTrue(eth1.up)
        self.assertEqual([str(a) for a in eth1.global_addresses("inet")], ["10.0.2.10/24"])
        self.assertEqual([str(a) for a in eth1.global_addresses("inet6")], ["fd00:2::10/64"])
        self.assertEqual(links["lo"].global_addresses("inet"), [])      # host scope

    def test_our_routes_and_rules(self) -> None:
        _, routes, rules = recorded_state()
        self.assertEqual(sorted((r.family, r.dst, r.gateway) for r in routes), [
            ("inet", "0.0.0.0/0", "10.0.2.1"), ("inet", "10.0.2.0/24", None),
            ("inet6", "::/0", "fd00:2::1"), ("inet6", "fd00:2::/64", None)])
        self.assertEqual(sorted((r.family, r.priority, r.selectors) for r in rules), [
            ("inet", 30999, (("suppress_prefixlength", "0"),)),
            ("inet", 31000, (("to", "10.0.2.0/24"),)), ("inet", 31001, (("from", "10.0.2.0/24"),)),
            ("inet6", 30999, (("suppress_prefixlength", "0"),)),
            ("inet6", 31000, (("to", "fd00:2::/64"),)), ("inet6", 31001, (("from", "fd00:2::/64"),))])

    def test_odd_shapes_are_skipped_not_fatal(self) -> None:
        links = kernel.parse_links([{"ifname": "x"}, {"ifindex": 3}, "junk",  # type: ignore[list-item]
                                    {"ifname": "ok", "ifindex": 4, "addr_info": [
                                        {"local": "not-an-ip", "prefixlen": 24}, {"local": "10.1.1.1"},
                                        {"local": "10.1.1.1", "prefixlen": True}, 7,
                                        {"local": "10.1.1.1", "prefixlen": 24}]}])
        self.assertEqual(list(links), ["ok"])
        # an unreadable address is parsed lazily to None and never used
        self.assertEqual([str(a.interface) for a in links["ok"].addresses], ["None", "10.1.1.1/24"])
        self.assertEqual([str(a) for a in links["ok"].global_addresses("inet")], ["10.1.1.1/24"])
        self.assertIsNone(kernel.parse_route({"dst": "default"}, "inet"))           # no device
        self.assertIsNone(kernel.parse_route({"dst": "bogus", "dev": "x"}, "inet"))
        self.assertEqual(kernel.parse_route({"dst": "10.0.0.1", "dev": "x"}, "inet").dst,  # type: ignore[union-attr]
                         "10.0.0.1/32")
        self.assertIsNone(kernel.parse_rule({"src": "all"}, "inet"))                 # no priority

    def test_rule_selectors(self) -> None:
        # recorded: ip -N -j rule show, for
        # `500: not from 10.1.0.0/16 to 10.2.0.0/16 tos 0x10 fwmark 0x10/0xff iif eth1 oif eth0
        #  uidrange 100-200 ipproto tcp sport 1000-2000 dport 22 lookup 77 proto static`
        entry = {"priority": 500, "not": None, "src": "10.1.0.0", "srclen": 16, "dst": "10.2.0.0", "dstlen": 16,
                 "tos": "0x10", "fwmark": "0x10", "fwmask": "0xff", "iif": "eth1", "oif": "eth0",
                 "uid_start": 100, "uid_end": 200, "ipproto": "ipproto-6", "sport_start": 1000,
                 "sport_end": 2000, "dport": 22, "table": "77", "protocol": "4"}
        rule = kernel.parse_rule(entry, "inet")
        assert rule is not None
        self.assertEqual(" ".join(rule.args()),
                         "priority 500 not from 10.1.0.0/16 to 10.2.0.0/16 tos 0x10 fwmark 0x10/0xff iif eth1 "
                         "oif eth0 uidrange 100-200 ipproto 6 sport 1000-2000 dport 22 table 77 protocol 4")
        others = {
            "priority 501 fwmark 0x5 suppress_prefixlength 0 table 254":
                {"priority": 501, "src": "all", "fwmark": "0x5", "table": "254", "suppress_prefixlen": 0},
            "priority 502 blackhole": {"priority": 502, "src": "all", "action": "6"},
            "priority 503 iif lo goto 600": {"priority": 503, "src": "all", "iif": "lo", "goto": 600,
                                             "unresolved": None},
            "priority 504 fwmark 0x7 l3mdev": {"priority": 504, "src": "all", "fwmark": "0x7", "l3mdev": None},
        }
        for text, entry in others.items():
            parsed = kernel.parse_rule(entry, "inet")
            assert parsed is not None
            self.assertEqual(" ".join(parsed.args()), text)


class Planning(unittest.TestCase):
    def test_recorded_state_is_converged(self) -> None:
        links, routes, rules = recorded_state()
        desired = desired_state(effective_gateways(ETH1, {}), links)
        self.assertEqual(diff(desired.routes, desired.rules, routes, rules), [])
        self.assertEqual([s.state for s in desired.states], ["active", "active"])

    def test_from_empty_batch_order(self) -> None:
        links, _, _ = recorded_state()
        desired = desired_state(effective_gateways(ETH1, {}), links)
        lines = batches(diff(desired.routes, desired.rules, [], []))
        self.assertEqual(lines["inet"], [
            "route add 10.0.2.0/24 dev eth1 table 10000 proto 248 scope link src 10.0.2.10",
            "route add default via 10.0.2.1 dev eth1 table 10000 proto 248",
            "rule add priority 31000 to 10.0.2.0/24 table 10000 protocol 248",
            "rule add priority 31001 from 10.0.2.0/24 table 10000 protocol 248",
            "rule add priority 30999 suppress_prefixlength 0 table 254 protocol 248"])
        self.assertEqual(lines["inet6"][:2], ["route add fd00:2::/64 dev eth1 table 10000 proto 248",
                                              "route add default via fd00:2::1 dev eth1 table 10000 proto 248"])

    def test_removal_order_rules_before_routes(self) -> None:
        _, routes, rules = recorded_state()
        ops = [(c.op, c.obj) for c in diff([], [], routes, rules)]
        self.assertEqual(ops, [("del", "rule")] * 6 + [("del", "route")] * 4)

    def test_gateway_change_is_a_replace(self) -> None:
        links, routes, rules = recorded_state()
        config = {"eth1": InterfaceConfig(10000, {"inet": StaticGateway("10.0.2.254"),
                                                  "inet6": StaticGateway("fd00:2::1")})}
        desired = desired_state(effective_gateways(config, {}), links)
        changes = diff(desired.routes, desired.rules, routes, rules)
        self.assertEqual([c.line for c in changes],
                         ["route replace default via 10.0.2.254 dev eth1 table 10000 proto 248"])

    def test_static_wins_over_dhcp(self) -> None:
        gws = effective_gateways(ETH1, {"eth1": {"inet": "10.0.2.99"}})
        self.assertEqual([(g.family, g.address, g.source) for g in gws],
                         [("inet", "10.0.2.1", "static"), ("inet6", "fd00:2::1", "static")])
        only_table = {"eth1": InterfaceConfig(10000)}
        gws = effective_gateways(only_table, {"eth1": {"inet": "10.0.2.99"}})
        self.assertEqual([(g.family, g.address, g.source) for g in gws], [("inet", "10.0.2.99", "dhcp")])

    def test_states(self) -> None:
        links, _, _ = recorded_state()
        cases = [
            (Gateway("nosuch", "inet", "10.0.2.1", False, "static", 10001), "no-interface"),
            (Gateway("lo", "inet", "127.0.0.2", False, "static", 10001), "no-address"),
            (Gateway("eth1", "inet", "10.0.3.1", False, "static", 10001), "unreachable"),
            (Gateway("eth1", "inet", "10.0.3.1", True, "static", 10001), "active"),
        ]
        for gw, state in cases:
            self.assertEqual(desired_state([gw], links).states[0].state, state, gw)
        links["eth1"].up = False
        self.assertEqual(desired_state([cases[3][0]], links).states[0].state, "link-down")

    def test_foreign_looking_rule_with_our_marker_is_deleted_exactly(self) -> None:
        extra = Rule("inet", 31000, (("iif", "eth9"), ("fwmark", "0x1/0xff")), 10000)
        changes = diff([], [], [], [extra])
        self.assertEqual(changes[0].line, "rule del priority 31000 iif eth9 fwmark 0x1/0xff table 10000 protocol 248")

    def test_extra_route_with_other_metric_is_removed_after_adds(self) -> None:
        want = Route("inet", 10000, "0.0.0.0/0", "eth1", gateway="10.0.2.1")
        have = [Route("inet", 10000, "0.0.0.0/0", "eth1", gateway="10.0.2.1", metric=5)]
        self.assertEqual([(c.op, c.line) for c in diff([want], [], have, [])], [
            ("add", "route add default via 10.0.2.1 dev eth1 table 10000 proto 248"),
            ("del", "route del default via 10.0.2.1 dev eth1 table 10000 proto 248 metric 5")])


class SharedSubnets(unittest.TestCase):
    """Which subnets count as shared between interfaces (issue 12, point 2), and the layout."""

    def links(self, *entries: tuple[str, str]) -> dict[str, kernel.Link]:
        data = [{"ifname": name, "ifindex": i + 2, "flags": ["UP"], "operstate": "UP",
                 "addr_info": [{"local": addr.split("/")[0], "prefixlen": int(addr.split("/")[1]), "scope": "global"}]}
                for i, (name, addr) in enumerate(entries)]
        return kernel.parse_links(data)

    def test_equal_nested_and_disjoint_subnets(self) -> None:
        import ipaddress
        links = self.links(("eth1", "10.0.2.10/24"), ("eth2", "10.0.2.20/24"), ("br0", "10.0.0.1/16"),
                           ("eth3", "10.0.2.130/25"), ("eth4", "192.168.1.1/24"), ("eth5", "fd00:2::1/64"))
        subnets = Subnets(links)
        net = ipaddress.ip_network
        self.assertEqual(subnets.sharing(net("10.0.2.0/24"), "eth1"), {"eth2", "br0", "eth3"})
        self.assertEqual(subnets.sharing(net("10.0.0.0/16"), "br0"), {"eth1", "eth2", "eth3"})
        self.assertEqual(subnets.sharing(net("10.0.2.128/25"), "eth3"), {"eth1", "eth2", "br0"})
        self.assertEqual(subnets.sharing(net("192.168.1.0/24"), "eth4"), set())
        self.assertEqual(subnets.sharing(net("fd00:2::/64"), "eth5"), set())

    def test_rules_per_address_and_conflict(self) -> None:
        links = self.links(("eth1", "10.0.2.10/24"), ("eth2", "10.0.2.20/24"))
        gws = [Gateway("eth1", "inet", "10.0.2.1", False, "static", 10000),
               Gateway("eth2", "inet", "10.0.2.254", False, "static", 10001)]
        desired = desired_state(gws, links)
        self.assertEqual(sorted(" ".join(r.args()) for r in desired.rules), [
            "priority 30998 from 10.0.2.10/32 to 10.0.2.0/24 table 10000 protocol 248",
            "priority 30998 from 10.0.2.20/32 to 10.0.2.0/24 table 10001 protocol 248",
            "priority 30999 suppress_prefixlength 0 table 254 protocol 248",
            "priority 31001 from 10.0.2.10/32 table 10000 protocol 248",
            "priority 31001 from 10.0.2.20/32 table 10001 protocol 248"])
        same = self.links(("eth1", "10.0.2.10/24"), ("eth2", "10.0.2.10/24"))
        states = desired_state(gws, same)
        self.assertEqual([s.state for s in states.states], ["conflict", "conflict"])
        self.assertEqual((states.rules, states.routes), ([], []))

    def test_layout_moves_every_priority(self) -> None:
        links = self.links(("eth1", "10.0.2.10/24"))
        gws = [Gateway("eth1", "inet", "10.0.2.1", False, "static", 10000)]
        desired = desired_state(gws, links, parse_layout(1000, 20000, 20010))
        self.assertEqual(sorted(r.priority for r in desired.rules), [1001, 1002, 1003])
        for args, field in (((32763, 1, 2), "priority"), ((0, 1, 2), "priority"), ((True, 1, 2), "priority"),
                            ((5, 300, 200), "tables"), ((5, 250, 260), "tables"), ((5, 0, 10), "tables")):
            with self.assertRaises(InvalidInput) as e:
                parse_layout(*args)
            self.assertEqual(e.exception.field, field)


if __name__ == "__main__":
    unittest.main()
