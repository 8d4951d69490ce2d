# SPDX-License-Identifier: LGPL-2.1-or-later
"""`routers IFACE [--family F]`: the network(s) of an interface and the routers likely on them,
for the page's Set gateway dialog.  Read-only, no root needed.

A candidate comes from one or more sources:
  neighbour    a reachable (or stale, delay, probe, permanent) neighbour inside one of the subnets
  router       an IPv6 neighbour with the router flag (it sent router advertisements)
  dhcp         the router of the interface's DHCP lease (as our hooks recorded it)
  main         the gateway of a route in the main table via the interface (e.g. the host's default)
Candidates outside every subnet of their family carry `onlink: true` (a gateway that needs
`set --onlink`).  The interface's own addresses are never candidates.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from . import kernel
from .kernel import Link
from .leases import load_dhcp
from .model import FAMILIES, Family, GatewaysError, InvalidInput, parse_interface_name
from .store import Paths

SOURCES = ("neighbour", "router", "dhcp", "main")
_USABLE = {"REACHABLE", "STALE", "DELAY", "PROBE", "PERMANENT", "NOARP"}


def networks(link: Link, family: Family) -> list[dict[str, Any]]:
    """The interface's subnets of this family (global scope), each with the address in it."""
    out: list[dict[str, Any]] = []
    for a in link.global_addresses(family):
        net = str(a.network)
        if all(n["network"] != net for n in out):
            out.append({"family": family, "network": net, "address": str(a.ip)})
    return out


def candidates(link: Link, family: Family, *, neighbours: list[Any], routes: list[Any],
               lease: str | None) -> list[dict[str, Any]]:
    """The routers on `link` of `family`, from the neighbour table (`ip -j neigh show dev IFACE`),
    main's routes via the link (`ip -j route show table main dev IFACE`) and the lease's router,
    most sources first.  Pure: the kernel's answers come in as arguments."""
    subnets = link.global_addresses(family)
    own = {a.ip for a in link.global_addresses(family)} | {
        a.interface.ip for a in link.addresses if a.family == family and a.interface is not None}
    found: dict[str, list[str]] = {}

    def add(text: object, source: str) -> None:
        if not isinstance(text, str):
            return
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return
        if (address.version == 4) != (family == "inet") or address in own or \
                address.is_multicast or address.is_unspecified or address.is_loopback:
            return
        sources = found.setdefault(str(address), [])
        if source not in sources:
            sources.append(source)

    for n in neighbours:
        if not isinstance(n, dict):
            continue
        states = set(n.get("state") or [])
        if not states & _USABLE:
            continue
        if "router" in n and family == "inet6":
            add(n.get("dst"), "router")
        try:
            address = ipaddress.ip_address(str(n.get("dst")))
        except ValueError:
            continue
        if any(address in a.network for a in subnets):
            add(n.get("dst"), "neighbour")
    if lease is not None:
        add(lease, "dhcp")
    for r in routes:
        if isinstance(r, dict):
            add(r.get("gateway"), "main")
            for hop in r.get("nexthops") or []:
                if isinstance(hop, dict) and hop.get("dev") in (None, link.name):
                    add(hop.get("gateway"), "main")

    def onlink(text: str) -> bool:
        address = ipaddress.ip_address(text)
        return not address.is_link_local and not any(address in a.network for a in subnets)
    ranked = sorted(found.items(), key=lambda item: (-len(item[1]), onlink(item[0]), ipaddress.ip_address(item[0])))
    return [{"family": family, "address": a, "sources": [s for s in SOURCES if s in sources], "onlink": onlink(a)}
            for a, sources in ranked]


def routers(paths: Paths, name: str, family: Family | None = None) -> dict[str, Any]:
    name = parse_interface_name(name)
    link = kernel.read_links().get(name)
    if link is None:
        raise InvalidInput(f"interface: there is no interface '{name}' on this host", "interface")
    try:
        leases = load_dhcp(paths).get(name, {})
    except GatewaysError:       # not readable without root: the other sources still answer
        leases = {}
    families = FAMILIES if family is None else (family,)
    reads = kernel.ip_json_many(*[cmd for f in families for cmd in (
        ("-4" if f == "inet" else "-6", "neigh", "show", "dev", name),
        ("-4" if f == "inet" else "-6", "route", "show", "table", "main", "dev", name))])
    out: dict[str, Any] = {"interface": name, "networks": [], "routers": []}
    for i, f in enumerate(families):
        out["networks"] += networks(link, f)
        out["routers"] += candidates(link, f, neighbours=reads[2 * i], routes=reads[2 * i + 1], lease=leases.get(f))
    return out


def text(data: dict[str, Any]) -> str:
    lines = [f"network {n['network']} (address {n['address']})" for n in data["networks"]]
    lines += [f"router {c['address']} ({', '.join(c['sources'])}{', on-link' if c['onlink'] else ''})"
              for c in data["routers"]]
    return "".join(line + "\n" for line in lines) or "no networks, no routers\n"
