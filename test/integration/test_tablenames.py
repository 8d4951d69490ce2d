# SPDX-License-Identifier: LGPL-2.1-or-later
"""Naming a routing table (`table-name add NUMBER NAME`, `table-name del NAME`).

The proof that iproute2 reads the name is the real `ip route show table NAME` with the helper's
--root files in place over /etc/iproute2: only inside a private mount namespace (`unshare -m`, a
bind mount), so the machine's own /etc is never written or shadowed for anyone else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time

from test.integration.base import LabTestCase

NAMES = "etc/iproute2/rt_tables.d/cockpit-gateways-names.conf"


class TableNames(LabTestCase):
    prefix = "gwtn"

    def setUp(self) -> None:
        super().setUp()
        # the machine's rt_tables (reserved names) and another tool's file, as a host has them
        os.makedirs(os.path.join(self.root, "etc/iproute2/rt_tables.d"))
        shutil.copy("/etc/iproute2/rt_tables", os.path.join(self.root, "etc/iproute2/rt_tables"))
        with open(os.path.join(self.root, "etc/iproute2/rt_tables.d/vpn.conf"), "w") as f:
            f.write("# a VPN's table\n200\tvpn\n")
        self.helper("set", "eth1", "10.0.2.1")           # our gateway table gw-eth1 (10000)
        self.host("ip", "route", "add", "10.0.50.0/24", "dev", "eth1", "table", "300")

    def ip_with_names(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """The real `ip -n HOST …`, reading the --root's /etc/iproute2 (private mount namespace)."""
        script = 'mount --bind "$1" /etc/iproute2 && shift && exec ip "$@"'
        proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                               os.path.join(self.root, "etc/iproute2"), "-n", self.lab.ns("host"), *args],
                              capture_output=True, text=True, timeout=30)
        if check and proc.returncode != 0:
            self.fail(f"ip {' '.join(args)}: {proc.stderr}")
        return proc

    def test_a_named_table_is_read_by_iproute2(self) -> None:
        before = self.files()
        plan = self.helper_json("table-name", "add", "300", "lab300", "--dry-run")
        self.assertEqual(plan["names"], [{"op": "add", "id": 300, "name": "lab300", "text": "300\tlab300"}])
        self.assertEqual(plan["files"], [{"path": os.path.join(self.root, NAMES), "action": "write"}])
        self.assertEqual(self.files(), before, "--dry-run wrote something")
        unknown = self.ip_with_names("route", "show", "table", "lab300", check=False)
        self.assertIn("table id value is invalid", unknown.stderr)

        self.helper("table-name", "add", "300", "lab300")
        shown = json.loads(self.ip_with_names("-j", "route", "show", "table", "lab300").stdout)
        self.assertEqual([r["dst"] for r in shown], ["10.0.50.0/24"])
        # the other files are as they were: ours for gw-eth1 and the VPN's
        self.assertEqual(self.files()["etc/iproute2/rt_tables.d/vpn.conf"], before["etc/iproute2/rt_tables.d/vpn.conf"])
        gw = json.loads(self.ip_with_names("-j", "route", "show", "table", "gw-eth1").stdout)
        self.assertIn("default", [r["dst"] for r in gw])
        tables = {t["id"]: t["name"] for t in self.helper_json("status")["tables"]}
        self.assertEqual(tables.get(300), "lab300")

        # a named table with no routes is listed too (the page shows the name after apply)
        self.helper("table-name", "add", "301", "empty301")
        self.assertEqual({t["id"]: t["name"] for t in self.helper_json("status")["tables"]}.get(301), "empty301")

        self.helper("table-name", "del", "lab300")
        self.assertIn("table id value is invalid",
                      self.ip_with_names("route", "show", "table", "lab300", check=False).stderr)
        # the kept name still works, in both directions: a route added by name lands in 301
        self.ip_with_names("route", "add", "10.0.51.0/24", "dev", "eth1", "table", "empty301")
        self.assertEqual([r["dst"] for r in self.lab.ip_json("host", "route", "show", "table", "301")], ["10.0.51.0/24"])
        self.helper("table-name", "del", "301")                   # by number, too
        self.assertFalse(os.path.exists(os.path.join(self.root, NAMES)), "the empty names file stays")

    def test_bad_names_are_refused_naming_the_field(self) -> None:
        self.helper("table-name", "add", "300", "lab300")
        cases = [
            (("add", "301", "lab300"), "name", "already names table 300"),
            (("add", "300", "other"), "number", "already named lab300"),
            (("add", "301", "vpn"), "name", "/etc/iproute2/rt_tables.d/vpn.conf"),
            (("add", "200", "other"), "number", "already named vpn"),
            (("add", "10000", "other"), "number", "already named gw-eth1"),
            (("add", "10005", "other"), "number", "range for gateway tables"),
            (("add", "301", "gw-other"), "name", "gw-"),
            (("add", "301", "main"), "name", "reserved"),
            (("add", "301", "all"), "name", "reserved"),
            (("add", "253", "other"), "number", "reserved"),
            (("add", "0", "other"), "number", "reserved"),
            (("add", "4294967296", "other"), "number", "not a table number"),
            (("add", "x1", "other"), "number", "not a table number"),
            (("add", "301", "a b"), "name", "not a table name"),
            (("add", "301", "9lives"), "name", "not a table name"),
            (("add", "301", "a#b"), "name", "not a table name"),
            (("add", "301", "x" * 33), "name", "not a table name"),
            (("add", "301"), "arguments", "usage"),
            (("del", "vpn"), "name", "not by cockpit-gateways"),
            (("del", "main"), "name", "not by cockpit-gateways"),
            (("del", "nosuch"), "name", "no table is named"),
        ]
        for args, field, words in cases:
            with self.subTest(args=args):
                files, kernel = self.files(), self.kernel_state()
                proc = self.helper("table-name", *args, "--json", check=False)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                doc = json.loads(proc.stdout)
                self.assertEqual(doc["field"], field, doc)
                self.assertIn(words, doc["error"])
                self.assertTrue(doc["error"].startswith("usage:" if field == "arguments" else f"{field}:"), doc)
                self.assertEqual((self.files(), self.kernel_state()), (files, kernel), "a refusal changed something")

    def test_unconfirmed_name_is_rolled_back(self) -> None:
        path = os.path.join(self.root, NAMES)
        token = self.helper_json("table-name", "add", "300", "lab300", "--confirm-within", "1")["token"]
        self.assertTrue(token)
        deadline = time.monotonic() + 60      # the watchdog acts after 1 s; generous on a busy machine
        while os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertFalse(os.path.exists(path), "the unconfirmed name was not rolled back")
        self.assertIn("table id value is invalid",
                      self.ip_with_names("route", "show", "table", "lab300", check=False).stderr)

        token = self.helper_json("table-name", "add", "300", "lab300", "--confirm-within", "30")["token"]
        self.helper("confirm", token)
        self.assertFalse(os.path.exists(os.path.join(self.root, "run/cockpit-gateways/pending.json")))
        self.assertEqual(self.ip_with_names("route", "show", "table", "lab300").returncode, 0)
