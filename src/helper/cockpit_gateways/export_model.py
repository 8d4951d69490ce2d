# SPDX-License-Identifier: LGPL-2.1-or-later
"""What every export writer shares (export.py, export_yaml.py): the exported networks, the
header, and the helpers that turn the engine's objects into each format's words."""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Callable

from .kernel import Link
from .model import InvalidInput, Route, Rule
from .plan import Gateway


@dataclasses.dataclass
class Network:
    """One exported gateway with the objects the engine wants for it."""
    gateway: Gateway
    link: Link
    routes: list[Route]
    rules: list[Rule]

    def describe(self) -> str:
        gw = self.gateway
        onlink = ", on-link" if gw.onlink else ""
        return f"{gw.interface} {gw.family} via {gw.address} ({gw.source}, table {gw.table}{onlink})"


@dataclasses.dataclass
class Skipped:
    gateway: Gateway
    reason: str

    def describe(self) -> str:
        gw = self.gateway
        return f"{gw.interface} {gw.family} via {gw.address} ({gw.source}): {self.reason}"


@dataclasses.dataclass
class ExportFile:
    name: str
    text: str


Writer = Callable[[list["Network"], list["Skipped"]], list[ExportFile]]


_PURPOSE = {
    "nmstate": "an nmstate state (apply with: nmstatectl apply FILE)",
    "ansible": "variables for the linux-system-roles network role",
    "netplan": "a netplan file (put it in /etc/netplan next to the files that configure the "
               "interfaces, then: netplan apply)",
    "ifcfg": "/etc/sysconfig/network-scripts files (route-IFACE, rule-IFACE, route6-, rule6-)",
    "networkd": "systemd-networkd drop-ins: put IFACE.network.d/… in the drop-in directory of the "
                ".network file that configures IFACE (e.g. /etc/systemd/network/10-IFACE.network.d/)",
}

_OWNER = {
    "nmstate": "NetworkManager",
    "ansible": "NetworkManager",
    "netplan": "netplan's renderer",
    "networkd": "systemd-networkd",
}


def header(fmt: str, networks: list[Network], skipped: list[Skipped]) -> str:
    lines = [f"# cockpit-gateways export: per-network gateways as {_PURPOSE[fmt]}."]
    lines += [f"# Source routing for {n.describe()}" for n in networks]
    lines += [f"# Not exported: {s.describe()}" for s in skipped]
    if not networks:
        lines.append("# No gateway to export.")
    if fmt in _OWNER:
        lines += [f"# On the target host {_OWNER[fmt]} owns these routes and rules (they do not carry",
                  "# cockpit-gateways' marker): do not also set gateways for these interfaces there",
                  "# with cockpit-gateways."]
    return "\n".join(lines) + "\n"


# --- helpers for the writers ------------------------------------------------------------------

def by_interface(networks: list[Network]) -> dict[str, list[Network]]:
    out: dict[str, list[Network]] = {}
    for n in networks:
        out.setdefault(n.gateway.interface, []).append(n)
    return out


def is_default(route: Route) -> bool:
    return route.dst in ("0.0.0.0/0", "::/0")


def without_onlink(routes: list[Route]) -> list[Route]:
    """For formats without an on-link flag: a host route to an on-link gateway (scope link, same
    table) before the default route, which the kernel then accepts without the flag."""
    out: list[Route] = []
    for route in routes:
        if route.onlink and route.gateway:
            host = ipaddress.ip_network(route.gateway)
            out.append(Route(route.family, route.table, str(host), route.dev,
                             scope_link=route.family == "inet"))
            route = dataclasses.replace(route, onlink=False)
        out.append(route)
    return out


def has_onlink(networks: list[Network]) -> bool:
    return any(n.gateway.onlink for n in networks)


# Rule selectors in `ip rule` words → each format's key.  Our rules select by to or from; a
# rule `lookup main suppress_prefixlength 0` has no address selector.
SELECTOR_WORDS = ("to", "from", "suppress_prefixlength")


def rule_selectors(rule: Rule) -> dict[str, str]:
    words = dict(rule.selectors)
    unknown = set(words) - set(SELECTOR_WORDS)
    if unknown:
        raise InvalidInput(f"format: rule {' '.join(rule.args())} has selectors no export handles "
                           f"({', '.join(sorted(unknown))})", "format")
    return words
