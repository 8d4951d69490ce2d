# SPDX-License-Identifier: LGPL-2.1-or-later
"""Choosing a gateway on a real kernel (issue 17, the Set gateway dialog): `routers IFACE` finds
the routers the host knows of, and a gateway outside the interface's subnet works when it is on
the link (`set --onlink`), proven by a ping from the client behind R2 (outside the host's
subnets).  R2 gets a second address, 10.0.3.1/24, on the host's link: outside 10.0.2.0/24."""

from __future__ import annotations

import unittest

from test.integration.base import LabTestCase


class OnLink(LabTestCase):
    prefix = "gwonl"

    def setUp(self) -> None:
        super().setUp()
        self.lab.run("r2", "ip", "addr", "add", "10.0.3.1/24", "dev", "eth0")

    def test_routers_lists_neighbours_and_mains_gateways(self) -> None:
        self.assert_can_ping("host", "10.0.2.1")            # R2 is now in the neighbour table
        self.assert_can_ping("host", "fd00:2::1", count=3)
        self.host("ip", "route", "add", "10.0.7.0/24", "via", "10.0.3.1", "dev", "eth1", "onlink")
        before = self.kernel_state()
        found = self.helper_json("routers", "eth1")
        self.assertEqual(self.kernel_state(), before)
        self.assertEqual([(n["family"], n["network"]) for n in found["networks"]],
                         [("inet", "10.0.2.0/24"), ("inet6", "fd00:2::/64")])
        got = {c["address"]: (c["sources"], c["onlink"]) for c in found["routers"]}
        self.assertEqual(got["10.0.2.1"], (["neighbour"], False))
        self.assertEqual(got["10.0.3.1"], (["main"], True))
        self.assertEqual(got["fd00:2::1"], (["neighbour", "router"], False))
        self.assertNotIn("10.0.2.10", got)
        only6 = self.helper_json("routers", "eth1", "--family", "inet6")
        self.assertEqual({c["family"] for c in only6["routers"]}, {"inet6"})
        # read-only: an ordinary user may ask (no root, no lock, no files)
        user = self.helper("routers", "eth1", "--json", prefix=self.NOBODY, helper=self.readable_helper())
        self.assertIn("10.0.3.1", user.stdout)

    def test_gateway_outside_the_subnet_works_on_link(self) -> None:
        self.assert_cannot_ping("c2", "10.0.2.10")
        before, files = self.kernel_state(), self.files()
        refused = self.helper("set", "eth1", "10.0.3.1", "--json", check=False)
        self.assertEqual(refused.returncode, 2)
        self.assertIn('"field": "gateway"', refused.stdout)
        self.assertEqual((self.kernel_state(), self.files()), (before, files))

        self.helper("set", "eth1", "10.0.3.1", "--onlink")
        default = [r for r in self.routes("-4", "proto", "248") if r["dst"] == "default"]
        self.assertEqual([(r["gateway"], r["dev"], "onlink" in r["flags"]) for r in default],
                         [("10.0.3.1", "eth1", True)])
        self.assert_can_ping("c2", "10.0.2.10", count=3)
        # the reply really leaves through 10.0.3.1: R2 learnt the host's MAC for it
        got = self.lab.ip_json("host", "route", "get", "10.0.9.2", "from", "10.0.2.10")[0]
        self.assertEqual((got["dev"], got.get("gateway")), ("eth1", "10.0.3.1"))
        self.assert_can_ping("c1", "10.0.1.10")
        self.helper("unset", "eth1")
        self.assert_cannot_ping("c2", "10.0.2.10")


if __name__ == "__main__":
    unittest.main()
