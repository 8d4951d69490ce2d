# SPDX-License-Identifier: LGPL-2.1-or-later
"""Bad input on a real host: exit 2, one readable message naming the field, and nothing changed
(kernel and files compared before and after)."""

from __future__ import annotations

import json
import os

from test.integration.base import LabTestCase


class BadInput(LabTestCase):
    prefix = "gwin1"

    def setUp(self) -> None:
        super().setUp()
        # an interface with IPv4 only, for the wrong-family case
        self.host("ip", "link", "add", "v4only", "type", "veth", "peer", "name", "v4peer")
        self.host("ip", "addr", "add", "10.0.77.1/24", "dev", "v4only")
        self.host("ip", "link", "set", "v4only", "up")
        self.add_foreign_objects()
        self.helper("set", "eth0", "10.0.1.1")

    def assert_rejected(self, args: tuple[str, ...], field: str, words: str) -> None:
        kernel, files = self.kernel_state(), self.files()
        proc = self.helper(*args, "--json", check=False)
        self.assertEqual(proc.returncode, 2, f"{args}: {proc.stderr}")
        doc = json.loads(proc.stdout)
        self.assertEqual(doc.get("field"), field, f"{args}: {doc}")
        self.assertIn(words, doc["error"], args)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files), f"{args} changed something")

    def test_bad_commands(self) -> None:
        cases = [
            (("set", "nosuch0", "10.0.2.1"), "interface", "no interface 'nosuch0'"),
            (("set", "../etc", "10.0.2.1"), "interface", "not a valid interface name"),
            (("set", "a b", "10.0.2.1"), "interface", "not a valid interface name"),
            (("set", "x" * 16, "10.0.2.1"), "interface", "longer than 15 bytes"),
            (("set", "eth#1", "10.0.2.1"), "interface", "not a valid interface name"),
            (("set", "", "10.0.2.1"), "interface", "required"),
            (("set", "eth1", "10.0.2.300"), "gateway", "not an IPv4 or IPv6 address"),
            (("set", "eth1", "gateway"), "gateway", "not an IPv4 or IPv6 address"),
            (("set", "eth1", "fe80::1%eth1"), "gateway", "without a zone"),
            (("set", "v4only", "fd00:2::1"), "gateway", "no IPv6 address"),
            (("set", "eth1", "10.0.3.1"), "gateway", "outside the interface's subnets"),
            (("set", "eth1", "10.0.2.10"), "gateway", "the interface's own address"),
            (("set", "eth1", "10.0.2.0"), "gateway", "network address"),
            (("set", "eth1", "10.0.2.255"), "gateway", "broadcast address"),
            (("set", "eth1", "224.0.0.1"), "gateway", "cannot be a gateway"),
            (("set", "eth1", "10.0.2.1", "--confirm-within", "0"), "arguments", "between 1 and 3600"),
            (("set", "eth1"), "arguments", "usage"),
            (("unset", "eth1", "--family", "ipx"), "arguments", "usage"),
            (("frobnicate",), "arguments", "usage"),
            (("reconcile", "a/b"), "interface", "not a valid interface name"),
        ]
        for args, field, words in cases:
            with self.subTest(args=args):
                self.assert_rejected(args, field, words)

    def test_onlink_allows_a_gateway_outside_the_subnets(self) -> None:
        self.helper("set", "eth1", "10.0.3.1", "--onlink")
        routes = [r for r in self.our_routes() if r["dst"] == "default" and r["dev"] == "eth1"]
        self.assertEqual(routes[0]["flags"], ["onlink"])

    def test_bad_config_files(self) -> None:
        path = os.path.join(self.root, "etc/cockpit-gateways/config.json")
        for text, words in (
            ("{not json", "not valid JSON"),
            ('{"version": 2, "interfaces": {}}', "newer than this helper"),
            ('{"version": 1, "interfaces": {"eth1": {"table": 5}}}', "outside our table range"),
            ('{"version": 1, "interfaces": {"eth1": {"table": 10001, "inet": {"gateway": "fd00::1"}}}}',
             "not an inet address"),
            ('{"version": 1, "interfaces": {"e/x": {"table": 10001}}}', "not a valid interface name"),
            ('[]', "not a JSON object"),
        ):
            with self.subTest(text=text):
                with open(path, "w") as f:
                    f.write(text)
                kernel = self.kernel_state()
                for args in (("reconcile",), ("set", "eth1", "10.0.2.1"), ("unset", "eth0"), ("status",)):
                    proc = self.helper(*args, check=False)
                    self.assertEqual(proc.returncode, 2, f"{args}: {proc.stderr}")
                    self.assertIn(words, proc.stderr)
                    self.assertIn("config.json", proc.stderr)
                self.assertEqual(self.kernel_state(), kernel)
                with open(path) as f:
                    self.assertEqual(f.read(), text)

    def test_changing_commands_need_root(self) -> None:
        kernel, files = self.kernel_state(), self.files()
        helper = self.readable_helper()
        for args in (("set", "eth1", "10.0.2.1"), ("unset", "eth0"), ("reconcile",), ("confirm", "x" * 32)):
            proc = self.helper(*args, check=False, prefix=self.NOBODY, helper=helper)
            self.assertEqual(proc.returncode, 2, f"{args}: {proc.stderr}")
            self.assertIn("needs root", proc.stderr)
        # reading needs no privileges
        proc = self.helper("status", "--json", prefix=self.NOBODY, helper=helper)
        self.assertEqual(json.loads(proc.stdout)["version"], 1)
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))

    def test_symlink_in_our_directory_is_not_followed(self) -> None:
        target = os.path.join(self.root, "elsewhere")
        os.makedirs(target)
        tables = os.path.join(self.root, "etc/iproute2/rt_tables.d")
        os.rename(tables, tables + ".real")
        os.symlink(target, tables)
        proc = self.helper("set", "eth1", "10.0.2.1", check=False)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("symbolic link", proc.stderr)
        self.assertEqual(os.listdir(target), [])
