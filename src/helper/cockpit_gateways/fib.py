# SPDX-License-Identifier: LGPL-2.1-or-later
"""The kernel's routing decision, evaluated here from what `ip -N -j` shows (pure: no I/O).

A `Snapshot` holds one moment of a network namespace: links with their addresses and groups,
every rule and every route of both families, and the sysctls that take part in routing.  It is
built from one plain JSON document (`Snapshot.from_json`), the same shape whether it was read
from the kernel just now (`lookup.read_snapshot`) or recorded in the lab for the unit tests.

`Fib.resolve(flow)` walks the rules as `fib_rules_lookup` does (net/core/fib_rules.c):
priority order; a rule matches when every selector does (`not` inverts the whole rule); `goto`
jumps to the first rule of the target priority, `nop` does nothing; `blackhole`, `unreachable`
and `prohibit` end the walk with their errno; `lookup` tries the table, and a miss (no route, or
a `throw` route) or a result the rule's `suppress_prefixlength`/`suppress_ifgroup` rejects moves
on to the next rule.  Within a table (IPv4, fib_table_lookup): the longest prefix, then the
routes with a matching tos before those without, then the lowest metric; a `blackhole`,
`unreachable` or `prohibit` route answers with its errno; a nexthop that is dead, or not the
flow's output interface when one is given, is passed over (and a shorter prefix tried).  IPv6
(fib6_table_lookup): the longest prefix, then the lowest metric, backtracking the same way.

The packet-level semantics (output versus input, source checks, reverse-path filtering,
forwarding) are in `policy.py`; this module only answers "which rule, which table, which route".
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
from typing import Any, Literal

from .names import IP_PROTOCOLS, RESERVED_TABLES, ROUTE_TYPES, RULE_ACTIONS

Family = Literal["inet", "inet6"]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
JSON = dict[str, Any]

LOOPBACK_IFINDEX = 1
INVALID_UID = 0xFFFFFFFF
# errno of a route type that rejects (net/ipv4/fib_semantics.c fib_props, ipv6 fib6_prop)
ROUTE_ERRORS = {"blackhole": errno.EINVAL, "unreachable": errno.EHOSTUNREACH, "prohibit": errno.EACCES,
                "nat": errno.EINVAL}
# errno of a rule action (fib4_rule_action, fib6_rule_action)
RULE_ERRORS = {"blackhole": errno.EINVAL, "unreachable": errno.ENETUNREACH, "prohibit": errno.EACCES}


class SnapshotError(ValueError):
    """A snapshot document that does not have the expected shape."""


def _int(value: object, default: int = 0) -> int:
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int):
        return value
    try:
        return int(str(value), 0)
    except ValueError:
        return default


def _table(value: object) -> int:
    if isinstance(value, str) and not value.isdigit():
        for number, name in RESERVED_TABLES.items():
            if name == value:
                return number
    return _int(value, 254)


def _network(value: object, length: object, family: Family) -> IPNetwork | None:
    if value is None or value == "all":
        return None
    text = str(value)
    if text == "default":
        return ipaddress.ip_network("0.0.0.0/0" if family == "inet" else "::/0")
    if "/" not in text:
        text += f"/{_int(length, 32 if family == 'inet' else 128)}"
    return ipaddress.ip_network(text, strict=False)


def _range(entry: JSON, key: str) -> tuple[int, int] | None:
    if key in entry:
        low, _, high = str(entry[key]).partition("-")
        return (_int(low), _int(high or low))
    if f"{key}_start" in entry:
        start = _int(entry[f"{key}_start"])
        return (start, _int(entry.get(f"{key}_end", start)))
    return None


@dataclasses.dataclass(frozen=True)
class Link:
    name: str
    index: int
    up: bool
    group: int
    kind: str | None
    addresses: tuple[ipaddress.IPv4Interface | ipaddress.IPv6Interface, ...]


@dataclasses.dataclass(frozen=True)
class Rule:
    family: Family
    priority: int
    action: str                               # lookup goto nop blackhole unreachable prohibit
    table: int | None                         # lookup: the table; goto: the target priority
    invert: bool = False
    src: IPNetwork | None = None
    dst: IPNetwork | None = None
    tos: int = 0
    fwmark: int = 0
    fwmask: int = 0
    iif: str | None = None
    oif: str | None = None
    l3mdev: bool = False
    uidrange: tuple[int, int] | None = None
    ipproto: int = 0
    sport: tuple[int, int] | None = None
    dport: tuple[int, int] | None = None
    suppress_prefixlength: int = -1
    suppress_ifgroup: int | None = None
    text: str = ""

    @classmethod
    def from_json(cls, entry: JSON, family: Family) -> "Rule":
        action = "lookup"
        table: int | None = _table(entry["table"]) if "table" in entry else None
        if "goto" in entry:
            action, table = "goto", _int(entry["goto"])
        elif "nop" in entry:
            action = "nop"
        elif "action" in entry:
            action = RULE_ACTIONS.get(str(entry["action"]), str(entry["action"]))
        fwmark = _int(entry.get("fwmark"))
        proto = str(entry.get("ipproto", "0")).removeprefix("ipproto-")
        rule = cls(family=family, priority=_int(entry.get("priority")), action=action, table=table,
                   invert="not" in entry,
                   src=_network(entry.get("src"), entry.get("srclen"), family),
                   dst=_network(entry.get("dst"), entry.get("dstlen"), family),
                   tos=_int(entry.get("tos")),
                   fwmark=fwmark,
                   fwmask=_int(entry.get("fwmask"), 0xFFFFFFFF) if "fwmark" in entry else 0,
                   iif=str(entry["iif"]) if "iif" in entry else None,
                   oif=str(entry["oif"]) if "oif" in entry else None,
                   l3mdev="l3mdev" in entry,
                   uidrange=_range(entry, "uid"),
                   ipproto=IP_PROTOCOLS[proto] if proto in IP_PROTOCOLS else _int(proto),
                   sport=_range(entry, "sport"), dport=_range(entry, "dport"),
                   suppress_prefixlength=_int(entry.get("suppress_prefixlen"), -1),
                   suppress_ifgroup=_int(entry["suppress_ifgroup"]) if "suppress_ifgroup" in entry else None)
        return dataclasses.replace(rule, text=rule.describe())

    def describe(self) -> str:
        """The rule as `ip rule` writes it (with numbers for tables)."""
        words = [f"priority {self.priority}"]
        if self.invert:
            words.append("not")
        words.append(f"from {self.src}" if self.src is not None else "from all")
        if self.dst is not None:
            words.append(f"to {self.dst}")
        if self.tos:
            words.append(f"tos {self.tos:#x}")
        if self.fwmask:
            words.append(f"fwmark {self.fwmark:#x}" + (f"/{self.fwmask:#x}" if self.fwmask != 0xFFFFFFFF else ""))
        for word, value in (("iif", self.iif), ("oif", self.oif)):
            if value is not None:
                words.append(f"{word} {value}")
        if self.l3mdev:
            words.append("l3mdev")
        if self.uidrange is not None:
            words.append(f"uidrange {self.uidrange[0]}-{self.uidrange[1]}")
        if self.ipproto:
            words.append(f"ipproto {self.ipproto}")
        for word, span in (("sport", self.sport), ("dport", self.dport)):
            if span is not None:
                words.append(f"{word} {span[0]}" if span[0] == span[1] else f"{word} {span[0]}-{span[1]}")
        if self.action == "lookup":
            words.append(f"lookup {RESERVED_TABLES.get(self.table or 0, self.table)}")
        elif self.action == "goto":
            words.append(f"goto {self.table}")
        else:
            words.append(self.action)
        if self.suppress_prefixlength >= 0:
            words.append(f"suppress_prefixlength {self.suppress_prefixlength}")
        if self.suppress_ifgroup is not None:
            words.append(f"suppress_ifgroup {self.suppress_ifgroup}")
        return " ".join(words)


@dataclasses.dataclass(frozen=True)
class Nexthop:
    dev: str | None
    gateway: str | None
    weight: int = 1
    dead: bool = False
    linkdown: bool = False


@dataclasses.dataclass(frozen=True)
class Route:
    family: Family
    table: int
    type: str
    dst: IPNetwork
    tos: int
    metric: int
    scope: int
    prefsrc: str | None
    nexthops: tuple[Nexthop, ...]
    entry: JSON                       # as `ip -N -j` gave it

    @classmethod
    def from_json(cls, entry: JSON, family: Family) -> "Route | None":
        dst = _network(entry.get("dst"), None, family)
        if dst is None:
            return None
        flags: list[Any] = entry["flags"] if isinstance(entry.get("flags"), list) else []
        if isinstance(entry.get("nexthops"), list):
            hops = tuple(Nexthop(h.get("dev"), h.get("gateway"), _int(h.get("weight"), 1),
                                 "dead" in (h.get("flags") or []), "linkdown" in (h.get("flags") or []))
                         for h in entry["nexthops"] if isinstance(h, dict))
        else:
            hops = (Nexthop(entry.get("dev"), entry.get("gateway"), 1, "dead" in flags, "linkdown" in flags),)
        kind = str(entry.get("type", "1"))
        return cls(family, _table(entry.get("table", 254)), ROUTE_TYPES.get(kind, kind), dst,
                   _int(entry.get("tos")), _int(entry.get("metric")), _int(entry.get("scope")),
                   entry.get("prefsrc"), hops, entry)

    def text(self) -> str:
        dst = "default" if self.dst.prefixlen == 0 else \
            str(self.dst.network_address) if self.dst.prefixlen == self.dst.max_prefixlen else str(self.dst)
        words = ([] if self.type == "unicast" else [self.type]) + [dst]
        if self.tos:
            words.append(f"tos {self.tos:#x}")
        for hop in self.nexthops:
            words += (["nexthop"] if len(self.nexthops) > 1 else []) + \
                ([f"via {hop.gateway}"] if hop.gateway else []) + ([f"dev {hop.dev}"] if hop.dev else [])
        words.append(f"table {RESERVED_TABLES.get(self.table, self.table)}")
        if self.metric:
            words.append(f"metric {self.metric}")
        return " ".join(words)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    links: dict[str, Link]
    rules: dict[Family, tuple[Rule, ...]]
    routes: dict[Family, tuple[Route, ...]]
    sysctl: dict[str, int]
    table_names: dict[int, str] = dataclasses.field(default_factory=dict)   # rt_tables names

    @classmethod
    def from_json(cls, doc: JSON) -> "Snapshot":
        """{"addr": ip -N -j -d addr show, "rule4"/"rule6": ip -N -j rule show,
        "route4"/"route6": ip -N -j route show table all, "sysctl": {"net.ipv4.conf.eth1.rp_filter": 1, …},
        "table_names": {"10000": "gw-eth1"} (optional)}"""
        try:
            links = {}
            for entry in doc["addr"]:
                addresses = tuple(ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}")
                                  for a in entry.get("addr_info", []) if "local" in a)
                kind = entry.get("linkinfo", {}).get("info_kind") if isinstance(entry.get("linkinfo"), dict) else None
                group = entry.get("group", 0)
                links[entry["ifname"]] = Link(entry["ifname"], int(entry["ifindex"]), "UP" in entry.get("flags", []),
                                              0 if group == "default" else _int(group), kind, addresses)
            rules: dict[Family, tuple[Rule, ...]] = {}
            routes: dict[Family, tuple[Route, ...]] = {}
            families: tuple[tuple[Family, str], ...] = (("inet", "4"), ("inet6", "6"))
            for family, suffix in families:
                rules[family] = tuple(sorted((Rule.from_json(e, family) for e in doc[f"rule{suffix}"]),
                                             key=lambda r: r.priority))
                parsed = (Route.from_json(e, family) for e in doc[f"route{suffix}"])
                routes[family] = tuple(r for r in parsed if r is not None)
            sysctl = {str(k): _int(v) for k, v in doc.get("sysctl", {}).items()}
            names = {int(k): str(v) for k, v in doc.get("table_names", {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise SnapshotError(f"snapshot: unreadable ({type(e).__name__}: {e})") from None
        return cls(links, rules, routes, sysctl, names)

    def index(self, name: str | None) -> int:
        """The ifindex of a link; 0 for none, -1 for a name that is not there (a detached rule)."""
        if name is None:
            return 0
        link = self.links.get(name)
        return link.index if link else -1

    def name_of(self, index: int) -> str | None:
        for link in self.links.values():
            if link.index == index:
                return link.name
        return None

    def conf(self, family: Family, dev: str, key: str, default: int = 0) -> int:
        base = "net.ipv4.conf" if family == "inet" else "net.ipv6.conf"
        return self.sysctl.get(f"{base}.{dev}.{key}", default)

    def local_addresses(self, family: Family) -> set[IPAddress]:
        return {a.ip for link in self.links.values() for a in link.addresses
                if (a.version == 4) == (family == "inet")}

    def has_custom_rules(self, family: Family) -> bool:
        return any(not (r.action == "lookup" and r.priority in (0, 32766, 32767) and r.src is None
                        and r.dst is None and r.table in (255, 254, 253)) for r in self.rules[family])


@dataclasses.dataclass(frozen=True)
class Flow:
    """What the rules and tables see of a packet (struct flowi4/flowi6)."""
    family: Family
    dst: IPAddress
    src: IPAddress | None              # None: not chosen yet (0.0.0.0 / ::)
    iif: int = LOOPBACK_IFINDEX        # the kernel's output lookups come "from" lo
    oif: int = 0
    mark: int = 0
    tos: int = 0
    uid: int = 0
    ipproto: int = 0
    sport: int = 0
    dport: int = 0
    ignore_linkstate: bool = False
    oif_strict: bool = True            # IPv6 only holds to oif when no source is given
    nh_oif: int = -1                   # the interface the table lookup holds to; -1: oif


@dataclasses.dataclass
class TableResult:
    error: int = 0                      # 0 found, EAGAIN: no route or throw, else the route's errno
    route: Route | None = None
    nexthop: Nexthop | None = None
    why: str = ""


@dataclasses.dataclass
class Resolution:
    error: int                          # 0 found; ESRCH no rule answered; else the errno
    rule: Rule | None
    table: int | None
    route: Route | None
    nexthop: Nexthop | None
    trace: list[JSON]


class Fib:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot
        self._tables: dict[tuple[Family, int], list[Route]] = {}
        for family, routes in snapshot.routes.items():
            for route in routes:
                self._tables.setdefault((family, route.table), []).append(route)
        for table in self._tables.values():
            # the order fib_table_lookup meets them in: longest prefix, tos before none, metric
            table.sort(key=lambda r: (-r.dst.prefixlen, -r.tos, r.metric))

    # --- rules ----------------------------------------------------------------------------------
    def rule_mismatch(self, rule: Rule, flow: Flow) -> str | None:
        """The first selector the flow does not meet (None: the rule matches), before `not`."""
        snap = self.snap
        if rule.iif is not None and snap.index(rule.iif) != flow.iif:
            return "iif" if snap.index(rule.iif) != -1 else "iif (detached)"
        if rule.oif is not None and snap.index(rule.oif) != flow.oif:
            return "oif" if snap.index(rule.oif) != -1 else "oif (detached)"
        if (rule.fwmark ^ flow.mark) & rule.fwmask:
            return "fwmark"
        if rule.l3mdev and not any(link.kind == "vrf" for link in snap.links.values()):
            return "l3mdev"
        if rule.uidrange is not None and not rule.uidrange[0] <= flow.uid <= rule.uidrange[1]:
            return "uidrange"
        if rule.family == "inet":
            if rule.src is not None and (flow.src or ipaddress.IPv4Address(0)) not in rule.src:
                return "from"
        elif rule.src is not None and (flow.src is None or flow.src not in rule.src):
            return "from"
        if rule.dst is not None and flow.dst not in rule.dst:
            return "to"
        if rule.tos and rule.tos != flow.tos:
            return "tos"
        if rule.ipproto and rule.ipproto != flow.ipproto:
            return "ipproto"
        if rule.sport is not None and not rule.sport[0] <= flow.sport <= rule.sport[1]:
            return "sport"
        if rule.dport is not None and not rule.dport[0] <= flow.dport <= rule.dport[1]:
            return "dport"
        return None

    def resolve(self, flow: Flow) -> Resolution:
        """fib_rules_lookup: the rule that answers, its table and route, or the errno."""
        rules = self.snap.rules[flow.family]
        trace: list[JSON] = []
        i = 0
        while i < len(rules):
            rule = rules[i]
            i += 1
            step: JSON = {"priority": rule.priority, "rule": rule.text}
            trace.append(step)
            mismatch = self.rule_mismatch(rule, flow)
            if (mismatch is None) == rule.invert:
                step.update(matched=False, reason="mismatch" if mismatch else "inverted",
                            **({"selector": mismatch.split()[0]} if mismatch else {}),
                            why=f"{mismatch} does not match" if mismatch
                            else "every selector matches, and the rule says `not`")
                continue
            step["matched"] = True
            if rule.action == "goto":
                target = next((j for j, r in enumerate(rules) if r.priority == rule.table), None)
                if target is None:
                    step.update(reason="goto-unresolved", target=rule.table,
                                why=f"goto {rule.table}: no rule has that priority (unresolved), so it is skipped")
                    continue
                step.update(reason="goto", target=rule.table, why=f"goes to priority {rule.table}")
                i = target
                continue
            if rule.action == "nop":
                step.update(reason="nop", why="nop: does nothing")
                continue
            if rule.action in RULE_ERRORS:
                step.update(reason="refused", action=rule.action, why=f"{rule.action}: the packet is refused here")
                return Resolution(RULE_ERRORS[rule.action], rule, None, None, None, trace)
            if rule.action != "lookup" or rule.table is None:
                step.update(reason="unknown", why=f"action {rule.action} is not known here; treated as not matching")
                continue
            table = rule.table
            result = self.lookup_table(flow, table)
            step["table"] = table
            step["result"] = result.why
            if result.route is not None:
                step["route"] = result.route.text()
            if result.error == 0 and result.route is not None:
                assert result.nexthop is not None or result.route.type != "unicast"
                if result.route.dst.prefixlen <= rule.suppress_prefixlength:
                    step.update(reason="suppressed-prefixlength", prefixlen=result.route.dst.prefixlen)
                    step["why"] = (f"the route's prefix /{result.route.dst.prefixlen} is not longer than "
                                   f"suppress_prefixlength {rule.suppress_prefixlength}: suppressed")
                    continue
                dev = result.nexthop.dev if result.nexthop else None
                link = self.snap.links.get(dev or "")
                if rule.suppress_ifgroup is not None and link is not None and link.group == rule.suppress_ifgroup:
                    step.update(reason="suppressed-ifgroup", dev=dev, group=link.group,
                                why=f"the route's interface {dev} is in group {link.group}: suppressed")
                    continue
                step.update(reason="answers", why="answers")
                return Resolution(0, rule, table, result.route, result.nexthop, trace)
            if result.error == errno.EAGAIN:
                step.update(reason="no-answer", why="no answer in this table: the next rule is tried")
                continue
            step.update(reason="refused-by-route", type=result.route.type if result.route else None,
                        why=f"answers with {result.route.type if result.route else 'an error'}")
            return Resolution(result.error, rule, table, result.route, result.nexthop, trace)
        return Resolution(errno.ESRCH, None, None, None, None, trace)

    # --- tables ---------------------------------------------------------------------------------
    def routes(self, family: Family, table: int) -> list[Route]:
        return self._tables.get((family, table), [])

    def lookup_table(self, flow: Flow, table: int) -> TableResult:
        routes = [r for r in self.routes(flow.family, table) if flow.dst in r.dst]
        if not routes:
            return TableResult(errno.EAGAIN, why="no route covers the destination")
        if flow.family == "inet6":
            return self._lookup6(flow, routes)
        passed: list[str] = []
        for route in routes:
            if route.tos and route.tos != flow.tos:
                passed.append(f"{route.text()} (tos)")
                continue
            result = self._route_result(flow, route, passed)
            if result is not None:
                return result
        return TableResult(errno.EAGAIN, why="no usable route: " + "; ".join(passed))

    def _route_result(self, flow: Flow, route: Route, passed: list[str]) -> TableResult | None:
        """The answer of a route that matches: its error, or its first usable next hop; None (and
        why, in `passed`) when no next hop can be used and the lookup goes on."""
        if route.type == "throw":
            return TableResult(errno.EAGAIN, route, why=f"throw route {route.dst}")
        if route.type in ROUTE_ERRORS:
            return TableResult(ROUTE_ERRORS[route.type], route, why=f"{route.type} route {route.dst}")
        hop = self._good_nexthop(flow, route)
        if hop is None:
            passed.append(f"{route.text()} (nexthop not usable)")
            return None
        return TableResult(0, route, hop, why=f"route {route.text()}")

    def _good_nexthop(self, flow: Flow, route: Route) -> Nexthop | None:
        for hop in route.nexthops:
            if hop.dead:
                continue
            if hop.linkdown and not flow.ignore_linkstate and hop.dev and \
                    max(self.snap.conf(flow.family, "all", "ignore_routes_with_linkdown"),
                        self.snap.conf(flow.family, hop.dev, "ignore_routes_with_linkdown")):
                continue
            oif = flow.oif if flow.nh_oif < 0 else flow.nh_oif
            if oif and flow.oif_strict and self.snap.index(hop.dev) != oif:
                continue
            return hop
        return None

    def _lookup6(self, flow: Flow, routes: list[Route]) -> TableResult:
        # longest prefix first; within a prefix the lowest metric whose nexthop can be used;
        # with none, the next shorter prefix (fib6_backtrack)
        by_prefix: dict[int, list[Route]] = {}
        for route in routes:
            by_prefix.setdefault(route.dst.prefixlen, []).append(route)
        passed: list[str] = []
        for length in sorted(by_prefix, reverse=True):
            for route in sorted(by_prefix[length], key=lambda r: r.metric):
                if route.type in ROUTE_ERRORS or route.type == "throw":
                    dev = route.nexthops[0].dev if route.nexthops else "lo"
                    oif = flow.oif if flow.nh_oif < 0 else flow.nh_oif
                    if oif and flow.oif_strict and self.snap.index(dev or "lo") != oif:
                        # a reject route's device is lo: an output interface passes it over
                        passed.append(f"{route.text()} (not on the output interface)")
                        continue
                result = self._route_result(flow, route, passed)
                if result is not None:
                    return result
        return TableResult(errno.EAGAIN, why="no usable route: " + "; ".join(passed))

    def uses_dev(self, route: Route, dev: str) -> bool:
        return any(hop.dev == dev for hop in route.nexthops)


def candidates(route: Route) -> list[Nexthop]:
    """The nexthops a multipath route chooses from (by hash); one for a plain route."""
    return [hop for hop in route.nexthops if not hop.dead]

