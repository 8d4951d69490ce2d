# SPDX-License-Identifier: LGPL-2.1-or-later
"""The YAML exports: nmstate, the linux-system-roles network role, netplan (see export.py).

YAML is written by hand (stdlib only): every string is a double-quoted JSON string, which YAML
reads as the same string, so no value can turn into syntax.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
from typing import Union

from .export_model import (ExportFile, Network, Skipped, by_interface, has_onlink, header, is_default,
                           rule_selectors, without_onlink)
from .model import PRIORITY_FROM, PRIORITY_TO, Rule

YAML = Union[dict[str, "YAML"], list["YAML"], str, int, bool]


def yaml_dump(value: YAML, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists, strings, ints and booleans."""
    return "".join(line + "\n" for line in _yaml_lines(value, indent))


def _scalar(value: YAML) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{}"
    return "[]"


def _yaml_lines(value: YAML, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict) and value:
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:")
                out += _yaml_lines(item, indent + 2)
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list) and value:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _yaml_lines(item, indent + 2)
                out.append(f"{pad}- {inner[0][indent + 2:]}")
                out += inner[1:]
            else:
                out.append(f"{pad}- {_scalar(item)}")
    else:
        out.append(pad + _scalar(value))
    return out


_ORDER_NOTE = "# Rules: all to-rules at %d come before all from-rules at %d." % (PRIORITY_TO, PRIORITY_FROM)
_HOST_ROUTE_NOTE = ("# On-link gateway: this format has no on-link flag, so a host route to the gateway "
                    "(scope link, same table) comes before the default route; the kernel then accepts it.")


def _document(fmt: str, networks: list[Network], skipped: list[Skipped], notes: list[str], body: YAML) -> str:
    return header(fmt, networks, skipped) + "\n".join(notes) + "\n---\n" + yaml_dump(body)


# --- nmstate -----------------------------------------------------------------------------------

def nmstate(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    routes: list[YAML] = []
    rules: list[YAML] = []
    for n in networks:
        for route in without_onlink(n.routes):
            entry: dict[str, YAML] = {"destination": route.dst, "next-hop-interface": route.dev}
            if route.gateway:
                entry["next-hop-address"] = route.gateway
            entry["table-id"] = route.table
            if route.prefsrc:
                entry["source"] = route.prefsrc
            routes.append(entry)
        for rule in n.rules:
            words = rule_selectors(rule)
            entry = {}
            if "to" in words:
                entry["ip-to"] = words["to"]
            if "from" in words:
                entry["ip-from"] = words["from"]
            if "suppress_prefixlength" in words:
                entry["family"] = "ipv4" if rule.family == "inet" else "ipv6"
                entry["suppress-prefix-length"] = int(words["suppress_prefixlength"])
            entry.update({"priority": rule.priority, "route-table": rule.table or 0})
            rules.append(entry)
    notes = ["# Routes keep their preferred source address in `source` (nmstate 2.2.21 and later).", _ORDER_NOTE]
    if has_onlink(networks):
        notes.append(_HOST_ROUTE_NOTE)
    text = _document("nmstate", networks, skipped, notes,
                     {"routes": {"config": routes}, "route-rules": {"config": rules}})
    return [ExportFile("cockpit-gateways.nmstate.yml", text)]


# --- linux-system-roles network role ----------------------------------------------------------

_ROLE_TYPES = {None: "ethernet", "veth": "ethernet", "bridge": "bridge", "bond": "bond", "team": "team",
               "vlan": "vlan", "macvlan": "macvlan"}


def ansible(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    connections: list[YAML] = []
    for name, nets in by_interface(networks).items():
        link = nets[0].link
        static = [f"{a.local}/{a.prefix}" for a in link.addresses if a.scope == "global" and not a.dynamic]
        dynamic = {a.family for a in link.addresses if a.scope == "global" and a.dynamic}
        route_list: list[YAML] = []
        rule_list: list[YAML] = []
        for n in nets:
            for route in without_onlink(n.routes):
                net = ipaddress.ip_network(route.dst)
                entry: dict[str, YAML] = {"network": str(net.network_address), "prefix": net.prefixlen}
                if route.gateway:
                    entry["gateway"] = route.gateway
                entry["table"] = route.table
                if route.prefsrc:
                    entry["src"] = route.prefsrc
                route_list.append(entry)
            for rule in n.rules:
                words = rule_selectors(rule)
                entry = {"priority": rule.priority, "family": "ipv4" if rule.family == "inet" else "ipv6"}
                for word in ("to", "from"):
                    if word in words:
                        entry[word] = words[word]
                if "suppress_prefixlength" in words:
                    entry["suppress_prefixlength"] = int(words["suppress_prefixlength"])
                entry["table"] = rule.table or 0
                rule_list.append(entry)
        ip: dict[str, YAML] = {"dhcp4": "inet" in dynamic, "auto6": "inet6" in dynamic}
        if static:
            addresses: list[YAML] = list(static)
            ip["address"] = addresses
        ip.update({"route_append_only": True, "rule_append_only": True,
                   "route": route_list, "routing_rule": rule_list})
        connections.append({"name": name, "interface_name": name, "type": _ROLE_TYPES.get(link.kind, "ethernet"),
                            "state": "up", "ip": ip})
    notes = ["# The role replaces whole connection profiles: each entry carries the interface's",
             "# addresses as the kernel has them now and its source routing. Merge it with the",
             "# host's own profile variables (DNS, MTU, …) before applying.",
             "# network_provider is nm: the role picks its initscripts provider when NetworkManager",
             "# is not running, and that provider refuses a route's src and every routing_rule.",
             _ORDER_NOTE]
    if has_onlink(networks):
        notes.append(_HOST_ROUTE_NOTE)
    text = _document("ansible", networks, skipped, notes,
                     {"network_provider": "nm", "network_connections": connections})
    return [ExportFile("cockpit-gateways.network-role.yml", text)]


# --- netplan -----------------------------------------------------------------------------------

_NETPLAN_TYPES = {None: "ethernets", "veth": "ethernets", "bridge": "bridges", "bond": "bonds",
                  "vlan": "vlans"}


def netplan(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    sections: dict[str, dict[str, YAML]] = {}
    notes = ["# netplan merges this file with the admin's: each interface must be defined there under",
             "# the same section (ethernets, bridges, …) with its addresses. Its renderer owns the objects.",
             "# Make it readable by root only (chmod 600): newer netplan warns about files others can read.",
             _ORDER_NOTE]
    missing: list[Rule] = []
    for name, nets in by_interface(networks).items():
        routes: list[YAML] = []
        policy: list[YAML] = []
        for n in nets:
            for route in n.routes:
                entry: dict[str, YAML] = {"to": "default" if is_default(route) else route.dst}
                if route.gateway:
                    entry["via"] = route.gateway
                if route.onlink:
                    entry["on-link"] = True
                if not route.gateway:
                    entry["scope"] = "link"
                if route.prefsrc:
                    entry["from"] = route.prefsrc
                entry["table"] = route.table
                routes.append(entry)
            for rule in n.rules:
                words = rule_selectors(rule)
                if "suppress_prefixlength" in words:
                    missing.append(rule)
                    continue
                item: dict[str, YAML] = {}
                for word in ("to", "from"):
                    if word in words:
                        item[word] = words[word]
                item.update({"table": rule.table or 0, "priority": rule.priority})
                policy.append(item)
        kind = _NETPLAN_TYPES.get(nets[0].link.kind, "ethernets")
        sections.setdefault(kind, {})[name] = {"routes": routes, "routing-policy": policy}
    notes += not_carried_by_netplan(missing)
    network: dict[str, YAML] = {"version": 2}
    network.update(sections)
    text = _document("netplan", networks, skipped, notes, {"network": network})
    return [ExportFile("90-cockpit-gateways.yaml", text)]


def not_carried_by_netplan(rules: list[Rule]) -> list[str]:
    """The notes for rules netplan cannot write: its routing-policy knows from, to, table,
    priority, mark and type-of-service (0.106 refuses any other key), no suppress_prefixlength."""
    if not rules:
        return []
    notes = ["# NOT CARRIED: netplan's routing-policy has no suppress_prefixlength, so this file lacks",
             "# the rule that lets main's more specific routes (containers, VPNs, static routes) win over",
             "# the per-network rules. Without it, the per-network rules send traffic for such",
             "# destinations to the network's gateway. Add it on the target host by other means:"]
    for rule in rules:
        flag = "-4" if rule.family == "inet" else "-6"
        notes.append(f"#   ip {flag} rule add {' '.join(dataclasses.replace(rule, protocol=0).args())}")
    return notes
