# SPDX-License-Identifier: LGPL-2.1-or-later
"""The shared validation corpus (test/validation/cases.json) against the helper's validators.

The page runs the same cases (test/unit/validation-corpus.test.ts), so the two cannot drift: a
valid value passes, an invalid one is refused with an InvalidInput naming the field.  The lookup
cases read the machine's links and ask its kernel `ip route get 127.0.0.1` (reading only).
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import tempfile
import unittest
from typing import Any, Callable

TOP = os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(TOP, "src", "helper"))

from cockpit_gateways import inspect, objects, tablenames  # noqa: E402
from cockpit_gateways.model import InvalidInput, check_gateway, parse_address  # noqa: E402
from cockpit_gateways.store import Paths  # noqa: E402

with open(os.path.join(TOP, "test", "validation", "cases.json")) as f:
    CORPUS: dict[str, Any] = json.load(f)
NAMES = {int(k): v for k, v in CORPUS["context"]["tables"].items()}
LINKS = set(CORPUS["context"]["links"])
PROTO = 4


# table names are checked against rt_tables files under a --root that names the context's tables
ROOT = tempfile.TemporaryDirectory(prefix="gw-corpus-")
os.makedirs(os.path.join(ROOT.name, "etc/iproute2"))
with open(os.path.join(ROOT.name, "etc/iproute2/rt_tables"), "w") as f:
    f.write("".join(f"{number}\t{name}\n" for number, name in NAMES.items()))


def tearDownModule() -> None:
    ROOT.cleanup()


def _rule(**kw: str) -> object:
    return objects.rule_spec(NAMES, priority="100", default_proto=PROTO, **({"table": "300"} | kw))


def _gateway(value: str) -> None:
    addresses = [ipaddress.ip_interface(a) for a in CORPUS["kinds"]["gateway"]["addresses"]]
    check_gateway(parse_address(value), addresses, False)


# kind → (the helper's field name, how the helper validates one value)
CHECKS: dict[str, tuple[str, Callable[[str], object]]] = {
    "gateway": ("gateway", _gateway),
    "destination": ("destination", lambda v: objects.route_spec(NAMES, LINKS, dst=v, table="300")),
    "via": ("via", lambda v: objects.route_spec(NAMES, LINKS, dst="fd00:3::/64" if ":" in v else "10.0.3.0/24",
                                                table="300", via=v)),
    "metric": ("metric", lambda v: objects.route_spec(NAMES, LINKS, dst="10.0.3.0/24", table="300", metric=v)),
    "priority": ("priority", lambda v: objects.rule_spec(NAMES, priority=v, table="300", default_proto=PROTO)),
    "rule-fwmark": ("fwmark", lambda v: objects.rule_spec(NAMES, priority="100", fwmark=v, table="300",
                                                          default_proto=PROTO)),
    "lookup-fwmark": ("fwmark", lambda v: inspect.lookup(NAMES, "127.0.0.1", fwmark=v)),
    "selector": ("from", lambda v: objects.rule_spec(NAMES, priority="100", source=v, table="300",
                                                     default_proto=PROTO)),
    "table": ("table", lambda v: objects.route_spec(NAMES, LINKS, dst="10.0.3.0/24", table=v)),
    "route-src": ("src", lambda v: objects.route_spec(NAMES, LINKS, dst="fd00:3::/64" if ":" in v else "10.0.3.0/24",
                                                      table="300", src=v)),
    "route-scope": ("scope", lambda v: objects.route_spec(NAMES, LINKS, dst="10.0.3.0/24", table="300", dev="eth1",
                                                          scope=v)),
    "route-proto": ("proto", lambda v: objects.route_spec(NAMES, LINKS, dst="10.0.3.0/24", table="300", dev="eth1",
                                                          proto=v)),
    "rule-device": ("oif", lambda v: _rule(oif=v)),
    "rule-ipproto": ("ipproto", lambda v: _rule(ipproto=v)),
    "rule-port": ("dport", lambda v: _rule(dport=v)),
    "rule-uidrange": ("uidrange", lambda v: _rule(uidrange=v)),
    "rule-action": ("action", lambda v: objects.rule_spec(NAMES, priority="100", action=v, default_proto=PROTO)),
    "table-name": ("name", lambda v: tablenames.plan_add(Paths(ROOT.name), "400", v)),
    "table-number": ("number", lambda v: tablenames.plan_add(Paths(ROOT.name), v, "lab")),
}


class ValidationCorpus(unittest.TestCase):
    def test_every_kind_is_checked(self) -> None:
        self.assertEqual(sorted(CHECKS), sorted(CORPUS["kinds"]))

    def test_valid_values_pass(self) -> None:
        for kind, (_field, check) in CHECKS.items():
            for value in CORPUS["kinds"][kind]["valid"]:
                with self.subTest(kind=kind, value=value):
                    check(value)

    def test_invalid_values_are_refused_naming_the_field(self) -> None:
        for kind, (field, check) in CHECKS.items():
            for value in CORPUS["kinds"][kind]["invalid"]:
                with self.subTest(kind=kind, value=value):
                    with self.assertRaises(InvalidInput) as cm:
                        check(value)
                    self.assertEqual(cm.exception.field, field)
                    self.assertTrue(str(cm.exception).startswith(f"{field}:"), str(cm.exception))


if __name__ == "__main__":
    unittest.main()
