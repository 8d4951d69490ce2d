#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Benchmark of the cockpit-gateways engine (issue 3, `make bench`).

For N networks (default 1000) in a lab of network namespaces (gwbench-host, gwbench-peer: N veth
pairs, eN in the host namespace with 10.S.T.1/24, its peer pN in the peer namespace), measure the
helper as a whole process inside the namespace:
  1. apply from empty     `reconcile` with a config of N networks (4N+1 objects: 2 routes + 2 rules
                          each, and one `lookup main suppress_prefixlength 0` rule in front)
  2. no-op reconcile      the same again: nothing to change
  3. remove-all           `reconcile` with a config without interfaces
against, in the same namespace and with the same objects:
  (a) one `ip` process per command (the oVirt scripts' way): 4N adds, then 4N deletes
  (b) a bare `ip -batch` of the same lines (the helper's own lines, from `reconcile --dry-run --json`)
  (c) the `ip -N -j` reads a no-op reconcile needs, each as its own process
  (d) interpreter start-up: `python3 -c pass` and `python3 -I -S -c "import json, ipaddress, …"`
Every timed command runs inside the host namespace under a small timer process, so the cost of
entering the namespace (`ip netns exec`, shown separately) is in none of the figures.
After every step the kernel is read back: exactly the expected number of our rules and routes, at
our priorities and in our tables, and the foreign ones untouched; a wrong state exits 1.

Targets (issue 3): apply >= 50x faster than (a); apply <= 1.5x ((b) + interpreter start-up);
no-op reconcile <= 3x (c).  Missing a target is reported (MISS) but is not a failure: the exit
status is 0 whenever the benchmark ran and the kernel state was right.

Usage (as root):  /usr/bin/python3 test/bench/bench_engine.py [--networks N] [--repeat R] [--quick]
Lab rules: only namespaces named gwbench-*, created and deleted here (also on failure, Ctrl-C,
SIGTERM); nothing is created in the machine's own network namespace; no traffic is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HELPER = os.path.join(REPO, "src", "helper", "cockpit-gateways")
ARTIFACT = os.path.join(REPO, "test", "artifacts", "bench-engine.json")
PYTHON = "/usr/bin/python3"
IP = shutil.which("ip") or "/usr/sbin/ip"

# GW_LAB_TAG (as in test/lab/gwlab.py) keeps runs from several checkouts apart
NS_HOST = f"gwbench{os.environ.get('GW_LAB_TAG', '')}-host"
NS_PEER = f"gwbench{os.environ.get('GW_LAB_TAG', '')}-peer"

# The helper's markers (src/helper/cockpit_gateways/model.py); read from there when possible.
PROTO = 248
TABLE_MIN = 10000
TABLE_MAX = 19999
PRIORITY_TO = 31000
PRIORITY_FROM = 31001

# Targets from issue 3.
TARGET_APPLY_VS_PROCESSES = 50.0     # apply at least 50x faster than one ip process per command
TARGET_APPLY_VS_BATCH = 1.5          # apply within 1.5x of (bare batch + interpreter start-up)
TARGET_NOOP_VS_READS = 3.0           # no-op reconcile within 3x of the reads it needs

# The timer that runs inside the namespace: runs each command of a JSON spec in turn, times it
# with a monotonic clock, and reports elapsed seconds, exit status, stderr and (optionally) keeps
# stdout in a file.  stdout is always read through a pipe, as a real caller would.
RUNNER = r'''
import json, subprocess, sys, time
spec = json.load(open(sys.argv[1]))
out = []
for cmd in spec:
    stdin = open(cmd["stdin"], "rb") if cmd.get("stdin") else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.run(cmd["argv"], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if cmd.get("stdin"):
        stdin.close()
    if cmd.get("stdout"):
        with open(cmd["stdout"], "wb") as f:
            f.write(proc.stdout)
    out.append({"elapsed": elapsed, "rc": proc.returncode,
                "stderr": proc.stderr.decode(errors="replace")[-2000:]})
json.dump(out, sys.stdout)
'''


class BenchError(Exception):
    """The benchmark could not run, or the kernel state was wrong: exit 1."""


class Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


def _on_signal(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


def _read_helper_constants() -> None:
    """Take the markers from the helper's model.py so the checks follow it if it changes."""
    global PROTO, TABLE_MIN, TABLE_MAX, PRIORITY_TO, PRIORITY_FROM
    sys.path.insert(0, os.path.join(REPO, "src", "helper"))
    try:
        import importlib
        model = importlib.import_module("cockpit_gateways.model")
        PROTO, TABLE_MIN, TABLE_MAX = model.PROTO, model.TABLE_MIN, model.TABLE_MAX
        PRIORITY_TO, PRIORITY_FROM = model.PRIORITY_TO, model.PRIORITY_FROM
    except Exception as e:  # the defaults above are the documented values
        print(f"note: using built-in constants ({e})", file=sys.stderr)
    finally:
        sys.path.pop(0)


# --- running things ----------------------------------------------------------------------------

def run(argv: list[str], input: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, input=input, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise BenchError(f"{shlex.join(argv)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return proc


def ip_json(*args: str) -> list[dict[str, Any]]:
    """`ip -n gwbench-host -N -j ARGS` (untimed, for checks)."""
    proc = run([IP, "-n", NS_HOST, "-N", "-j", *args], check=False)
    out = proc.stdout.strip()
    if proc.returncode != 0:
        if out in ("", "[") and "table" in args:
            return []
        raise BenchError(f"ip {' '.join(args)}: {proc.stderr.strip()}")
    data: list[dict[str, Any]] = json.loads(out) if out else []
    return data


class Lab:
    def __init__(self, networks: int, tmp: str) -> None:
        self.networks = networks
        self.tmp = tmp
        self.runner = os.path.join(tmp, "runner.py")
        with open(self.runner, "w") as f:
            f.write(RUNNER)
        self.counter = 0
        self.foreign_rules: dict[str, list[str]] | None = None
        self.read_detail: dict[str, list[float]] = {}

    # names and addresses: network n is eN, 10.(100 + n // 250).(n % 250).1/24, gateway .2
    @staticmethod
    def iface(n: int) -> str:
        return f"e{n}"

    @staticmethod
    def subnet(n: int) -> str:
        return f"10.{100 + n // 250}.{n % 250}"

    @staticmethod
    def own_names_in_machine_namespace() -> set[str]:
        """Links in the machine's own namespace that have our names (there should be none new)."""
        data = json.loads(run([IP, "-j", "link", "show"]).stdout or "[]")
        return {d["ifname"] for d in data if re.fullmatch(r"[ep][0-9]+", str(d.get("ifname", "")))}

    def create(self) -> None:
        self.machine_names = self.own_names_in_machine_namespace()
        existing = run([IP, "netns", "list"]).stdout.split()
        for ns in (NS_HOST, NS_PEER):
            if ns in existing:
                raise BenchError(f"namespace {ns} already exists (another benchmark running, or left over "
                                 f"from a killed one: `ip netns del {ns}`)")
        self.created: list[str] = []
        for ns in (NS_HOST, NS_PEER):
            run([IP, "netns", "add", ns])
            self.created.append(ns)
        host = ["link set lo up"]
        peer = ["link set lo up"]
        for n in range(self.networks):
            host.append(f"link add {self.iface(n)} type veth peer name p{n} netns {NS_PEER}")
        self.batch_in(NS_HOST, host)
        for n in range(self.networks):
            peer.append(f"link set p{n} up")
        self.batch_in(NS_PEER, peer)
        addrs = []
        for n in range(self.networks):
            addrs.append(f"addr add {self.subnet(n)}.1/24 dev {self.iface(n)}")
            addrs.append(f"link set {self.iface(n)} up")
        self.batch_in(NS_HOST, addrs)
        links = {link["ifname"] for link in ip_json("link", "show")}
        missing = [self.iface(n) for n in range(self.networks) if self.iface(n) not in links]
        if missing:
            raise BenchError(f"lab: {len(missing)} interfaces missing, e.g. {missing[0]}")

    def batch_in(self, ns: str, lines: list[str]) -> None:
        run([IP, "-n", ns, "-batch", "-"], input="".join(line + "\n" for line in lines))

    def destroy(self) -> list[str]:
        problems = []
        if hasattr(self, "machine_names"):
            new = self.own_names_in_machine_namespace() - self.machine_names
            if new:
                problems.append(f"links appeared in the machine's own namespace: {sorted(new)[:5]}")
        for ns in reversed(getattr(self, "created", [])):
            proc = run([IP, "netns", "del", ns], check=False)
            if proc.returncode != 0:
                problems.append(f"ip netns del {ns}: {proc.stderr.strip()}")
        left = [ns for ns in run([IP, "netns", "list"], check=False).stdout.split()
                if ns in (NS_HOST, NS_PEER)]
        if left:
            problems.append(f"namespaces left: {left}")
        return problems

    # --- timing inside the namespace --------------------------------------------------------

    def timed(self, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run commands one after the other inside gwbench-host; returns each one's timing."""
        self.counter += 1
        spec = os.path.join(self.tmp, f"spec{self.counter}.json")
        with open(spec, "w") as f:
            json.dump(commands, f)
        proc = run([IP, "netns", "exec", NS_HOST, PYTHON, "-I", "-S", self.runner, spec])
        results: list[dict[str, Any]] = json.loads(proc.stdout)
        return results

    def timed_one(self, argv: list[str], *, stdin: str | None = None, stdout: str | None = None,
                  expect_rc: int = 0) -> float:
        [result] = self.timed([{"argv": argv, "stdin": stdin, "stdout": stdout}])
        if result["rc"] != expect_rc:
            raise BenchError(f"{shlex.join(argv)} exited {result['rc']}: {result['stderr'].strip()[-800:]}")
        return float(result["elapsed"])

    # --- the kernel's state -----------------------------------------------------------------

    def owned(self) -> dict[str, Any]:
        rules = {fam: ip_json(flag, "rule", "show") for fam, flag in (("inet", "-4"), ("inet6", "-6"))}
        routes = {fam: ip_json(flag, "route", "show", "table", "all", "proto", str(PROTO))
                  for fam, flag in (("inet", "-4"), ("inet6", "-6"))}
        return {"rules": rules, "routes": routes}

    def check(self, step: str, expect_networks: int) -> dict[str, int]:
        """The kernel holds exactly our objects for expect_networks networks, and the foreign
        rules (local, main, default) and the connected routes are still there."""
        state = self.owned()
        problems = []
        ours4 = [r for r in state["rules"]["inet"] if _int(r.get("protocol")) == PROTO]
        ours6 = [r for r in state["rules"]["inet6"] if _int(r.get("protocol")) == PROTO]
        routes4 = state["routes"]["inet"]
        routes6 = state["routes"]["inet6"]
        want = 2 * expect_networks
        want_rules = want + (1 if expect_networks else 0)    # and main's rule in front (one per family)
        if len(ours4) != want_rules:
            problems.append(f"{len(ours4)} owned IPv4 rules, expected {want_rules}")
        if ours6:
            problems.append(f"{len(ours6)} owned IPv6 rules, expected 0")
        if len(routes4) != want:
            problems.append(f"{len(routes4)} owned IPv4 routes, expected {want}")
        if routes6:
            problems.append(f"{len(routes6)} owned IPv6 routes, expected 0")
        if expect_networks:
            to = {(r.get("dst"), r.get("table")) for r in ours4 if r.get("priority") == PRIORITY_TO}
            frm = {(r.get("src"), r.get("table")) for r in ours4 if r.get("priority") == PRIORITY_FROM}
            wanted = {(f"{self.subnet(n)}.0", str(TABLE_MIN + n)) for n in range(expect_networks)}
            # -N prints table numbers; accept int or str
            to = {(d, str(t)) for d, t in to}
            frm = {(s, str(t)) for s, t in frm}
            if to != wanted:
                problems.append(f"'to' rules at {PRIORITY_TO} differ from the expected ones "
                                f"({len(to ^ wanted)} differences)")
            if frm != wanted:
                problems.append(f"'from' rules at {PRIORITY_FROM} differ from the expected ones "
                                f"({len(frm ^ wanted)} differences)")
            defaults = {(r.get("dev"), str(r.get("table")), r.get("gateway")) for r in routes4
                        if r.get("dst") == "default"}
            want_defaults = {(self.iface(n), str(TABLE_MIN + n), f"{self.subnet(n)}.2")
                             for n in range(expect_networks)}
            if defaults != want_defaults:
                problems.append(f"default routes differ from the expected ones "
                                f"({len(defaults ^ want_defaults)} differences)")
            links = {(r.get("dev"), str(r.get("table")), r.get("dst"), r.get("prefsrc")) for r in routes4
                     if r.get("dst") != "default"}
            want_links = {(self.iface(n), str(TABLE_MIN + n), f"{self.subnet(n)}.0/24", f"{self.subnet(n)}.1")
                          for n in range(expect_networks)}
            if links != want_links:
                problems.append(f"subnet routes differ from the expected ones "
                                f"({len(links ^ want_links)} differences)")
        foreign = {fam: sorted(json.dumps(r, sort_keys=True) for r in state["rules"][fam]
                               if _int(r.get("protocol")) != PROTO) for fam in ("inet", "inet6")}
        if self.foreign_rules is None:
            self.foreign_rules = foreign        # the kernel's own: local, main (and default)
        for fam in ("inet", "inet6"):
            if foreign[fam] != self.foreign_rules[fam]:
                problems.append(f"foreign {fam} rules changed: {len(foreign[fam])} now, "
                                f"{len(self.foreign_rules[fam])} at the start")
        main = ip_json("-4", "route", "show", "table", "main")
        if len(main) != self.networks:
            problems.append(f"main table has {len(main)} routes, expected the {self.networks} connected ones")
        if problems:
            raise BenchError(f"kernel state after {step} is wrong: " + "; ".join(problems))
        return {"rules": len(ours4) + len(ours6), "routes": len(routes4) + len(routes6)}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            return None
    return None


# --- the benchmark -----------------------------------------------------------------------------

def write_config(root: str, networks: int) -> None:
    directory = os.path.join(root, "etc", "cockpit-gateways")
    os.makedirs(directory, exist_ok=True)
    interfaces = {Lab.iface(n): {"table": TABLE_MIN + n,
                                 "inet": {"gateway": f"{Lab.subnet(n)}.2", "onlink": False}}
                  for n in range(networks)}
    tmp = os.path.join(directory, "config.json.bench")
    with open(tmp, "w") as f:
        json.dump({"version": 1, "interfaces": interfaces}, f, indent=2, sort_keys=True)
        f.write("\n")
    os.rename(tmp, os.path.join(directory, "config.json"))


def helper_argv(root: str, *args: str) -> list[str]:
    return [PYTHON, HELPER, "--root", root, "--json", *args]


def helper_run(lab: Lab, root: str, expect_changes: int, *args: str) -> float:
    out = os.path.join(lab.tmp, "helper-out.json")
    elapsed = lab.timed_one(helper_argv(root, "reconcile", *args), stdout=out)
    with open(out) as f:
        data = json.load(f)
    changes = len(data.get("changes", []))
    if changes != expect_changes:
        raise BenchError(f"helper reconcile {' '.join(args)}: {changes} changes, expected {expect_changes}")
    return elapsed


def dry_run_lines(lab: Lab, root: str, expect: int) -> dict[str, list[str]]:
    """The exact `ip -batch` lines the helper would run now, per family."""
    out = os.path.join(lab.tmp, "dry-run.json")
    lab.timed_one(helper_argv(root, "reconcile", "--dry-run"), stdout=out)
    with open(out) as f:
        data = json.load(f)
    lines: dict[str, list[str]] = {"inet": [], "inet6": []}
    for change in data["changes"]:
        lines[change["family"]].append(change["text"])
    total = sum(len(v) for v in lines.values())
    if total != expect:
        raise BenchError(f"dry run planned {total} changes, expected {expect}")
    return lines


FLAG = {"inet": "-4", "inet6": "-6"}


def write_batches(tmp: str, name: str, lines: dict[str, list[str]]) -> list[dict[str, Any]]:
    """(b): one `ip -batch` per family that has lines."""
    cmds = []
    for fam, fam_lines in lines.items():
        if not fam_lines:
            continue
        path = os.path.join(tmp, f"{name}-{fam}.batch")
        with open(path, "w") as f:
            f.write("".join(line + "\n" for line in fam_lines))
        cmds.append({"argv": [IP, FLAG[fam], "-batch", path]})
    return cmds


def write_script(tmp: str, name: str, lines: dict[str, list[str]]) -> list[str]:
    """(a): a shell script with one `ip` process per line, as the oVirt scripts did."""
    path = os.path.join(tmp, f"{name}.sh")
    with open(path, "w") as f:
        f.write("set -e\n")
        for fam, fam_lines in lines.items():
            for line in fam_lines:
                f.write(f"{IP} {FLAG[fam]} {line}\n")
    return ["/bin/sh", path]


def timed_batches(lab: Lab, cmds: list[dict[str, Any]]) -> float:
    results = lab.timed(cmds)
    for cmd, result in zip(cmds, results):
        if result["rc"] != 0:
            raise BenchError(f"{shlex.join(cmd['argv'])} exited {result['rc']}: {result['stderr'].strip()}")
    return sum(float(r["elapsed"]) for r in results)


READS = [
    ["-N", "-j", "addr", "show"],
    ["-N", "-j", "-4", "rule", "show"],
    ["-N", "-j", "-6", "rule", "show"],
    ["-N", "-j", "-4", "route", "show", "table", "all", "proto", "PROTO"],
    ["-N", "-j", "-6", "route", "show", "table", "all", "proto", "PROTO"],
]


def timed_reads(lab: Lab) -> float:
    cmds = [{"argv": [IP, *[str(PROTO) if a == "PROTO" else a for a in args]]} for args in READS]
    results = lab.timed(cmds)
    for cmd, result in zip(cmds, results):
        if result["rc"] != 0:
            raise BenchError(f"{shlex.join(cmd['argv'])} exited {result['rc']}: {result['stderr'].strip()}")
    for args, result in zip(READS, results):
        lab.read_detail.setdefault(" ".join(args).replace("PROTO", str(PROTO)), []).append(float(result["elapsed"]))
    return sum(float(r["elapsed"]) for r in results)


def bench(networks: int, repeat: int, tmp: str) -> dict[str, Any]:
    lab = Lab(networks, tmp)
    n_obj = 4 * networks + 1      # 2 routes + 2 rules each, and main's rule in front of them
    samples: dict[str, list[float]] = {k: [] for k in (
        "helper_apply", "helper_noop", "helper_remove",
        "proc_apply", "proc_remove", "batch_apply", "batch_remove", "reads",
        "python_pass", "python_imports", "netns_exec")}
    checks: list[dict[str, Any]] = []

    def check(step: str, expect: int) -> None:
        counts = lab.check(step, expect)
        checks.append({"step": step, "expected_networks": expect, **counts})

    load_before = _loadavg()
    t0 = time.monotonic()
    print(f"lab: creating {NS_HOST} and {NS_PEER} with {networks} veth pairs ...", flush=True)
    try:
        lab.create()
        print(f"lab: ready in {time.monotonic() - t0:.1f} s", flush=True)
        check("lab setup", 0)

        full = os.path.join(tmp, "root-full")     # config with every network (dry runs only)
        empty = os.path.join(tmp, "root-empty")   # config without interfaces (dry runs only)
        root = os.path.join(tmp, "root")          # the helper's measured runs
        write_config(full, networks)
        write_config(empty, 0)

        # The exact lines the helper would run: adds from empty, then deletes from full.
        add_lines = dry_run_lines(lab, full, n_obj)
        add_batches = write_batches(tmp, "add", add_lines)
        timed_batches(lab, add_batches)            # warm-up, untimed
        check("warm-up batch add", networks)
        del_lines = dry_run_lines(lab, empty, n_obj)
        del_batches = write_batches(tmp, "del", del_lines)
        timed_batches(lab, del_batches)
        check("warm-up batch delete", 0)
        add_script = write_script(tmp, "add", add_lines)
        del_script = write_script(tmp, "del", del_lines)

        for rep in range(1, repeat + 1):
            tag = f"[{rep}/{repeat}]"
            # (a) one ip process per command
            samples["proc_apply"].append(lab.timed_one(add_script))
            check(f"{tag} (a) per-process apply", networks)
            samples["proc_remove"].append(lab.timed_one(del_script))
            check(f"{tag} (a) per-process remove", 0)
            # (b) bare batch
            samples["batch_apply"].append(timed_batches(lab, add_batches))
            check(f"{tag} (b) batch apply", networks)
            samples["batch_remove"].append(timed_batches(lab, del_batches))
            check(f"{tag} (b) batch remove", 0)
            # the helper
            write_config(root, networks)
            samples["helper_apply"].append(helper_run(lab, root, n_obj))
            check(f"{tag} helper apply", networks)
            samples["helper_noop"].append(helper_run(lab, root, 0))
            check(f"{tag} helper no-op reconcile", networks)
            # (c) the reads, against the same full state
            samples["reads"].append(timed_reads(lab))
            write_config(root, 0)
            samples["helper_remove"].append(helper_run(lab, root, n_obj))
            check(f"{tag} helper remove-all", 0)
            # (d) interpreter start-up, and the cost of entering the namespace (not in any figure)
            samples["python_pass"].append(lab.timed_one([PYTHON, "-c", "pass"]))
            samples["python_imports"].append(lab.timed_one(
                [PYTHON, "-I", "-S", "-c", "import json, ipaddress, subprocess, argparse"]))
            t = time.perf_counter()
            run([IP, "netns", "exec", NS_HOST, "/bin/true"])
            samples["netns_exec"].append(time.perf_counter() - t)
            print(f"{tag} apply {samples['helper_apply'][-1]:.3f} s, no-op {samples['helper_noop'][-1]:.3f} s, "
                  f"remove {samples['helper_remove'][-1]:.3f} s; per-process {samples['proc_apply'][-1]:.2f} s, "
                  f"batch {samples['batch_apply'][-1]:.3f} s", flush=True)
    finally:
        # a second Ctrl-C or a SIGTERM must not cut the cleanup short
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        try:
            problems = lab.destroy()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        if problems:
            print("lab cleanup: " + "; ".join(problems), file=sys.stderr)
    if problems:
        raise BenchError("lab cleanup failed: " + "; ".join(problems))
    return {"samples": samples, "checks": checks, "reads": lab.read_detail, "loadavg": [load_before, _loadavg()]}


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# --- report ------------------------------------------------------------------------------------

def summarize(networks: int, repeat: int, data: dict[str, Any], command: str) -> dict[str, Any]:
    s = data["samples"]
    med = {k: statistics.median(v) for k, v in s.items()}
    best = {k: min(v) for k, v in s.items()}
    startup = med["python_imports"]
    targets = [
        {"name": "apply vs (a) one ip process per command",
         "ratio": med["proc_apply"] / med["helper_apply"], "op": ">=", "target": TARGET_APPLY_VS_PROCESSES,
         "meaning": "(a) apply / helper apply"},
        {"name": "apply vs (b) bare ip -batch + interpreter start-up",
         "ratio": med["helper_apply"] / (med["batch_apply"] + startup), "op": "<=", "target": TARGET_APPLY_VS_BATCH,
         "meaning": "helper apply / ((b) apply + python3 -I -S imports)"},
        {"name": "no-op reconcile vs (c) the ip -N -j reads",
         "ratio": med["helper_noop"] / med["reads"], "op": "<=", "target": TARGET_NOOP_VS_READS,
         "meaning": "helper no-op / (c) reads"},
    ]
    for t in targets:
        t["met"] = t["ratio"] >= t["target"] if t["op"] == ">=" else t["ratio"] <= t["target"]
    info = [
        {"name": "remove-all vs (a)", "ratio": med["proc_remove"] / med["helper_remove"],
         "meaning": "(a) remove / helper remove"},
        {"name": "remove-all vs (b) + start-up", "ratio": med["helper_remove"] / (med["batch_remove"] + startup),
         "meaning": "helper remove / ((b) remove + python3 -I -S imports)"},
        {"name": "apply vs (b) + python3 -c pass", "ratio": med["helper_apply"] / (med["batch_apply"] + med["python_pass"]),
         "meaning": "helper apply / ((b) apply + python3 -c pass)"},
    ]
    return {
        "benchmark": "cockpit-gateways engine (issue 3)",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "networks": networks, "objects": 4 * networks, "repeat": repeat,
        "statistic": "median of repeats (best also given)",
        "median_seconds": med, "best_seconds": best, "samples_seconds": s,
        "targets": targets, "info": info, "checks": data["checks"],
        "reads_median_seconds": {k: statistics.median(v) for k, v in data["reads"].items()},
        "kernel": os.uname().release, "ip": run([IP, "-V"], check=False).stdout.strip(),
        "python": sys.version.split()[0], "command": command, "loadavg": data["loadavg"],
    }


def print_table(r: dict[str, Any]) -> None:
    med, best = r["median_seconds"], r["best_seconds"]
    n, objs = r["networks"], r["objects"]
    rows = [
        ("helper: apply from empty (reconcile)", "helper_apply"),
        ("helper: no-op reconcile", "helper_noop"),
        ("helper: remove-all (reconcile)", "helper_remove"),
        (f"(a) one ip process per command: apply ({objs})", "proc_apply"),
        (f"(a) one ip process per command: remove ({objs})", "proc_remove"),
        ("(b) bare ip -batch: apply", "batch_apply"),
        ("(b) bare ip -batch: remove", "batch_remove"),
        ("(c) ip -N -j reads (5 processes)", "reads"),
        ("(d) python3 -c pass", "python_pass"),
        ("(d) python3 -I -S -c 'import json, ipaddress, …'", "python_imports"),
        ("    ip netns exec (in no figure above)", "netns_exec"),
    ]
    width = max(len(label) for label, _ in rows)
    width = max([width] + [len(k) + 8 for k in r["reads_median_seconds"]])
    print()
    print(f"cockpit-gateways engine benchmark: {n} networks, {objs} objects (2 routes + 2 rules each), "
          f"median of {r['repeat']}")
    print(f"  {'':{width}}  {'median s':>9}  {'best s':>9}")
    for label, key in rows:
        print(f"  {label:{width}}  {med[key]:9.4f}  {best[key]:9.4f}")
        if key == "reads":
            for cmd, sec in r["reads_median_seconds"].items():
                print(f"  {'    ip ' + cmd:{width}}  {sec:9.4f}")
    print()
    print("targets (issue 3):")
    for t in r["targets"]:
        verdict = "PASS" if t["met"] else "MISS"
        ratio = f"{t['ratio']:.3f}" if abs(t["ratio"] - t["target"]) < 0.01 else f"{t['ratio']:.2f}"
        print(f"  {verdict}  {t['name']}: {ratio}x (target {t['op']} {t['target']:g}x; {t['meaning']})")
    print("for information:")
    for t in r["info"]:
        print(f"        {t['name']}: {t['ratio']:.2f}x ({t['meaning']})")
    print()
    print(f"kernel state verified after {len(r['checks'])} steps (exact owned rules/routes, foreign ones intact)")
    print(f"load average before/after: {r['loadavg'][0]} / {r['loadavg'][1]} on {os.cpu_count()} CPUs "
          "(other work on the machine makes the figures noisy)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the cockpit-gateways engine (issue 3).")
    parser.add_argument("--networks", type=int, default=None, help="networks (default 1000; --quick: 50)")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions, median reported (default 5; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 50 networks, 1 repetition")
    parser.add_argument("--output", default=ARTIFACT, help=f"JSON results (default {os.path.relpath(ARTIFACT, REPO)})")
    args = parser.parse_args(argv)
    networks = args.networks if args.networks is not None else (50 if args.quick else 1000)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    if os.geteuid() != 0:
        print("bench_engine: needs root (network namespaces)", file=sys.stderr)
        return 1
    _read_helper_constants()
    if not 1 <= networks <= min(TABLE_MAX - TABLE_MIN + 1, 250 * 150):
        parser.error("--networks must be between 1 and the size of the helper's table range")
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    command = "sudo /usr/bin/python3 test/bench/bench_engine.py" + \
        ("" if networks == 1000 else f" --networks {networks}") + ("" if repeat == 5 else f" --repeat {repeat}")

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, _on_signal)
    tmp = tempfile.mkdtemp(prefix="gwbench-")
    try:
        data = bench(networks, repeat, tmp)
    except BenchError as e:
        print(f"bench_engine: FAILED: {e}", file=sys.stderr)
        return 1
    except Interrupted as e:
        print(f"bench_engine: {e}; lab removed", file=sys.stderr)
        return 128 + e.signum
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        left = [ns for ns in run([IP, "netns", "list"], check=False).stdout.split() if ns in (NS_HOST, NS_PEER)]
        if left:
            print(f"bench_engine: FAILED: namespaces still present: {left}", file=sys.stderr)
            return 1

    result = summarize(networks, repeat, data, command)
    print_table(result)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"results: {os.path.relpath(args.output, REPO) if args.output.startswith(REPO) else args.output}")
    print(f"reproduce: make bench   (or: {command})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
