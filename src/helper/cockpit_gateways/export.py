# SPDX-License-Identifier: LGPL-2.1-or-later
"""`export`: this host's per-network gateways in the form a fleet tool applies elsewhere.

The objects are the engine's own: the saved (confirmed) config and the kernel's addresses go
through plan.effective_gateways and plan.desired_state, exactly as `set` and `reconcile` plan
them; the writers only write them down in another syntax:
  nmstate    an nmstate state: `routes: config:` and `route-rules: config:` (nmstatectl apply)
  ansible    variables for the linux-system-roles network role (provider nm):
             `network_connections` with `ip: route:` and `ip: routing_rule:`
  netplan    a netplan file: `routes` (table, scope, from, on-link) and `routing-policy`, which
             has no suppress_prefixlength: the header names the rule it cannot carry
  ifcfg      the seed's /etc/sysconfig/network-scripts files route-IFACE, route6-IFACE,
             rule-IFACE, rule6-IFACE (`ip route add` / `ip rule add` arguments, one per line),
             the same lines the helper itself writes there
  networkd   systemd-networkd drop-ins with [Route] and [RoutingPolicyRule] sections
The YAML formats are in export_yaml.py.

On-link gateways (a gateway outside the interface's subnets, `set --onlink`): ifcfg, networkd
and netplan carry the flag itself (`onlink`, GatewayOnLink=, on-link:).  nmstate and the network
role have no such flag, and a NetworkManager profile with the bare default route is refused by
the kernel (`Nexthop has invalid gateway`); their exports add a host route to the gateway
(`GW/32 dev IFACE`, scope link, in the same table) before the default route, which makes it
valid without the flag and sends the same packets.

Who owns the exported objects on the target host: ifcfg is the helper's own persistence and
keeps its marker (proto/protocol 248).  The other formats hand the objects to the fleet tool,
which marks them its own way (NetworkManager and networkd: `static`; networkd 252 cannot set a
rule's protocol at all), so the helper there sees them as foreign and never deletes them.  The
export is meant for hosts where the fleet tool, not the helper, keeps source routing; a host
that runs both should not `set` the same interfaces with the helper.

Only the admin's static gateways are exported unless include_dhcp: a DHCP-learned gateway
follows its lease, and the export names it in a comment.  A gateway whose objects cannot be
computed here (its interface is down, has no address, …) is named in a comment too.
"""

from __future__ import annotations

from typing import Any

from . import kernel
from .export_model import ExportFile, Network, Skipped, Writer, by_interface, header, is_default, rule_selectors
from .leases import load_dhcp
from .model import InvalidInput
from .plan import Gateway, desired_state, effective_gateways
from .store import Paths, load_config, load_layout

FORMATS = ("nmstate", "ansible", "netplan", "ifcfg", "networkd")
_SINGLE_DOCUMENT = ("nmstate", "ansible", "netplan")      # one YAML document; the others are files

# Where the files go on the target host (the page names its downloads after this).
DIRECTORIES = {
    "nmstate": "",
    "ansible": "",
    "netplan": "/etc/netplan",
    "ifcfg": "/etc/sysconfig/network-scripts",
    "networkd": "/etc/systemd/network",
}


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
                                    [r for r in desired.rules if (r.family, r.table) == mine]))
    # a rule of ours that looks up no gateway's table (e.g. `lookup main suppress_prefixlength 0`)
    # goes with the first exported network of its family, so it is exported once
    tables = {s.gateway.table for s in desired.states}
    for rule in desired.rules:
        if rule.table not in tables:
            first = next((n for n in networks if n.gateway.family == rule.family), None)
            if first is not None:
                first.rules.append(rule)
    return networks, skipped


def export(paths: Paths, fmt: str, include_dhcp: bool = False) -> dict[str, Any]:
    """The export as JSON: {format, directory, text, files: [{name, text}], networks, skipped}."""
    writer = _writers().get(fmt)
    if writer is None:
        raise InvalidInput(f"format: '{fmt}' is not one of {', '.join(FORMATS)}", "format")
    networks, skipped = collect(paths, include_dhcp)
    files = writer(networks, skipped)
    if fmt in _SINGLE_DOCUMENT:
        text = files[0].text
    else:
        text = header(fmt, networks, skipped)
        text += "".join(f"# FILE: {f.name}\n{f.text}" for f in files)
    return {
        "format": fmt,
        "directory": DIRECTORIES[fmt],
        "text": text,
        "files": [{"name": f.name, "text": f.text} for f in files],
        "networks": [_gateway_json(n.gateway) for n in networks],
        "skipped": [{**_gateway_json(s.gateway), "reason": s.reason} for s in skipped],
    }


def _gateway_json(gw: Gateway) -> dict[str, Any]:
    return {"interface": gw.interface, "family": gw.family, "gateway": gw.address,
            "source": gw.source, "table": gw.table, "onlink": gw.onlink}


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
    files: list[ExportFile] = []
    for name, nets in by_interface(networks).items():
        sections = [f"# Source routing for {n.describe()}, exported by cockpit-gateways" for n in nets]
        sections += ["# Routes and rules get networkd's own protocol (static): networkd owns them."]
        for n in nets:
            for route in n.routes:
                lines = ["", "[Route]"]
                if is_default(route):
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
                words = rule_selectors(rule)
                sections += ["", "[RoutingPolicyRule]"]
                if "to" in words:
                    sections.append(f"To={words['to']}")
                if "from" in words:
                    sections.append(f"From={words['from']}")
                if "suppress_prefixlength" in words:
                    sections.append(f"SuppressPrefixLength={words['suppress_prefixlength']}")
                    sections.append(f"Family={'ipv4' if rule.family == 'inet' else 'ipv6'}")
                sections += [f"Table={rule.table}", f"Priority={rule.priority}"]
        files.append(ExportFile(f"{name}.network.d/50-cockpit-gateways.conf", "\n".join(sections) + "\n"))
    return files


def _writers() -> dict[str, Writer]:
    from . import export_yaml
    return {"nmstate": export_yaml.nmstate, "ansible": export_yaml.ansible, "netplan": export_yaml.netplan,
            "ifcfg": _ifcfg, "networkd": _networkd}
