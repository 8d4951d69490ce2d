# SPDX-License-Identifier: LGPL-2.1-or-later
"""The lookup tells the truth: our evaluation of rules and tables against the kernel's own answer.

- Property test: the lab host gets a rule set with every selector type and several tables
  (lookup_lab.py), then random packets (both families, sources, marks, tos, protocols and ports,
  uids, incoming and outgoing interfaces) are evaluated by the helper's evaluator and asked of
  `ip route get`; table, route, verdict class and errno must agree for every one.  400 packets
  here (seed 1); GW_STRESS=1 runs 4000 with a seed of the moment (printed, to repeat a failure
  with GW_LOOKUP_SEED).
- The seed story through the helper's `lookup --json`, before and after `set eth1 10.0.2.1`,
  and every errno the kernel shares between causes, each with its own verdict.
"""

from __future__ import annotations

import collections
import json
import os
import random
import subprocess
import sys
import time

from test.integration.base import PYTHON, TOP, LabTestCase
from test.integration.lookup_lab import setup

STRESS = os.environ.get("GW_STRESS") == "1"


class AgainstTheKernel(LabTestCase):
    prefix = "gwlt1"

    def test_random_packets_agree_with_ip_route_get(self) -> None:
        setup(self.lab)
        count = 4000 if STRESS else 400
        seed = int(os.environ.get("GW_LOOKUP_SEED") or (random.randrange(1 << 30) if STRESS else 1))
        start = time.monotonic()
        proc = subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), PYTHON,
                               os.path.join(TOP, "test", "integration", "lookup_lab.py"),
                               "--seed", str(seed), "--count", str(count)],
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        data = json.loads(proc.stdout)
        seconds = time.monotonic() - start
        results = data["results"]
        disagreed = [r for r in results if r["differences"]]
        codes = collections.Counter(r["code"] for r in results)
        errnos = collections.Counter(r["kernel"].get("errno_name") or "route" for r in results)
        sys.stderr.write(f"\nlookup vs ip route get: seed {seed}, {len(results)} packets tried, "
                         f"{len(results) - len(disagreed)} agreed; {seconds:.1f} s in all "
                         f"({data['ours_seconds'] * 1000 / max(1, len(results)):.2f} ms per evaluation)\n"
                         f"  verdicts: {dict(codes.most_common())}\n  kernel: {dict(errnos.most_common())}\n")
        self.assertEqual(len(results), count)
        self.assertEqual([(r["packet"], r["code"], r["differences"]) for r in disagreed[:10]], [])
        # the sample covers the answers the rule set can give
        for code in ("local", "forward", "unicast", "rp-filter", "forwarding-disabled", "source-not-local",
                     "blackhole", "unreachable", "prohibit", "martian-source"):
            self.assertGreater(codes[code], 0, code)


class SeedStory(LabTestCase):
    prefix = "gwlt2"

    def lookup(self, *args: str) -> dict[str, object]:
        data = self.helper_json("lookup", *args)
        self.assertTrue(data["agree"], data["disagreement"])
        return data

    def test_rp_filter_before_the_gateway_and_local_after(self) -> None:
        before = self.lookup("10.0.2.10", "--from", "10.0.9.2", "--iif", "eth1")
        self.assertEqual(before["verdict"]["code"], "rp-filter")
        self.assertEqual((before["kernel"]["errno_name"], before["route"]), ("EINVAL", None))
        rp = before["rp_filter"]
        self.assertEqual((rp["interface"], rp["mode"], rp["ok"]), ("eth1", "strict", False))
        self.assertEqual(rp["reply"]["nexthops"], [{"dev": "eth0", "gateway": "10.0.1.1"}])
        self.assertEqual(before["fix"]["command"], "set eth1 GATEWAY")
        self.assertEqual(before["fix"]["interface"], "eth1")
        self.assertIn("not by eth1", before["verdict"]["text"])
        self.assert_cannot_ping("c2", "10.0.2.10")

        self.helper("set", "eth1", "10.0.2.1")
        after = self.lookup("10.0.2.10", "--from", "10.0.9.2", "--iif", "eth1")
        self.assertEqual(after["verdict"]["code"], "local")
        self.assertNotIn("fix", after)
        self.assertEqual((after["rp_filter"]["reply"]["table_name"], after["rp_filter"]["ok"]), ("gw-eth1", True))
        self.assertEqual(after["route"]["type"], "local")
        self.assert_can_ping("c2", "10.0.2.10")
        # the trace names the rule that carries the reply, and the one that delivers
        self.assertEqual(after["trace"][0]["why"], "answers")

    def test_each_shared_errno_gets_its_own_verdict(self) -> None:
        for kind, net in (("blackhole", "10.0.66.0/24"), ("unreachable", "10.0.67.0/24"),
                          ("prohibit", "10.0.68.0/24")):
            self.host("ip", "route", "add", kind, net)
        cases = (
            (("10.0.66.1", "--from", "10.0.2.10"), "blackhole", "EINVAL"),
            (("10.0.2.10", "--from", "10.0.9.2", "--iif", "eth1"), "rp-filter", "EINVAL"),
            (("10.0.67.1", "--from", "10.0.2.10"), "unreachable", "EHOSTUNREACH"),
            (("10.0.8.2", "--from", "10.0.9.2", "--iif", "eth1"), "forwarding-disabled", "EHOSTUNREACH"),
            (("10.0.68.1",), "prohibit", "EACCES"),
            (("10.0.9.2", "--from", "10.0.99.1"), "source-not-local", "ENETUNREACH"),
        )
        for args, code, errno_name in cases:
            data = self.lookup(*args)
            self.assertEqual((data["verdict"]["code"], data["kernel"]["errno_name"]), (code, errno_name), args)
            self.assertEqual(data["evaluation"]["errno_name"], errno_name)
        forwarded = self.lookup("10.0.8.2", "--from", "10.0.9.2", "--iif", "eth1")
        self.assertEqual(forwarded["forwarding"]["sysctl"], "net.ipv4.conf.eth1.forwarding")

    def test_bad_fields_are_named(self) -> None:
        for args, field in ((("--tos", "x"), "tos"), (("--sport", "70000"), "sport"), (("--ipproto", "nope"), "ipproto"),
                            (("--uid", "-1"), "uid")):
            proc = self.helper("lookup", "10.0.9.2", *args, "--json", check=False)
            self.assertEqual((proc.returncode, json.loads(proc.stdout)["field"]), (2, field), args)


class Reach(LabTestCase):
    prefix = "gwlt3"

    def test_the_doctor_follows_the_seed_story_and_the_packets(self) -> None:
        before = self.helper_json("reach", "eth1", "10.0.9.2")
        self.assertEqual((before["verdict"]["code"], before["address"]), ("rp-filter", "10.0.2.10"))
        self.assertEqual(before["fix"]["command"], "set eth1 GATEWAY")
        self.assertTrue(before["agree"])
        self.assert_cannot_ping("c2", "10.0.2.10")

        # loose reverse-path filter: the request gets in, the reply leaves by eth0 and dies at R1
        self.host("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=2", "net.ipv4.conf.eth1.rp_filter=2")
        loose = self.helper_json("reach", "eth1", "10.0.9.2")
        self.assertEqual(loose["verdict"]["code"], "reply-elsewhere")
        self.assertIn("leaves via 10.0.1.1 on eth0, not by eth1", loose["verdict"]["text"])
        self.assertEqual(loose["fix"]["interface"], "eth1")
        self.assert_cannot_ping("c2", "10.0.2.10")

        self.helper("set", "eth1", "10.0.2.1")
        after = self.helper_json("reach", "eth1", "10.0.9.2")
        self.assertEqual(after["verdict"]["code"], "ok")
        self.assertIn("goes back via 10.0.2.1 on eth1", after["verdict"]["text"])
        self.assertNotIn("fix", after)
        self.assert_can_ping("c2", "10.0.2.10")
        v6 = self.helper_json("reach", "eth1", "fd00:9::2")
        self.assertEqual((v6["verdict"]["code"], v6["address"]), ("reply-elsewhere", "fd00:2::10"))
        self.assert_cannot_ping("c2", "fd00:2::10")

        for args, field in ((("nosuch0", "10.0.9.2"), "interface"), (("eth1", "10.0.9.300"), "client"),
                            (("lo", "fd00:9::2"), "interface")):
            proc = self.helper("reach", *args, "--json", check=False)
            self.assertEqual((proc.returncode, json.loads(proc.stdout)["field"]), (2, field), args)
