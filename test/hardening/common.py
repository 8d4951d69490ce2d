# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared pieces of the hardening tests (issue 8).

- GW_STRESS=1 scales every count (examples, crash points, concurrent commands) for `make stress`;
  `make check` runs the short, derandomized variants.
- figures: every test adds what it tried (inputs, crash points, concurrent runs, rollbacks, foreign
  objects compared) to a small file; `python3 -m test.hardening.figures` prints the totals.
- fake `ip` programs first in PATH: one that logs every invocation and batch line and execs the real
  ip, one that SIGKILLs the helper at the Nth invocation (or halfway through a batch).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from typing import Any

from test.integration.base import HELPER, PYTHON, LabTestCase, TOP

STRESS = os.environ.get("GW_STRESS", "") not in ("", "0")
FIGURES = os.environ.get("GW_FIGURES") or os.path.join(TOP, "tmp", "hardening-figures.jsonl")
REAL_IP = shutil.which("ip", path="/usr/sbin:/sbin:/usr/bin:/bin") or "/usr/sbin/ip"


def scale(short: int, long: int) -> int:
    """A count for `make check` (short) or `make stress` (long)."""
    return long if STRESS else short


def record(**counts: int) -> None:
    """Add to the totals reported by test.hardening.figures (one JSON line per call)."""
    os.makedirs(os.path.dirname(FIGURES), exist_ok=True)
    with open(FIGURES, "a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(json.dumps(counts) + "\n")


# --- fake ip programs ------------------------------------------------------------------------------

LOGGING_IP = """#!/bin/sh
# log every ip invocation (argv, and each batch line on stdin) and run the real ip
log=%(log)s
case "$1" in netns) exec %(ip)s "$@";; esac
printf 'ARGV %%s\\n' "$*" >> "$log"
case " $* " in *" -batch "*)
    tmp=$(mktemp); cat > "$tmp"
    sed 's/^/LINE /' "$tmp" >> "$log"
    %(ip)s "$@" < "$tmp"; rc=$?; rm -f "$tmp"; exit $rc;;
esac
exec %(ip)s "$@"
"""

# Kill the helper (our parent: the helper runs ip directly, no shell between) at the Nth ip
# invocation.  MODE before: kill before running that ip; half: for a batch, feed the first half of
# its lines to the real ip, then kill; after: run it fully, then kill.  The counter is a file, so
# parallel reads (ip_json_many) count one each.
KILLING_IP = """#!/bin/sh
# `ip netns exec` that starts the helper (PATH is the helper's too): not one of its calls
case "$1" in netns) exec %(ip)s "$@";; esac
dir=%(dir)s
exec 9>>"$dir/lock"; flock 9
n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 )); echo $n > "$dir/count"
flock -u 9
printf '%%s %%s\\n' "$n" "$*" >> "$dir/calls"
if [ "$n" != "$GW_KILL_AT" ]; then exec %(ip)s "$@"; fi
case "$GW_KILL_MODE" in
before) kill -9 $PPID; exit 1;;
half)
    case " $* " in *" -batch "*)
        lines=$(cat); k=$(printf '%%s\\n' "$lines" | wc -l)
        printf '%%s\\n' "$lines" | head -n $(( (k + 1) / 2 )) | %(ip)s "$@"
        kill -9 $PPID; exit 1;;
    esac
    kill -9 $PPID; exit 1;;
after) %(ip)s "$@"; rc=$?; kill -9 $PPID; exit $rc;;
esac
exec %(ip)s "$@"
"""


def write_fake_ip(directory: str, template: str, **values: str) -> str:
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "ip")
    with open(path, "w", encoding="utf-8") as f:
        f.write(template % {"ip": REAL_IP, **values})
    os.chmod(path, 0o755)
    return path


# --- the test case ---------------------------------------------------------------------------------

class HardeningCase(LabTestCase):
    """A fresh lab and scratch root (LabTestCase) plus foreign objects that must survive."""

    prefix = "gwh"
    foreign = True

    def setUp(self) -> None:
        super().setUp()
        self.scratch = tempfile.mkdtemp(prefix="gwh-scratch-")
        self.addCleanup(shutil.rmtree, self.scratch, True)
        if self.foreign:
            self.add_foreign_objects()
        self.foreign_before = self.foreign_state()
        self.addCleanup(self._check_foreign)

    def _check_foreign(self) -> None:
        """After every test: 100% of the foreign objects are still there, unchanged (a test may
        have added objects of its own: one-off fixes carry no marker of ours)."""
        self.assert_foreign_survived(self.foreign_before)

    def assert_foreign_survived(self, before: str) -> None:
        after = [[json.dumps(o, sort_keys=True) for o in json.loads(line)] for line in self.foreign_state().splitlines()]
        for i, line in enumerate(before.splitlines()):
            for obj in json.loads(line):
                self.assertIn(json.dumps(obj, sort_keys=True), after[i], "a foreign rule or route is gone")
        record(foreign_objects=self.count_objects(before))

    @staticmethod
    def count_objects(state: str) -> int:
        return sum(len(json.loads(line)) for line in state.splitlines())

    def add_veths(self, names: list[str], subnet_of: Any) -> None:
        """Interfaces on the lab host (peers stay in the host namespace, down): NAME with the
        address subnet_of(i) (e.g. '10.1.i.10/24'), up."""
        lines = []
        for i, name in enumerate(names):
            lines += [f"link add {name} type veth peer name p{name[-12:]}",
                      f"addr add {subnet_of(i)} dev {name}", f"link set {name} up",
                      f"link set p{name[-12:]} up"]
        self.lab.run("host", "ip", "-batch", "-", input="".join(line + "\n" for line in lines))

    def helper_argv(self, *args: str, helper: str = HELPER) -> list[str]:
        return ["ip", "netns", "exec", self.lab.ns("host"), PYTHON, helper, "--root", self.root, *args]

    def config_text(self) -> str | None:
        try:
            with open(os.path.join(self.root, "etc/cockpit-gateways/config.json"), encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def assert_converged(self) -> None:
        """reconcile --dry-run plans nothing and status has no drift."""
        plan = self.helper_json("reconcile", "--dry-run")
        self.assertEqual(plan["changes"], [], plan)
        self.assertEqual(self.helper_json("status")["drift"], {"missing": [], "extra": []})

    def assert_no_duplicate_rules(self) -> None:
        for family in ("-4", "-6"):
            rules = [json.dumps(r, sort_keys=True) for r in self.rules(family)]
            self.assertEqual(len(rules), len(set(rules)), f"duplicate rules: {rules}")


def run_quiet(argv: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, **kw)
