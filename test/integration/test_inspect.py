# SPDX-License-Identifier: LGPL-2.1-or-later
"""Inspection and one-off fixes on a real kernel: paging a 100k-route table, lookups that change
when source routing is set, and route/rule add/del that touch exactly the named object."""

from __future__ import annotations

import ipaddress
import json
import os
import time

from test.integration.base import LabTestCase

ROUTES = 100_000


class Paging(LabTestCase):
    prefix = "gwip1"

    def test_windows_filter_and_sort_of_a_big_table(self) -> None:
        nets = [f"10.{100 + i // 65536}.{i // 256 % 256}.{i % 256}" for i in range(ROUTES)]
        batch = "".join(f"route add {n}/32 via 10.0.2.1 table 300 proto 12\n" for n in nets)
        self.lab.run("host", "ip", "-batch", "-", input=batch)
        self.lab.run("host", "ip", "-6", "route", "add", "fd00:30::/64", "via", "fd00:2::1", "table", "300")

        first = self.helper_json("routes", "300", "--limit", "100")
        self.assertEqual([r["dst"] for r in first["routes"]], nets[:100])
        self.assertIsNone(first["total"])                      # not read past the window
        self.assertEqual(first["routes"][0]["gateway"], "10.0.2.1")
        self.assertEqual(first["routes"][0]["protocol"], "bird")

        last = self.helper_json("routes", "300", "--offset", str(ROUTES - 50), "--limit", "100")
        self.assertEqual([r["dst"] for r in last["routes"]], nets[-50:] + ["fd00:30::/64"])
        self.assertEqual(last["total"], ROUTES + 1)
        middle = self.helper_json("routes", "300", "--family", "inet", "--offset", "54321", "--limit", "7")
        self.assertEqual([r["dst"] for r in middle["routes"]], nets[54321:54328])

        found = self.helper_json("routes", "300", "--filter", "10.101.2.", "--limit", "1000")
        expected = [n for n in nets if "10.101.2." in n + " "]
        self.assertEqual((found["matched"], found["total"]), (len(expected), ROUTES + 1))
        self.assertEqual([r["dst"] for r in found["routes"]], expected[:1000])

        ordered = self.helper_json("routes", "300", "--family", "inet", "--sort", "dst", "--reverse",
                                   "--limit", "5")
        by_address = sorted(nets, key=lambda n: int(ipaddress.ip_address(n)), reverse=True)
        self.assertEqual([r["dst"] for r in ordered["routes"]], by_address[:5])

        for args, field in ((("nosuch",), "table"), (("300", "--limit", "0"), "limit"),
                            (("300", "--offset", "-1"), "offset"), (("0",), "table")):
            proc = self.helper("routes", *args, "--json", check=False)
            self.assertEqual((proc.returncode, json.loads(proc.stdout)["field"]), (2, field), args)

    def test_table_names_and_counts(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        named = self.helper_json("routes", "gw-eth1")
        self.assertEqual(sorted(r["dst"] for r in named["routes"]), ["10.0.2.0/24", "default"])
        self.assertEqual(named["total"], 2)


class Lookup(LabTestCase):
    prefix = "gwip2"

    def test_answer_changes_when_the_display_network_gets_its_gateway(self) -> None:
        before = self.helper_json("lookup", "10.0.9.2", "--from", "10.0.2.10")
        self.assertEqual((before["table_name"], before["route"]["dev"], before["rule"]["priority"]),
                         ("main", "eth0", 32766))
        self.helper("set", "eth1", "10.0.2.1")
        after = self.helper_json("lookup", "10.0.9.2", "--from", "10.0.2.10")
        self.assertEqual((after["table_name"], after["route"]["dev"], after["route"]["gateway"]),
                         ("gw-eth1", "eth1", "10.0.2.1"))
        self.assertEqual((after["rule"]["priority"], after["rule"]["owned"]), (31001, True))
        self.assertIn("Rule 31001 (from 10.0.2.0/24 table 10000) sends this packet to table gw-eth1", after["explanation"])
        self.assertIn("via 10.0.2.1 on eth1", after["explanation"])
        # the host's own traffic without a chosen source still uses the management gateway
        plain = self.helper_json("lookup", "10.0.9.2")
        self.assertEqual((plain["table_name"], plain["route"]["gateway"]), ("main", "10.0.1.1"))

    def test_bad_queries(self) -> None:
        for args, field in ((("10.0.9.300",), "to"), (("10.0.9.2", "--from", "fd00::1"), "from"),
                            (("10.0.9.2", "--iif", "nosuch0"), "iif"), (("10.0.9.2", "--fwmark", "x"), "fwmark")):
            proc = self.helper("lookup", *args, "--json", check=False)
            self.assertEqual((proc.returncode, json.loads(proc.stdout)["field"]), (2, field), args)


class Fixes(LabTestCase):
    prefix = "gwip3"

    def test_route_in_main_reaches_the_client_and_goes_away(self) -> None:
        self.assert_cannot_ping("c2", "10.0.2.10")
        plan = self.helper_json("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--dry-run")
        self.assertEqual(plan["changes"][0]["text"], "route add 10.0.9.0/24 via 10.0.2.1 table 254 proto 4")
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.helper("route", "add", "10.0.9.0/24", "--via", "10.0.2.1")
        self.assert_can_ping("c2", "10.0.2.10")
        # a fix made through the helper is ours: deleting it needs no --foreign (issue 17, defect 2)
        self.helper("route", "del", "10.0.9.0/24")
        self.assert_cannot_ping("c2", "10.0.2.10")
        # the same route made by someone else is deleted only with --foreign
        self.host("ip", "route", "add", "10.0.9.0/24", "via", "10.0.2.1")
        self.assert_can_ping("c2", "10.0.2.10")
        refused = self.helper("route", "del", "10.0.9.0/24", check=False)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("--foreign", refused.stderr)
        self.helper("route", "del", "10.0.9.0/24", "--foreign")
        self.assert_cannot_ping("c2", "10.0.2.10")

    def test_route_in_a_custom_table_and_exact_delete(self) -> None:
        self.helper("route", "add", "10.0.30.0/24", "--via", "10.0.2.1", "--table", "300", "--metric", "5")
        self.helper("route", "add", "10.0.30.0/24", "--via", "10.0.2.1", "--table", "300", "--metric", "9")
        self.assertEqual(len(self.lab.ip_json("host", "route", "show", "table", "300")), 2)
        ambiguous = self.helper("route", "del", "10.0.30.0/24", "--table", "300", "--foreign", check=False)
        self.assertEqual(ambiguous.returncode, 2)
        self.assertIn("2 routes", ambiguous.stderr)
        self.helper("route", "del", "10.0.30.0/24", "--table", "300", "--metric", "9", "--foreign")
        left = self.lab.ip_json("host", "route", "show", "table", "300")
        self.assertEqual([(r["dst"], r.get("metric")) for r in left], [("10.0.30.0/24", 5)])

    def test_rule_delete_never_takes_another_rule(self) -> None:
        self.host("ip", "rule", "add", "priority", "800", "from", "10.0.5.0/24", "iif", "eth1", "table", "201")
        self.host("ip", "rule", "add", "priority", "800", "from", "10.0.5.0/24", "table", "201")
        before = self.rules()
        proc = self.helper("rule", "del", "--priority", "800", "--from", "10.0.5.0/24", "--table", "201",
                           "--foreign", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("would delete", proc.stderr)
        self.assertEqual(self.rules(), before)
        self.helper("rule", "del", "--priority", "800", "--from", "10.0.5.0/24", "--iif", "eth1", "--table", "201",
                    "--foreign")
        left = [r for r in self.rules() if r["priority"] == 800]
        self.assertEqual(left, [{"priority": 800, "src": "10.0.5.0", "srclen": 24, "table": "201"}])

    def test_rule_by_packets_and_kept_across_a_reboot(self) -> None:
        self.helper("route", "add", "default", "--via", "10.0.2.1", "--table", "300", "--keep")
        self.helper("rule", "add", "--priority", "900", "--from", "10.0.2.10/32", "--table", "300", "--keep")
        self.assert_can_ping("c2", "10.0.2.10")
        with open(os.path.join(self.root, "etc/cockpit-gateways/kept.json")) as f:
            kept = json.load(f)
        self.assertEqual((len(kept["routes"]), len(kept["rules"])), (1, 1))
        # a reboot: the kernel forgets them; the boot reconcile puts them back, and nothing else
        self.host("ip", "rule", "del", "priority", "900")
        self.host("ip", "route", "flush", "table", "300")
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.helper("reconcile")
        self.assert_can_ping("c2", "10.0.2.10")
        self.assertEqual(self.helper_json("reconcile")["changed"], False)
        self.helper("rule", "del", "--priority", "900", "--from", "10.0.2.10/32", "--table", "300", "--foreign")
        with open(os.path.join(self.root, "etc/cockpit-gateways/kept.json")) as f:
            self.assertEqual(json.load(f)["rules"], [])

    def test_unconfirmed_fix_rolls_back(self) -> None:
        result = self.helper_json("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--confirm-within", "2")
        self.assert_can_ping("c2", "10.0.2.10")
        time.sleep(3)
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.assertEqual(self.helper("confirm", result["token"], check=False).returncode, 1)
        confirmed = self.helper_json("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--confirm-within", "2")
        self.helper("confirm", confirmed["token"])
        time.sleep(2.5)
        self.assert_can_ping("c2", "10.0.2.10")

    def test_kept_fix_reaches_kept_json_only_when_confirmed(self) -> None:
        kept = os.path.join(self.root, "etc/cockpit-gateways/kept.json")
        result = self.helper_json("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300", "--keep",
                                  "--confirm-within", "30")
        self.assertFalse(os.path.exists(kept))
        confirmed = self.helper_json("confirm", result["token"])
        self.assertEqual([f["path"] for f in confirmed["files"]], [kept])
        with open(kept) as f:
            self.assertEqual([r["dst"] for r in json.load(f)["routes"]], ["10.0.9.0/24"])

    def test_bad_input_changes_nothing(self) -> None:
        self.add_foreign_objects()
        kernel, files = self.kernel_state(), self.files()
        for args, field in (
            (("route", "add", "10.0.3.5/24", "--dev", "eth1"), "destination"),
            (("route", "add", "10.0.3.0/33", "--dev", "eth1"), "destination"),
            (("route", "add", "10.0.3.0/24", "--dev", "nosuch0"), "dev"),
            (("route", "add", "10.0.3.0/24", "--via", "fd00::1"), "via"),
            (("route", "add", "10.0.3.0/24", "--via", "10.0.2.10", "--table", "300"), "via"),   # our own address
            (("route", "add", "10.0.3.0/24", "--dev", "eth1", "--table", "nosuch"), "table"),
            (("route", "add", "10.0.3.0/24", "--dev", "eth1", "--proto", "248"), "proto"),
            (("route", "add", "10.0.3.0/24", "--type", "blackhole", "--dev", "eth1"), "type"),
            (("route", "add", "10.0.3.0/24", "--dev", "eth1", "--metric", "-1"), "metric"),
            (("route", "del", "10.0.99.0/24", "--table", "200"), "route"),
            (("rule", "add", "--priority", "99999999999", "--table", "300"), "priority"),
            (("rule", "add", "--priority", "0", "--table", "300"), "priority"),
            (("rule", "add", "--table", "300"), "priority"),
            (("rule", "add", "--priority", "5", "--from", "10.0.0.0/8", "--to", "fd00::/8", "--table", "1"), "to"),
            (("rule", "add", "--priority", "5", "--iif", "a/b", "--table", "300"), "iif"),
            (("rule", "add", "--priority", "5", "--dport", "70000", "--table", "300"), "dport"),
            (("rule", "add", "--priority", "5"), "table"),
            (("rule", "add", "--priority", "5", "--table", "300", "--action", "blackhole"), "table"),
            (("rule", "del", "--priority", "31000", "--to", "10.0.2.0/24", "--table", "10000"), "foreign"),
        ):
            with self.subTest(args=args):
                proc = self.helper(*args, "--json", check=False)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertEqual(json.loads(proc.stdout)["field"], field, proc.stderr)
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))
