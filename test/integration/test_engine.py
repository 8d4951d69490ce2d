# SPDX-License-Identifier: LGPL-2.1-or-later
"""The engine on a real kernel, proven by packets: the client behind R2 (c2, outside the host's
subnets) reaches the host's display address only while source routing is in place; the
management client behind R1 (c1) reaches the host throughout."""

from __future__ import annotations

import json
import os
import time
import unittest

from test.integration.base import LabTestCase


class DisplayNetwork(LabTestCase):
    prefix = "gwie1"

    def test_ipv4_by_packets(self) -> None:
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.assert_can_ping("c1", "10.0.1.10")
        main_before = self.lab.ip_json("host", "route", "show", "table", "main")

        self.helper("set", "eth1", "10.0.2.1")
        self.assert_can_ping("c2", "10.0.2.10")
        self.assert_can_ping("c1", "10.0.1.10")
        # the host's own traffic without a chosen source still leaves by the management gateway
        self.assertEqual(self.lab.ip_json("host", "route", "show", "table", "main"), main_before)
        got = self.lab.ip_json("host", "route", "get", "10.0.9.2")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth0", "10.0.1.1"))
        got = self.lab.ip_json("host", "route", "get", "10.0.9.2", "from", "10.0.2.10")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth1", "10.0.2.1"))

        self.helper("unset", "eth1")
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.assert_can_ping("c1", "10.0.1.10")
        self.assertEqual(self.our_rules(), [])
        self.assertEqual(self.our_routes(), [])

    def test_ipv6_by_packets(self) -> None:
        self.assert_cannot_ping("c2", "fd00:2::10")
        self.helper("set", "eth1", "fd00:2::1")
        self.assert_can_ping("c2", "fd00:2::10")
        self.assert_can_ping("c1", "fd00:1::10")
        self.assert_cannot_ping("c2", "10.0.2.10")        # IPv4 is a separate network
        self.helper("unset", "eth1", "--family", "inet6")
        self.assert_cannot_ping("c2", "fd00:2::10")
        self.assert_can_ping("c1", "fd00:1::10")

    def test_ipv6_link_local_gateway(self) -> None:
        deadline = time.monotonic() + 5
        while True:     # R2's link-local address is usable once its DAD is over
            r2_ll = [a["local"] for link in self.lab.ip_json("r2", "addr", "show", "dev", "eth0")
                     for a in link["addr_info"] if a["local"].startswith("fe80") and not a.get("tentative")]
            if r2_ll or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.helper("set", "eth1", r2_ll[0])
        self.assert_can_ping("c2", "fd00:2::10")

    def test_status_reports_gateway_and_tables(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        data = self.helper_json("status")
        eth1 = next(i for i in data["interfaces"] if i["name"] == "eth1")
        eth0 = next(i for i in data["interfaces"] if i["name"] == "eth0")
        self.assertTrue(eth0["default_route"])
        self.assertFalse(eth1["default_route"])
        self.assertEqual([(g["family"], g["address"], g["source"], g["state"]) for g in eth1["gateways"]],
                         [("inet", "10.0.2.1", "static", "active")])
        table = eth1["gateways"][0]["table"]
        ours = next(t for t in data["tables"] if t["id"] == table)
        self.assertEqual((ours["name"], ours["kind"], ours["owned"], ours["routes"]["inet"]),
                         ("gw-eth1", "ours", True, 2))
        self.assertEqual({t["name"] for t in data["tables"] if t["kind"] != "ours"} >= {"local", "main"}, True)
        owned = [(r["priority"], r["selector"].get("to") or r["selector"].get("from")) for r in data["rules"]
                 if r["owned"]]
        self.assertEqual(owned, [(30999, "all"), (31000, "10.0.2.0/24"), (31001, "10.0.2.0/24")])
        self.assertEqual(data["drift"], {"missing": [], "extra": []})


class TwoNetworks(LabTestCase):
    prefix = "gwie2"

    def test_rule_order_sends_each_destination_out_of_its_network(self) -> None:
        # R2 learns the way back to the management subnet through the host's eth1, so a packet
        # from 10.0.1.10 to 10.0.2.1 is answered only if it really left by eth1 (R1 knows no
        # route to 10.0.2.0/24 and would drop it).
        self.lab.run("r2", "ip", "route", "add", "10.0.1.0/24", "via", "10.0.2.10")
        self.helper("set", "eth0", "10.0.1.1")
        self.helper("set", "eth1", "10.0.2.1")
        got = self.lab.ip_json("host", "route", "get", "10.0.2.1", "from", "10.0.1.10")[0]
        self.assertEqual(got["dev"], "eth1")
        got = self.lab.ip_json("host", "route", "get", "10.0.1.1", "from", "10.0.2.10")[0]
        self.assertEqual(got["dev"], "eth0")
        self.assert_can_ping("host", "10.0.2.1", source="10.0.1.10")
        self.assert_can_ping("c2", "10.0.2.10")
        self.assert_can_ping("c1", "10.0.1.10")
        self.assertEqual([r["priority"] for r in self.our_rules()], [30999, 31000, 31000, 31001, 31001])

    def test_interleaved_order_would_be_wrong(self) -> None:
        """The reason for the band: with each network's to/from pair interleaved, `from ADDR1 to
        GW2` leaves by the wrong interface (this is the by-hand layout we do not use)."""
        for n, (net, table) in enumerate((("10.0.1.0/24", 101), ("10.0.2.0/24", 102))):
            self.host("ip", "rule", "add", "priority", str(1000 + 2 * n), "from", net, "table", str(table))
            self.host("ip", "rule", "add", "priority", str(1001 + 2 * n), "to", net, "table", str(table))
        self.host("ip", "route", "add", "10.0.1.0/24", "dev", "eth0", "table", "101", "scope", "link")
        self.host("ip", "route", "add", "default", "via", "10.0.1.1", "table", "101")
        self.host("ip", "route", "add", "10.0.2.0/24", "dev", "eth1", "table", "102", "scope", "link")
        self.host("ip", "route", "add", "default", "via", "10.0.2.1", "table", "102")
        got = self.lab.ip_json("host", "route", "get", "10.0.2.1", "from", "10.0.1.10")[0]
        self.assertEqual(got["dev"], "eth0")


class Ownership(LabTestCase):
    prefix = "gwie3"

    def test_foreign_objects_survive_every_command(self) -> None:
        self.add_foreign_objects()
        foreign = self.foreign_state()
        for args in (("set", "eth1", "10.0.2.1"), ("set", "eth1", "fd00:2::1"), ("set", "eth0", "10.0.1.1"),
                     ("reconcile",), ("set", "eth1", "10.0.2.254"), ("unset", "eth0"),
                     ("reconcile", "eth1"), ("unset", "eth1"), ("reconcile",)):
            self.helper(*args)
            self.assertEqual(self.foreign_state(), foreign, f"after {args}")
        self.assertEqual(self.our_rules(), [])
        self.assertEqual(self.our_routes(), [])

    def test_table_with_foreign_routes_is_not_taken(self) -> None:
        self.host("ip", "route", "add", "10.0.6.0/24", "dev", "eth1", "table", "10000")
        data = self.helper_json("set", "eth1", "10.0.2.1")
        self.assertTrue(all(c["table"] in (10001, 254) for c in data["changes"]), data)   # 254: main, first

    def test_dry_run_changes_nothing(self) -> None:
        self.add_foreign_objects()
        self.helper("set", "eth0", "10.0.1.1")
        kernel, files = self.kernel_state(), self.files()
        plan = self.helper_json("set", "eth1", "10.0.2.1", "--dry-run")
        self.assertTrue(plan["dry_run"])
        self.assertEqual(sorted((c["op"], c["object"]) for c in plan["changes"]),
                         [("add", "route"), ("add", "route"), ("add", "rule"), ("add", "rule")])
        plan = self.helper_json("unset", "eth0", "--dry-run")
        self.assertEqual(len(plan["changes"]), 5)         # eth0's four and, with the last network, main's
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))

    def test_plans_name_the_table_alike_when_adding_and_removing(self) -> None:
        # issue 17: the add preview said "table 10000" (not named yet), the remove one "gw-eth1"
        added = self.helper_json("set", "eth1", "10.0.2.1", "--dry-run")["changes"]
        self.assertEqual({(c["table"], c.get("table_name")) for c in added if c["table"] != 254}, {(10000, "gw-eth1")})
        self.helper("set", "eth1", "10.0.2.1")
        removed = self.helper_json("unset", "eth1", "--dry-run")["changes"]
        self.assertEqual({(c["table"], c.get("table_name")) for c in removed if c["table"] != 254}, {(10000, "gw-eth1")})
        self.assertEqual({c.get("table_name") for c in removed if c["table"] == 254}, {"main"})

    def test_second_run_is_a_no_op(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        kernel, files = self.kernel_state(), self.files()
        again = self.helper_json("set", "eth1", "10.0.2.1")
        self.assertEqual((again["changed"], again["changes"]), (False, []))
        self.assertEqual(self.helper_json("reconcile")["changed"], False)
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))
        self.assertEqual(self.helper_json("unset", "eth0")["changed"], False)

    def test_duplicates_of_our_rules_are_removed(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        eth1 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")
        table = eth1["gateways"][0]["table"]
        # the kernel refuses an exact duplicate; these are ours by marker at the wrong priority
        self.host("ip", "rule", "add", "priority", "30999", "to", "10.0.2.0/24", "table", str(table),
                  "protocol", "248")
        self.host("ip", "rule", "add", "from", "10.0.2.0/24", "table", str(table), "protocol", "248")
        self.assertEqual(len(self.our_rules()), 5)
        # (a rule added without a priority gets the one below the first rule's: 30998)
        self.assertEqual(sorted(self.helper_json("status")["drift"]["extra"]),
                         [f"rule del priority 30998 from 10.0.2.0/24 table {table} protocol 248",
                          f"rule del priority 30999 to 10.0.2.0/24 table {table} protocol 248"])
        self.helper("reconcile")
        self.assertEqual(len(self.our_rules()), 3)


class Convergence(LabTestCase):
    prefix = "gwie4"

    def expected(self) -> str:
        return json.dumps([sorted(json.dumps(r, sort_keys=True) for r in self.our_rules()),
                           sorted(json.dumps(r, sort_keys=True) for r in self.our_routes())])

    def test_gateway_change_leaves_nothing_stale(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "10.0.2.254")
        defaults = [r for r in self.our_routes() if r["dst"] == "default"]
        self.assertEqual([r["gateway"] for r in defaults], ["10.0.2.254"])
        self.assertEqual(len(self.our_routes()), 2)
        self.assertEqual(len(self.our_rules()), 3)

    def test_address_change_leaves_nothing_stale(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.host("ip", "addr", "add", "10.0.3.10/24", "dev", "eth1")
        self.helper("reconcile")
        nets = sorted(r.get("dst") or r.get("src") for r in self.our_rules())
        self.assertEqual(nets, ["10.0.2.0", "10.0.2.0", "10.0.3.0", "10.0.3.0", "all"])
        # the address moves to another subnet: the old gateway is no longer reachable there
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth1")
        self.helper("reconcile")
        eth1 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")
        self.assertEqual(eth1["gateways"][0]["state"], "unreachable")
        self.assertEqual(self.our_rules(), [])
        self.assertEqual(self.our_routes(), [])

    def test_link_down_up_then_reconcile_restores(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        want = self.expected()
        self.host("ip", "link", "set", "eth1", "down")
        self.host("ip", "link", "set", "eth1", "up")
        self.assert_cannot_ping("c2", "10.0.2.10")
        eth1 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")
        # IPv4 addresses stay across down/up (the table's routes do not); IPv6 ones go
        self.assertEqual({g["family"]: g["state"] for g in eth1["gateways"]},
                         {"inet": "drift", "inet6": "no-address"})
        self.host("ip", "addr", "add", "fd00:2::10/64", "dev", "eth1", "nodad")
        eth1 = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")
        self.assertEqual({g["family"]: g["state"] for g in eth1["gateways"]},
                         {"inet": "drift", "inet6": "drift"})
        self.helper("reconcile")
        self.assertEqual(self.expected(), want)
        self.assert_can_ping("c2", "10.0.2.10")
        self.assert_can_ping("c2", "fd00:2::10")

    def test_rule_deleted_by_hand_is_restored(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        want = self.expected()
        rule = self.our_rules()[0]
        self.host("ip", "rule", "del", "priority", str(rule["priority"]), "protocol", "248")
        self.assertNotEqual(self.expected(), want)
        self.helper("reconcile", "eth1")
        self.assertEqual(self.expected(), want)

    def test_table_id_changed_in_config(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.move_table_in_config("eth1", 10042)
        self.helper("reconcile")
        self.assertEqual({r["table"] for r in self.our_routes()}, {"10042"})
        self.assertEqual({r["table"] for r in self.our_rules()}, {"10042", "254"})
        self.assert_can_ping("c2", "10.0.2.10")

    def test_kill_during_apply_then_reconcile_converges(self) -> None:
        """An `ip` that applies half of the batch and then kills the helper with SIGKILL."""
        self.helper("set", "eth0", "10.0.1.1")
        fake = os.path.join(self.root, "fakebin")
        os.makedirs(fake)
        with open(os.path.join(fake, "ip"), "w") as f:
            f.write("#!/bin/sh\n"
                    'case " $* " in *" -batch "*)\n'
                    '  lines=$(cat); n=$(printf "%s\\n" "$lines" | wc -l)\n'
                    '  printf "%s\\n" "$lines" | head -n $(( (n + 1) / 2 )) | /usr/sbin/ip "$@"\n'
                    "  kill -9 $PPID; exit 1;;\n"
                    "esac\n"
                    'exec /usr/sbin/ip "$@"\n')
        os.chmod(os.path.join(fake, "ip"), 0o755)
        killed = self.helper("set", "eth1", "10.0.2.1", check=False,
                             env={"PATH": f"{fake}:{os.environ['PATH']}"})
        self.assertEqual(killed.returncode, -9 if killed.returncode < 0 else 137)
        # eth0's objects (and main's rule) and the first half of eth1's batch: its two routes, none
        # of its rules
        self.assertEqual((len(self.our_rules()), len(self.our_routes())), (3, 4))
        self.helper("reconcile")
        self.assertEqual(len(self.our_rules()), 5)
        self.assertEqual(len(self.our_routes()), 4)
        self.assert_can_ping("c2", "10.0.2.10")
        self.assertEqual(self.helper_json("status")["drift"], {"missing": [], "extra": []})


class NetworkScripts(LabTestCase):
    prefix = "gwie5"

    def test_route_and_rule_files(self) -> None:
        scripts = os.path.join(self.root, "etc/sysconfig/network-scripts")
        os.makedirs(scripts)
        with open(os.path.join(scripts, "route-eth0"), "w") as f:
            f.write("10.0.5.0/24 via 10.0.1.1\n")        # the admin's own file
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        self.helper("set", "eth0", "10.0.1.1")
        names = sorted(os.listdir(scripts))
        self.assertEqual(names, ["route-eth0", "route-eth1", "route6-eth1", "rule-eth0", "rule-eth1", "rule6-eth1"])
        with open(os.path.join(scripts, "route-eth0")) as f:
            self.assertEqual(f.read(), "10.0.5.0/24 via 10.0.1.1\n")      # not ours: left alone
        with open(os.path.join(scripts, "rule-eth1")) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[1:], ["priority 31000 to 10.0.2.0/24 table 10000 protocol 248",
                                     "priority 31001 from 10.0.2.0/24 table 10000 protocol 248",
                                     "priority 30999 suppress_prefixlength 0 table 254 protocol 248"])
        # the seed's persistence: ifup feeds these files to `ip route add` / `ip rule add`, and
        # they alone rebuild what the helper applied
        state = sorted(json.dumps(o, sort_keys=True) for o in self.our_rules() + self.our_routes())
        saved = {}
        for name in ("route-eth1", "route6-eth1", "rule-eth1", "rule6-eth1", "rule-eth0"):
            with open(os.path.join(scripts, name)) as f:
                saved[name] = [line for line in f.read().splitlines() if not line.startswith("#")]
        self.helper("unset", "eth1")
        self.helper("unset", "eth0")
        self.assertEqual(self.our_rules() + self.our_routes(), [])
        self.host("ip", "route", "add", "10.0.1.0/24", "dev", "eth0", "table", "10001", "proto", "248",
                  "scope", "link", "src", "10.0.1.10")      # eth0's routes: its file is the admin's
        self.host("ip", "route", "add", "default", "via", "10.0.1.1", "dev", "eth0", "table", "10001",
                  "proto", "248")
        applied = set()
        for name, lines in saved.items():
            family = "-6" if "6-" in name else "-4"
            for line in lines:
                # main's rule is in every rule file; ifup-routes reports the second add and goes on
                done = self.host("ip", family, name.split("-")[0].rstrip("6"), "add", *line.split(), check=False)
                self.assertEqual(done.returncode != 0, (family, line) in applied, done.stderr)
                applied.add((family, line))
        self.assertEqual(sorted(json.dumps(o, sort_keys=True) for o in self.our_rules() + self.our_routes()),
                         state)
        self.assertEqual(sorted(os.listdir(scripts)), ["route-eth0"])


class SafeApply(LabTestCase):
    prefix = "gwie6"

    def test_unconfirmed_change_rolls_back(self) -> None:
        result = self.helper_json("set", "eth1", "10.0.2.1", "--confirm-within", "2")
        self.assertRegex(result["token"], "^[0-9a-f]{32}$")
        self.assert_can_ping("c2", "10.0.2.10")
        self.assertFalse(os.path.exists(os.path.join(self.root, "etc/cockpit-gateways/config.json")))
        time.sleep(3)
        self.assert_cannot_ping("c2", "10.0.2.10")
        self.assertEqual(self.our_rules(), [])
        confirm = self.helper("confirm", result["token"], check=False)
        self.assertEqual(confirm.returncode, 1)

    def test_confirmed_change_stays(self) -> None:
        result = self.helper_json("set", "eth1", "10.0.2.1", "--confirm-within", "2")
        # status names the waiting change as the apply did, and that name is no key to it
        pending = self.helper_json("status")["pending"]
        self.assertEqual(pending["id"], result["pending_id"])
        self.assertNotIn(pending["id"], result["token"])
        self.helper("confirm", result["token"])
        self.assertNotIn("pending", self.helper_json("status"))
        time.sleep(2.5)
        self.assert_can_ping("c2", "10.0.2.10")
        with open(os.path.join(self.root, "etc/cockpit-gateways/config.json")) as f:
            self.assertEqual(json.load(f)["interfaces"]["eth1"]["inet"]["gateway"], "10.0.2.1")

    def test_reboot_in_the_window_restores_the_confirmed_state(self) -> None:
        self.helper("set", "eth0", "10.0.1.1")
        self.helper_json("set", "eth1", "10.0.2.1", "--confirm-within", "30")
        # a reboot: /run is empty again and the kernel has none of our objects
        os.unlink(os.path.join(self.root, "run/cockpit-gateways/pending.json"))
        for rule in self.our_rules():
            self.host("ip", "rule", "del", "priority", str(rule["priority"]), "protocol", "248")
        self.host("ip", "route", "flush", "table", "all", "proto", "248")
        self.helper("reconcile")
        self.assertEqual({r["dev"] for r in self.our_routes()}, {"eth0"})
        self.assert_cannot_ping("c2", "10.0.2.10")


if __name__ == "__main__":
    unittest.main()
