# SPDX-License-Identifier: LGPL-2.1-or-later
"""`export`: this host's per-network gateways in the form a fleet tool applies elsewhere.

The objects are the engine's own: the saved (confirmed) config and the kernel's addresses go
through plan.effective_gateways and plan.desired_state, exactly as `set` and `reconcile` plan
them; this module only writes them down in another syntax:
  nmstate    an nmstate state: `routes: config:` and `route-rules: config:` (nmstatectl apply)
  ansible    variables for the linux-system-roles network role: `network_connections` with
             `ip: route:` (network, prefix, gateway, table, src) and `ip: routing_rule:`
  ifcfg      the seed's /etc/sysconfig/network-scripts files route-IFACE, route6-IFACE,
             rule-IFACE, rule6-IFACE (`ip route add` / `ip rule add` arguments, one per line),
             the same lines the helper itself writes there
  networkd   systemd-networkd drop-ins with [Route] and [RoutingPolicyRule] sections
Only the admin's static gateways are exported unless include_dhcp: a DHCP-learned gateway
follows its lease, and the export names it in a comment.  A gateway whose objects cannot be
computed here (its interface is down, has no address, …) is named in a comment too.

YAML is written by hand (stdlib only): every string is a double-quoted JSON string, which YAML
reads as the same string, so no value can turn into syntax.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
from typing import Any, Callable, Union

from . import kernel
from .engine import load_dhcp
from .kernel import Link
from .model import MAIN_TABLE, PRIORITY_FROM, PRIORITY_TO, InvalidInput, Route, Rule
from .plan import Gateway, desired_state, effective_gateways
from .store import Paths, load_config, load_layout

FORMATS = ("nmstate", "ansible", "ifcfg", "networkd")
_SINGLE_DOCUMENT = ("nmstate", "ansible")      # one YAML document; the others are files

YAML = Union[dict[str, "YAML"], list["YAML"], str, int, bool]


@dataclasses.dataclass
class Network:
    """One exported gateway with the objects the engine wants for it."""
    gateway: Gateway
    link: Link
    routes: list[Route]
    rules: list[Rule]

    def describe(self) -> str:
        gw = self.gateway
        return f"{gw.interface} {gw.family} via {gw.address} ({gw.source}, table {gw.table})"


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


def collect(paths: Paths, include_dhcp: bool = False) -> tuple[list[Network], list[Skipped]]:
    config = load_config(paths)
    links = kernel.read_links()
    desired = desired_state(effective_gateways(config, load_dhcp(paths)), links, load_layout(paths))
    networks: list[Network] = []
    skipped: list[Skipped] = []
    for state in desired.states:
        gw = state.gateway
        if gw.source == "dhcp" and not include_dhcp:
            skipped.append(Skipped(gw, "learned from DHCP, it follows the lease (--include-dhcp exports it)"))
        elif state.state != "active":
            skipped.append(Skipped(gw, f"{state.state}: {state.reason}" if state.reason else state.state))
        else:
            mine = (gw.family, gw.table)
            networks.append(Network(gw, links[gw.interface],
                                    [r for r in desired.routes if (r.family, r.table) == mine],
                                    [r for r in desired.rules if (r.family, r.table) in (mine, (gw.family, MAIN_TABLE))]))
    return networks, skipped


def export(paths: Paths, fmt: str, include_dhcp: bool = False) -> dict[str, Any]:
    """The export as JSON: {format, text, files: [{name, text}], networks, skipped}."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise InvalidInput(f"format: '{fmt}' is not one of {', '.join(FORMATS)}", "format")
    networks, skipped = collect(paths, include_dhcp)
    files = writer(networks, skipped)
    if fmt in _SINGLE_DOCUMENT:
        text = files[0].text
    else:
        text = _header(fmt, networks, skipped)
        text += "".join(f"# FILE: {f.name}\n{f.text}" for f in files)
    return {
        "format": fmt,
        "text": text,
        "files": [{"name": f.name, "text": f.text} for f in files],
        "networks": [_gateway_json(n.gateway) for n in networks],
        "skipped": [{**_gateway_json(s.gateway), "reason": s.reason} for s in skipped],
    }


def _gateway_json(gw: Gateway) -> dict[str, Any]:
    return {"interface": gw.interface, "family": gw.family, "gateway": gw.address,
            "source": gw.source, "table": gw.table, "onlink": gw.onlink}


_PURPOSE = {
    "nmstate": "an nmstate state (apply with: nmstatectl apply FILE)",
    "ansible": "variables for the linux-system-roles network role",
    "ifcfg": "/etc/sysconfig/network-scripts files (route-IFACE, rule-IFACE, route6-, rule6-)",
    "networkd": "systemd-networkd drop-ins: put IFACE.network.d/… in the drop-in directory of the "
                ".network file that configures IFACE",
}


def _header(fmt: str, networks: list[Network], skipped: list[Skipped]) -> str:
    lines = [f"# cockpit-gateways export: per-network gateways as {_PURPOSE[fmt]}."]
    lines += [f"# Source routing for {n.describe()}" for n in networks]
    lines += [f"# Not exported: {s.describe()}" for s in skipped]
    if not networks:
        lines.append("# No gateway to export.")
    return "\n".join(lines) + "\n"


# --- YAML --------------------------------------------------------------------------------------

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


def _is_default(route: Route) -> bool:
    return route.dst in ("0.0.0.0/0", "::/0")


def _rule_match(rule: Rule) -> tuple[str, str]:
    """Our rules select by to or from (a shared subnet's per-address rule by both: see _rule_to),
    or (the shared main rule) suppress_prefixlength."""
    word, value = rule.selectors[0]
    return word, value


def _rule_to(rule: Rule) -> dict[str, str]:
    """The `to` of a rule that also has a `from` (a shared subnet's per-address rule), else nothing."""
    return {"to": v for w, v in rule.selectors[1:] if w == "to"}


# --- nmstate -----------------------------------------------------------------------------------

def _nmstate(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    routes: list[YAML] = []
    rules: list[YAML] = []
    for n in networks:
        for route in n.routes:
            entry: dict[str, YAML] = {"destination": route.dst, "next-hop-interface": route.dev}
            if route.gateway:
                entry["next-hop-address"] = route.gateway
            entry["table-id"] = route.table
            if route.prefsrc:
                entry["source"] = route.prefsrc
            routes.append(entry)
        for rule in n.rules:
            word, value = _rule_match(rule)
            if word == "suppress_prefixlength":      # the shared main rule, once per family
                entry = {"family": "ipv4" if rule.family == "inet" else "ipv6", "priority": rule.priority,
                         "route-table": rule.table or 0, "suppress-prefix-length": int(value)}
                if entry not in rules:
                    rules.append(entry)
                continue
            rules.append({f"ip-{word}": value, **{f"ip-{w}": v for w, v in _rule_to(rule).items()},
                          "priority": rule.priority, "route-table": rule.table or 0})
    notes = ["# Routes keep their preferred source address in `source` (nmstate 2.2.21 and later).",
             "# Rules: all to-rules at %d come before all from-rules at %d." % (PRIORITY_TO, PRIORITY_FROM)]
    if any(n.gateway.onlink for n in networks):
        notes.append("# An on-link gateway outside the interface's subnets needs the interface to be "
                     "configured accordingly: nmstate has no onlink flag.")
    text = _header("nmstate", networks, skipped) + "\n".join(notes) + "\n---\n"
    text += yaml_dump({"routes": {"config": routes}, "route-rules": {"config": rules}})
    return [ExportFile("cockpit-gateways.nmstate.yml", text)]


# --- linux-system-roles network role ----------------------------------------------------------

_ROLE_TYPES = {None: "ethernet", "veth": "ethernet", "bridge": "bridge", "bond": "bond", "team": "team",
               "vlan": "vlan", "macvlan": "macvlan"}


def _ansible(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    by_interface: dict[str, list[Network]] = {}
    for n in networks:
        by_interface.setdefault(n.gateway.interface, []).append(n)
    connections: list[YAML] = []
    for name, nets in by_interface.items():
        link = nets[0].link
        static = [f"{a.local}/{a.prefix}" for a in link.addresses if a.scope == "global" and not a.dynamic]
        dynamic = {a.family for a in link.addresses if a.scope == "global" and a.dynamic}
        route_list: list[YAML] = []
        rule_list: list[YAML] = []
        for n in nets:
            for route in n.routes:
                net = ipaddress.ip_network(route.dst)
                entry: dict[str, YAML] = {"network": str(net.network_address), "prefix": net.prefixlen}
                if route.gateway:
                    entry["gateway"] = route.gateway
                entry["table"] = route.table
                if route.prefsrc:
                    entry["src"] = route.prefsrc
                route_list.append(entry)
            for rule in n.rules:
                word, value = _rule_match(rule)
                rule_list.append({"priority": rule.priority, "family": "ipv4" if rule.family == "inet" else "ipv6",
                                  word: int(value) if word == "suppress_prefixlength" else value, **_rule_to(rule),
                                  "table": rule.table or 0})
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
             "# host's own profile variables (DNS, MTU, …) before applying."]
    text = _header("ansible", networks, skipped) + "\n".join(notes) + "\n---\n"
    text += yaml_dump({"network_connections": connections})
    return [ExportFile("cockpit-gateways.network-role.yml", text)]


# --- network-scripts (the seed's files) -------------------------------------------------------

def _ifcfg(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    files: list[ExportFile] = []
    for n in networks:
        six = "6" if n.gateway.family == "inet6" else ""
        head = f"# Source routing for {n.describe()}, exported by cockpit-gateways\n"
        files.append(ExportFile(f"route{six}-{n.gateway.interface}",
                                head + "".join(" ".join(r.args()) + "\n" for r in n.routes)))
        files.append(ExportFile(f"rule{six}-{n.gateway.interface}",
                                head + "".join(" ".join(r.args()) + "\n" for r in n.rules)))
    return files


# --- systemd-networkd -------------------------------------------------------------------------

def _networkd(networks: list[Network], skipped: list[Skipped]) -> list[ExportFile]:
    by_interface: dict[str, list[Network]] = {}
    for n in networks:
        by_interface.setdefault(n.gateway.interface, []).append(n)
    files: list[ExportFile] = []
    for name, nets in by_interface.items():
        sections = [f"# Source routing for {n.describe()}, exported by cockpit-gateways" for n in nets]
        for n in nets:
            for route in n.routes:
                lines = ["", "[Route]"]
                if _is_default(route):
                    lines.append(f"Gateway={route.gateway}")
                    if route.onlink:
                        lines.append("GatewayOnLink=yes")
                else:
                    lines.append(f"Destination={route.dst}")
                    if route.scope_link:
                        lines.append("Scope=link")
                    if route.prefsrc:
                        lines.append(f"PreferredSource={route.prefsrc}")
                lines.append(f"Table={route.table}")
                sections += lines
            for rule in n.rules:
                word, value = _rule_match(rule)
                match = [f"Family={'ipv4' if rule.family == 'inet' else 'ipv6'}", f"SuppressPrefixLength={value}"] \
                    if word == "suppress_prefixlength" else \
                    [f"{w.capitalize()}={v}" for w, v in ((word, value), *_rule_to(rule).items())]
                sections += ["", "[RoutingPolicyRule]", *match, f"Table={rule.table}", f"Priority={rule.priority}"]
        files.append(ExportFile(f"{name}.network.d/50-cockpit-gateways.conf", "\n".join(sections) + "\n"))
    return files


_WRITERS: dict[str, Callable[[list[Network], list[Skipped]], list[ExportFile]]] = {
    "nmstate": _nmstate, "ansible": _ansible, "ifcfg": _ifcfg, "networkd": _networkd,
}
