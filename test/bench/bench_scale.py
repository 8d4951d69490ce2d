#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Scale benchmark (issue 6): the helper's inspection on a big host, against the raw dumps.

The lab host (namespace gwscale-host, peers in gwscale-peer): 1,000 veth interfaces with an
address each, 10,000 rules, and 100 tables: table 2000 with 1,000,000 routes and 99 tables
(2001-2099) with 1,000 routes each.  Measured, each as a whole process inside the namespace,
median of --repeat runs:
  status --json                       against  ip -N -j route show table all (the target: no slower)
                                      and      every raw dump status replaces (addr, rules, routes)
  routes 2000 --limit 100             the first window of the big table (target: under 1 s)
  routes 2000 --offset 500000         a window in the middle
  routes 2000 --filter … / --sort dst reading and ordering the whole table on the host
  routes 2050 --limit 1000            a whole small table, against ip -N -j route show table 2050
Ratios are printed; nothing here is a timed assertion.  The kernel state is checked (route and
rule counts) so the figures are about the real thing.

With --browser also the page (test/bench/bench_browser.mjs: cockpit-ws + Chromium as the
browser tests start them, bridge in the namespace): navigation to the tables list with counts,
opening the big table to its first window, and the JS heap after that (targets: first window
under 1 s, heap under 50 MB).

Usage (as root): /usr/bin/python3 test/bench/bench_scale.py [--repeat R] [--routes N] [--quick] [--browser]
Lab rules: only namespaces gwscale-*, created and deleted here, also on failure and Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
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
ARTIFACT = os.path.join(REPO, "test", "artifacts", "bench-scale.json")
NS, PEER = "gwscale-host", "gwscale-peer"
BIG, SMALL_FIRST, SMALL_TABLES = 2000, 2001, 99

# Runs inside the namespace: each argv in turn, timed with a monotonic clock, stdout read
# through a pipe as a real caller would, and thrown away.
RUNNER = r'''
import json, subprocess, sys, time
out = []
for argv in json.load(open(sys.argv[1])):
    t0 = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out.append({"elapsed": time.perf_counter() - t0, "rc": proc.returncode,
                "bytes": len(proc.stdout), "stderr": proc.stderr.decode(errors="replace")[-500:]})
json.dump(out, sys.stdout)
'''


def bench_browser(tmp: str, big: int) -> dict[str, Any]:
    """The page in Chromium against the big lab (bench_browser.mjs prints one JSON document)."""
    root = os.path.join(tmp, "root")
    os.makedirs(root, exist_ok=True)
    proc = subprocess.run(["node", os.path.join(HERE, "bench_browser.mjs"), "--ns", NS, "--root", root,
                           "--table", str(BIG), "--count", str(big), "--first", "20.0.0.0"],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"bench_browser.mjs exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


class Interrupted(BaseException):
    pass


def _interrupt(signum: int, _frame: Any) -> None:
    raise Interrupted(signal.Signals(signum).name)


def sh(argv: list[str], input: str | None = None) -> str:
    proc = subprocess.run(argv, input=input, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:6])}…: {proc.stderr.strip()[-300:]}")
    return proc.stdout


def batch(ns: str, lines: list[str], family: str = "-4") -> None:
    sh(["ip", "-n", ns, family, "-batch", "-"], input="".join(line + "\n" for line in lines))


def build(interfaces: int, rules: int, big: int, small: int) -> None:
    for ns in (NS, PEER):
        sh(["ip", "netns", "add", ns])
    batch(NS, ["link set lo up"] + [f"link add e{n} type veth peer name p{n} netns {PEER}" for n in range(interfaces)])
    batch(PEER, [f"link set p{n} up" for n in range(interfaces)])
    batch(NS, [line for n in range(interfaces) for line in
               (f"addr add 10.{100 + n // 250}.{n % 250}.1/24 dev e{n}", f"link set e{n} up")])
    batch(NS, [f"rule add priority {1000 + i} from 172.{16 + i // 65536}.{i // 256 % 256}.{i % 256}/32 "
               f"table {SMALL_FIRST + i % SMALL_TABLES}" for i in range(rules)])
    # the big table in slices, so no single batch text gets huge
    step = 200_000
    for start in range(0, big, step):
        batch(NS, [f"route add 20.{i // 65536}.{i // 256 % 256}.{i % 256}/32 via 10.100.0.2 table {BIG} proto 12"
                   for i in range(start, min(big, start + step))])
    batch(NS, [f"route add 30.{t}.{i // 256}.{i % 256}/32 via 10.100.0.2 table {SMALL_FIRST + t}"
               for t in range(SMALL_TABLES) for i in range(small)])


def destroy() -> None:
    """Delete the namespaces, first stopping (by PID) whatever still runs in them: the browser
    part's bridge leaves its session bus there."""
    for ns in (NS, PEER):
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
        if pids:
            time.sleep(0.5)
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def timed(tmp: str, commands: list[list[str]]) -> list[dict[str, Any]]:
    spec, runner = os.path.join(tmp, "spec.json"), os.path.join(tmp, "runner.py")
    with open(spec, "w") as f:
        json.dump(commands, f)
    with open(runner, "w") as f:
        f.write(RUNNER)
    results: list[dict[str, Any]] = json.loads(sh(["ip", "netns", "exec", NS, "/usr/bin/python3", runner, spec]))
    for argv, r in zip(commands, results):
        if r["rc"] != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {r['rc']}: {r['stderr']}")
    return results


def helper(*args: str) -> list[str]:
    return ["/usr/bin/python3", HELPER, *args]


def check_state(tmp: str, rules: int, big: int, small: int) -> None:
    data = json.loads(sh(["ip", "netns", "exec", NS, "/usr/bin/python3", HELPER, "status", "--json"]))
    counts = {t["id"]: t["routes"]["inet"] for t in data["tables"]}
    expect = {BIG: big, **{SMALL_FIRST + t: small for t in range(SMALL_TABLES)}}
    wrong = {t: (counts.get(t), n) for t, n in expect.items() if counts.get(t) != n}
    if wrong:
        raise RuntimeError(f"route counts differ from the lab (table: (status, built)): {dict(list(wrong.items())[:3])}")
    v4_rules = [r for r in data["rules"] if r["family"] == "inet"]
    if len(v4_rules) != rules + 3:
        raise RuntimeError(f"status shows {len(v4_rules)} IPv4 rules, the lab has {rules + 3}")
    first = json.loads(sh(["ip", "netns", "exec", NS, "/usr/bin/python3", HELPER, "routes", str(BIG), "--json",
                           "--limit", "3"]))
    if [r["dst"] for r in first["routes"]] != ["20.0.0.0", "20.0.0.1", "20.0.0.2"]:
        raise RuntimeError(f"first window of table {BIG}: {first['routes']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--routes", type=int, default=1_000_000, help="routes in the big table")
    p.add_argument("--quick", action="store_true", help="100,000 routes, 1 run")
    p.add_argument("--browser", action="store_true", help="also the page in Chromium (needs dist/ and node)")
    args = p.parse_args(argv)
    big, repeat = (100_000, 1) if args.quick else (args.routes, args.repeat)
    interfaces, rules, small = 1000, 10_000, 1000
    if os.geteuid() != 0:
        print("bench_scale: needs root (network namespaces)", file=sys.stderr)
        return 1
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    tmp = tempfile.mkdtemp(prefix="gwscale-")
    destroy()
    try:
        t0 = time.monotonic()
        build(interfaces, rules, big, small)
        setup = time.monotonic() - t0
        check_state(tmp, rules, big, small)
        mid = str(big // 2)
        cases = {
            "helper status --json": helper("status", "--json"),
            "helper status --json --no-route-counts (Networks view)": helper("status", "--json", "--no-route-counts"),
            "raw ip -N -j route show table all (IPv4)": ["ip", "-N", "-j", "route", "show", "table", "all"],
            "raw dumps status replaces (addr, rules, routes)": None,
            f"helper routes {BIG} --limit 100 (first window)": helper("routes", str(BIG), "--json", "--limit", "100"),
            f"helper routes {BIG} --offset {mid} --limit 100": helper("routes", str(BIG), "--json", "--offset", mid,
                                                                       "--limit", "100"),
            f"helper routes {BIG} --filter 20.1.2. --limit 100": helper("routes", str(BIG), "--json", "--filter",
                                                                        "20.1.2.", "--limit", "100"),
            f"helper routes {BIG} --sort dst --reverse --limit 100": helper("routes", str(BIG), "--json", "--sort",
                                                                            "dst", "--reverse", "--limit", "100"),
            "raw ip -N -j route show table 2050 (1000 routes)": ["ip", "-N", "-j", "route", "show", "table", "2050"],
            "helper routes 2050 --limit 1000": helper("routes", "2050", "--json", "--limit", "1000"),
        }
        raw = [["ip", "-N", "-j", "addr", "show"], ["ip", "-N", "-j", "-4", "rule", "show"],
               ["ip", "-N", "-j", "-6", "rule", "show"], ["ip", "-N", "-j", "-4", "route", "show", "table", "all"],
               ["ip", "-N", "-j", "-6", "route", "show", "table", "all"]]
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(repeat):
            for name, argv in cases.items():
                if argv is None:
                    samples[name].append(sum(r["elapsed"] for r in timed(tmp, raw)))
                else:
                    samples[name].append(timed(tmp, [argv])[0]["elapsed"])
        med = {name: statistics.median(values) for name, values in samples.items()}
        names = list(cases)
        raw_all = med["raw ip -N -j route show table all (IPv4)"]
        status_ratio = med[names[0]] / raw_all
        light_ratio = med[names[1]] / raw_all
        ratios = {
            "status / raw table-all dump (target <= 1)": status_ratio,
            "status --no-route-counts / raw table-all dump (target <= 1)": light_ratio,
            "status / every raw dump it replaces": med[names[0]] / med["raw dumps status replaces (addr, rules, routes)"],
            "routes 2050 (whole small table) / raw dump of it": med["helper routes 2050 --limit 1000"] /
            med["raw ip -N -j route show table 2050 (1000 routes)"],
        }
        print(f"cockpit-gateways scale benchmark: {interfaces} interfaces, {rules} rules, {big:,} routes in table "
              f"{BIG} + {SMALL_TABLES} tables of {small} (set up in {setup:.1f} s), median of {repeat}")
        for name in names:
            print(f"  {name:<58} {med[name]:8.3f} s")
        for name, value in ratios.items():
            print(f"  ratio {name:<52} {value:8.2f}")
        first = med[f"helper routes {BIG} --limit 100 (first window)"]
        print(f"  {'PASS' if status_ratio <= 1 else 'MISS'}  "
              f"status with route counts no slower than one raw dump ({status_ratio:.2f})")
        print(f"  {'PASS' if light_ratio <= 1 else 'MISS'}  "
              f"status for the Networks view (no counts) no slower than one raw dump ({light_ratio:.2f})")
        print(f"  {'PASS' if first < 1 else 'MISS'}  first window of the big table under 1 s ({first:.3f} s)")
        browser = bench_browser(tmp, big) if args.browser else None
        if browser is not None:
            print(f"page in Chromium (cockpit-ws, bridge in {NS}), one run:")
            print(f"  {'navigation to the tables list with counts':<58} {browser['tables_list_s']:8.3f} s")
            print(f"  {f'open table {BIG}: its first window shown':<58} {browser['first_window_s']:8.3f} s")
            print(f"  {'JS heap of the tab (shell + page)':<58} {browser['heap_tab_mb']:8.1f} MB")
            print(f"  {'JS heap of the page alone':<58} {browser['heap_page_mb']:8.1f} MB")
            print(f"  {'PASS' if browser['first_window_s'] < 1 else 'MISS'}  first window of the {big:,}-route table "
                  f"in the page under 1 s ({browser['first_window_s']:.3f} s)")
            print(f"  {'PASS' if browser['heap_page_mb'] < 50 else 'MISS'}  the page's JS heap under 50 MB "
                  f"({browser['heap_page_mb']:.1f} MB)")
        print("load average:", open("/proc/loadavg").read().split()[:3])
        os.makedirs(os.path.dirname(ARTIFACT), exist_ok=True)
        with open(ARTIFACT, "w") as f:
            json.dump({"median_seconds": med, "ratios": ratios, "routes": big, "rules": rules,
                       "interfaces": interfaces, "repeat": repeat, "browser": browser}, f, indent=2)
        print(f"results: {os.path.relpath(ARTIFACT, REPO)}\nreproduce: make bench   (or: sudo /usr/bin/python3 "
              f"test/bench/bench_scale.py{' --quick' if args.quick else ''}"
              f"{f' --routes {big}' if not args.quick and big != 1_000_000 else ''}{' --browser' if args.browser else ''})")
        return 0
    except Interrupted as e:
        print(f"bench_scale: {e}", file=sys.stderr)
        return 130
    except RuntimeError as e:
        print(f"bench_scale: {e}", file=sys.stderr)
        return 1
    finally:
        destroy()
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
