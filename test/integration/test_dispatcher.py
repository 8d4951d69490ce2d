# SPDX-License-Identifier: LGPL-2.1-or-later
"""The NetworkManager dispatcher hook (src/host/dispatcher.d) in the lab, as NetworkManager runs
it: the installed script with IFACE ACTION and the connection's variables, no other environment.

Issue 18: `nmcli connection down eth1; nmcli connection up eth1` used to delete a static gateway's
rules at `down` and leave them deleted at `up`.  Every action now converges the interface like
`reconcile IFACE`, and a lease is judged by the kernel's addresses, so whatever order the events
arrive in (NetworkManager may run an `up` after the interface went down again) the result is the
same as a reconcile.  Proven by packets (c2, outside the host's subnets, reaches eth1) and by the
helper's own `reconcile --dry-run` having nothing left to do after every event."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest
from typing import Any

from test.integration.base import HELPER, TOP, LabTestCase

HOOK = os.path.join(TOP, "src", "host", "dispatcher.d", "50-cockpit-gateways")

STATIC = {"CONNECTION_ID": "eth1", "DEVICE_IFACE": "eth1", "DEVICE_IP_IFACE": "eth1",
          "IP4_NUM_ADDRESSES": "1", "IP4_ADDRESS_0": "10.0.2.10/24 0.0.0.0", "IP4_NUM_ROUTES": "0"}
# IPv6 from DHCPv6 (the address) and router advertisements (the gateway)
DHCP6 = {"DHCP6_IP6_ADDRESS": "fd00:2::10", "DHCP6_DHCP6_SERVER_ID": "0:1:0:1", "IP6_GATEWAY": "fd00:2::1",
         "IP6_NUM_ADDRESSES": "1", "IP6_ADDRESS_0": "fd00:2::10/64 fd00:2::1"}


class Dispatcher(LabTestCase):
    prefix = "gwnd"

    def setUp(self) -> None:
        super().setUp()
        tmp = tempfile.mkdtemp(prefix="gwnd-")
        os.chmod(tmp, 0o755)
        self.addCleanup(shutil.rmtree, tmp, True)
        with open(HOOK, encoding="utf-8") as f:
            text = f.read().replace("@LIBEXECDIR@", os.path.dirname(HELPER))
        self.hook = os.path.join(tmp, "50-cockpit-gateways")
        with open(self.hook, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(self.hook, 0o755)
        self.helper("set", "eth1", "10.0.2.1")
        self.assert_can_ping("c2", "10.0.2.10", count=3, timeout=2)
        self.static = self.config()

    def dispatch(self, iface: str, action: str, env: dict[str, str]) -> None:
        proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), self.hook, iface, action],
                              env={"PATH": os.environ["PATH"], "COCKPIT_GATEWAYS_ROOT": self.root,
                                   "NM_DISPATCHER_ACTION": action, **env},
                              capture_output=True, text=True, timeout=60)
        self.assertEqual((proc.returncode, proc.stderr), (0, ""), f"{iface} {action}")

    def config(self) -> Any:
        with open(os.path.join(self.root, "etc/cockpit-gateways/config.json")) as f:
            return json.load(f)

    def leases(self) -> Any:
        path = os.path.join(self.root, "run/cockpit-gateways/dhcp.json")
        if not os.path.exists(path):
            return {}
        with open(path) as f:
            return json.load(f)

    def assert_reconciled(self, what: str) -> None:
        plan = self.helper_json("reconcile", "--dry-run")
        self.assertFalse(plan["changed"], f"after {what}: {plan}")
        self.assertEqual(self.config(), self.static, f"after {what}: the static gateway changed")

    def test_down_then_up_keeps_the_static_gateway(self) -> None:
        """The issue's story: `nmcli connection down eth1; nmcli connection up eth1`."""
        self.dispatch("eth1", "pre-down", STATIC)
        self.host("ip", "addr", "flush", "dev", "eth1", "scope", "global")
        self.dispatch("eth1", "down", {})
        self.assert_reconciled("down")
        self.assertEqual(self.our_rules(), [])          # no address: nothing to route, as reconcile
        self.host("ip", "addr", "add", "10.0.2.10/24", "dev", "eth1")
        self.assert_cannot_ping("c2", "10.0.2.10")       # the kernel alone does not bring it back
        self.dispatch("eth1", "up", STATIC)
        self.assert_can_ping("c2", "10.0.2.10", count=3, timeout=2)
        self.assert_reconciled("up")

    def test_reapply_and_connectivity_change_repair(self) -> None:
        """`nmcli device modify` re-adds the address (the kernel drops the table's routes) and sends
        `reapply`; a connectivity change converges every interface."""
        for iface, action in (("eth1", "reapply"), ("", "connectivity-change")):
            self.host("ip", "addr", "del", "10.0.2.10/24", "dev", "eth1")
            self.host("ip", "addr", "add", "10.0.2.10/24", "dev", "eth1")
            self.assert_cannot_ping("c2", "10.0.2.10")
            self.dispatch(iface, action, STATIC if iface else {"CONNECTIVITY_STATE": "FULL"})
            self.assert_can_ping("c2", "10.0.2.10", count=3, timeout=2)
            self.assert_reconciled(action)

    def test_a_late_up_does_not_bring_back_a_lost_lease(self) -> None:
        self.host("ip", "-6", "addr", "flush", "dev", "eth1", "scope", "global")
        self.host("ip", "-6", "addr", "add", "fd00:2::10/64", "dev", "eth1", "nodad")
        self.dispatch("eth1", "up", {**STATIC, **DHCP6})
        self.assertEqual(self.leases()["eth1"]["inet6"]["gateway"], "fd00:2::1")
        self.assert_can_ping("c2", "fd00:2::10", count=3)     # the first echo may go to neighbour discovery
        # the connection goes down; its `up` was still queued and runs now, with the old variables
        self.host("ip", "-6", "addr", "del", "fd00:2::10/64", "dev", "eth1")
        self.dispatch("eth1", "up", {**STATIC, **DHCP6})
        self.assertEqual(self.leases(), {})
        self.assert_reconciled("a late up")
        self.dispatch("eth1", "down", {})
        self.assert_reconciled("down")
        self.assert_can_ping("c2", "10.0.2.10", count=3, timeout=2)     # the static IPv4 gateway is untouched

    def test_any_order_gives_what_reconcile_gives(self) -> None:
        """Random address changes, each followed by a random action with the connection's variables
        of some moment (current or stale): after each one, reconcile has nothing left to do, the
        static gateway is kept, and a recorded lease's address is on the interface."""
        rng = random.Random(18)
        have = {"10.0.2.10/24": True, "fd00:2::10/64": True}
        actions = ("up", "down", "pre-down", "reapply", "dhcp4-change", "dhcp6-change", "connectivity-change")
        seen = set()
        for step in range(36):
            address = rng.choice(sorted(have))
            if rng.random() < 0.5:
                have[address] = not have[address]
                self.host("ip", "addr", "add" if have[address] else "del", address, "dev", "eth1",
                          *(["nodad"] if ":" in address and have[address] else []))
            action = rng.choice(actions)
            env = {**STATIC, **(DHCP6 if rng.random() < 0.6 else {})}
            if action == "connectivity-change":
                self.dispatch("", action, {"CONNECTIVITY_STATE": "FULL"})
            else:
                self.dispatch("eth1", action, env if action != "down" else {})
            what = f"step {step}: {action} with {', '.join(a for a, on in have.items() if on) or 'no address'}"
            self.assert_reconciled(what)
            lease = self.leases().get("eth1", {}).get("inet6")
            if lease is not None:
                self.assertTrue(have["fd00:2::10/64"], f"{what}: a lease without its address: {lease}")
            if action in ("up", "reapply", "dhcp6-change") and "DHCP6_IP6_ADDRESS" in env and have["fd00:2::10/64"]:
                self.assertIsNotNone(lease, what)
            seen.add((action, have["10.0.2.10/24"], lease is not None))
        self.assertGreaterEqual(len({a for a, _, _ in seen}), len(actions))
        # finally the connection is up with both addresses: packets flow in both families
        for address, on in have.items():
            if not on:
                self.host("ip", "addr", "add", address, "dev", "eth1", *(["nodad"] if ":" in address else []))
        self.dispatch("eth1", "up", {**STATIC, **DHCP6})
        self.assert_can_ping("c2", "10.0.2.10", count=3, timeout=2)
        self.assert_can_ping("c2", "fd00:2::10", count=3, timeout=2)
        self.assert_reconciled("the last up")


if __name__ == "__main__":
    unittest.main()
