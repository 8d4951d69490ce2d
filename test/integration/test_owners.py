# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every rule and route shows its owner (issue 12, point 3): each owner kind built in the lab the
way its tool leaves it in the kernel, then recognised in `status --json` (rules) and `routes
--json` (routes).

NetworkManager and systemd-networkd are recognised by their per-interface state files in /run
(`/run/NetworkManager/devices/IFINDEX`, `/run/systemd/netif/links/IFINDEX`); here the test writes
those files under the helper's --root as the daemons write them, the daemons do not run."""

from __future__ import annotations

import os
from typing import Any

from test.integration.base import LabTestCase


class Owners(LabTestCase):
    prefix = "gwio1"

    def rule_owner(self, status: dict[str, Any], priority: int, family: str = "inet") -> tuple[str, str]:
        [rule] = [r for r in status["rules"] if r["priority"] == priority and r["family"] == family]
        return rule["owner"], rule["owner_why"]

    def route_owners(self, table: str, *extra: str) -> dict[str, str]:
        data = self.helper_json("routes", table, "--limit", "1000", *extra)
        return {f"{r.get('type', 'unicast')} {r['dst']} {r.get('dev', '')}".strip(): r["owner"] for r in data["routes"]}

    def state_file(self, path: str, text: str) -> None:
        full = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def ifindex(self, name: str) -> int:
        return int(self.lab.ip_json("host", "link", "show", "dev", name)[0]["ifindex"])

    def test_rules(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("rule", "add", "--priority", "900", "--from", "10.0.2.10/32", "--table", "300", "--keep")
        for cmd in (
            "rule add priority 500 from 10.0.7.0/24 table 200 protocol static",    # the admin
            "rule add priority 501 from 10.0.6.0/24 table 201",                     # boot: ip's default
            "rule add priority 502 from 10.0.5.0/24 table 202 protocol dhcp",
            "rule add priority 503 from 10.0.4.0/24 table 203 protocol 77",         # nobody we know
            "rule add priority 32765 not fwmark 0xca6c table 51820",                 # wg-quick
            "rule add priority 32764 table main suppress_prefixlength 0",           # wg-quick
            "rule add priority 30400 from 10.0.2.10 table 30400",                   # nm-cloud-setup
            "rule add priority 10001 from 10.0.2.10 table 10001",                   # amazon-ec2-net-utils
            "rule add priority 9 fwmark 0x200/0xf00 table 2004",                    # Cilium
        ):
            self.host("ip", *cmd.split())
        status = self.helper_json("status")
        expected = {0: "kernel", 32766: "kernel", 32767: "kernel", 30999: "cockpit-gateways",
                    31000: "cockpit-gateways", 31001: "cockpit-gateways", 900: "kept", 500: "static", 501: "static",
                    502: "dhcp", 503: "unknown", 32765: "wireguard", 32764: "wireguard", 30400: "cloud",
                    10001: "cloud", 9: "kubernetes"}
        got = {r["priority"]: r["owner"] for r in status["rules"] if r["family"] == "inet"}
        self.assertEqual(got, expected)
        self.assertIn("nm-cloud-setup", self.rule_owner(status, 30400)[1])
        self.assertIn("amazon-ec2-net-utils", self.rule_owner(status, 10001)[1])
        self.assertEqual(self.rule_owner(status, 503)[1], "protocol 77")
        self.assertIn("kept.json", self.rule_owner(status, 900)[1])
        # every rule of both families has an owner from the documented list
        self.assertTrue(all(r["owner"] in ("kernel", "cockpit-gateways") for r in status["rules"]
                            if r["family"] == "inet6"))

    def test_routes(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.helper("route", "add", "10.0.3.0/24", "--via", "10.0.2.1", "--table", "300", "--keep")
        # container and VM bridges, a Kubernetes plugin's interface, a WireGuard interface
        for name, kind in (("docker0", "bridge"), ("virbr0", "bridge")):
            self.host("ip", "link", "add", name, "type", kind)
        self.host("ip", "link", "add", "cali12345", "type", "veth", "peer", "name", "wg0")
        for name, addr in (("docker0", "172.17.0.1/16"), ("virbr0", "192.168.122.1/24")):
            self.host("ip", "addr", "add", addr, "dev", name)
        for name in ("docker0", "virbr0", "cali12345", "wg0"):
            self.host("ip", "link", "set", name, "up")
        for cmd in (
            "route add 10.244.1.5 dev cali12345 scope link",
            "route add 10.9.0.0/24 dev wg0 table 51820",
            "rule add priority 32765 not fwmark 51820 table 51820",
            "route add 10.0.5.0/24 via 10.0.1.1 proto static",
            "route add 10.0.6.0/24 via 10.0.1.1",                  # boot: ip's default
            "route add 10.0.7.0/24 via 10.0.1.1 proto dhcp",
            "route add 10.0.8.0/24 via 10.0.1.1 proto 77",
            "route add 10.0.11.0/24 via 10.0.2.1 dev eth1 proto static",
            "route add 10.0.12.0/24 via 10.0.2.1 dev eth1 proto dhcp table 30200",
            "rule add priority 10002 from 10.0.2.10 table 10002",
            "route add default via 10.0.2.1 dev eth1 table 10002",
        ):
            self.host("ip", *cmd.split())
        self.host("ip", "-6", "route", "add", "fd00:5::/64", "via", "fd00:1::1", "proto", "ra")
        main = self.route_owners("main")
        self.assertEqual(main, {
            "unicast default eth0": "static", "unicast 10.0.1.0/24 eth0": "kernel",
            "unicast 10.0.2.0/24 eth1": "kernel", "unicast 10.0.5.0/24 eth0": "static",
            "unicast 10.0.6.0/24 eth0": "static", "unicast 10.0.7.0/24 eth0": "dhcp",
            "unicast 10.0.8.0/24 eth0": "unknown", "unicast 10.0.11.0/24 eth1": "static",
            "unicast 10.244.1.5 cali12345": "kubernetes", "unicast 172.17.0.0/16 docker0": "containers",
            "unicast 192.168.122.0/24 virbr0": "containers", "unicast fd00:1::/64 eth0": "kernel",
            "unicast fd00:2::/64 eth1": "kernel", "unicast fd00:5::/64 eth0": "ra",
            "unicast fe80::/64 eth0": "kernel", "unicast fe80::/64 eth1": "kernel",
            "unicast fe80::/64 docker0": "containers", "unicast fe80::/64 virbr0": "containers",
            "unicast fe80::/64 wg0": "wireguard", "unicast fe80::/64 cali12345": "kubernetes"})
        # the owner filter runs on the host, over the whole table: only that owner's routes, counted
        dhcp = self.helper_json("routes", "main", "--owner", "dhcp", "--limit", "1")
        self.assertEqual(([r["dst"] for r in dhcp["routes"]], dhcp["matched"], dhcp["owner"]), (["10.0.7.0/24"], 1, "dhcp"))
        self.assertEqual(set(self.route_owners("main", "--owner", "containers").values()), {"containers"})
        bad = self.helper("routes", "main", "--owner", "nobody", "--json", check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("owner: 'nobody' is not one of", bad.stderr)
        table = next(i for i in self.helper_json("status")["interfaces"] if i["name"] == "eth1")["gateways"][0]["table"]
        self.assertEqual(set(self.route_owners(str(table)).values()), {"cockpit-gateways"})
        self.assertEqual(set(self.route_owners("300").values()), {"kept"})
        self.assertEqual(set(self.route_owners("51820").values()), {"wireguard"})
        self.assertEqual(set(self.route_owners("30200").values()), {"cloud"})
        self.assertEqual(set(self.route_owners("10002").values()), {"cloud"})
        local = self.route_owners("local", "--family", "inet")
        self.assertEqual({owner for key, owner in local.items() if "docker0" not in key and "virbr0" not in key},
                         {"kernel"})
        # the network managers: their state files name the interfaces they run
        self.state_file(f"run/NetworkManager/devices/{self.ifindex('eth1')}", "[device]\nmanaged=true\n")
        self.assertEqual(self.route_owners("main")["unicast 10.0.11.0/24 eth1"], "NetworkManager")
        os.unlink(os.path.join(self.root, f"run/NetworkManager/devices/{self.ifindex('eth1')}"))
        self.state_file(f"run/systemd/netif/links/{self.ifindex('eth0')}",
                        "ADMIN_STATE=configured\nOPER_STATE=routable\nNETWORK_FILE=/etc/systemd/network/eth0.network\n")
        main = self.route_owners("main")
        self.assertEqual((main["unicast 10.0.5.0/24 eth0"], main["unicast 10.0.1.0/24 eth0"],
                          main["unicast 10.0.11.0/24 eth1"]), ("systemd-networkd", "kernel", "static"))
