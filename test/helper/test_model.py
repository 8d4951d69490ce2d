# SPDX-License-Identifier: LGPL-2.1-or-later
"""Validation of input: every rejection is an InvalidInput naming its field."""

from __future__ import annotations

import ipaddress
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways import cli, store  # noqa: E402
from cockpit_gateways.model import (InvalidInput, check_gateway, parse_address,  # noqa: E402
                                    parse_interface_name)


class InterfaceNames(unittest.TestCase):
    def test_accepted(self) -> None:
        for name in ("eth0", "br-lan.100", "wg_0", "x" * 15, "enp0s31f6", "veth-a@b", "a+b"):
            self.assertEqual(parse_interface_name(name), name)

    def test_rejected(self) -> None:
        for name in ("", ".", "..", "x" * 16, "a/b", "../etc", "a b", "a\tb", "a:1", 'a"b', "a'b", "a#b",
                     "a\\b", "é" * 8, "a\nb", "\x00"):
            with self.subTest(name=name):
                with self.assertRaises(InvalidInput) as cm:
                    parse_interface_name(name)
                self.assertEqual(cm.exception.field, "interface")


class Gateways(unittest.TestCase):
    def test_addresses(self) -> None:
        self.assertEqual(str(parse_address(" 10.0.2.1 ")), "10.0.2.1")
        self.assertEqual(str(parse_address("FD00:2::1")), "fd00:2::1")
        for bad in ("", "10.0.2", "10.0.2.256", "fe80::1%eth0", "0.0.0.0", "::", "127.0.0.1", "ff02::1",
                    "224.0.0.5", "host.example", "1.2.3.4/24"):
            with self.subTest(bad=bad):
                with self.assertRaises(InvalidInput) as cm:
                    parse_address(bad)
                self.assertEqual(cm.exception.field, "gateway")

    def test_gateway_against_the_interface(self) -> None:
        v4 = [ipaddress.ip_interface("10.0.2.10/24")]
        v6 = [ipaddress.ip_interface("fd00:2::10/64")]
        check_gateway(ipaddress.ip_address("10.0.2.1"), v4, False)
        check_gateway(ipaddress.ip_address("fe80::1"), v6, False)            # link-local: on the link
        check_gateway(ipaddress.ip_address("10.9.9.9"), v4, True)            # explicitly on-link
        check_gateway(ipaddress.ip_address("10.0.0.1"), [ipaddress.ip_interface("10.0.0.0/31")], False)
        for gw, addrs, words in (
            ("10.0.2.10", v4, "own address"), ("10.0.2.0", v4, "network address"),
            ("10.0.2.255", v4, "broadcast"), ("10.0.3.1", v4, "outside"), ("fd00:2::1", v4, "no IPv6"),
            ("10.0.2.1", v6, "no IPv4"), ("fd00:3::1", v6, "outside"),
        ):
            with self.subTest(gw=gw):
                with self.assertRaises(InvalidInput) as cm:
                    check_gateway(ipaddress.ip_address(gw), addrs, False)  # type: ignore[arg-type]
                self.assertIn(words, str(cm.exception))


class ConfigDocuments(unittest.TestCase):
    def test_round_trip(self) -> None:
        doc = {"version": 1, "interfaces": {"eth1": {"table": 10000, "inet": {"gateway": "10.0.2.1", "onlink": False},
                                                     "inet6": {"gateway": "fe80::1", "onlink": True}},
                                            "eth2": {"table": 10001}}}
        self.assertEqual(store.config_to_json(store.config_from_json(doc, "c")), doc)

    def test_rejected(self) -> None:
        for doc, words in (
            ({"version": 1, "interfaces": {"a": {"table": 10000}, "b": {"table": 10000}}}, "also the table of a"),
            ({"version": 1, "interfaces": {"a": {"table": "10000"}}}, "table number is required"),
            ({"version": 1, "interfaces": {"a": {"table": 10000, "bogus": 1}}}, "unknown field"),
            ({"version": 1, "interfaces": {"a": {"table": 10000, "inet": {"gateway": "x"}}}}, "not an IPv4"),
            ({"version": 1, "interfaces": {"a": {"table": 10000, "inet": {"gateway": "10.0.0.1", "onlink": 1}}}},
             "not true or false"),
            ({"version": True}, "version"),
            ({"interfaces": {}}, "version"),
        ):
            with self.subTest(doc=doc):
                with self.assertRaises(InvalidInput) as cm:
                    store.config_from_json(doc, "config.json")
                self.assertIn(words, str(cm.exception))
                self.assertIn("config.json", str(cm.exception))

    def test_atomic_write_only_when_changed(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            path = os.path.join(root, "etc/x/file")
            self.assertTrue(store.write_atomic(path, "a\n", root))
            mtime = os.stat(path).st_mtime_ns
            self.assertFalse(store.write_atomic(path, "a\n", root))
            self.assertEqual(os.stat(path).st_mtime_ns, mtime)
            self.assertEqual(os.listdir(os.path.dirname(path)), ["file"])     # no temporary left


class CommandLine(unittest.TestCase):
    def test_global_options_before_or_after(self) -> None:
        parser = cli.build_parser()
        a = parser.parse_args(["--json", "--root", "/tmp/r", "status"])
        b = parser.parse_args(["status", "--json", "--root", "/tmp/r"])
        self.assertEqual((a.json, a.root), (b.json, b.root))
        self.assertEqual((a.json, a.root), (True, "/tmp/r"))

    def test_usage_errors_are_invalid_input(self) -> None:
        parser = cli.build_parser()
        for argv in (["set", "eth1"], ["nope"], ["unset", "eth1", "--family", "x"],
                     ["set", "eth1", "10.0.0.1", "--confirm-within", "abc"]):
            with self.subTest(argv=argv):
                with self.assertRaises(InvalidInput):
                    parser.parse_args(argv)


if __name__ == "__main__":
    unittest.main()
