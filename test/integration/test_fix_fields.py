# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every field of `route add` and `rule add` that the page's Add route / Add rule offer, through the
helper into the lab host's kernel, read back with `ip -j`; and the kernel's own limits (rule ports
1-65534, user ids up to 2^32-2) refused before the kernel is asked, naming the field."""

from __future__ import annotations

import json

from test.integration.base import LabTestCase


class FixFields(LabTestCase):
    prefix = "gwff"

    def test_route_fields_reach_the_kernel(self) -> None:
        self.helper("route", "add", "10.140.0.0/16", "--table", "300", "--via", "10.0.2.1", "--dev", "eth1",
                    "--src", "10.0.2.10", "--proto", "bird", "--metric", "42")
        self.helper("route", "add", "10.141.0.0/16", "--table", "300", "--dev", "eth1", "--scope", "host")
        self.helper("route", "add", "10.142.0.0/16", "--table", "300", "--via", "10.0.5.1", "--dev", "eth1", "--onlink")
        routes = {r["dst"]: r for r in self.lab.ip_json("host", "route", "show", "table", "300")}
        self.assertEqual([routes["10.140.0.0/16"].get(k) for k in ("gateway", "dev", "prefsrc", "protocol", "metric")],
                         ["10.0.2.1", "eth1", "10.0.2.10", "12", 42])        # -N: bird is 12
        self.assertEqual(routes["10.141.0.0/16"].get("scope"), "254")          # -N: host
        self.assertIn("onlink", routes["10.142.0.0/16"]["flags"])

    def test_rule_fields_reach_the_kernel(self) -> None:
        self.helper("rule", "add", "--priority", "1710", "--family", "inet6", "--oif", "eth1", "--ipproto", "tcp",
                    "--sport", "1024-2048", "--dport", "443", "--uidrange", "1000-1999", "--not", "--table", "300")
        self.helper("rule", "add", "--priority", "1711", "--from", "10.0.7.0/24", "--action", "prohibit")
        [rule] = self.lab.ip_json("host", "-6", "rule", "show", "priority", "1710")
        self.assertEqual([rule.get(k) for k in ("oif", "ipproto", "sport_start", "sport_end", "dport", "uid_start",
                                                "uid_end", "table")],
                         ["eth1", "ipproto-6", 1024, 2048, 443, 1000, 1999, "300"])   # -N: tcp is 6
        self.assertIn("not", rule)
        self.assertEqual(self.lab.ip_json("host", "-4", "rule", "show", "priority", "1710"), [])
        [prohibit] = self.lab.ip_json("host", "rule", "show", "priority", "1711")
        self.assertEqual(prohibit.get("action"), "8")                         # -N: prohibit
        # the kernel's edges that are still allowed
        self.helper("rule", "add", "--priority", "1712", "--dport", "1-65534", "--uidrange", "0-4294967294",
                    "--table", "300")
        [edge] = self.lab.ip_json("host", "rule", "show", "priority", "1712")
        self.assertEqual([edge.get(k) for k in ("dport_start", "dport_end", "uid_start", "uid_end")],
                         [1, 65534, 0, 4294967294])

    def test_the_kernels_limits_are_refused_naming_the_field(self) -> None:
        cases = [
            (("--dport", "65535"), "dport"), (("--sport", "0"), "sport"), (("--dport", "1024-65535"), "dport"),
            (("--uidrange", "4294967295"), "uidrange"), (("--uidrange", "0-4294967295"), "uidrange"),
            (("--ipproto", "256"), "ipproto"), (("--uidrange", "5-1"), "uidrange"),
        ]
        for extra, field in cases:
            with self.subTest(extra=extra):
                kernel, files = self.kernel_state(), self.files()
                proc = self.helper("rule", "add", "--priority", "1713", *extra, "--table", "300", "--json", check=False)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertEqual(json.loads(proc.stdout)["field"], field)
                self.assertEqual((self.kernel_state(), self.files()), (kernel, files))
