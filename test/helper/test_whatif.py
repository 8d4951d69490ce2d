# SPDX-License-Identifier: LGPL-2.1-or-later
"""What-if for live connections (whatif.py): /proc/net/tcp parsing, planned lines applied to a
recorded snapshot, and which connections change path."""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways.fib import Snapshot  # noqa: E402
from cockpit_gateways.whatif import Connection, apply_lines, parse_tcp, what_if  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
with open(os.path.join(FIXTURES, "lookup-seed.json")) as f:
    SEED = json.load(f)

TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1164 1 0 100 0 0 10 0
   1: 0A02000A:4A9A 0208000A:98F2 01 00000000:00000000 02:000A7F1C 00000000     0        0 5678 2 0 20 4 30 10 -1
"""
TCP6 = """\
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000A02000A:0016 0000000000000000FFFF00000208000A:C000 01 00000000:00000000 00:00000000 00000000  1000        0 42 1 0 20 4 30 10 -1
   1: 0000FDFD000000000000000010000000:0016 0000FDFD000000000000000002000000:C001 01 00000000:00000000 00:00000000 00000000     0        0 43 1 0 20 4 30 10 -1
"""

# `set eth1 10.0.2.1` and `set eth1 fd00:2::1` as the engine plans them
SET_ETH1 = [
    {"family": "inet", "text": "route add 10.0.2.0/24 dev eth1 table 10000 proto 248 scope link src 10.0.2.10"},
    {"family": "inet", "text": "route add default via 10.0.2.1 dev eth1 table 10000 proto 248"},
    {"family": "inet", "text": "rule add priority 31000 to 10.0.2.0/24 table 10000 protocol 248"},
    {"family": "inet", "text": "rule add priority 31001 from 10.0.2.0/24 table 10000 protocol 248"},
    {"family": "inet6", "text": "route add fd00:2::/64 dev eth1 table 10000 proto 248"},
    {"family": "inet6", "text": "route add default via fd00:2::1 dev eth1 table 10000 proto 248"},
    {"family": "inet6", "text": "rule add priority 31000 to fd00:2::/64 table 10000 protocol 248"},
    {"family": "inet6", "text": "rule add priority 31001 from fd00:2::/64 table 10000 protocol 248"},
]


def conn(local: str, lport: int, remote: str, rport: int, inode: int = 1) -> Connection:
    lo, re_ = ipaddress.ip_address(local), ipaddress.ip_address(remote)
    return Connection("inet" if lo.version == 4 else "inet6", lo, lport, re_, rport, 0, inode)


class ProcNetTcp(unittest.TestCase):
    def test_established_connections_both_families(self) -> None:
        [v4] = parse_tcp(TCP)                    # the listener is not established
        self.assertEqual((str(v4.local), v4.lport, str(v4.remote), v4.rport, v4.inode),
                         ("10.0.2.10", 19098, "10.0.8.2", 39154, 5678))
        mapped, v6 = parse_tcp(TCP6)
        self.assertEqual((mapped.family, str(mapped.local), str(mapped.remote), mapped.uid),
                         ("inet", "10.0.2.10", "10.0.8.2", 1000))
        self.assertEqual((v6.family, str(v6.local), str(v6.remote), v6.lport, v6.rport),
                         ("inet6", "fdfd::10", "fdfd::2", 22, 0xC001))


class PlannedLines(unittest.TestCase):
    def test_the_plan_applied_to_the_snapshot_is_what_the_kernel_had_after_it(self) -> None:
        planned = Snapshot.from_json(apply_lines(SEED["before"]["snapshot"],
                                                 [(c["family"], c["text"]) for c in SET_ETH1]))
        recorded = Snapshot.from_json(SEED["after"]["snapshot"])
        for family in ("inet", "inet6"):
            self.assertEqual([r.text for r in planned.rules[family]], [r.text for r in recorded.rules[family]])  # type: ignore[index]
            ours = sorted(r.text() for r in planned.routes[family] if r.table == 10000)  # type: ignore[index]
            kernel = sorted(r.text() for r in recorded.routes[family] if r.table == 10000)  # type: ignore[index]
            self.assertEqual(ours, kernel)

    def test_delete_takes_the_first_object_with_the_named_attributes(self) -> None:
        after = SEED["after"]["snapshot"]
        undone = apply_lines(after, [("inet", "rule del priority 31001 from 10.0.2.0/24 table 10000 protocol 248"),
                                     ("inet", "route del default via 10.0.2.1 dev eth1 table 10000 proto 248")])
        snap = Snapshot.from_json(undone)
        self.assertEqual([r.priority for r in snap.rules["inet"]], [0, 31000, 32766, 32767])
        self.assertEqual([r.text() for r in snap.routes["inet"] if r.table == 10000],
                         ["10.0.2.0/24 dev eth1 table 10000"])


class WhatIf(unittest.TestCase):
    def test_set_eth1_cuts_an_ipv4_connection_and_moves_an_ipv6_one(self) -> None:
        connections = [conn("10.0.2.10", 9090, "10.0.8.2", 40000, inode=7),   # the console, via eth0
                       conn("10.0.1.10", 22, "10.0.8.2", 40001),              # management: unchanged
                       conn("fd00:2::10", 22, "fd00:8::2", 40002),
                       conn("127.0.0.1", 5000, "127.0.0.1", 40003)]
        changed = what_if(SEED["before"]["snapshot"], SET_ETH1, connections, {7})
        self.assertEqual([(c["local"], c["cockpit"]) for c in changed], [("10.0.2.10", True), ("fd00:2::10", False)])
        console, v6 = changed
        self.assertEqual(console["before"]["nexthops"], [{"dev": "eth0", "gateway": "10.0.1.1"}])
        self.assertEqual(console["after"]["nexthops"], [{"dev": "eth1", "gateway": "10.0.2.1"}])
        self.assertEqual(console["incoming"]["after"]["code"], "rp-filter")
        self.assertEqual(console["text"], "Your own web console connection would be cut: its packets arriving on "
                                          "eth0 would be dropped (rp-filter).")
        self.assertEqual(v6["text"], "The connection with fd00:8::2 port 40002 would move: replies to fd00:8::2 "
                                     "would leave via fd00:2::1 on eth1 instead of via fd00:1::1 on eth0.")
        self.assertNotIn("incoming", v6)

    def test_a_prohibit_rule_drops_replies(self) -> None:
        [cut] = what_if(SEED["before"]["snapshot"],
                        [{"family": "inet", "text": "rule add priority 100 to 10.0.8.0/24 prohibit protocol 4"}],
                        [conn("10.0.1.10", 22, "10.0.8.2", 40001)], set())
        self.assertEqual((cut["after"]["code"], cut["after"]["dropped"], cut["after"]["nexthops"]),
                         ("prohibit", True, []))
        self.assertIn("would be cut: replies to 10.0.8.2 would be dropped (prohibit)", cut["text"])


if __name__ == "__main__":
    unittest.main()
