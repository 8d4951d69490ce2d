# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the kernel should hold for our gateways, and the changes that get it there.

For interface IFACE with gateway GW (one family) and table T, for each of IFACE's subnets NET
of that family (first address ADDR in it), at the priorities of the layout (model.Layout; the
defaults below):
  route  NET dev IFACE table T proto P scope link src ADDR     (IPv6: no scope, no src)
  route  default via GW dev IFACE table T proto P [onlink]
  rule   priority PRIORITY_TO   to NET   table T protocol P
  rule   priority PRIORITY_FROM from NET table T protocol P
Where another interface has an address in an overlapping subnet, `from NET` would catch its replies
too: NET then gets, per address ADDR in it, instead of the two subnet rules
  rule   priority PRIORITY_SHARED from ADDR/32 to NET table T protocol P   (its own segment)
  rule   priority PRIORITY_FROM   from ADDR/32 table T protocol P
and an address that is also on another interface makes the state `conflict`.
And, once per family while any network of that family has a gateway:
  rule   priority PRIORITY_MAIN suppress_prefixlength 0 table main protocol P
(main's routes other than its default keep winning: connected bridges, VPN and static routes).
The diff touches only objects with our marker.  Within one family the batch runs:
routes added or replaced → rules added → rules deleted → routes deleted,
so no rule ever points at a table that is still being filled or already emptied.
"""

from __future__ import annotations

import collections
import dataclasses
import ipaddress
from typing import Iterable

from .kernel import DEFAULT_METRIC, Link
from .model import (FAMILIES, MAIN_TABLE, PROTO, Family, InvalidInput, IPAddress, IPNetwork, Layout, Route, Rule,
                    check_gateway, family_of)
from .store import Config


@dataclasses.dataclass(frozen=True)
class Gateway:
    """One gateway the kernel should have: the admin's (static) or a DHCP lease's."""
    interface: str
    family: Family
    address: str
    onlink: bool
    source: str          # static | dhcp
    table: int


@dataclasses.dataclass
class GatewayState:
    gateway: Gateway
    state: str           # active | missing | drift | no-address | link-down | no-interface | unreachable | conflict
    reason: str = ""


def effective_gateways(config: Config, dhcp: dict[str, dict[Family, str]]) -> list[Gateway]:
    """The admin's static gateway wins over a lease's for the same interface and family."""
    out = []
    for name in sorted(set(config) | set(dhcp)):
        iface = config.get(name)
        if iface is None:
            continue          # a lease for an interface without a table yet: dhcp-event allocates one
        for family in FAMILIES:
            static = iface.gateways.get(family)
            if static is not None:
                out.append(Gateway(name, family, static.address, static.onlink, "static", iface.table))
            elif family in dhcp.get(name, {}):
                out.append(Gateway(name, family, dhcp[name][family], False, "dhcp", iface.table))
    return out


@dataclasses.dataclass
class Desired:
    routes: list[Route]
    rules: list[Rule]
    states: list[GatewayState]


class Subnets:
    """Every global address of the links that are up, to find subnets shared between interfaces:
    there a `from NET` rule would catch the other interface's replies too, so a network gets one
    `from ADDR/32` (/128) rule per address instead.  Lookups are by prefix length (a host has few
    distinct ones), so a host with thousands of networks stays quick."""

    def __init__(self, links: dict[str, Link]) -> None:
        self.by_len: dict[tuple[int, int], dict[int, set[str]]] = {}      # (version, length) → net → links
        self.by_ip: dict[IPAddress, set[str]] = {}
        self._nested: dict[tuple[int, int, int], dict[int, set[str]]] = {}
        for link in links.values():
            if not link.up:
                continue
            for family in FAMILIES:
                for address in link.global_addresses(family):
                    net = address.network
                    self.by_len.setdefault((net.version, net.prefixlen), {}) \
                        .setdefault(int(net.network_address) >> (net.max_prefixlen - net.prefixlen), set()).add(link.name)
                    self.by_ip.setdefault(address.ip, set()).add(link.name)

    def sharing(self, net: IPNetwork, me: str) -> set[str]:
        """The other links with an address in a subnet that overlaps `net`."""
        out: set[str] = set()
        bits, length = net.max_prefixlen, net.prefixlen
        key = int(net.network_address) >> (bits - length)
        for (version, other), table in self.by_len.items():
            if version != net.version:
                continue
            if other <= length:          # net lies inside (or is) the other subnet
                out |= table.get(key >> (length - other), set())
            else:                        # the other, smaller subnet lies inside net
                nested = self._nested.get((version, other, length))
                if nested is None:
                    nested = {}
                    for k, names in table.items():
                        nested.setdefault(k >> (other - length), set()).update(names)
                    self._nested[(version, other, length)] = nested
                out |= nested.get(key, set())
        return out - {me}

    def same_address(self, address: IPAddress, me: str) -> set[str]:
        return self.by_ip.get(address, set()) - {me}


def desired_state(gateways: Iterable[Gateway], links: dict[str, Link], layout: Layout = Layout()) -> Desired:
    routes: list[Route] = []
    rules: list[Rule] = []
    states: list[GatewayState] = []
    subnets: Subnets | None = None
    for gw in gateways:
        link = links.get(gw.interface)
        if link is None:
            states.append(GatewayState(gw, "no-interface", "the interface does not exist"))
            continue
        if not link.up:
            states.append(GatewayState(gw, "link-down", "the interface is down"))
            continue
        addresses = link.global_addresses(gw.family)
        if not addresses:
            states.append(GatewayState(gw, "no-address", "the interface has no address of this family"))
            continue
        gateway = ipaddress.ip_address(gw.address)
        try:
            check_gateway(gateway, addresses, gw.onlink)
        except InvalidInput as e:
            states.append(GatewayState(gw, "unreachable", str(e).split(": ", 1)[1]))
            continue
        subnets = subnets or Subnets(links)
        clash = next(((a, subnets.same_address(a.ip, gw.interface)) for a in addresses
                      if subnets.same_address(a.ip, gw.interface)), None)
        if clash is not None:
            others = ", ".join(sorted(clash[1]))
            states.append(GatewayState(gw, "conflict", f"{clash[0].ip} is also an address of {others}: "
                                       "replies from it cannot be told apart"))
            continue
        states.append(GatewayState(gw, "active"))
        seen: set[str] = set()
        v4 = gw.family == "inet"
        for address in addresses:
            net = str(address.network)
            shared = bool(subnets.sharing(address.network, gw.interface))
            if shared:
                # one rule per address for its own segment, before main (whose route for NET names
                # only one of the interfaces: ARP and rp_filter would check the wrong one), and one
                # from-rule per address after main
                host = f"{address.ip}/{address.max_prefixlen}"
                rules.append(Rule(gw.family, layout.shared, (("from", host), ("to", net)), gw.table))
                rules.append(Rule(gw.family, layout.from_, (("from", host),), gw.table))
            if net in seen:
                continue
            seen.add(net)
            routes.append(Route(gw.family, gw.table, net, gw.interface, scope_link=v4,
                                prefsrc=str(address.ip) if v4 else None))
            if not shared:
                rules.append(Rule(gw.family, layout.to, (("to", net),), gw.table))
                rules.append(Rule(gw.family, layout.from_, (("from", net),), gw.table))
        routes.append(Route(gw.family, gw.table, "0.0.0.0/0" if gw.family == "inet" else "::/0",
                            gw.interface, gateway=str(gateway), onlink=gw.onlink))
    for family in FAMILIES:
        if any(s.state == "active" and s.gateway.family == family for s in states):
            rules.append(main_rule(family, layout))
    return Desired(routes, rules, states)


def main_rule(family: Family, layout: Layout = Layout()) -> Rule:
    """The one rule, per family, that lets main's specific routes win over our tables' default."""
    return Rule(family, layout.main, (("suppress_prefixlength", "0"),), MAIN_TABLE)


@dataclasses.dataclass(frozen=True)
class Change:
    op: str              # add | replace | del
    obj: str             # route | rule
    family: Family
    table: int | None
    line: str            # the `ip -batch` line
    # the same change as named values (doc/helper-json.md "Plans"), so nobody re-parses `line`
    fields: dict[str, object] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, object]:
        return {"op": self.op, "object": self.obj, "family": self.family, "table": self.table,
                "text": self.line, "fields": self.fields}


def route_fields(route: Route) -> dict[str, object]:
    """A route of ours by name (dst "default" for 0.0.0.0/0 and ::/0); unset values left out."""
    out: dict[str, object] = {"dst": "default" if route.dst in ("0.0.0.0/0", "::/0") else route.dst,
                              "dev": route.dev, "table": route.table, "protocol": PROTO}
    for key, value in (("gateway", route.gateway), ("prefsrc", route.prefsrc), ("metric", route.metric)):
        if value is not None:
            out[key] = value
    if route.scope_link:
        out["scope"] = "link"
    if route.onlink:
        out["onlink"] = True
    return out


def rule_fields(rule: Rule) -> dict[str, object]:
    """A rule by name: priority, every selector (`not` and other flags true), action, table
    (for goto: the priority it goes to), protocol (absent when none)."""
    out: dict[str, object] = {"priority": rule.priority}
    for word, value in rule.selectors:
        out[word] = True if value == "" else int(value) if word == "suppress_prefixlength" and value.isdigit() \
            else value
    out["action"] = rule.action
    if rule.table is not None:
        out["table"] = rule.table
    if rule.protocol:
        out["protocol"] = rule.protocol
    return out


def route_line(op: str, route: Route, with_metric: bool) -> str:
    r = route if with_metric else dataclasses.replace(route, metric=None)
    return " ".join(["route", op, *r.args()])


def rule_line(op: str, rule: Rule) -> str:
    return " ".join(["rule", op, *rule.args()])


def diff(desired_routes: list[Route], desired_rules: list[Rule],
         current_routes: list[Route], current_rules: list[Rule]) -> list[Change]:
    """Changes that turn the current owned objects into the desired ones, in batch order."""
    add_routes: list[Change] = []
    del_routes: list[Change] = []
    by_key: dict[tuple[str, int, str], list[Route]] = collections.defaultdict(list)
    for route in current_routes:
        by_key[route.key()].append(route)
    wanted_keys = set()
    for want in desired_routes:
        wanted_keys.add(want.key())
        have = by_key.get(want.key(), [])
        slot = [r for r in have if r.metric in (None, DEFAULT_METRIC[want.family])]
        others = [r for r in have if r not in slot]
        keep = next((r for r in slot if want.same_as(r)), None)
        if keep is None:
            op = "replace" if slot else "add"
            add_routes.append(Change(op, "route", want.family, want.table, route_line(op, want, False),
                                     route_fields(dataclasses.replace(want, metric=None))))
            if slot:
                slot = slot[1:]        # replace takes the first of the slot's place
        else:
            slot = [r for r in slot if r is not keep]
        for extra in slot + others:
            del_routes.append(Change("del", "route", extra.family, extra.table, route_line("del", extra, True),
                                     route_fields(extra)))
    for key, have in by_key.items():
        if key not in wanted_keys:
            for extra in have:
                del_routes.append(Change("del", "route", extra.family, extra.table, route_line("del", extra, True),
                                     route_fields(extra)))

    add_rules: list[Change] = []
    del_rules: list[Change] = []
    remaining = collections.Counter(current_rules)
    for rule in dict.fromkeys(desired_rules):        # unique, in order
        if remaining[rule] > 0:
            remaining[rule] -= 1
        else:
            add_rules.append(Change("add", "rule", rule.family, rule.table, rule_line("add", rule), rule_fields(rule)))
    for extra_rule, count in remaining.items():
        for _ in range(count):
            del_rules.append(Change("del", "rule", extra_rule.family, extra_rule.table,
                                    rule_line("del", extra_rule), rule_fields(extra_rule)))
    return add_routes + add_rules + del_rules + del_routes


def only_tables(changes: list[Change], tables: set[int]) -> list[Change]:
    """The changes of these tables, and of the shared rule in front of them (its table is main)."""
    return [c for c in changes if c.table in tables or c.table == MAIN_TABLE]


def batches(changes: list[Change]) -> dict[Family, list[str]]:
    out: dict[Family, list[str]] = {"inet": [], "inet6": []}
    for change in changes:
        out[change.family].append(change.line)
    return out


def scripts_lines(desired: Desired, config: Config) -> dict[str, dict[str, list[str]]]:
    """network-scripts lines (`ip route add` / `ip rule add` arguments) per interface, for the
    admin's static gateways only: DHCP networks follow their leases through the hooks."""
    static = {(s.gateway.interface, s.gateway.family) for s in desired.states
              if s.gateway.source == "static"}
    table_owner = {iface.table: name for name, iface in config.items()}
    out: dict[str, dict[str, list[str]]] = {}
    for route in desired.routes:
        name = table_owner.get(route.table)
        if name is not None and (name, route.family) in static:
            kind = "route" if route.family == "inet" else "route6"
            out.setdefault(name, {}).setdefault(kind, []).append(" ".join(route.args()))
    for rule in desired.rules:
        # the shared main rule goes into every static interface's file of its family, so each file
        # alone rebuilds working source routing (`ip rule add` of a rule already there fails harmlessly)
        owner = table_owner.get(rule.table or -1)
        names = [n for n, f in sorted(static) if f == rule.family] if rule.table == MAIN_TABLE \
            else [owner] if owner is not None else []
        for name in names:
            if (name, rule.family) in static:
                kind = "rule" if rule.family == "inet" else "rule6"
                out.setdefault(name, {}).setdefault(kind, []).append(" ".join(rule.args()))
    return out


def family_for(address: str) -> Family:
    return family_of(ipaddress.ip_address(address))
