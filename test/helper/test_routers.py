# SPDX-License-Identifier: LGPL-2.1-or-later
"""`routers IFACE`: gateway candidates from the kernel's answers (neighbours, main's routes, the
lease), and bad input that names its field.  The kernel's side is in test/integration/test_onlink.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways import cli, kernel, routers  # noqa: E402

ADDR = [{"ifname": "eth1", "ifindex": 3, "flags": ["UP", "LOWER_UP"], "operstate": "UP", "address": "02:00:00:00:00:01",
         "addr_info": [{"family": "inet", "local": "10.0.2.10", "prefixlen": 24, "scope": "global"},
                       {"family": "inet6", "local": "fd00:2::10", "prefixlen": 64, "scope": "global"},
                       {"family": "inet6", "local": "fe80::1:10", "prefixlen": 64, "scope": "link"}]}]
LINK = kernel.parse_links(ADDR)["eth1"]


class Candidates(unittest.TestCase):
    def test_ipv4_sources_merge_and_rank(self) -> None:
        neigh = [{"dst": "10.0.2.1", "lladdr": "x", "state": ["REACHABLE"]},
                 {"dst": "10.0.2.7", "lladdr": "x", "state": ["STALE"]},
                 {"dst": "10.0.2.8", "state": ["FAILED"]},              # gone
                 {"dst": "10.0.2.9", "state": ["INCOMPLETE"]},          # never answered
                 {"dst": "10.0.3.5", "lladdr": "x", "state": ["REACHABLE"]},   # outside the subnet
                 {"dst": "10.0.2.10", "lladdr": "x", "state": ["REACHABLE"]}]  # our own address
        routes = [{"dst": "default", "gateway": "10.0.2.1", "flags": []},
                  {"dst": "10.0.7.0/24", "gateway": "10.0.3.1", "flags": ["onlink"]},
                  {"dst": "10.0.2.0/24", "protocol": "kernel", "scope": "link", "flags": []}]
        got = routers.candidates(LINK, "inet", neighbours=neigh, routes=routes, lease="10.0.2.7")
        self.assertEqual([(c["address"], c["sources"], c["onlink"]) for c in got], [
            ("10.0.2.1", ["neighbour", "main"], False),
            ("10.0.2.7", ["neighbour", "dhcp"], False),
            ("10.0.3.1", ["main"], True),
        ])

    def test_ipv6_router_flag_and_link_local(self) -> None:
        neigh = [{"dst": "fe80::1", "lladdr": "x", "router": None, "state": ["STALE"]},
                 {"dst": "fd00:2::5", "lladdr": "x", "state": ["REACHABLE"]},
                 {"dst": "fe80::9", "lladdr": "x", "state": ["REACHABLE"]},    # a plain link-local host
                 {"dst": "fe80::1:10", "lladdr": "x", "state": ["REACHABLE"]}]  # our own link-local
        got = routers.candidates(LINK, "inet6", neighbours=neigh, routes=[], lease=None)
        self.assertEqual([(c["address"], c["sources"], c["onlink"]) for c in got], [
            ("fd00:2::5", ["neighbour"], False),
            ("fe80::1", ["router"], False),      # link-local: always on the link, no --onlink needed
        ])

    def test_other_family_and_junk_are_ignored(self) -> None:
        got = routers.candidates(LINK, "inet", neighbours=[{"dst": "fd00:2::5", "state": ["REACHABLE"]}, "junk",
                                                           {"dst": "not an address", "state": ["REACHABLE"]}],
                                 routes=[{"gateway": "fd00:2::1"}, {"gateway": 7}], lease="fd00:2::1")
        self.assertEqual(got, [])

    def test_networks(self) -> None:
        self.assertEqual(routers.networks(LINK, "inet"),
                         [{"family": "inet", "network": "10.0.2.0/24", "address": "10.0.2.10"}])
        self.assertEqual([n["network"] for n in routers.networks(LINK, "inet6")], ["fd00:2::/64"])


class BadInput(unittest.TestCase):
    def run_cli(self, *argv: str) -> tuple[int, dict[str, object]]:
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as root:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(["--root", root, *argv, "--json"])
            self.assertEqual(os.listdir(root), [], "a read-only command wrote files")
        self.assertEqual(len(err.getvalue().splitlines()), 1)
        return code, json.loads(out.getvalue())

    def test_each_field_is_named(self) -> None:
        for argv, field, words in ((("routers", "eth 1"), "interface", "eth 1"),
                                   (("routers", "a" * 16), "interface", "15 bytes"),
                                   (("routers", "gwnosuch0"), "interface", "no interface 'gwnosuch0'"),
                                   (("routers", "lo", "--family", "ipx"), "arguments", "--family"),
                                   (("routers",), "arguments", "IFACE")):
            code, doc = self.run_cli(*argv)
            self.assertEqual(code, 2, argv)
            self.assertEqual(doc.get("field"), field, argv)
            self.assertIn(words, str(doc.get("error")), argv)


if __name__ == "__main__":
    unittest.main()
