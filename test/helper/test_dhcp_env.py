# SPDX-License-Identifier: LGPL-2.1-or-later
"""dhcp-event: dhclient's and NetworkManager's environments into actions (no root, no kernel)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest
from typing import Any

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPER = os.path.join(TOP, "src", "helper", "cockpit-gateways")
sys.path.insert(0, os.path.join(TOP, "src", "helper"))

from cockpit_gateways.dhcp import Event, parse_dhclient, parse_dispatcher, parse_event  # noqa: E402
from cockpit_gateways.model import InvalidInput  # noqa: E402

LEASE = {"interface": "eth1", "new_ip_address": "10.0.2.57", "new_subnet_mask": "255.255.255.0",
         "new_network_number": "10.0.2.0", "new_routers": "10.0.2.1", "new_broadcast_address": "10.0.2.255"}
OLD = {"interface": "eth1", "old_ip_address": "10.0.2.57", "old_subnet_mask": "255.255.255.0",
       "old_routers": "10.0.2.1"}
NM = {"DEVICE_IFACE": "eth1", "DEVICE_IP_IFACE": "eth1", "CONNECTION_ID": "Wired connection 2",
      "IP4_GATEWAY": "10.0.2.1", "IP4_ADDRESS_0": "10.0.2.57/24 10.0.2.1", "IP4_NUM_ADDRESSES": "1",
      "DHCP4_IP_ADDRESS": "10.0.2.57", "DHCP4_SUBNET_MASK": "255.255.255.0", "DHCP4_ROUTERS": "10.0.2.1"}


class Dhclient(unittest.TestCase):
    def test_binding_reasons_set_from_the_first_router(self) -> None:
        for reason in ("BOUND", "REBOOT", "RENEW", "REBIND"):
            parsed = parse_dhclient({"reason": reason, **LEASE, "new_routers": "10.0.2.1 10.0.2.254"})
            self.assertEqual(parsed.events, [Event("eth1", "inet", "set", "10.0.2.1", "10.0.2.57/24", reason)])
            self.assertEqual(parsed.note, "")

    def test_removing_reasons(self) -> None:
        for reason in ("STOP", "RELEASE", "EXPIRE", "FAIL"):
            env = {"reason": reason, **OLD} if reason != "FAIL" else {"reason": reason, "interface": "eth1"}
            [event] = parse_dhclient(env).events
            self.assertEqual((event.interface, event.family, event.op), ("eth1", "inet", "remove"))

    def test_timeout_depends_on_the_cached_lease(self) -> None:
        [event] = parse_dhclient({"reason": "TIMEOUT", **LEASE}).events
        self.assertEqual((event.op, event.router, event.address), ("check", "10.0.2.1", "10.0.2.57/24"))
        [event] = parse_dhclient({"reason": "TIMEOUT", "interface": "eth1"}).events
        self.assertEqual(event.op, "remove")

    def test_nothing_to_do(self) -> None:
        for reason in ("PREINIT", "MEDIUM", "ARPCHECK", "ARPSEND", "NBI", "SOMETHING-NEW", "",
                       "BOUND6", "RENEW6", "REBIND6", "REBOOT6", "EXPIRE6", "RELEASE6", "STOP6", "PREINIT6", "DEPREF6"):
            parsed = parse_dhclient({"reason": reason, "interface": "eth1", "new_ip6_address": "fd00:2::57"})
            self.assertEqual(parsed.events, [], reason)
            self.assertTrue(parsed.note, reason)
        self.assertIn("router advertisements", parse_dhclient({"reason": "BOUND6", "interface": "eth1"}).note)
        # ignored reasons do not even look at the interface
        self.assertEqual(parse_dhclient({"reason": "PREINIT", "interface": "bad/name"}).events, [])

    def test_lease_without_router(self) -> None:
        for routers in (None, "", "   "):
            env = {"reason": "BOUND", **LEASE}
            if routers is None:
                del env["new_routers"]
            else:
                env["new_routers"] = routers
            parsed = parse_dhclient(env)
            self.assertEqual(parsed.events, [Event("eth1", "inet", "set", None, "10.0.2.57/24", "BOUND")])
            self.assertIn("no router", parsed.note)

    def test_bad_input(self) -> None:
        cases = [
            ({"interface": "eth/1"}, "interface"),
            ({"interface": ""}, "interface"),
            ({"interface": "a-very-long-interface"}, "interface"),
            ({"interface": "eth1 x"}, "interface"),
            ({"new_routers": "10.0.2.x"}, "new_routers"),
            ({"new_routers": "fd00:2::1"}, "new_routers"),
            ({"new_routers": "0.0.0.0"}, "new_routers"),
            ({"new_routers": "224.0.0.1"}, "new_routers"),
            ({"new_routers": "10.0.2.1;reboot"}, "new_routers"),
            ({"new_ip_address": "10.0.2.300"}, "new_ip_address"),
            ({"new_subnet_mask": "255.0.255.0"}, "new_ip_address"),
            ({"new_ip_address": ""}, "new_ip_address"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                with self.assertRaises(InvalidInput) as cm:
                    parse_dhclient({"reason": "BOUND", **LEASE, **change})
                self.assertEqual(cm.exception.field, field)
        with self.assertRaises(InvalidInput):
            parse_dhclient({"reason": "RELEASE", "interface": "../x"})
        with self.assertRaises(InvalidInput):
            parse_dhclient({"reason": "RELEASE"})


class Dispatcher(unittest.TestCase):
    def test_up_with_dhcp(self) -> None:
        for action in ("up", "dhcp4-change", "reapply"):
            parsed = parse_dispatcher("eth1", action, NM)
            self.assertEqual(parsed.events, [Event("eth1", "inet", "set", "10.0.2.1", "10.0.2.57/24", action,
                                                   "NetworkManager")])
            self.assertEqual((parsed.converge, parsed.interface, parsed.deactivated), (True, "eth1", False))

    def test_router_falls_back_to_ip4_gateway(self) -> None:
        env = {k: v for k, v in NM.items() if k != "DHCP4_ROUTERS"}
        [event] = parse_dispatcher("eth1", "up", env).events
        self.assertEqual(event.router, "10.0.2.1")
        env.pop("IP4_GATEWAY")
        parsed = parse_dispatcher("eth1", "up", env)
        self.assertEqual(parsed.events[0].router, None)
        self.assertIn("no router", parsed.note)

    def test_no_gateway_from_networkmanager(self) -> None:
        """NetworkManager 1.42 says 0.0.0.0 (for IPv6 too) when a connection has no gateway."""
        env = {k: v for k, v in NM.items() if k != "DHCP4_ROUTERS"}
        parsed = parse_dispatcher("eth1", "up", {**env, "IP4_GATEWAY": "0.0.0.0"})
        self.assertEqual(parsed.events[0].router, None)
        for gateway in ("0.0.0.0", "::"):
            parsed = parse_dispatcher("eth1", "dhcp6-change", {"DHCP6_IP6_ADDRESS": "fd00:2::5f",
                                                              "IP6_GATEWAY": gateway})
            self.assertEqual(parsed.events, [])
            self.assertIn("no IPv6 gateway", parsed.note)

    def test_static_connection_converges(self) -> None:
        """No DHCP4_* variables: no lease to record, but the interface converges like `reconcile
        eth1`, so a static gateway comes back with its address (issue 18)."""
        env = {k: v for k, v in NM.items() if not k.startswith("DHCP4_")}
        for action in ("up", "reapply", "dhcp4-change", "dhcp6-change", "pre-down", "down"):
            parsed = parse_dispatcher("eth1", action, env)
            self.assertEqual((parsed.events, parsed.converge, parsed.interface), ([], True, "eth1"), action)

    def test_ipv6(self) -> None:
        env = {"DHCP6_IP6_ADDRESS": "fd00:2::57", "IP6_GATEWAY": "fe80::1"}
        self.assertEqual(parse_dispatcher("eth1", "dhcp6-change", env).events,
                         [Event("eth1", "inet6", "set", "fe80::1", "fd00:2::57", "dhcp6-change", "NetworkManager")])
        both = parse_dispatcher("eth1", "up", {**NM, **env}).events
        self.assertEqual([e.family for e in both], ["inet", "inet6"])
        # dhcp4-change does not touch IPv6 and the other way round
        self.assertEqual([e.family for e in parse_dispatcher("eth1", "dhcp4-change", {**NM, **env}).events],
                         ["inet"])
        self.assertEqual([e.family for e in parse_dispatcher("eth1", "dhcp6-change", {**NM, **env}).events],
                         ["inet6"])
        parsed = parse_dispatcher("eth1", "dhcp6-change", {"DHCP6_IP6_ADDRESS": "fd00:2::57"})
        self.assertEqual(parsed.events, [])
        self.assertTrue(parsed.converge)
        for bad, field in (({**env, "IP6_GATEWAY": "10.0.2.1"}, "IP6_GATEWAY"),
                           ({**env, "DHCP6_IP6_ADDRESS": "10.0.2.57"}, "DHCP6_IP6_ADDRESS"),
                           ({**env, "DHCP6_IP6_ADDRESS": "fd00::x"}, "DHCP6_IP6_ADDRESS")):
            with self.assertRaises(InvalidInput) as cm:
                parse_dispatcher("eth1", "dhcp6-change", bad)
            self.assertEqual(cm.exception.field, field)

    def test_down_records_nothing_and_judges_by_the_kernel(self) -> None:
        parsed = parse_dispatcher("eth1", "down", NM)
        self.assertEqual((parsed.events, parsed.converge, parsed.deactivated), ([], True, True))
        self.assertFalse(parse_dispatcher("eth1", "pre-down", NM).deactivated)

    def test_connectivity_change_converges_every_interface(self) -> None:
        for iface in ("", "none"):
            parsed = parse_dispatcher(iface, "connectivity-change", {"CONNECTIVITY_STATE": "FULL"})
            self.assertEqual((parsed.events, parsed.converge, parsed.interface), ([], True, None))

    def test_ignored_actions(self) -> None:
        for action in ("pre-up", "vpn-up", "vpn-down", "vpn-pre-down", "hostname", "dhcp4-change-bogus", ""):
            parsed = parse_dispatcher("none" if action == "hostname" else "eth1", action, NM)
            self.assertEqual((parsed.events, parsed.converge), ([], False), action)

    def test_bad_input(self) -> None:
        for iface, env, field in (("eth/1", NM, "interface"), ("", NM, "interface"),
                                  ("eth1", {**NM, "DHCP4_ROUTERS": "x"}, "DHCP4_ROUTERS"),
                                  ("eth1", {**NM, "DHCP4_ROUTERS": "fd00::1"}, "DHCP4_ROUTERS"),
                                  ("eth1", {**NM, "DHCP4_SUBNET_MASK": "nope"}, "DHCP4_IP_ADDRESS")):
            with self.subTest(iface=iface, field=field):
                with self.assertRaises(InvalidInput) as cm:
                    parse_dispatcher(iface, "up", env)
                self.assertEqual(cm.exception.field, field)


class Stale(unittest.TestCase):
    """Which recorded leases are gone: judged by the kernel's addresses, never by the event order."""

    @staticmethod
    def link(name: str, *addresses: str, up: bool = True) -> Any:
        from cockpit_gateways.kernel import parse_links
        info = [{"local": a.split("/")[0], "prefixlen": int(a.split("/")[1]), "scope": "global",
                 "family": "inet6" if ":" in a else "inet"} for a in addresses]
        return parse_links([{"ifname": name, "ifindex": 3, "flags": ["UP"] if up else [],
                             "operstate": "UP" if up else "DOWN", "addr_info": info}])[name]

    def test_judged_by_the_address(self) -> None:
        from cockpit_gateways.dhcp import drop_stale, stale_leases
        raw = {"eth1": {"inet": {"gateway": "10.0.2.1", "address": "10.0.2.57/24"},
                        "inet6": {"gateway": "fe80::1"}},
               "eth2": {"inet": {"gateway": "10.0.3.1", "address": "10.0.3.57/24"}},
               "gone0": {"inet": {"gateway": "10.0.4.1", "address": "10.0.4.57/24"}}}
        links = {"eth1": self.link("eth1", "10.0.2.57/24"), "eth2": self.link("eth2", "10.0.3.99/24")}
        self.assertEqual(stale_leases(raw, links), [("eth2", "inet"), ("gone0", "inet")])
        self.assertEqual(stale_leases(raw, links, only="eth1"), [])
        # `down`: a lease without an address goes with its family's last address
        self.assertEqual(stale_leases(raw, links, only="eth1", deactivated=True), [("eth1", "inet6")])
        # the prefix does not matter, the address does
        links["eth2"] = self.link("eth2", "10.0.3.57/16")
        self.assertEqual(stale_leases(raw, links, only="eth2"), [])
        # watch: a link that is down keeps its leases
        links["eth2"] = self.link("eth2", up=False)
        self.assertEqual(stale_leases(raw, links, only="eth2", keep_down=True), [])
        self.assertEqual(stale_leases(raw, links, only="eth2"), [("eth2", "inet")])
        dropped = drop_stale(raw, links)
        self.assertEqual(dropped, [{"interface": "eth2", "family": "inet", "address": "10.0.3.57/24"},
                                   {"interface": "gone0", "family": "inet", "address": "10.0.4.57/24"}])
        self.assertEqual(sorted(raw), ["eth1"])


class Entry(unittest.TestCase):
    def test_arguments_choose_the_source(self) -> None:
        self.assertEqual(parse_event(["eth1", "up"], {"reason": "BOUND", **LEASE, **NM}).events[0].client,
                         "NetworkManager")
        self.assertEqual(parse_event([], {"reason": "BOUND", **LEASE}).events[0].client, "dhclient")
        for args in (["eth1"], ["eth1", "up", "x"]):
            with self.assertRaises(InvalidInput):
                parse_event(args, NM)
        with self.assertRaises(InvalidInput) as cm:
            parse_event([], {"interface": "eth1"})
        self.assertEqual(cm.exception.field, "reason")


class CommandLine(unittest.TestCase):
    """The whole helper as a process: bad input exits 2 and writes nothing, even as non-root."""

    def run_helper(self, root: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, HELPER, *args], capture_output=True, text=True, timeout=60,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COCKPIT_GATEWAYS_ROOT": root,
                                   **env})

    def test_bad_input_exits_2_and_changes_nothing(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            for args, env, field in (
                ((), {"reason": "BOUND", **LEASE, "interface": "eth1/../x"}, "interface"),
                ((), {"reason": "RENEW", **LEASE, "new_routers": "10.0.2.1.5"}, "new_routers"),
                (("eth1", "up"), {**NM, "DHCP4_ROUTERS": "::1"}, "DHCP4_ROUTERS"),
                (("bad name", "up"), NM, "interface"),
                (("eth1",), NM, "arguments"),
                ((), {}, "reason"),
            ):
                with self.subTest(args=args, field=field):
                    proc = self.run_helper(root, "dhcp-event", *args, "--json", env=env)
                    self.assertEqual(proc.returncode, 2, proc.stderr)
                    self.assertEqual(json.loads(proc.stdout)["field"], field)
                    self.assertTrue(proc.stderr.startswith("cockpit-gateways: "), proc.stderr)
                    self.assertEqual(proc.stderr.count("\n"), 1)
            self.assertEqual(os.listdir(root), [])

    def test_nothing_to_do_exits_0(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            proc = self.run_helper(root, "--json", "dhcp-event", env={"reason": "PREINIT", "interface": "eth1"})
            self.assertEqual(proc.returncode, 0, proc.stderr)
            data = json.loads(proc.stdout)
            self.assertEqual((data["changed"], data["dhcp"]["events"]), (False, []))
            proc = self.run_helper(root, "dhcp-event", "eth1", "vpn-up", env={})
            self.assertEqual((proc.returncode, proc.stdout.splitlines()[-1]), (0, "nothing to change"))
            self.assertEqual(os.listdir(root), [])


class Networkd(unittest.TestCase):
    """status warns when systemd-networkd runs with its defaults, which delete our rules and routes."""

    def write(self, root: str, path: str, text: str) -> None:
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as f:
            f.write(text)

    def test_settings_and_warning(self) -> None:
        from cockpit_gateways.store import Paths
        from cockpit_gateways.networkd import networkd_settings, networkd_warnings
        with tempfile.TemporaryDirectory() as root:
            paths = Paths(root)
            self.assertEqual(networkd_warnings(paths, running=False), [])
            [warning] = networkd_warnings(paths, running=True)
            self.assertIn("ManageForeignRoutingPolicyRules=no", warning)
            self.assertIn("ManageForeignRoutes=no", warning)
            self.write(root, "etc/systemd/networkd.conf", "[Network]\n#ManageForeignRoutingPolicyRules=no\n"
                       "ManageForeignRoutes=no\n[DHCPv4]\nManageForeignRoutingPolicyRules=no\n")
            self.assertEqual(networkd_settings(paths), {"ManageForeignRoutingPolicyRules": True,
                                                        "ManageForeignRoutes": False})
            [warning] = networkd_warnings(paths, running=True)
            self.assertIn("ManageForeignRoutingPolicyRules=yes", warning)
            self.assertNotIn("ManageForeignRoutes=yes", warning)
            # drop-ins by name; /etc wins over /usr/lib for the same name
            self.write(root, "usr/lib/systemd/networkd.conf.d/50-x.conf", "[Network]\nManageForeignRoutes=yes\n")
            self.write(root, "etc/systemd/networkd.conf.d/50-x.conf",
                       "[Network]\nManageForeignRoutingPolicyRules=false\n")
            self.assertEqual(networkd_settings(paths), {"ManageForeignRoutingPolicyRules": False,
                                                        "ManageForeignRoutes": False})
            self.assertEqual(networkd_warnings(paths, running=True), [])


if __name__ == "__main__":
    unittest.main()
