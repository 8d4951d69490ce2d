# SPDX-License-Identifier: LGPL-2.1-or-later
"""Crash at every step: a fake `ip` first in PATH counts the helper's ip invocations and SIGKILLs
the helper at the Nth one (before it runs, halfway through a batch, or right after it), for set,
unset, reconcile, dhcp-event and one-off fixes with --keep.  Then `reconcile` (the boot unit's
command) runs with the real ip: the kernel ends exactly in the state the config on disk asks for,
config.json (and dhcp.json, kept.json) is the old or the new version, never torn, and the foreign
objects are untouched.

Power loss: under strace, every file the helper writes is fsync'd before its rename, and its
directory is fsync'd after the rename (or unlink): what a power cut can lose is only a whole
write, and then the old file is there."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unittest
from typing import Callable

from test.hardening.common import KILLING_IP, STRESS, HardeningCase, record, write_fake_ip
from test.integration.base import HELPER, PYTHON

WATCHED = ("etc/cockpit-gateways/config.json", "etc/cockpit-gateways/kept.json", "run/cockpit-gateways/dhcp.json",
           "etc/iproute2/rt_tables.d/cockpit-gateways.conf")
DHCP_ENV = {"reason": "BOUND", "interface": "eth1", "new_ip_address": "10.0.2.10", "new_subnet_mask": "255.255.255.0",
            "new_routers": "10.0.2.1"}


class CrashAtEveryStep(HardeningCase):
    prefix = "gwhcr"
    points = 0

    def setUp(self) -> None:
        super().setUp()
        self.fake = os.path.join(self.scratch, "fakebin")
        self.state = os.path.join(self.scratch, "killstate")
        write_fake_ip(self.fake, KILLING_IP, dir=self.state)

    def run_killed(self, args: list[str], at: int, mode: str, env: dict[str, str] | None = None) -> tuple[int, int]:
        """Run the helper with the killing ip; returns (exit status, ip invocations seen)."""
        shutil.rmtree(self.state, ignore_errors=True)
        os.makedirs(self.state)
        proc = self.helper(*args, check=False, env={"PATH": f"{self.fake}:{os.environ['PATH']}",
                                                    "GW_KILL_AT": str(at), "GW_KILL_MODE": mode, **(env or {})})
        with open(os.path.join(self.state, "calls")) as f:
            calls = f.read().splitlines()
        return proc.returncode, len(calls)

    def snapshot_files(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for rel in WATCHED:
            try:
                with open(os.path.join(self.root, rel)) as f:
                    out[rel] = re.sub(r'"updated": \d+', '"updated": 0', f.read())   # the lease's time
            except FileNotFoundError:
                out[rel] = None
        return out

    def restore_files(self, files: dict[str, bytes]) -> None:
        for directory, _, names in os.walk(self.root):
            for name in names:
                if name != "lock":
                    os.unlink(os.path.join(directory, name))
        for rel, data in files.items():
            os.makedirs(os.path.dirname(os.path.join(self.root, rel)), exist_ok=True)
            with open(os.path.join(self.root, rel), "wb") as f:
                f.write(data)

    def ours(self) -> list[str]:
        return sorted(json.dumps(o, sort_keys=True) for o in self.our_rules() + self.our_routes())

    def scenario(self, args: list[str], prepare: Callable[[], None], undo_kernel: Callable[[], None] = lambda: None,
                 env: dict[str, str] | None = None, extra_check: Callable[[dict[str, str | None]], None] | None = None
                 ) -> None:
        prepare()
        self.helper("reconcile")          # the baseline as the restore below leaves it
        base_files = self.files()
        old = self.snapshot_files()
        old_ours = self.ours()
        rc, total = self.run_killed(args, 10 ** 6, "none", env)
        self.assertEqual(rc, 0, args)
        new = self.snapshot_files()
        new_ours = self.ours()
        self.assertNotEqual((old, old_ours), (new, new_ours), f"{args} changed nothing")
        with open(os.path.join(self.state, "calls")) as f:
            batches = {i + 1 for i, line in enumerate(f.read().splitlines()) if " -batch " in f" {line} "}
        for at in range(1, total + 1):
            modes = ["before"] + (["half", "after"] if at in batches else ["after"] if STRESS else [])
            for mode in modes:
                with self.subTest(args=args, at=at, mode=mode):
                    undo_kernel()
                    self.restore_files(base_files)
                    self.helper("reconcile")
                    self.assertEqual(self.ours(), old_ours)
                    rc, _ = self.run_killed(args, at, mode, env)
                    self.assertEqual(rc, -9 if rc < 0 else 137, f"not killed at {at} {mode}")
                    now = self.snapshot_files()
                    for rel in WATCHED:
                        self.assertIn(now[rel], (old[rel], new[rel]), f"{rel} torn or unexpected at {at} {mode}")
                        if now[rel] is not None and rel.endswith(".json"):
                            json.loads(now[rel])
                    self.helper("reconcile")
                    self.assert_converged()
                    self.assert_no_duplicate_rules()
                    self.assert_foreign_survived(self.foreign_before)
                    if now == new:
                        self.assertEqual(self.ours(), new_ours, f"config is new, kernel is not ({at} {mode})")
                    elif now == old:
                        self.assertEqual(self.ours(), old_ours, f"config is old, kernel is not ({at} {mode})")
                    if extra_check:
                        extra_check(now)
                    CrashAtEveryStep.points += 1
        undo_kernel()

    @classmethod
    def tearDownClass(cls) -> None:
        record(crash_points=cls.points)
        print(f"\n  crash points covered: {cls.points}", flush=True)

    def test_set(self) -> None:
        self.scenario(["set", "eth1", "10.0.2.1"], lambda: self.helper("set", "eth0", "10.0.1.1"))

    def test_unset(self) -> None:
        def prepare() -> None:
            self.helper("set", "eth0", "10.0.1.1")
            self.helper("set", "eth1", "10.0.2.1")
            self.helper("set", "eth1", "fd00:2::1")
        self.scenario(["unset", "eth1"], prepare)

    def test_reconcile_after_damage(self) -> None:
        """A rule deleted by hand and a table moved in the config: reconcile writes no config,
        so only the kernel matters, and the crash must still converge."""
        def prepare() -> None:
            self.helper("set", "eth0", "10.0.1.1")
            self.helper("set", "eth1", "10.0.2.1")
            self.move_table_in_config("eth1", 10042)
        prepare()
        base = self.files()
        old = self.snapshot_files()
        ours = self.ours()
        rc, total = self.run_killed(["reconcile"], 10 ** 6, "none")
        self.assertEqual(rc, 0)
        new = self.snapshot_files()
        for at in range(1, total + 1):
            for mode in ("before", "half", "after"):
                with self.subTest(at=at, mode=mode):
                    self.restore_files(base)
                    # back to the damaged kernel: eth1 in 10000 (old table), not 10042
                    for rule in self.our_rules():
                        self.host("ip", "rule", "del", "priority", str(rule["priority"]), "protocol", "248",
                                  check=False)
                    self.host("ip", "route", "flush", "table", "all", "proto", "248", check=False)
                    self.host("ip", "route", "flush", "table", "all", "proto", "248", check=False)
                    self.host("ip", "-6", "route", "flush", "table", "all", "proto", "248", check=False)
                    rc, _ = self.run_killed(["reconcile"], at, mode)
                    now = self.snapshot_files()
                    self.assertEqual(now["etc/cockpit-gateways/config.json"], old["etc/cockpit-gateways/config.json"])
                    for rel in WATCHED:
                        self.assertIn(now[rel], (old[rel], new[rel]), f"{rel} at {at} {mode}")
                    self.helper("reconcile")
                    self.assert_converged()
                    self.assertEqual({r["table"] for r in self.our_routes() if r["dev"] == "eth1"}, {"10042"})
                    self.assert_no_duplicate_rules()
                    self.assert_foreign_survived(self.foreign_before)
                    CrashAtEveryStep.points += 1
        self.assertTrue(ours)

    def test_dhcp_event(self) -> None:
        self.scenario(["dhcp-event"], lambda: self.helper("set", "eth0", "10.0.1.1"), env=DHCP_ENV)

    def test_route_fix_kept(self) -> None:
        def undo() -> None:
            self.host("ip", "route", "del", "10.0.9.0/24", "via", "10.0.2.1", "dev", "eth1", "table", "300",
                      check=False)

        def check(now: dict[str, str | None]) -> None:
            if now["etc/cockpit-gateways/kept.json"] is not None:      # kept: reconcile restored it
                self.assertTrue(self.lab.ip_json("host", "route", "show", "table", "300", "10.0.9.0/24"))
        self.scenario(["route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--dev", "eth1", "--table", "300",
                       "--keep"], lambda: None, undo, extra_check=check)

    def test_rule_fix_kept(self) -> None:
        def undo() -> None:
            self.host("ip", "rule", "del", "priority", "700", "from", "10.0.9.0/24", "table", "300", check=False)

        def check(now: dict[str, str | None]) -> None:
            if now["etc/cockpit-gateways/kept.json"] is not None:
                self.assertEqual(len([r for r in self.rules() if r.get("priority") == 700]), 1)
        self.scenario(["rule", "add", "--priority", "700", "--from", "10.0.9.0/24", "--table", "300", "--keep"],
                      lambda: None, undo, extra_check=check)


STRACE = shutil.which("strace")


@unittest.skipUnless(STRACE, "strace is not installed (test/system-deps.sh installs it)")
class PowerLoss(HardeningCase):
    prefix = "gwhpw"

    def traced(self, *args: str, env: dict[str, str] | None = None) -> list[str]:
        log = os.path.join(self.scratch, "strace.log")
        argv = ["ip", "netns", "exec", self.lab.ns("host"), STRACE or "strace", "-f", "-qq", "-s", "512", "-o", log,
                "-e", "trace=openat,open,fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat,close",
                PYTHON, HELPER, "--root", self.root, *args]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(log) as f:
            return f.read().splitlines()

    def check_durable(self, lines: list[str]) -> int:
        """Every rename into the root: the source was fsync'd while open, and the target's
        directory is fsync'd afterwards (likewise after an unlink).  Returns the files checked."""
        fds: dict[tuple[str, int], str] = {}
        synced: set[str] = set()
        pending_dirs: dict[str, str] = {}        # directory → what needs its fsync
        checked = 0
        for line in lines:
            m = re.match(r"(\d+)\s+(.*)", line)
            if not m:
                continue
            pid, call = m.groups()
            o = re.match(r'openat\([^,]+, "([^"]+)", [^)]*\) = (\d+)', call)
            if o:
                fds[(pid, int(o.group(2)))] = o.group(1)
                continue
            s = re.match(r"f(?:data)?sync\((\d+)\)\s+= 0", call)
            if s:
                path = fds.get((pid, int(s.group(1))))
                if path:
                    synced.add(path)
                    pending_dirs.pop(path.rstrip("/"), None)
                continue
            c = re.match(r"close\((\d+)\)", call)
            if c:
                fds.pop((pid, int(c.group(1))), None)
                continue
            r = re.match(r'rename(?:at2?)?\((?:[^,]+, )?"([^"]+)", (?:[^,]+, )?"([^"]+)".*\) = 0', call)
            if r and r.group(2).startswith(self.root):
                self.assertIn(r.group(1), synced, f"{r.group(2)}: renamed from an unsynced file")
                pending_dirs[os.path.dirname(r.group(2))] = r.group(2)
                checked += 1
                continue
            u = re.match(r'unlink(?:at)?\((?:[^,]+, )?"([^"]+)".*\) = 0', call)
            if u and u.group(1).startswith(self.root) and ".tmp" not in u.group(1):
                pending_dirs[os.path.dirname(u.group(1))] = u.group(1)
        self.assertEqual(pending_dirs, {}, "directories not fsync'd after a rename or unlink")
        return checked

    def test_every_write_is_synced_before_rename(self) -> None:
        checked = 0
        checked += self.check_durable(self.traced("set", "eth1", "10.0.2.1"))
        checked += self.check_durable(self.traced("set", "eth0", "10.0.1.1", "--json"))
        token = json.loads(self.helper("set", "eth1", "fd00:2::1", "--confirm-within", "30", "--json").stdout)["token"]
        checked += self.check_durable(self.traced("confirm", token))
        checked += self.check_durable(self.traced("dhcp-event", env={**DHCP_ENV, "interface": "eth1"}))
        checked += self.check_durable(self.traced("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table",
                                                  "300", "--keep"))
        checked += self.check_durable(self.traced("unset", "eth1"))
        self.assertGreaterEqual(checked, 6)
        record(fsync_files=checked)
        print(f"\n  atomic writes checked under strace: {checked}", flush=True)


if __name__ == "__main__":
    unittest.main()
