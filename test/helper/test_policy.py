# SPDX-License-Identifier: LGPL-2.1-or-later
"""The policy-routing evaluator (fib.py, policy.py) on data recorded in the lab, against the
kernel's own answers recorded at the same moment.

fixtures/lookup-lab.json: the lab host with the rule set of test/integration/lookup_lab.py (every
selector type, goto, nop, rule actions, suppress_*, throw/blackhole/unreachable/prohibit routes,
multipath, tos routes, per-interface rp_filter/forwarding/src_valid_mark) and 300 random packets
with `ip route get`'s answer for each (recorded with `lookup_lab.py --seed 11 --count 300 --record`).
fixtures/lookup-seed.json: the seed's lab before and after `set eth1 10.0.2.1` + `set eth1 fd00:2::1`.
"""

from __future__ import annotations

import collections
import errno
import ipaddress
import json
import os
import sys
import unittest
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "helper"))

from cockpit_gateways import lookup  # noqa: E402
from cockpit_gateways.fib import Snapshot, SnapshotError  # noqa: E402
from cockpit_gateways.policy import Packet, Verdict, evaluate  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def load(name: str) -> Any:
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def packet(spec: dict[str, Any]) -> Packet:
    values = {k: v for k, v in spec.items() if v is not None}
    values["dst"] = ipaddress.ip_address(values["dst"])
    if "src" in values:
        values["src"] = ipaddress.ip_address(values["src"])
    return Packet(**values)


LAB = load("lookup-lab.json")
SEED = load("lookup-seed.json")


class AgainstRecordedKernel(unittest.TestCase):
    def test_every_recorded_packet_agrees_with_the_kernel(self) -> None:
        snap = Snapshot.from_json(LAB["snapshot"])
        disagreements = []
        codes: collections.Counter[str] = collections.Counter()
        for case in LAB["cases"]:
            verdict = evaluate(snap, packet(case["packet"]))
            codes[verdict.code] += 1
            differences = lookup.compare(verdict, case["kernel"])
            if differences:
                disagreements.append((case["packet"], verdict.code, differences))
        self.assertEqual(disagreements, [])
        self.assertEqual(sum(codes.values()), 300)
        # the sample reaches every kind of answer the rule set has
        for code in ("local", "forward", "unicast", "broadcast", "no-route", "rp-filter", "forwarding-disabled",
                     "source-not-local", "blackhole", "unreachable", "prohibit", "martian-source"):
            self.assertGreater(codes[code], 0, code)

    def test_errnos_the_kernel_shares_get_verdicts_of_their_own(self) -> None:
        snap = Snapshot.from_json(LAB["snapshot"])
        by_errno: dict[int, set[str]] = collections.defaultdict(set)
        for case in LAB["cases"]:
            verdict = evaluate(snap, packet(case["packet"]))
            by_errno[case["kernel"]["errno"]].add(verdict.code)
        self.assertTrue({"rp-filter", "blackhole"} <= by_errno[errno.EINVAL], by_errno[errno.EINVAL])
        self.assertTrue({"forwarding-disabled", "unreachable"} <= by_errno[errno.EHOSTUNREACH],
                        by_errno[errno.EHOSTUNREACH])
        self.assertIn("prohibit", by_errno[errno.EACCES])
        self.assertIn("source-not-local", by_errno[errno.ENETUNREACH])


class SeedStory(unittest.TestCase):
    def evaluate(self, when: str, index: int) -> tuple[Verdict, dict[str, Any]]:
        case = SEED[when]["cases"][index]
        verdict = evaluate(Snapshot.from_json(SEED[when]["snapshot"]), packet(case["packet"]))
        self.assertEqual(lookup.compare(verdict, case["kernel"]), [], case)
        return verdict, case

    def test_before_the_gateway_the_request_dies_by_reverse_path_filtering(self) -> None:
        verdict, case = self.evaluate("before", 0)         # 10.0.9.2 → 10.0.2.10 arriving on eth1
        self.assertEqual(case["kernel"]["errno"], errno.EINVAL)
        self.assertEqual(verdict.code, "rp-filter")
        rp = verdict.rp
        assert rp is not None
        self.assertEqual((rp["mode"], rp["interface"], rp["ok"]), ("strict", "eth1", False))
        self.assertEqual(rp["sysctls"]["net.ipv4.conf.eth1.rp_filter"], 1)
        self.assertEqual(rp["reply"]["nexthops"], [{"dev": "eth0", "gateway": "10.0.1.1"}])
        self.assertEqual((rp["reply"]["priority"], rp["reply"]["table"]), (32766, 254))
        self.assertIn("not by eth1", verdict.text)
        fix = lookup.fix_for(verdict, packet(case["packet"]), {})
        assert fix is not None
        self.assertEqual((fix["kind"], fix["interface"], fix["command"]), ("set", "eth1", "set eth1 GATEWAY"))
        # with a gateway already there, the fix says to look at the reply's rules instead
        self.assertEqual(lookup.fix_for(verdict, packet(case["packet"]), {"eth1": {"inet"}})["kind"], "check")

    def test_after_the_gateway_it_is_delivered(self) -> None:
        verdict, _ = self.evaluate("after", 0)
        self.assertEqual((verdict.code, verdict.table), ("local", 255))
        assert verdict.rp is not None
        self.assertTrue(verdict.rp["ok"])
        self.assertEqual((verdict.rp["reply"]["priority"], verdict.rp["reply"]["table"]), (31001, 10000))

    def test_replies_and_the_hosts_own_traffic(self) -> None:
        before, _ = self.evaluate("before", 1)              # from 10.0.2.10 to the client
        after, _ = self.evaluate("after", 1)
        self.assertEqual((before.code, before.dev, before.table), ("unicast", "eth0", 254))
        self.assertEqual((after.code, after.dev, after.table, after.priority), ("unicast", "eth1", 10000, 31001))
        plain, _ = self.evaluate("after", 2)                 # no source chosen: the management gateway
        self.assertEqual((plain.dev, plain.table), ("eth0", 254))

    def test_the_local_table_is_named_main_until_a_rule_exists(self) -> None:
        verdict, case = self.evaluate("before", 3)
        self.assertEqual((verdict.code, verdict.table, verdict.kernel_table), ("local", 255, 254))
        self.assertEqual(case["kernel"]["route"]["table"], 254)

    def test_forwarding_disabled_and_a_source_that_is_not_ours(self) -> None:
        forwarded, case = self.evaluate("before", 4)
        self.assertEqual((forwarded.code, case["kernel"]["errno"]), ("forwarding-disabled", errno.EHOSTUNREACH))
        assert forwarded.forwarding is not None
        self.assertEqual(forwarded.forwarding["sysctl"], "net.ipv4.conf.eth1.forwarding")
        foreign, case = self.evaluate("before", 5)
        self.assertEqual((foreign.code, case["kernel"]["errno"]), ("source-not-local", errno.ENETUNREACH))

    def test_ipv6(self) -> None:
        for when in ("before", "after"):
            self.assertEqual(self.evaluate(when, 6)[0].code, "local")
        self.assertEqual(self.evaluate("before", 7)[0].dev, "eth0")
        self.assertEqual(self.evaluate("after", 7)[0].dev, "eth1")


class Trace(unittest.TestCase):
    snap = Snapshot.from_json(LAB["snapshot"])

    def trace(self, **spec: Any) -> dict[int, dict[str, Any]]:
        verdict = evaluate(self.snap, packet(spec))
        return {step["priority"]: step for step in verdict.trace}

    def test_goto_skips_to_its_target_and_nop_does_nothing(self) -> None:
        steps = self.trace(family="inet", dst="10.70.1.1", src="10.0.2.10")   # our own: iif lo
        self.assertEqual(steps[160]["why"], "goes to priority 190")
        self.assertNotIn(170, steps)                 # the blackhole for 10.70/16 is jumped over
        steps = self.trace(family="inet", dst="10.70.1.1", src="10.0.9.2", iif="eth0")
        self.assertEqual(steps[160], {"priority": 160, "rule": "priority 160 from all iif lo goto 190",
                                      "matched": False, "reason": "mismatch", "selector": "iif",
                                      "why": "iif does not match"})
        self.assertTrue(steps[170]["matched"])
        steps = self.trace(family="inet6", dst="fd00:60::1")
        self.assertEqual(steps[185]["why"], "nop: does nothing")

    def test_selectors_named_when_they_do_not_match(self) -> None:
        steps = self.trace(family="inet", dst="10.60.1.1", src="10.0.2.10", ipproto=6, dport=9000)
        self.assertEqual(steps[100]["why"], "dport does not match")
        self.assertEqual(steps[110]["why"], "fwmark does not match")
        steps = self.trace(family="inet", dst="10.60.1.1", src="10.0.9.2", iif="eth1", tos=0x08)
        self.assertEqual(steps[120]["why"], "tos does not match")
        self.assertEqual(steps[195]["why"], "iif (detached) does not match")
        self.assertEqual(steps[196]["why"], "l3mdev does not match")
        self.assertEqual(steps[130]["why"], "every selector matches, and the rule says `not`")

    def test_suppress_prefixlength_passes_over_the_default_route(self) -> None:
        verdict = evaluate(self.snap, packet({"family": "inet", "dst": "8.8.8.8"}))
        steps = {step["priority"]: step for step in verdict.trace}
        self.assertIn("suppress_prefixlength 0: suppressed", steps[200]["why"])
        self.assertEqual((verdict.priority, verdict.table, verdict.dev), (210, 200, "eth0"))
        near = evaluate(self.snap, packet({"family": "inet", "dst": "10.60.1.1"}))
        self.assertEqual((near.priority, near.dev), (200, "eth1"))

    def test_suppress_ifgroup_and_throw(self) -> None:
        verdict = evaluate(self.snap, packet({"family": "inet", "dst": "10.41.1.1", "src": "10.0.9.2", "iif": "eth0"}))
        steps = {step["priority"]: step for step in verdict.trace}
        self.assertEqual(steps[210]["why"], "the route's interface br7 is in group 5: suppressed")
        self.assertEqual((verdict.priority, verdict.dev), (32766, "eth0"))
        thrown = evaluate(self.snap, packet({"family": "inet", "dst": "10.30.1.1", "src": "10.0.2.10"}))
        steps = {step["priority"]: step for step in thrown.trace}
        self.assertEqual(steps[190]["result"], "throw route 10.30.0.0/16")
        self.assertEqual((thrown.priority, thrown.table), (210, 200))       # a later rule answers

    def test_multipath_names_every_candidate(self) -> None:
        verdict = evaluate(self.snap, packet({"family": "inet", "dst": "10.40.1.1", "mark": 1}))
        self.assertEqual([(h.dev, h.gateway) for h in verdict.nexthops],
                         [("eth0", "10.0.1.1"), ("eth1", "10.0.2.1")])
        self.assertIn("chosen per flow by a hash", verdict.text)

    def test_longest_prefix_then_tos_then_metric(self) -> None:
        def dev(**spec: Any) -> str | None:
            return evaluate(self.snap, packet({"family": "inet", "src": "10.0.2.10", **spec})).dev
        self.assertEqual(dev(dst="10.20.1.1"), "eth1")             # metric 5 before metric 10
        self.assertEqual(dev(dst="10.20.5.5", tos=0x10), "eth0")    # the tos route first
        self.assertEqual(dev(dst="10.20.5.5"), "eth1")


class BadSnapshot(unittest.TestCase):
    def test_a_snapshot_without_its_parts_is_refused(self) -> None:
        with self.assertRaises(SnapshotError):
            Snapshot.from_json({"addr": []})
        with self.assertRaises(SnapshotError):
            Snapshot.from_json({"addr": [{"ifindex": 1}], "rule4": [], "rule6": [], "route4": [], "route6": []})


if __name__ == "__main__":
    unittest.main()
