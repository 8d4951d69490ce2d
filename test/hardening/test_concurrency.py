# SPDX-License-Identifier: LGPL-2.1-or-later
"""Concurrency: many helpers at once on the lab host serialize on the lock; the final kernel state
is what the last committed config asks for (reconcile --dry-run plans nothing), no rule is
duplicated, no config update is lost, and a lock holder that dies does not block the next one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

from test.hardening.common import HardeningCase, record, scale, write_fake_ip

SLEEPING_IP = """#!/bin/sh
case "$1" in netns) exec %(ip)s "$@";; esac
case " $* " in *" -batch "*) echo $$ > %(dir)s/sleeper; exec sleep 60;; esac
exec %(ip)s "$@"
"""


class Concurrency(HardeningCase):
    prefix = "gwhcc"

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(self.helper_argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, **(env or {})})

    def finish(self, procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
        out = []
        for proc in procs:
            _, err = proc.communicate(timeout=180)
            out.append((proc.returncode, err))
        return out

    def config(self) -> dict[str, object]:
        with open(os.path.join(self.root, "etc/cockpit-gateways/config.json")) as f:
            return json.load(f)["interfaces"]      # type: ignore[no-any-return]

    def test_concurrent_sets_lose_no_update(self) -> None:
        n = scale(25, 60)
        names = [f"gwv{i}" for i in range(n)]
        self.add_veths(names, lambda i: f"10.1.{i}.10/24")
        start = time.monotonic()
        results = self.finish([self.start("set", name, f"10.1.{i}.1") for i, name in enumerate(names)])
        self.assertEqual([r for r in results if r[0] != 0], [])
        self.assertEqual(sorted(self.config()), sorted(names))
        self.assertEqual(len({entry["table"] for entry in self.config().values()}), n)   # type: ignore[index]
        self.assertEqual(len([r for r in self.our_rules()]), 2 * n + 1)      # and main's rule in front
        self.assert_converged()
        self.assert_no_duplicate_rules()
        record(concurrent_runs=n)
        print(f"\n  {n} concurrent set: {time.monotonic() - start:.1f} s", flush=True)

    def test_fifty_mixed_commands(self) -> None:
        n = scale(50, 200)
        names = [f"gwm{i}" for i in range(n)]
        self.add_veths(names, lambda i: f"10.2.{i}.10/24")
        # half of them start with a gateway (to be unset), objects to delete exist beforehand
        for i in range(0, n, 4):
            self.helper("set", names[i], f"10.2.{i}.1")
        for i in range(n):
            self.host("ip", "route", "add", f"10.3.{i}.0/24", "dev", names[i], "table", "400", "proto", "static")
            self.host("ip", "rule", "add", "priority", str(2000 + i), "from", f"10.3.{i}.0/24", "table", "400",
                      "protocol", "static")
        expected_set, expected_unset = set(), set()
        procs = []
        for i, name in enumerate(names):
            kind = i % 8
            if kind == 0:
                procs.append(self.start("unset", name)); expected_unset.add(name)
            elif kind == 1:
                procs.append(self.start("set", name, f"10.2.{i}.1")); expected_set.add(name)
            elif kind == 2:
                procs.append(self.start("reconcile"))
            elif kind == 3:
                procs.append(self.start("dhcp-event", env={
                    "reason": "BOUND", "interface": name, "new_ip_address": f"10.2.{i}.10",
                    "new_subnet_mask": "255.255.255.0", "new_routers": f"10.2.{i}.1"}))
            elif kind == 4:
                procs.append(self.start("route", "add", f"10.4.{i}.0/24", "--dev", name, "--table", "401"))
            elif kind == 5:
                procs.append(self.start("route", "del", f"10.3.{i}.0/24", "--dev", name, "--table", "400",
                                        "--foreign"))
            elif kind == 6:
                procs.append(self.start("rule", "del", "--priority", str(2000 + i), "--from", f"10.3.{i}.0/24",
                                        "--table", "400", "--foreign"))
            else:
                procs.append(self.start("status", "--json"))
        results = self.finish(procs)
        self.assertEqual([(names[i], r) for i, r in enumerate(results) if r[0] != 0], [])
        config = self.config()
        self.assertTrue(expected_set <= set(config), expected_set - set(config))
        for name in expected_unset:
            self.assertNotIn("inet", config.get(name, {}))     # type: ignore[operator]
        self.assert_converged()
        self.assert_no_duplicate_rules()
        for i in range(n):
            self.assertEqual(bool(self.lab.ip_json("host", "route", "show", "table", "400", f"10.3.{i}.0/24")),
                             i % 8 != 5)
            self.assertEqual(any(r.get("priority") == 2000 + i for r in self.rules()), i % 8 != 6)
            if i % 8 == 4:
                self.assertTrue(self.lab.ip_json("host", "route", "show", "table", "401", f"10.4.{i}.0/24"))
        record(concurrent_runs=n)

    def test_dead_lock_holder_does_not_block(self) -> None:
        fake = os.path.join(self.scratch, "slow")
        write_fake_ip(fake, SLEEPING_IP, dir=self.scratch)
        holder = self.start("set", "eth1", "10.0.2.1", env={"PATH": f"{fake}:{os.environ['PATH']}"})
        sleeper = os.path.join(self.scratch, "sleeper")
        for _ in range(200):
            if os.path.exists(sleeper) and os.path.getsize(sleeper):
                break
            time.sleep(0.05)
        with open(sleeper) as f:
            sleeper_pid = int(f.read())
        try:
            waiter = self.start("set", "eth0", "10.0.1.1")
            time.sleep(1.0)
            self.assertIsNone(waiter.poll(), "a second helper ran while the first held the lock")
            holder.send_signal(signal.SIGKILL)        # the helper itself (ip netns exec execs it)
            holder.communicate(timeout=10)
            _, err = waiter.communicate(timeout=20)
            self.assertEqual(waiter.returncode, 0, err)
        finally:
            os.kill(sleeper_pid, signal.SIGKILL)
        self.helper("reconcile")
        self.assert_converged()
        # the killed set wrote its config before the batch (old or new, both fine): reconcile made
        # the kernel follow it; the waiting set's update is there
        self.assertIn("eth0", self.config())
        record(concurrent_runs=2)
