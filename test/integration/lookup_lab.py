# SPDX-License-Identifier: LGPL-2.1-or-later
"""A rule set with every selector type and several tables for the lab host, random packets, and a
driver that runs inside the host's namespace: it evaluates each packet with the helper's
evaluator (policy.py) and asks `ip route get` the same question.

Used by test_lookup_truth.py (property test against the kernel) and, with `--record FILE`, to
record the fixture the unit tests replay (test/helper/fixtures/lookup-lab.json):

    ip netns exec NS python3 test/integration/lookup_lab.py --seed 1 --count 300 [--record FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import json
import os
import random
import sys
import time
from typing import Any

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# run on the lab host (ip -batch lines, one batch per family), after Lab.up()
SETUP_LINKS = [
    "link add br7 type bridge", "link set br7 group 5", "address add 10.0.7.1/24 dev br7",
    "address add fd00:7::1/64 dev br7 nodad", "link set br7 up",
]
RULES4 = [
    "route add default via 10.0.2.1 dev eth1 table 100",
    "route add 10.0.2.0/24 dev eth1 scope link src 10.0.2.10 table 100",
    "route add 10.20.0.0/16 via 10.0.1.1 dev eth0 metric 10 table 100",
    "route add 10.20.0.0/16 via 10.0.2.1 dev eth1 metric 5 table 100",
    "route add 10.20.5.0/24 tos 0x10 via 10.0.1.1 dev eth0 table 100",
    "route add 10.20.5.0/24 via 10.0.2.1 dev eth1 metric 3 table 100",
    "route add throw 10.30.0.0/16 table 100",
    "route add blackhole 10.31.0.0/16 table 100",
    "route add unreachable 10.32.0.0/16 table 100",
    "route add prohibit 10.33.0.0/16 table 100",
    "route add 10.40.0.0/16 table 200 nexthop via 10.0.1.1 dev eth0 nexthop via 10.0.2.1 dev eth1",
    "route add 10.41.0.0/16 dev br7 table 200",
    "route add default via 10.0.1.1 dev eth0 metric 100 table 200",
    "route add 10.0.9.0/24 via 10.0.2.1 dev eth1 table 300",
    "route add 10.50.0.0/16 via 10.0.2.1 dev eth1 table 300",
    "route add 10.60.0.0/16 via 10.0.2.1 dev eth1",
    "route add 10.61.0.0/16 dev br7",
    "rule add priority 100 from 10.0.2.0/24 ipproto tcp dport 8000-8100 table 200",
    "rule add priority 110 fwmark 0x1/0x3 table 200",
    "rule add priority 120 iif eth1 tos 0x10 table 300",
    "rule add priority 130 not from 0.0.0.0/1 prohibit",
    "rule add priority 140 uidrange 100-200 table 300",
    "rule add priority 150 oif eth1 table 100",
    "rule add priority 160 iif lo goto 190",
    "rule add priority 170 to 10.70.0.0/16 blackhole",
    "rule add priority 175 to 10.71.0.0/16 unreachable",
    "rule add priority 180 to 10.72.0.0/16 prohibit",
    "rule add priority 185 nop",
    "rule add priority 190 from 10.0.2.0/24 table 100",
    "rule add priority 195 iif gone0 table 300",
    "rule add priority 196 l3mdev",
    "rule add priority 197 sport 5000-5100 ipproto udp table 300",
    "rule add priority 200 lookup main suppress_prefixlength 0",
    "rule add priority 210 lookup 200 suppress_ifgroup 5",
    "rule add priority 220 to 10.20.0.0/16 table 100",
    "rule add priority 230 fwmark 0x4/0x4 table 100",
    "rule add priority 240 to 10.30.0.0/16 table 200",
    "rule add priority 250 from 10.0.1.0/24 to 10.50.0.0/16 table 300",
]
RULES6 = [
    "route add default via fd00:2::1 dev eth1 table 100",
    "route add throw fd00:30::/32 table 100",
    "route add blackhole fd00:31::/32 table 100",
    "route add unreachable fd00:32::/32 table 100",
    "route add prohibit fd00:33::/32 table 100",
    "route add fd00:20::/32 via fd00:1::1 dev eth0 metric 10 table 100",
    "route add fd00:20::/32 via fd00:2::1 dev eth1 metric 5 table 100",
    "route add fd00:40::/32 table 200 nexthop via fd00:1::1 dev eth0 nexthop via fd00:2::1 dev eth1",
    "route add default via fd00:1::1 dev eth0 metric 100 table 200",
    "route add fd00:9::/64 via fd00:2::1 dev eth1 table 300",
    "route add fd00:60::/32 via fd00:2::1 dev eth1",
    "rule add priority 100 from fd00:2::/64 table 100",
    "rule add priority 110 fwmark 0x1/0x3 table 200",
    "rule add priority 120 iif eth1 table 300",
    "rule add priority 150 oif eth1 table 100",
    "rule add priority 160 to fd00:70::/32 blackhole",
    "rule add priority 170 to fd00:71::/32 unreachable",
    "rule add priority 180 to fd00:72::/32 prohibit",
    "rule add priority 185 nop",
    "rule add priority 186 goto 220",
    "rule add priority 190 to fd00:20::/32 prohibit",
    "rule add priority 200 lookup main suppress_prefixlength 0",
    "rule add priority 220 to fd00:20::/32 table 100",
    "rule add priority 225 to fd00:30::/32 table 100",
    "rule add priority 230 uidrange 100-200 table 300",
    "rule add priority 240 ipproto udp sport 5000-5100 table 200",
]
SYSCTLS = [
    "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.eth0.rp_filter=2", "net.ipv4.conf.eth1.rp_filter=1",
    "net.ipv4.conf.br7.rp_filter=1", "net.ipv4.conf.eth0.forwarding=1", "net.ipv4.conf.br7.forwarding=1",
    "net.ipv4.conf.eth1.src_valid_mark=1", "net.ipv6.conf.eth0.forwarding=1",
]


def setup(lab: Any) -> None:
    lab.run("host", "ip", "-batch", "-", input="".join(line + "\n" for line in SETUP_LINKS + RULES4))
    lab.run("host", "ip", "-6", "-batch", "-", input="".join(line + "\n" for line in RULES6))
    lab.run("host", "sysctl", "-q", "-w", *SYSCTLS)


DST4 = ["10.0.1.10", "10.0.2.10", "10.0.7.1", "10.0.2.255", "10.0.1.1", "10.0.2.1", "10.0.2.77", "10.0.7.9",
        "10.0.9.2", "10.0.8.2", "10.20.1.1", "10.20.5.5", "10.30.1.1", "10.31.1.1", "10.32.1.1", "10.33.1.1",
        "10.40.1.1", "10.41.1.1", "10.50.1.1", "10.60.1.1", "10.61.1.1", "10.70.1.1", "10.71.1.1",
        "10.72.1.1", "8.8.8.8", "192.168.5.5", "127.0.0.1", "255.255.255.255", "0.0.0.0", "0.1.2.3"]
SRC4_LOCAL = ["10.0.1.10", "10.0.2.10", "10.0.7.1"]
SRC4_FOREIGN = ["10.0.9.2", "10.0.8.2", "10.0.2.50", "10.0.1.50", "192.168.1.1", "10.0.7.20", "10.50.3.3",
                "10.31.0.9", "10.40.7.7", "0.1.2.3", "127.0.0.1"]
DST6 = ["fd00:1::10", "fd00:2::10", "fd00:7::1", "fd00:1::1", "fd00:2::1", "fd00:2::77", "fd00:9::2",
        "fd00:8::2", "fd00:20::1", "fd00:30::1", "fd00:31::1", "fd00:32::1", "fd00:33::1", "fd00:40::1",
        "fd00:60::1", "fd00:70::1", "fd00:71::1", "fd00:72::1", "2001:db8::1", "fe80::1", "::1"]
SRC6_LOCAL = ["fd00:1::10", "fd00:2::10", "fd00:7::1"]
SRC6_FOREIGN = ["fd00:9::2", "fd00:8::2", "fd00:2::50", "2001:db8::9", "fe80::9"]


def random_packet(rng: random.Random) -> dict[str, Any]:
    v6 = rng.random() < 0.3
    incoming = rng.random() < 0.5
    p: dict[str, Any] = {"family": "inet6" if v6 else "inet", "dst": rng.choice(DST6 if v6 else DST4)}
    local, foreign = (SRC6_LOCAL, SRC6_FOREIGN) if v6 else (SRC4_LOCAL, SRC4_FOREIGN)
    if incoming:
        p["iif"] = rng.choice(["eth0", "eth1", "eth1", "br7"])
        r = rng.random()
        p["src"] = None if r < 0.04 else rng.choice(local) if r < 0.12 else rng.choice(foreign)
    else:
        r = rng.random()
        p["src"] = None if r < 0.45 else rng.choice(foreign) if r < 0.55 else rng.choice(local)
        if rng.random() < 0.3:
            p["oif"] = rng.choice(["eth0", "eth1", "br7"])
        if rng.random() < 0.15:
            p["uid"] = rng.choice([0, 150, 1000])
    if rng.random() < 0.35:
        p["mark"] = rng.choice([1, 2, 3, 4, 5, 7, 0x10])
    if not v6 and rng.random() < 0.3:
        p["tos"] = rng.choice([0x10, 0x04, 0x08, 0x18])
    r = rng.random()
    if r < 0.3:
        p["ipproto"] = 6
        p["sport"], p["dport"] = rng.choice([40000, 5050]), rng.choice([22, 8050, 8200])
    elif r < 0.5:
        p["ipproto"] = 17
        p["sport"], p["dport"] = rng.choice([5000, 5100, 5101, 6000]), rng.choice([53, 8080])
    return p


def drive(seed: int, count: int, record: str | None = None) -> dict[str, Any]:
    """Inside the lab host: evaluate and ask the kernel, for `count` random packets."""
    sys.path.insert(0, os.path.join(TOP, "src", "helper"))
    from cockpit_gateways import fib, lookup, policy
    doc = lookup.read_snapshot()
    snap = fib.Snapshot.from_json(doc)
    rng = random.Random(seed)
    results, cases = [], []
    start = time.monotonic()
    ours_seconds = 0.0
    for _ in range(count):
        spec = random_packet(rng)
        packet = to_packet(spec)
        t = time.monotonic()
        verdict = policy.evaluate(snap, packet)
        ours_seconds += time.monotonic() - t
        answer = lookup.kernel_answer(packet)
        differences = lookup.compare(verdict, answer)
        # the helper reads only the routes that cover the packet's addresses: the same answer
        narrow = policy.evaluate(fib.Snapshot.from_json(lookup.read_snapshot(
            [a for a in (packet.dst, packet.src) if a is not None])), packet)
        if (narrow.code, narrow.errno, narrow.table, narrow.nexthops) != \
                (verdict.code, verdict.errno, verdict.table, verdict.nexthops):
            differences.append(f"with only the covering routes: {narrow.code} {narrow.table}")
        results.append({"packet": spec, "code": verdict.code, "errno": verdict.errno, "table": verdict.table,
                        "kernel": answer, "differences": differences})
        cases.append({"packet": spec, "kernel": answer})
    if record:
        with open(record, "w") as f:
            json.dump({"snapshot": doc, "cases": cases}, f, indent=1, sort_keys=True)
            f.write("\n")
    return {"results": results, "seconds": time.monotonic() - start, "ours_seconds": ours_seconds}


def to_packet(spec: dict[str, Any]) -> Any:
    from cockpit_gateways.policy import Packet
    fields = {f.name for f in dataclasses.fields(Packet)}
    values = {k: v for k, v in spec.items() if k in fields and v is not None}
    values["dst"] = ipaddress.ip_address(values["dst"])
    if "src" in values:
        values["src"] = ipaddress.ip_address(values["src"])
    return Packet(**values)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--record")
    args = parser.parse_args()
    json.dump(drive(args.seed, args.count, args.record), sys.stdout)
