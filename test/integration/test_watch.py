# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cockpit-gateways watch` in the lab: after a link flap, an address removed and re-added, or a
rule deleted by hand, c2 reaches the host's display address again within a few seconds without
anyone calling the helper; our own repairs do not loop; churn in the main table wakes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import unittest

from test.integration.base import HELPER, PYTHON, LabTestCase


class Watch(LabTestCase):
    prefix = "gwd4"

    def setUp(self) -> None:
        super().setUp()
        self.helper("set", "eth1", "10.0.2.1")
        self.assert_can_ping("c2", "10.0.2.10")
        self.log = tempfile.NamedTemporaryFile(prefix="gwd-watch-", suffix=".log", delete=False)
        self.addCleanup(os.unlink, self.log.name)
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root", self.root,
                                      "watch"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        self.addCleanup(self.stop_watch)
        self.wait_for_log("following", 10)
        time.sleep(0.5)          # its start-up check is over

    def stop_watch(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)      # by PID: `ip netns exec` execs python
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        return self.proc.returncode

    def read_log(self) -> str:
        with open(self.log.name) as f:
            return f.read()

    def wait_for_log(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.read_log():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.fail(f"watch did not log {text!r}: {self.read_log()}")
            time.sleep(0.05)

    def repairs(self) -> int:
        return self.read_log().count("repaired:")

    def time_until_ping(self, limit: float = 10.0) -> float:
        start = time.monotonic()
        while not self.lab.ping("c2", "10.0.2.10", timeout=0.3):
            if time.monotonic() - start > limit:
                self.fail(f"c2 cannot reach 10.0.2.10 {limit} s later; watch log: {self.read_log()}")
        return time.monotonic() - start

    def logged_repairs(self, at_least: int = 1, limit: float = 5.0) -> int:
        """The repairs logged once the one that made the ping work is written (the log line comes
        after the repair itself, so reading it right after the ping races with the writer)."""
        deadline = time.monotonic() + limit
        while self.repairs() < at_least and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.repairs()

    def assert_quiet(self, repairs: int, seconds: float = 2.0) -> None:
        """No further repairs: our own changes did not wake us into a loop."""
        time.sleep(seconds)
        self.assertEqual(self.repairs(), repairs, self.read_log())
        self.assertIsNone(self.proc.poll())

    def test_link_down_up(self) -> None:
        self.host("ip", "link", "set", "eth1", "down")
        self.host("ip", "link", "set", "eth1", "up")
        took = self.time_until_ping()
        self.assert_quiet(self.logged_repairs())
        self.assertGreaterEqual(self.repairs(), 1)
        self.assertFalse(self.helper_json("reconcile", "--dry-run")["changed"])
        print(f"\n  link down/up: c2 reaches the host again after {took:.2f} s", end=" ")

    def test_address_removed_and_readded(self) -> None:
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth1")
        self.host("ip", "addr", "add", "10.0.2.10/24", "dev", "eth1")
        took = self.time_until_ping()
        self.assert_quiet(self.logged_repairs())
        print(f"\n  address re-added: c2 reaches the host again after {took:.2f} s", end=" ")

    def test_rule_deleted_by_hand(self) -> None:
        rule = next(r for r in self.our_rules() if r["priority"] == 31001)
        self.host("ip", "rule", "del", "priority", "31001", "from", "10.0.2.0/24", "table", str(rule["table"]),
                  "protocol", "248")
        took = self.time_until_ping()
        self.assertEqual(len(self.our_rules()), 3)
        self.assert_quiet(1)
        print(f"\n  rule deleted: repaired after {took:.2f} s", end=" ")

    def test_lease_lost_without_an_event_is_dropped(self) -> None:
        """NetworkManager's lease goes (its address removed) while a static IPv6 address keeps the
        connection up: no dispatcher event comes.  watch drops the lease and its objects."""
        self.helper("unset", "eth1")
        self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth1")
        self.host("ip", "addr", "add", "10.0.2.57/24", "dev", "eth1")
        self.helper("dhcp-event", "eth1", "up", env={
            "DEVICE_IFACE": "eth1", "DHCP4_IP_ADDRESS": "10.0.2.57", "DHCP4_SUBNET_MASK": "255.255.255.0",
            "DHCP4_ROUTERS": "10.0.2.1", "IP4_GATEWAY": "10.0.2.1"})
        self.assert_can_ping("c2", "10.0.2.57")
        self.assertEqual(len(self.our_rules()), 3)          # with main's rule in front
        before = self.repairs()
        start = time.monotonic()
        self.host("ip", "addr", "del", "10.0.2.57/24", "dev", "eth1")
        leases = os.path.join(self.root, "run/cockpit-gateways/dhcp.json")
        while os.path.exists(leases) or self.our_rules():
            if time.monotonic() - start > 10:
                self.fail(f"the lost lease is still there: {self.read_log()}")
            time.sleep(0.05)
        took = time.monotonic() - start
        self.wait_for_log("dropped the inet lease of eth1 (10.0.2.57/24 is gone)", 5)
        self.assertEqual(self.our_routes(), [])
        self.assert_quiet(self.logged_repairs(before + 1))
        self.assertEqual(self.helper_json("status").get("dhcp", []), [])
        print(f"\n  lease lost without an event: dropped after {took:.2f} s", end=" ")

    def test_foreign_churn_wakes_nothing_and_stop_is_clean(self) -> None:
        before = self.read_log()
        for i in range(50):
            self.host("ip", "route", "add", f"10.0.{100 + i}.0/24", "via", "10.0.1.1")
        for i in range(50):
            self.host("ip", "route", "del", f"10.0.{100 + i}.0/24", "via", "10.0.1.1")
        self.assert_quiet(0, 1.0)
        self.assertEqual(self.read_log(), before)
        self.assertEqual(self.stop_watch(), 0)
        self.assertIn("stopped after", self.read_log())


if __name__ == "__main__":
    unittest.main()
