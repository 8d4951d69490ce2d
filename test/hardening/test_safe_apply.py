# SPDX-License-Identifier: LGPL-2.1-or-later
"""Safe apply under failure (helper level; the browser session dropping is covered by the browser
tests): an unconfirmed change rolls back within its window when the helper is killed or nobody
confirms; a killed watchdog is made up for by the next changing command after the deadline; a
reboot in the window restores the last confirmed state; the same for one-off fixes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from typing import Callable

from test.hardening.common import KILLING_IP, HardeningCase, record, write_fake_ip
from test.integration.base import HELPER

SLACK = 2.5          # the watchdog polls every 0.5 s; namespaces and python start-up


class SafeApplyUnderFailure(HardeningCase):
    prefix = "gwhsa"
    rollbacks = 0

    @classmethod
    def tearDownClass(cls) -> None:
        record(rollbacks=cls.rollbacks)

    def ours(self) -> list[str]:
        return sorted(json.dumps(o, sort_keys=True) for o in self.our_rules() + self.our_routes())

    def wait_for(self, what: Callable[[], bool], seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if what():
                return True
            time.sleep(0.2)
        return what()

    def watchdogs(self) -> list[int]:
        """Processes in the lab host's namespace running the helper: the watchdogs."""
        mine = os.readlink(f"/run/netns/{self.lab.ns('host')}") if os.path.islink(
            f"/run/netns/{self.lab.ns('host')}") else None
        ns = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), "readlink", "/proc/self/ns/net"],
                            capture_output=True, text=True).stdout.strip()
        out = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmdline = f.read().split(b"\0")
                if HELPER.encode() in cmdline and os.readlink(f"/proc/{pid}/ns/net") == ns:
                    out.append(int(pid))
            except OSError:
                continue
        del mine
        return out

    def setUp(self) -> None:
        super().setUp()
        self.helper("set", "eth0", "10.0.1.1")
        self.confirmed = self.ours()

    def test_never_confirmed_rolls_back_in_time(self) -> None:
        start = time.monotonic()
        self.helper_json("set", "eth1", "10.0.2.1", "--confirm-within", "2")
        self.assertNotEqual(self.ours(), self.confirmed)
        self.assertTrue(self.wait_for(lambda: self.ours() == self.confirmed, 2 + SLACK))
        self.assertLess(time.monotonic() - start, 2 + SLACK + 1)
        self.assert_converged()
        SafeApplyUnderFailure.rollbacks += 1

    def test_helper_killed_after_apply_still_rolls_back(self) -> None:
        fake = os.path.join(self.scratch, "fake")
        state = os.path.join(self.scratch, "state")
        os.makedirs(state)
        write_fake_ip(fake, KILLING_IP, dir=state)
        env = {"PATH": f"{fake}:{os.environ['PATH']}", "GW_KILL_MODE": "after", "GW_KILL_AT": "0"}
        pending = os.path.join(self.root, "run/cockpit-gateways/pending.json")
        # one run without killing shows the calls (the watchdog's too: count only up to the batch)
        self.helper("set", "eth1", "10.0.2.1", "--confirm-within", "1", env=env)
        # the watchdog's own ip calls count too: wait until it is gone before counting afresh
        self.assertTrue(self.wait_for(lambda: not os.path.exists(pending) and not self.watchdogs(), 1 + SLACK))
        with open(os.path.join(state, "calls")) as f:
            calls = f.read().splitlines()
        batch = next(i + 1 for i, line in enumerate(calls) if "-batch" in line)
        for at in (batch, batch + 1):       # after the batch; after the first verify read
            for name in ("count", "calls"):
                os.unlink(os.path.join(state, name))
            env["GW_KILL_AT"] = str(at)
            proc = self.helper("set", "eth1", "10.0.2.1", "--confirm-within", "2", check=False, env=env)
            self.assertIn(proc.returncode, (-9, 137), proc.stderr)
            self.assertNotEqual(self.ours(), self.confirmed)
            self.assertTrue(self.wait_for(lambda: self.ours() == self.confirmed and not os.path.exists(pending)
                                          and not self.watchdogs(), 2 + SLACK))
            self.assert_converged()
            SafeApplyUnderFailure.rollbacks += 1

    def test_killed_watchdog_is_made_up_for_by_the_next_command(self) -> None:
        before = set(self.watchdogs())
        self.helper_json("set", "eth1", "10.0.2.1", "--confirm-within", "2")
        dogs = [pid for pid in self.watchdogs() if pid not in before]
        self.assertEqual(len(dogs), 1, dogs)
        os.kill(dogs[0], signal.SIGKILL)
        time.sleep(2 + SLACK)
        self.assertNotEqual(self.ours(), self.confirmed)      # nobody rolled back yet
        self.helper("status")                                 # a read does not change anything
        self.assertNotEqual(self.ours(), self.confirmed)
        self.helper("reconcile")
        self.assertEqual(self.ours(), self.confirmed)
        # and through `set` (another interface): it builds on the confirmed config
        self.helper_json("set", "eth1", "fd00:2::1", "--confirm-within", "2")
        for pid in [p for p in self.watchdogs() if p not in before]:
            os.kill(pid, signal.SIGKILL)
        time.sleep(2 + SLACK)
        self.helper("set", "eth0", "fd00:1::1")
        with open(os.path.join(self.root, "etc/cockpit-gateways/config.json")) as f:
            config = json.load(f)["interfaces"]
        self.assertNotIn("eth1", config)
        self.assertEqual(sorted(config["eth0"]), ["inet", "inet6", "table"])
        self.assert_converged()
        SafeApplyUnderFailure.rollbacks += 2

    def reboot(self) -> None:
        """A reboot: /run is empty and the kernel has none of our objects (nor one-off routes)."""
        os.unlink(os.path.join(self.root, "run/cockpit-gateways/pending.json"))
        for rule in self.our_rules():
            self.host("ip", "rule", "del", "priority", str(rule["priority"]), "protocol", "248")
        self.host("ip", "route", "flush", "table", "all", "proto", "248")
        self.host("ip", "-6", "route", "flush", "table", "all", "proto", "248")

    def test_reboot_in_the_window_restores_the_confirmed_state(self) -> None:
        self.helper_json("set", "eth1", "10.0.2.1", "--confirm-within", "30")
        self.reboot()
        self.helper("reconcile")
        self.assertEqual(self.ours(), self.confirmed)
        SafeApplyUnderFailure.rollbacks += 1

    def test_one_off_fix_rolls_back_when_not_confirmed(self) -> None:
        route = ["10.0.9.0/24", "--via", "10.0.2.1", "--table", "300"]
        self.helper_json("route", "add", *route, "--confirm-within", "2")
        look = lambda: self.lab.ip_json("host", "route", "show", "table", "300", "10.0.9.0/24")  # noqa: E731
        self.assertTrue(look())
        self.assertTrue(self.wait_for(lambda: not look(), 2 + SLACK))
        self.helper_json("rule", "add", "--priority", "700", "--to", "10.0.9.0/24", "--table", "300",
                         "--confirm-within", "2")
        self.assertTrue(self.wait_for(lambda: not any(r.get("priority") == 700 for r in self.rules()), 2 + SLACK))
        SafeApplyUnderFailure.rollbacks += 2

    def test_kept_fix_not_confirmed_is_not_restored(self) -> None:
        """--keep with --confirm-within: after the rollback (or a reboot in the window) the
        unconfirmed fix must not come back with the next reconcile (kept.json changes only on
        confirm; the new content waits in pending.json)."""
        look = lambda: self.lab.ip_json("host", "route", "show", "table", "300", "10.0.9.0/24")  # noqa: E731
        self.helper_json("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300", "--keep",
                         "--confirm-within", "2")
        self.assertTrue(self.wait_for(lambda: not look(), 2 + SLACK))
        self.helper("reconcile")
        self.assertEqual(look(), [], "reconcile restored a kept fix that was never confirmed")
        # a reboot in the window: the same
        self.helper_json("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300", "--keep",
                         "--confirm-within", "30")
        self.reboot()
        self.host("ip", "route", "del", "10.0.9.0/24", "table", "300")
        self.helper("reconcile")
        self.assertEqual(look(), [], "reconcile after a reboot restored an unconfirmed kept fix")
        SafeApplyUnderFailure.rollbacks += 2
