# SPDX-License-Identifier: LGPL-2.1-or-later
"""Repair (`reconcile IFACE --family F`) on a real kernel (issue 17, defect 5): repairing IPv4
leaves a broken IPv6 broken, and a repair made with --confirm-within is undone unless confirmed,
all proven by `ip` and by pings from the client behind R2 (outside the host's subnets)."""

from __future__ import annotations

import os
import time
import unittest
from typing import Any

from test.integration.base import LabTestCase


class Repair(LabTestCase):
    prefix = "gwrep"

    def setUp(self) -> None:
        super().setUp()
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        self.assert_can_ping("c2", "fd00:2::10", count=3)
        self.table = self._table()

    def _table(self) -> str:
        status: dict[str, Any] = self.helper_json("status")
        tables = {t["name"]: t["id"] for t in status["tables"] if t.get("owned")}
        return str(tables["gw-eth1"])

    def break_both(self) -> None:
        """What a link flap leaves: the table's routes gone, in both families."""
        self.host("ip", "-4", "route", "flush", "table", self.table)
        self.host("ip", "-6", "route", "flush", "table", self.table)
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.assert_cannot_ping("c2", "fd00:2::10")

    def table_routes(self, family: str) -> list[dict[str, Any]]:
        return self.lab.ip_json("host", family, "route", "show", "table", self.table)

    def test_repairing_ipv4_leaves_ipv6_as_it_is(self) -> None:
        self.break_both()
        preview = self.helper_json("reconcile", "eth1", "--family", "inet", "--dry-run")
        self.assertTrue(preview["changes"])
        self.assertEqual({c["family"] for c in preview["changes"]}, {"inet"})

        result = self.helper_json("reconcile", "eth1", "--family", "inet")
        self.assertEqual({c["family"] for c in result["changes"]}, {"inet"})
        self.assertEqual({r["dst"] for r in self.table_routes("-4")}, {"default", "10.0.2.0/24"})
        self.assertEqual(self.table_routes("-6"), [])
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        self.assert_cannot_ping("c2", "fd00:2::10")

        self.helper("reconcile", "eth1", "--family", "inet6")
        self.assert_can_ping("c2", "fd00:2::10", count=3)
        self.assertEqual(self.helper_json("reconcile", "eth1")["changed"], False)

    def test_unconfirmed_repair_is_undone(self) -> None:
        self.break_both()
        result = self.helper_json("reconcile", "eth1", "--family", "inet", "--confirm-within", "2")
        self.assertRegex(result["token"], "^[0-9a-f]{32}$")
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        status = self.helper_json("status")
        self.assertIn("pending", status)
        pending = os.path.join(self.root, "run/cockpit-gateways/pending.json")
        deadline = time.monotonic() + 30      # the watchdog undoes it at 2 s; polled, generously
        while os.path.exists(pending) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertFalse(os.path.exists(pending))
        self.assertEqual(self.table_routes("-4"), [])       # broken again, as before the repair
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.assertEqual(self.helper("confirm", result["token"], check=False).returncode, 1)
        # the saved configuration is untouched: a repair without a deadline still works
        self.helper("reconcile", "eth1")
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        self.assert_can_ping("c2", "fd00:2::10", count=3)

    def test_confirmed_repair_stays(self) -> None:
        self.break_both()
        result = self.helper_json("reconcile", "eth1", "--family", "inet", "--confirm-within", "3")
        self.helper("confirm", result["token"])
        time.sleep(4)       # past the deadline: nothing may undo it now
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        self.assertEqual({r["dst"] for r in self.table_routes("-4")}, {"default", "10.0.2.0/24"})
        self.assert_cannot_ping("c2", "fd00:2::10")

    def test_unconfirmed_full_repair_also_takes_kept_fixes_back(self) -> None:
        self.helper("route", "add", "10.0.7.0/24", "--via", "10.0.2.1", "--table", "300", "--keep")
        self.host("ip", "route", "del", "10.0.7.0/24", "table", "300")
        self.break_both()
        result = self.helper_json("reconcile", "--family", "inet", "--confirm-within", "2")
        self.assertIn("route add 10.0.7.0/24 via 10.0.2.1 table 300 proto 4",
                      " ".join(c["text"] for c in result["changes"]))
        self.assertEqual(len(self.lab.ip_json("host", "route", "show", "table", "300")), 1)
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        pending = os.path.join(self.root, "run/cockpit-gateways/pending.json")
        deadline = time.monotonic() + 30
        while os.path.exists(pending) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.lab.ip_json("host", "route", "show", "table", "300"), [])
        self.assertEqual(self.table_routes("-4"), [])
        self.assert_cannot_ping("c2", "10.0.2.10")

    def test_nothing_to_repair_arms_no_rollback(self) -> None:
        result = self.helper_json("reconcile", "eth1", "--family", "inet", "--confirm-within", "2")
        self.assertEqual(result["changed"], False)
        time.sleep(3)
        self.assert_can_ping("c2", "10.0.2.10", count=3)

    def test_bad_input_names_the_field_and_changes_nothing(self) -> None:
        self.break_both()
        before, files = self.kernel_state(), self.files()
        for args, field in ((("reconcile", "eth1", "--family", "ipv4"), "arguments"),
                            (("reconcile", "eth1", "--confirm-within", "0"), "arguments"),
                            (("reconcile", "eth1", "--confirm-within", "soon"), "arguments"),
                            (("reconcile", "eth 1", "--family", "inet"), "interface")):
            proc = self.helper(*args, "--json", check=False)
            self.assertEqual(proc.returncode, 2, args)
            self.assertIn(field, proc.stdout, args)
        self.assertEqual(self.kernel_state(), before)
        self.assertEqual(self.files(), files)


if __name__ == "__main__":
    unittest.main()
