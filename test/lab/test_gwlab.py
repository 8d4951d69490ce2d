# SPDX-License-Identifier: LGPL-2.1-or-later
"""Self-test of the lab, and a proof by packets of the kernel behaviour the product automates.

Run from the repository root: python3 -m unittest test.lab.test_gwlab  (as root)
"""

from __future__ import annotations

import os
import time
import unittest

from test.lab.gwlab import Lab


def _prefix(tag: str) -> str:
    return f"gw{tag}{os.getpid() % 10000}"  # ≤ 8 chars, distinct between concurrent runs


class LabTest(unittest.TestCase):
    lab: Lab

    @classmethod
    def setUpClass(cls) -> None:
        cls.lab = Lab(_prefix("t"))
        start = time.monotonic()
        cls.lab.up()
        cls.up_seconds = time.monotonic() - start

    @classmethod
    def tearDownClass(cls) -> None:
        cls.lab.down()
        assert not cls.lab.namespaces(), cls.lab.namespaces()

    def test_up_is_fast(self) -> None:
        self.assertLess(self.up_seconds, 2.0)

    def test_namespaces(self) -> None:
        self.assertEqual(self.lab.namespaces(), [self.lab.ns(n) for n in Lab.nodes])
        self.assertEqual(self.lab.ns("host"), f"{self.lab.prefix}-host")

    def test_host_interfaces(self) -> None:
        links = {a["ifname"]: a for a in self.lab.ip_json("host", "address", "show")}
        self.assertEqual(set(links), {"lo", "eth0", "eth1"})
        addrs = {ai["local"] for ai in links["eth1"]["addr_info"]}
        self.assertTrue({"10.0.2.10", "fd00:2::10"} <= addrs, addrs)

    def test_rp_filter(self) -> None:
        for key in ("all", "default", "eth0", "eth1"):
            r = self.lab.run("host", "sysctl", "-n", f"net.ipv4.conf.{key}.rp_filter")
            self.assertEqual(r.stdout.strip(), "1", key)

    def test_management_path(self) -> None:
        self.assertTrue(self.lab.ping("c1", "10.0.1.10"))
        self.assertTrue(self.lab.ping("c1", "fd00:1::10"))

    def test_host_reaches_display_router(self) -> None:
        self.assertTrue(self.lab.ping("host", "10.0.2.1"))
        self.assertTrue(self.lab.ping("host", "fd00:2::1"))

    def test_display_client_cut_off_without_source_routing(self) -> None:
        self.assertFalse(self.lab.ping("c2", "10.0.2.10", timeout=0.5))
        self.assertFalse(self.lab.ping("c2", "fd00:2::10", timeout=0.5))

    def test_missing_table_is_empty(self) -> None:
        self.assertEqual(self.lab.ip_json("host", "route", "show", "table", "4242"), [])

    def test_bad_prefix(self) -> None:
        for bad in ("lab", "gwthisiswaytoolongname", "gw x", "gw/x"):
            with self.assertRaises(ValueError):
                Lab(bad)


class LabLifecycleTest(unittest.TestCase):
    def test_up_is_idempotent_and_down_never_raises(self) -> None:
        lab = Lab(_prefix("i"))
        try:
            lab.up()
            lab.run("host", "ip", "route", "add", "10.77.0.0/16", "via", "10.0.2.1")
            lab.up()  # tears down the leftover and builds again from scratch
            routes = [r["dst"] for r in lab.ip_json("host", "route", "show")]
            self.assertNotIn("10.77.0.0/16", routes)
            self.assertTrue(lab.ping("c1", "10.0.1.10"))
        finally:
            lab.down()
        lab.down()
        self.assertEqual(lab.namespaces(), [])

    def test_context_manager_cleans_up_on_failure(self) -> None:
        lab = Lab(_prefix("c"))
        with self.assertRaises(RuntimeError):
            with lab:
                self.assertEqual(len(lab.namespaces()), 5)
                raise RuntimeError("boom")
        self.assertEqual(lab.namespaces(), [])


class ManualSourceRoutingTest(unittest.TestCase):
    """What the product automates, done by hand with plain `ip`: the seed's "automatic solution".

    Before: c2 (10.0.9.2, behind R2 only) cannot reach the host's display address 10.0.2.10
    (rp_filter drops the request on eth1, and the reply would leave by R1, which has no route
    back). After a table 100 with the display network's on-link route and default via R2, and
    rules `to`/`from 10.0.2.0/24 lookup 100`, it can, and the management path is unchanged.
    """

    def test_source_routing_by_hand(self) -> None:
        lab = Lab(_prefix("s"))
        try:
            lab.up()
            self.assertTrue(lab.ping("c1", "10.0.1.10"))
            self.assertFalse(lab.ping("c2", "10.0.2.10", timeout=0.5))

            lab.run("host", "ip", "-batch", "-", input="\n".join((
                "route add 10.0.2.0/24 dev eth1 scope link src 10.0.2.10 table 100",
                "route add default via 10.0.2.1 dev eth1 table 100",
                "rule add to 10.0.2.0/24 lookup 100 priority 1000",
                "rule add from 10.0.2.0/24 lookup 100 priority 1001",
            )) + "\n")
            self.assertTrue(lab.ping("c2", "10.0.2.10", count=3))
            self.assertTrue(lab.ping("c1", "10.0.1.10"))
            # the main table (and its default via the management gateway) is untouched
            main_defaults = [r for r in lab.ip_json("host", "route", "show", "default")]
            self.assertEqual([r.get("gateway") for r in main_defaults], ["10.0.1.1"])

            # the same for IPv6 (no rp_filter there: without it the reply leaves via R1)
            self.assertFalse(lab.ping("c2", "fd00:2::10", timeout=0.5))
            lab.run("host", "ip", "-6", "-batch", "-", input="\n".join((
                "route add fd00:2::/64 dev eth1 table 100",
                "route add default via fd00:2::1 dev eth1 table 100",
                "rule add to fd00:2::/64 lookup 100 priority 1000",
                "rule add from fd00:2::/64 lookup 100 priority 1001",
            )) + "\n")
            self.assertTrue(lab.ping("c2", "fd00:2::10", count=3))
            self.assertTrue(lab.ping("c1", "fd00:1::10"))

            # and removing the rules cuts c2 off again
            lab.run("host", "ip", "-batch", "-", input="rule del priority 1000\n"
                    "rule del priority 1001\n")
            self.assertFalse(lab.ping("c2", "10.0.2.10", timeout=0.5))
            self.assertTrue(lab.ping("c1", "10.0.1.10"))
        finally:
            lab.down()
        self.assertEqual(lab.namespaces(), [])


if __name__ == "__main__":
    unittest.main()
