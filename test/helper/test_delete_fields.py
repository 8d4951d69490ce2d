# SPDX-License-Identifier: LGPL-2.1-or-later
"""One brain (issue 16, point 2), the pure parts: the arguments that delete exactly one route or
rule (owners.route_delete, owners.rule_delete), and a plan change's `fields` beside its text
(plan.route_fields, plan.rule_fields, objects.RouteSpec.fields).  The kernel proves the delete
arguments in test/integration/test_delete_args.py."""

from __future__ import annotations

import os
import sys
import unittest
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways import names, owners  # noqa: E402
from cockpit_gateways.model import Route, Rule  # noqa: E402
from cockpit_gateways.objects import RouteSpec  # noqa: E402
from cockpit_gateways.plan import diff, route_fields, rule_fields  # noqa: E402


def context() -> owners.Context:
    return owners.Context(links={}, protocols={int(n): name for n, name in names.PROTOCOLS.items()}, kept_rules=[], kept_routes=[],
                          fix_rules=[], fix_routes=[], networks={10000: "eth1"}, family_networks={"inet": ["eth1"]},
                          wireguard_tables=set(), ec2_tables=set(), wireguard_priorities=set(), nm_devices=set(),
                          networkd_devices=set())


class RouteDelete(unittest.TestCase):
    def delete(self, route: dict[str, Any], owner: str = "static", table: int = 300) -> list[str] | None:
        return owners.route_delete(route, table, owner, context())

    def test_every_attribute_and_the_defaults_ip_leaves_out(self) -> None:
        route = {"type": "unicast", "dst": "10.9.0.0/24", "gateway": "10.0.2.1", "dev": "eth1", "flags": []}
        self.assertEqual(self.delete(route), ["route", "del", "10.9.0.0/24", "--table", "300", "--via", "10.0.2.1",
                                              "--dev", "eth1", "--metric", "0", "--scope", "global", "--proto", "3",
                                              "--foreign"])

    def test_names_become_numbers_and_flags_stay(self) -> None:
        route = {"type": "blackhole", "dst": "default", "protocol": "bird", "metric": 5, "flags": []}
        self.assertEqual(self.delete(route), ["route", "del", "default", "--table", "300", "--family", "inet",
                                              "--type", "blackhole", "--metric", "5", "--scope", "global",
                                              "--proto", "12", "--foreign"])
        onlink = {"type": "unicast", "dst": "default", "gateway": "fd00::1", "dev": "eth1", "metric": 1024,
                  "protocol": "cockpit-gateways", "flags": ["onlink"]}
        self.assertEqual(self.delete(onlink, "cockpit-gateways", 10000),
                         ["route", "del", "default", "--table", "10000", "--family", "inet6", "--via", "fd00::1",
                          "--dev", "eth1", "--metric", "1024", "--scope", "global", "--proto", "248", "--onlink"])

    def test_ours_need_no_foreign(self) -> None:
        route = {"type": "unicast", "dst": "10.9.0.0/24", "dev": "eth1", "flags": []}
        for owner in ("cockpit-gateways", "kept", "fix"):
            self.assertNotIn("--foreign", self.delete(route, owner) or ["missing"])

    def test_what_cannot_be_deleted(self) -> None:
        for route, owner in (
            ({"type": "unicast", "dst": "10.0.2.0/24", "dev": "eth1", "protocol": "kernel", "flags": []}, "kernel"),
            ({"type": "local", "dst": "10.0.2.10", "dev": "eth1", "flags": []}, "static"),
            ({"type": "unicast", "dst": "10.9.0.0/24", "nexthops": [{"gateway": "10.0.2.1"}], "flags": []}, "static"),
            ({"type": "unicast", "dst": "10.9.0.0/24", "nhid": "5", "flags": []}, "static"),
            ({"type": "unicast", "dst": "10.9.0.0/24", "dev": "eth1", "scope": "site", "flags": []}, "static"),
        ):
            self.assertIsNone(self.delete(route, owner), route)


class RuleDelete(unittest.TestCase):
    def test_every_selector(self) -> None:
        rule = Rule("inet", 500, (("not", ""), ("from", "10.0.7.0/24"), ("fwmark", "0x10/0xff"), ("iif", "eth1"),
                                  ("ipproto", "6"), ("dport", "80")), 200, protocol=4)
        self.assertEqual(owners.rule_delete(rule, "static"),
                         ["rule", "del", "--priority", "500", "--family", "inet", "--not", "--from", "10.0.7.0/24",
                          "--fwmark", "0x10/0xff", "--iif", "eth1", "--ipproto", "6", "--dport", "80",
                          "--table", "200", "--proto", "4", "--foreign"])

    def test_actions(self) -> None:
        rule = Rule("inet6", 502, (("from", "fd00:8::/64"),), None, protocol=0, action="prohibit")
        self.assertEqual(owners.rule_delete(rule, "kept"),
                         ["rule", "del", "--priority", "502", "--family", "inet6", "--from", "fd00:8::/64",
                          "--action", "prohibit", "--proto", "0"])

    def test_what_cannot_be_deleted(self) -> None:
        for rule, owner in (
            (Rule("inet", 32766, (), 254, protocol=2), "kernel"),
            (Rule("inet", 30999, (("suppress_prefixlength", "0"),), 254), "cockpit-gateways"),
            (Rule("inet", 100, (("l3mdev", ""),), None, protocol=0), "static"),
            (Rule("inet", 100, (), 200, protocol=0, action="goto"), "static"),
            (Rule("inet", 100, (), None, protocol=0, action="nop"), "static"),
        ):
            self.assertIsNone(owners.rule_delete(rule, owner), rule)

    def test_owner_fields(self) -> None:
        c = context()
        ours = owners.rule_owner(Rule("inet", 31001, (("from", "10.0.2.0/24"),), 10000), c)
        self.assertEqual((ours["owner"], ours["owned"], ours["networks"]),
                         ("cockpit-gateways", True, [{"interface": "eth1", "family": "inet"}]))
        main = owners.rule_owner(Rule("inet", 30999, (("suppress_prefixlength", "0"),), 254), c)
        self.assertEqual((main["networks"], main["delete"]), ([{"interface": "eth1", "family": "inet"}], None))
        c.fix_rules = [Rule("inet", 900, (("from", "10.0.2.10/32"),), 300, protocol=4)]
        fix = owners.rule_owner(Rule("inet", 900, (("from", "10.0.2.10/32"),), 300, protocol=4), c)
        self.assertEqual((fix["owner"], fix["owned"], "networks" in fix), ("fix", True, False))
        other = owners.rule_owner(Rule("inet", 901, (("from", "10.0.2.10/32"),), 300, protocol=4), c)
        self.assertEqual((other["owner"], other["owned"], other["delete"][-1]), ("static", False, "--foreign"))


class Fields(unittest.TestCase):
    def test_route_and_rule_fields(self) -> None:
        default = Route("inet", 10000, "0.0.0.0/0", "eth1", gateway="10.0.2.1", onlink=True)
        subnet = Route("inet", 10000, "10.0.2.0/24", "eth1", prefsrc="10.0.2.10", scope_link=True, metric=0)
        self.assertEqual(route_fields(default), {"dst": "default", "gateway": "10.0.2.1", "dev": "eth1",
                                                 "table": 10000, "protocol": 248, "onlink": True})
        self.assertEqual(route_fields(subnet), {"dst": "10.0.2.0/24", "dev": "eth1", "table": 10000, "protocol": 248,
                                                "prefsrc": "10.0.2.10", "scope": "link", "metric": 0})
        self.assertEqual(rule_fields(Rule("inet", 30999, (("suppress_prefixlength", "0"),), 254)),
                         {"priority": 30999, "suppress_prefixlength": 0, "action": "lookup", "table": 254,
                          "protocol": 248})
        self.assertEqual(rule_fields(Rule("inet", 5, (("not", ""), ("fwmark", "0x10")), 7, protocol=0, action="goto")),
                         {"priority": 5, "not": True, "fwmark": "0x10", "action": "goto", "table": 7})

    def test_diff_changes_carry_fields(self) -> None:
        want = [Route("inet", 10000, "0.0.0.0/0", "eth1", gateway="10.0.2.1")]
        rules = [Rule("inet", 31001, (("from", "10.0.2.0/24"),), 10000)]
        changes = diff(want, rules, [Route("inet", 10000, "10.0.3.0/24", "eth1", metric=0)], [])
        self.assertEqual([(c.op, c.obj, c.to_json()["fields"]) for c in changes], [
            ("add", "route", route_fields(want[0])),
            ("add", "rule", rule_fields(rules[0])),
            ("del", "route", {"dst": "10.0.3.0/24", "dev": "eth1", "table": 10000, "protocol": 248, "metric": 0}),
        ])
        self.assertEqual(changes[2].line, "route del 10.0.3.0/24 dev eth1 table 10000 proto 248 metric 0")

    def test_fix_fields(self) -> None:
        spec = RouteSpec("inet6", 300, "::/0", type="unreachable", metric=5, protocol=4)
        self.assertEqual(spec.fields(), {"dst": "default", "table": 300, "type": "unreachable", "metric": 5,
                                         "protocol": 4})


if __name__ == "__main__":
    unittest.main()
