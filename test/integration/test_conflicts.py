# SPDX-License-Identifier: LGPL-2.1-or-later
"""Conflicts shown before they bite, and our priorities and table range moved (issue 12, point 4).

Each conflict kind is built in the lab and reported in `status --json` (`conflicts`), and in the
preview of the change that creates it.  `layout` moves our rules and tables as a previewed change;
packets prove the seed story holds after each move."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from typing import Any

from test.integration.base import HELPER, PYTHON, LabTestCase


class Conflicts(LabTestCase):
    prefix = "gwif1"

    def conflicts(self, kind: str) -> list[dict[str, Any]]:
        return [c for c in self.helper_json("status")["conflicts"] if c["kind"] == kind]

    def test_none_on_the_plain_lab(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.assertEqual(self.helper_json("status")["conflicts"], [])

    def test_foreign_rule_at_our_priority(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.host("ip", "rule", "add", "priority", "31000", "iif", "eth1", "table", "201")
        [c] = self.conflicts("priority")
        self.assertEqual((c["priority"], c["rule"]), (31000, "iif eth1 table 201"))
        self.assertIn("layout --priority", c["message"])

    def test_foreign_rule_before_ours_captures_the_subnet(self) -> None:
        self.host("ip", "rule", "add", "priority", "100", "from", "10.0.0.0/8", "table", "200")
        self.host("ip", "route", "add", "default", "via", "10.0.1.1", "dev", "eth0", "table", "200")
        plan = self.helper_json("set", "eth1", "10.0.2.1", "--dry-run")
        [c] = [c for c in plan["conflicts"] if c["kind"] == "shadowed"]        # the preview says it
        self.assertEqual((c["priority"], c["interface"], c["network"]), (100, "eth1", "10.0.2.0/24"))
        self.helper("set", "eth1", "10.0.2.1")
        self.assertEqual(len(self.conflicts("shadowed")), 1)
        self.assert_cannot_ping("c2", "10.0.2.10")      # it bites: the reply follows table 200 to R1
        self.host("ip", "rule", "del", "priority", "100", "from", "10.0.0.0/8", "table", "200")
        self.assertEqual(self.conflicts("shadowed"), [])
        self.assert_can_ping("c2", "10.0.2.10")
        # a rule that only some packets meet (fwmark) or whose table has no default does not capture
        self.host("ip", "rule", "add", "priority", "101", "fwmark", "0x1", "table", "200")
        self.host("ip", "rule", "add", "priority", "102", "from", "10.0.2.0/24", "table", "202")
        self.assertEqual(self.conflicts("shadowed"), [])

    def test_managed_networks_on_overlapping_subnets(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.host("ip", "link", "add", "br-o", "type", "bridge")
        self.host("ip", "addr", "add", "10.0.2.20/25", "dev", "br-o")
        self.host("ip", "link", "set", "br-o", "up")
        plan = self.helper_json("set", "br-o", "10.0.2.126", "--dry-run")
        self.assertEqual([c["kind"] for c in plan["conflicts"]], ["overlap"])
        self.helper("set", "br-o", "10.0.2.126")
        [c] = self.conflicts("overlap")
        self.assertEqual((c["interfaces"], c["networks"]), (["br-o", "eth1"], ["10.0.2.0/25", "10.0.2.0/24"]))
        self.assert_can_ping("c2", "10.0.2.10")

    def test_our_tables_in_a_present_tools_range(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.assertEqual(self.conflicts("range"), [])      # 10000 is amazon-ec2-net-utils' only where it runs
        self.host("ip", "rule", "add", "priority", "10001", "from", "10.0.2.10", "table", "10001")
        [c] = self.conflicts("range")
        self.assertEqual((c["tool"], c["tables"]), ("amazon-ec2-net-utils", [10000]))
        # the fix it names: our tables elsewhere, a previewed change like any other
        kernel, files = self.kernel_state(), self.files()
        plan = self.helper_json("layout", "--tables", "20000-29999", "--dry-run")
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))
        self.assertEqual(sorted({c["table"] for c in plan["changes"]}), [10000, 20000])
        self.assertIn({"path": os.path.join(self.root, "etc/cockpit-gateways/layout.json"), "action": "write"},
                      plan["files"])
        self.helper("layout", "--tables", "20000-29999")
        self.assertEqual({r["table"] for r in self.our_routes()}, {"20000"})
        self.assertEqual(self.conflicts("range"), [])
        self.assert_can_ping("c2", "10.0.2.10")
        self.assertEqual(self.helper_json("status")["layout"]["tables"], {"min": 20000, "max": 29999})
        self.assertEqual(self.helper_json("reconcile")["changed"], False)


class Layout(LabTestCase):
    prefix = "gwif2"

    def test_priorities_move_as_a_previewed_change(self) -> None:
        self.add_foreign_objects()
        foreign = self.foreign_state()
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("set", "eth1", "fd00:2::1")
        plan = self.helper_json("layout", "--priority", "1000", "--dry-run")
        self.assertEqual(sorted(c["op"] for c in plan["changes"]), ["add"] * 6 + ["del"] * 6)
        self.assertEqual([r["priority"] for r in self.our_rules()], [30999, 31000, 31001] * 2)
        self.helper("layout", "--priority", "1000")
        self.assertEqual([r["priority"] for r in self.our_rules()], [1001, 1002, 1003] * 2)
        self.assert_can_ping("c2", "10.0.2.10")
        self.assert_can_ping("c2", "fd00:2::10", count=3)
        self.assertEqual(self.foreign_state(), foreign)
        self.assertEqual(self.helper_json("layout", "--priority", "1000")["changed"], False)
        self.assertEqual(self.helper_json("layout")["priorities"], {"shared": 1000, "main": 1001, "to": 1002,
                                                                    "from": 1003})
        # new networks follow the layout; a move onto a foreign rule's priority is shown in the preview
        self.helper("set", "eth0", "10.0.1.1")
        self.assertEqual(sorted({r["priority"] for r in self.our_rules()}), [1001, 1002, 1003])
        plan = self.helper_json("layout", "--priority", "30998", "--dry-run")
        self.assertEqual({c["kind"] for c in plan["conflicts"]}, {"priority"})
        # back to the defaults
        self.helper("layout", "--priority", "30998", "--tables", "10000-19999")
        self.assertEqual(sorted({r["priority"] for r in self.our_rules()}), [30999, 31000, 31001])
        self.assert_can_ping("c2", "10.0.2.10")

    def test_failed_move_restores_everything(self) -> None:
        """The kernel refuses the move's batch: layout.json, config.json and the kernel stay as
        they were, exit 1."""
        self.helper("set", "eth1", "10.0.2.1")
        kernel, files = self.kernel_state(), self.files()
        fake = os.path.join(self.root, "fakebin")
        os.makedirs(fake)
        with open(os.path.join(fake, "ip"), "w") as f:
            f.write("#!/bin/sh\n"
                    'case " $* " in *" -batch "*) cat >/dev/null; echo "Error: nope" >&2; '
                    'echo "Command failed -:1" >&2; exit 1;; esac\n'
                    'exec /usr/sbin/ip "$@"\n')
        os.chmod(os.path.join(fake, "ip"), 0o755)
        proc = self.helper("layout", "--priority", "2000", "--tables", "20000-20010", check=False,
                           env={"PATH": f"{fake}:{os.environ['PATH']}"})
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("restored", proc.stderr)
        self.assertEqual((self.kernel_state(), {k: v for k, v in self.files().items() if not k.startswith("fakebin")}),
                         (kernel, files))

    def test_bad_layout_is_refused_and_changes_nothing(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        kernel, files = self.kernel_state(), self.files()
        for args, field in ((("--priority", "32763"), "priority"), (("--priority", "0"), "priority"),
                            (("--priority", "x"), "priority"), (("--tables", "300"), "tables"),
                            (("--tables", "200-300"), "tables"), (("--tables", "9-3"), "tables"),
                            (("--tables", "1-99999999999"), "tables")):
            proc = self.helper("layout", *args, "--json", check=False)
            self.assertEqual(proc.returncode, 2, (args, proc.stderr))
            self.assertEqual(json.loads(proc.stdout)["field"], field, args)
            self.assertIn(field, proc.stderr)
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))
        # a damaged layout file is named, not guessed around
        with open(os.path.join(self.root, "etc/cockpit-gateways/layout.json"), "w") as f:
            f.write('{"version": 1, "priority": 32766, "tables": {"min": 10000, "max": 19999}}')
        proc = self.helper("status", "--json", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("layout.json: priority", proc.stderr)


class Networkd(LabTestCase):
    """A real systemd-networkd in the lab host (its own mount namespace: a private /run, /sys
    read-only, no D-Bus), with Debian's defaults: ManageForeignRoutingPolicyRules=yes and
    ManageForeignRoutes=yes, which delete rules and routes it did not make, ours included."""
    prefix = "gwif3"

    def test_running_networkd_is_a_conflict_until_the_drop_in(self) -> None:
        daemon = shutil.which("systemd-networkd") or "/lib/systemd/systemd-networkd"
        self.assertTrue(os.access(daemon, os.X_OK), "needs systemd-networkd (Debian's systemd package)")
        script = ("mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/netif && "
                  "chown systemd-network:systemd-network /run/systemd/netif && mount -o remount,ro /sys && "
                  f"exec {daemon}")
        proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), "unshare", "-m", "--propagation",
                                 "private", "sh", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.stop, proc)     # by PID: ip netns exec, unshare and sh exec the daemon

        def status() -> dict[str, Any]:
            # the helper where networkd runs: its network and mount namespace
            out = subprocess.run(["nsenter", "-t", str(proc.pid), "-m", "-n", "--", PYTHON, HELPER, "--root",
                                  self.root, "status", "--json"], capture_output=True, text=True, timeout=60)
            self.assertEqual(out.returncode, 0, out.stderr)
            data: dict[str, Any] = json.loads(out.stdout)
            return data

        deadline = time.monotonic() + 20
        while True:      # until its state directory and process are there
            kinds = [c for c in status()["conflicts"] if c["kind"] == "networkd"]
            if kinds or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        [c] = kinds
        self.assertIn("ManageForeignRoutingPolicyRules=no", c["message"])
        self.assertEqual(c["fix"], "/etc/systemd/networkd.conf.d/cockpit-gateways.conf")
        dropin = os.path.join(self.root, "etc/systemd/networkd.conf.d/cockpit-gateways.conf")
        os.makedirs(os.path.dirname(dropin))
        with open(dropin, "w") as f:
            f.write("[Network]\nManageForeignRoutingPolicyRules=no\nManageForeignRoutes=no\n")
        self.assertEqual([c for c in status()["conflicts"] if c["kind"] == "networkd"], [])

    @staticmethod
    def stop(proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
