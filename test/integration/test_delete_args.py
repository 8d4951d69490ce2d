# SPDX-License-Identifier: LGPL-2.1-or-later
"""One brain (issue 16, point 2): every route in `routes --json` and every rule in `status
--json` says whether it is ours (`owned`) and carries `delete`, the exact helper arguments that
delete it.  Proven on the real kernel: running exactly those arguments deletes that one object
and nothing else, while a twin that differs in one field (metric, table, a selector, the family)
survives; the kernel's own objects have no `delete`; a gateway's objects name their network; a
one-off fix made through the helper, kept or not, is ours (no --foreign).  And every plan change
carries `fields` beside its `ip -batch` text."""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any

from test.integration.base import HELPER, PYTHON, LabTestCase


class DeleteArgs(LabTestCase):
    prefix = "gwdel"

    def kernel_lines(self, what: str) -> list[str]:
        """Every route (`route`) or rule (`rule`) of both families, one line each."""
        lines = []
        for family in ("-4", "-6"):
            argv = ["ip", "-o", family, "route", "show", "table", "all"] if what == "route" \
                else ["ip", family, "rule", "show"]
            lines += [f"{family} {line.strip()}" for line in self.host(*argv).stdout.splitlines() if line.strip()]
        return lines

    def delete_exactly(self, what: str, obj: dict[str, Any]) -> None:
        """Run obj's `delete` and check that exactly one kernel line went away."""
        before = self.kernel_lines(what)
        self.helper(*obj["delete"])
        after = self.kernel_lines(what)
        gone = [line for line in before if line not in after]
        self.assertEqual(len(gone), 1, f"{obj['delete']} removed {gone}")
        self.assertEqual([line for line in after if line not in before], [], obj["delete"])
        self.assertEqual(len(after), len(before) - 1, obj["delete"])

    def routes(self, table: str) -> list[dict[str, Any]]:
        return list(self.helper_json("routes", table, "--limit", "1000")["routes"])

    def test_routes(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        for cmd in (
            "route add 10.9.0.0/24 via 10.0.2.1 dev eth1 table 300 metric 5 proto static",
            "route add 10.9.0.0/24 via 10.0.2.1 dev eth1 table 300 metric 6 proto static",   # twin: metric
            "route add 10.9.0.0/24 via 10.0.2.1 dev eth1 table 301 metric 5 proto static",   # twin: table
            "route add 10.9.1.0/24 via 10.0.2.1 dev eth1 table 300",                          # boot, metric 0
            "route add 10.9.1.0/24 via 10.0.2.1 dev eth1 table 300 metric 7",                 # twin: metric
            "route add blackhole 10.9.2.0/24 table 300",
            "route add 10.9.4.5 dev eth1 table 300 scope link proto 77",
            "route add default via 10.0.2.1 dev eth1 table 300 metric 9",
        ):
            self.host("ip", *cmd.split())
        self.host("ip", "-6", "route", "add", "fd00:9::/64", "dev", "eth1", "table", "300", "metric", "5")
        self.helper("route", "add", "10.9.3.0/24", "--via", "10.0.2.1", "--table", "300")      # a fix, not kept

        ours = self.routes("10000")
        self.assertTrue(ours)
        for route in ours:
            family = "inet6" if ":" in route["dst"] else "inet"
            self.assertEqual((route["owner"], route["owned"], route["networks"]),
                             ("cockpit-gateways", True, [{"interface": "eth1", "family": family}]))
            self.assertNotIn("--foreign", route["delete"])
        main = self.routes("main")
        kernel = [r for r in main if r["owner"] == "kernel"]
        self.assertTrue(kernel)
        self.assertTrue(all(r["delete"] is None and r["owned"] is False for r in kernel))

        table = self.routes("300")
        self.assertEqual(len(table), 9)
        fix = next(r for r in table if r["dst"] == "10.9.3.0/24")
        self.assertEqual((fix["owner"], fix["owned"]), ("fix", True))
        self.assertNotIn("--foreign", fix["delete"])
        for route in table:
            if route is not fix:
                self.assertEqual((route["owned"], route["delete"][-1]), (False, "--foreign"), route)
        # without --foreign a foreign route is refused, naming the field, and nothing changes
        before = self.kernel_lines("route")
        proc = self.helper(*table[0]["delete"][:-1], "--json", check=False)
        self.assertEqual((proc.returncode, json.loads(proc.stdout)["field"]), (2, "foreign"))
        self.assertEqual(self.kernel_lines("route"), before)
        # each delete takes exactly its route; the twins stay until their own turn
        for route in table:
            self.delete_exactly("route", route)
        self.assertEqual(self.routes("300"), [])
        self.assertEqual([r["dst"] for r in self.routes("301")], ["10.9.0.0/24"])
        made = os.path.join(self.root, "run/cockpit-gateways/fixes.json")
        with open(made) as f:
            self.assertEqual(json.load(f)["routes"], [])      # the deleted fix is forgotten

    def test_rules(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        for family, cmd in (
            ("-4", "rule add priority 500 from 10.0.7.0/24 table 200"),
            ("-4", "rule add priority 500 from 10.0.7.0/24 table 201"),                # twin: table
            ("-4", "rule add priority 501 fwmark 0x10/0xff table 200 protocol static"),
            ("-4", "rule add priority 501 fwmark 0x10/0xff iif eth1 table 200 protocol static"),  # twin: + iif
            ("-4", "rule add priority 502 from 10.0.8.0/24 blackhole"),
            ("-4", "rule add priority 504 not from 10.0.9.0/24 table 200"),
            ("-4", "rule add priority 505 ipproto tcp dport 80 table 200"),
            ("-4", "rule add priority 506 uidrange 1000-2000 table 200 protocol 77"),
            ("-4", "rule add priority 507 from 10.0.7.0/24 table 200"),
            ("-6", "rule add priority 507 from fd00:7::/64 table 200"),                # twin: family
        ):
            self.host("ip", family, *cmd.split())
        self.helper("rule", "add", "--priority", "900", "--from", "10.0.2.10/32", "--table", "300", "--keep")
        status = self.helper_json("status")
        by_owner: dict[str, list[dict[str, Any]]] = {}
        for rule in status["rules"]:
            by_owner.setdefault(rule["owner"], []).append(rule)
        self.assertTrue(all(r["delete"] is None and not r["owned"] for r in by_owner["kernel"]))
        for rule in by_owner["cockpit-gateways"]:
            self.assertEqual((rule["owned"], rule["networks"]), (True, [{"interface": "eth1", "family": "inet"}]), rule)
            if rule["priority"] == 30999:        # main's suppress_prefixlength rule: not nameable
                self.assertIsNone(rule["delete"])
            else:
                self.assertNotIn("--foreign", rule["delete"])
        [kept] = by_owner["kept"]
        self.assertTrue(kept["owned"])
        self.assertNotIn("--foreign", kept["delete"])
        foreign = [r for r in status["rules"] if r["owner"] not in ("kernel", "cockpit-gateways", "kept")]
        self.assertEqual(len(foreign), 10)
        for rule in foreign + [kept]:
            if rule is not kept:
                self.assertEqual((rule["owned"], rule["delete"][-1]), (False, "--foreign"), rule)
            self.delete_exactly("rule", rule)
        left = {r["priority"] for r in self.helper_json("status")["rules"]}
        self.assertFalse(left & {500, 501, 502, 504, 505, 506, 507, 900})
        with open(os.path.join(self.root, "etc/cockpit-gateways/kept.json")) as f:
            self.assertEqual(json.load(f)["rules"], [])       # deleting a kept fix stops keeping it
        # the gateway's own rules were never touched
        self.assertEqual(len([r for r in self.helper_json("status")["rules"] if r["owner"] == "cockpit-gateways"]),
                         len(by_owner["cockpit-gateways"]))

    def test_plan_fields(self) -> None:
        plan = self.helper_json("set", "eth1", "10.0.2.1", "--dry-run")
        fields: dict[tuple[str, str], list[Any]] = {(c["object"], c["op"]): [] for c in plan["changes"]}
        for c in plan["changes"]:
            fields[(c["object"], c["op"])].append(c["fields"])
        self.assertIn({"dst": "default", "gateway": "10.0.2.1", "dev": "eth1", "table": 10000, "protocol": 248},
                      fields[("route", "add")])
        self.assertIn({"dst": "10.0.2.0/24", "dev": "eth1", "table": 10000, "protocol": 248, "scope": "link",
                       "prefsrc": "10.0.2.10"}, fields[("route", "add")])
        self.assertIn({"priority": 31001, "from": "10.0.2.0/24", "action": "lookup", "table": 10000, "protocol": 248},
                      fields[("rule", "add")])
        self.assertIn({"priority": 30999, "suppress_prefixlength": 0, "action": "lookup", "table": 254,
                       "protocol": 248}, fields[("rule", "add")])
        # the real change says the same as its preview; and a removal names the same objects
        self.assertEqual([c["fields"] for c in self.helper_json("set", "eth1", "10.0.2.1")["changes"]],
                         [c["fields"] for c in plan["changes"]])
        unset = self.helper_json("unset", "eth1", "--dry-run")
        self.assertTrue(all(c["op"] == "del" and c["fields"]["table"] in (10000, 254) for c in unset["changes"]))
        fix = self.helper_json("route", "add", "10.9.3.0/24", "--via", "10.0.2.1", "--table", "300", "--dry-run")
        self.assertEqual(fix["changes"][0]["fields"], {"dst": "10.9.3.0/24", "table": 300, "gateway": "10.0.2.1",
                                                       "protocol": 4})
        rule = self.helper_json("rule", "add", "--priority", "800", "--to", "10.9.0.0/16", "--action", "prohibit",
                                "--dry-run")
        self.assertEqual(rule["changes"][0]["fields"], {"priority": 800, "to": "10.9.0.0/16", "action": "prohibit",
                                                       "protocol": 4})


class DeleteMany(LabTestCase):
    """`route del --many JSON` (the stretch of issue 16/17: several routes in one previewed change
    with one rollback), on the real kernel."""
    prefix = "gwdem"

    def setUp(self) -> None:
        super().setUp()
        for cmd in (
            "route add 10.9.0.0/24 via 10.0.2.1 dev eth1 table 300 metric 5 proto static",
            "route add 10.9.0.0/24 via 10.0.2.1 dev eth1 table 300 metric 6 proto static",   # twin: metric
            "route add 10.9.1.0/24 via 10.0.2.1 dev eth1 table 301",
            "route add blackhole 10.9.2.0/24 table 300",
        ):
            self.host("ip", *cmd.split())
        self.host("ip", "-6", "route", "add", "fd00:9::/64", "dev", "eth1", "table", "300", "metric", "5")
        self.helper("route", "add", "10.9.3.0/24", "--via", "10.0.2.1", "--table", "301")      # a fix, not kept

    def routes(self) -> list[str]:
        return [line.strip() for family in ("-4", "-6") for table in ("300", "301")
                for line in self.host("ip", "-o", family, "route", "show", "table", table, check=False).stdout.splitlines()]

    def chosen(self) -> list[dict[str, Any]]:
        """One of the twins, the IPv6 route, the blackhole and the fix: their `delete` lists."""
        routes = [r for t in ("300", "301") for r in self.helper_json("routes", t, "--limit", "100")["routes"]]
        pick = [r for r in routes if (r["dst"], r.get("metric")) in
                (("10.9.0.0/24", 5), ("fd00:9::/64", 5), ("10.9.2.0/24", None), ("10.9.3.0/24", None))]
        self.assertEqual(len(pick), 4, routes)
        return pick

    def test_preview_apply_exactly_those(self) -> None:
        pick = self.chosen()
        many = json.dumps([r["delete"] for r in pick])
        before = self.routes()
        plan = self.helper_json("route", "del", "--many", many, "--dry-run")
        self.assertEqual(self.routes(), before)
        self.assertEqual(sorted((c["op"], c["family"], c["fields"]["dst"]) for c in plan["changes"]),
                         [("del", "inet", "10.9.0.0/24"), ("del", "inet", "10.9.2.0/24"), ("del", "inet", "10.9.3.0/24"),
                          ("del", "inet6", "fd00:9::/64")])
        self.helper("route", "del", "--many", many)
        after = self.routes()
        self.assertEqual(len(after), len(before) - 4)
        self.assertEqual([line for line in after if line not in before], [])
        self.assertTrue(any(line.startswith("10.9.0.0/24") and "metric 6" in line for line in after), after)
        self.assertTrue(any(line.startswith("10.9.1.0/24") for line in after), after)

    def test_one_rollback_for_all(self) -> None:
        before = self.routes()
        many = json.dumps([r["delete"] for r in self.chosen()])
        result = self.helper_json("route", "del", "--many", many, "--confirm-within", "2")
        self.assertEqual(len(self.routes()), len(before) - 4)
        self.assertTrue(result["token"])
        for _ in range(150):            # the host's watchdog puts every one back (poll, no timed assertion)
            if sorted(self.routes()) == sorted(before):
                break
            time.sleep(0.2)
        self.assertEqual(sorted(self.routes()), sorted(before))
        # read from stdin too, and confirmed: they stay deleted
        proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root", self.root,
                               "route", "del", "--many", "-", "--confirm-within", "30", "--json"],
                              input=many, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.helper("confirm", json.loads(proc.stdout)["token"])
        self.assertEqual(len(self.routes()), len(before) - 4)

    def test_bad_input_changes_nothing(self) -> None:
        pick = self.chosen()
        foreign = next(r for r in pick if r["owner"] != "fix")
        before = self.routes()
        for many, field in (
            ("not json", "many"),
            ("[]", "many"),
            (json.dumps([["rule", "del", "--priority", "5"]]), "many"),
            (json.dumps([pick[0]["delete"] + ["--keep"]]), "many"),
            (json.dumps([r["delete"] for r in pick] + [pick[0]["delete"]]), "many"),       # the same route twice
            (json.dumps([r["delete"] for r in pick[:-1]] + [foreign["delete"][:-1]]), "foreign"),
            (json.dumps([r["delete"] for r in pick] + [["route", "del", "10.8.0.0/24", "--table", "300"]]), "route"),
        ):
            proc = self.helper("route", "del", "--many", many, "--json", check=False)
            self.assertEqual((proc.returncode, json.loads(proc.stdout).get("field")), (2, field), many)
            self.assertEqual(self.routes(), before, many)
