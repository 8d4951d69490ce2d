# SPDX-License-Identifier: LGPL-2.1-or-later
"""Conflicts with other tools, found before they bite (`conflicts` in `status`, and in a preview
that would create one).  Each is {"kind", "message", …details}; kinds:

  priority   another tool's rule at a priority ours use (rules of one priority are tried in the
             order they were added, so which one wins is an accident)
  shadowed   a foreign rule before ours that answers every packet from (or to) a managed subnet:
             ours can never match (a terminal action, or a table with a default route)
  overlap    two managed networks with overlapping subnets (per-address rules are used; the same
             address on both cannot work)
  range      our tables or priorities inside the known range of a tool present on this host
             (amazon-ec2-net-utils, nm-cloud-setup, wg-quick, Cilium)
  networkd   systemd-networkd runs with ManageForeignRoutingPolicyRules/ManageForeignRoutes=yes and
             deletes our rules and routes; the message names the drop-in that stops it
"""

from __future__ import annotations

import bisect
import ipaddress
from typing import Any

from . import kernel
from .kernel import Link
from .model import PROTO, Family, Layout, Rule
from .plan import Desired
from .store import Paths

TERMINAL = ("blackhole", "unreachable", "prohibit")
LOCAL_TABLE = 255

# (tool, what: "tables" | "priorities", low, high, how to tell it runs here)
KNOWN_RANGES: tuple[tuple[str, str, int, int], ...] = (
    ("amazon-ec2-net-utils", "tables", 10000, 10999),
    ("nm-cloud-setup", "tables", 30200, 30400),
    ("nm-cloud-setup", "priorities", 30200, 30400),
    ("wg-quick", "tables", 51820, 51820),
    ("wg-quick", "priorities", 32764, 32765),
    ("Cilium", "tables", 2004, 2005),
)


def _text(rule: Rule) -> str:
    words = rule.args()[2:]
    if rule.protocol:
        words = words[:-2]
    return " ".join(words) or "all"


def _present(rules: dict[Family, list[Rule]]) -> set[str]:
    """The tools whose rules are in the kernel now."""
    tools = set()
    for family_rules in rules.values():
        for rule in family_rules:
            if rule.protocol == PROTO:
                continue
            sel = dict(rule.selectors)
            if rule.table is not None and rule.priority == rule.table and 10000 <= rule.priority <= 10999:
                tools.add("amazon-ec2-net-utils")
            if 30200 <= rule.priority <= 30400:
                tools.add("nm-cloud-setup")
            if "not" in sel and "fwmark" in sel:
                tools.add("wg-quick")
            if rule.table in (2004, 2005):
                tools.add("Cilium")
    return tools


def _has_default(family: Family, table: int, cache: dict[tuple[Family, int], bool]) -> bool:
    key = (family, table)
    if key not in cache:
        cache[key] = bool(kernel.ip_json("-4" if family == "inet" else "-6", "route", "show", "table",
                                         str(table), "default"))
    return cache[key]


def find(paths: Paths, rules: dict[Family, list[Rule]], links: dict[str, Link], desired: Desired,
         layout: Layout, tables_used: set[int], networkd: list[str] | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ours = set(layout.priorities())
    active = [s for s in desired.states if s.state in ("active", "conflict")]
    managed: list[tuple[str, Family, ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
    for s in active:
        link = links.get(s.gateway.interface)
        if link is not None:
            for a in link.global_addresses(s.gateway.family):
                if (s.gateway.interface, s.gateway.family, a.network) not in managed:
                    managed.append((s.gateway.interface, s.gateway.family, a.network))
    cache: dict[tuple[Family, int], bool] = {}
    by_family = {family: _Managed(managed, family) for family in rules}
    for family, family_rules in rules.items():
        for rule in family_rules:
            if rule.protocol == PROTO:
                continue
            if rule.priority in ours:
                out.append({"kind": "priority", "priority": rule.priority, "family": family, "rule": _text(rule),
                            "message": f"Rule {rule.priority} ({_text(rule)}) of another tool sits at a priority "
                                       f"ours use ({layout.shared}-{layout.from_}): rules of one priority are tried "
                                       "in the order they were added, so which one wins is an accident. Move ours "
                                       "with `cockpit-gateways layout --priority N`."})
            if rule.priority >= layout.from_ or not managed:
                continue
            shadow = _shadows(rule, family, by_family[family], cache)
            if shadow is not None:
                name, net, why = shadow
                out.append({"kind": "shadowed", "priority": rule.priority, "family": family, "rule": _text(rule),
                            "interface": name, "network": str(net),
                            "message": f"Rule {rule.priority} ({_text(rule)}) comes before ours and answers every "
                                       f"packet from {net} ({why}): {name}'s gateway is never used."})
    for i, (name1, family1, net1) in enumerate(managed):
        for name2, family2, net2 in managed[i + 1:]:
            if name1 != name2 and family1 == family2 and net1.overlaps(net2):
                out.append({"kind": "overlap", "interfaces": [name1, name2], "networks": [str(net1), str(net2)],
                            "message": f"{name1} ({net1}) and {name2} ({net2}) are managed networks on overlapping "
                                       "subnets: each address gets its own rules; an address on both cannot work."})
    present = _present(rules)
    our_priorities = set(layout.priorities())
    for tool, what, low, high in KNOWN_RANGES:
        if tool not in present:
            continue
        hits = sorted(t for t in tables_used if low <= t <= high) if what == "tables" else \
            sorted(p for p in our_priorities if low <= p <= high)
        if hits:
            fix = "--tables MIN-MAX" if what == "tables" else "--priority N"
            out.append({"kind": "range", "tool": tool, "range": [low, high], what: hits,
                        "message": f"Our {what} {', '.join(map(str, hits))} lie in {tool}'s range {low}-{high}, "
                                   f"and {tool} runs here. Move ours with `cockpit-gateways layout {fix}`."})
    for message in networkd or []:
        out.append({"kind": "networkd", "message": message,
                    "fix": "/etc/systemd/networkd.conf.d/cockpit-gateways.conf"})
    return out


class _Managed:
    """The managed subnets of one family, sorted, to find those inside a rule's `from` quickly
    (a host may have thousands of both)."""

    def __init__(self, managed: list[tuple[str, Family, Any]], family: Family) -> None:
        self.nets = sorted(((int(net.network_address), net.prefixlen, name, net)
                            for name, fam, net in managed if fam == family), key=lambda e: (e[0], e[1]))
        self.starts = [e[0] for e in self.nets]
        self.longest = max((e[1] for e in self.nets), default=-1)

    def inside(self, source: Any) -> tuple[str, Any] | None:
        if source is None:
            return (self.nets[0][2], self.nets[0][3]) if self.nets else None
        low = int(source.network_address)
        high = int(source.broadcast_address)
        for start, length, name, net in self.nets[bisect.bisect_left(self.starts, low):]:
            if start > high:
                break
            if length >= source.prefixlen:
                return name, net
        return None


def _shadows(rule: Rule, family: Family, managed: _Managed,
             cache: dict[tuple[Family, int], bool]) -> tuple[str, Any, str] | None:
    """Does this rule answer every packet from one of the managed subnets?"""
    sel = dict(rule.selectors)
    if set(sel) - {"from"}:
        return None                   # to, iif, fwmark, suppress_…, not: only some packets
    if rule.action not in TERMINAL and (rule.action != "lookup" or rule.table is None or rule.table == LOCAL_TABLE):
        return None
    length = sel.get("from", "/0").rpartition("/")[2]
    if not length.isdigit() or int(length) > managed.longest:
        return None                   # narrower than every managed subnet (e.g. one address)
    try:
        source = ipaddress.ip_network(sel["from"], strict=False) if "from" in sel else None
    except ValueError:
        return None
    hit = managed.inside(source)
    if hit is None:
        return None
    if rule.action in TERMINAL:
        why = f"its action is {rule.action}"
    elif rule.table is not None and _has_default(family, rule.table, cache):
        why = f"table {rule.table} has a default route"
    else:
        return None
    return hit[0], hit[1], why
