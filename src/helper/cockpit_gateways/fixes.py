# SPDX-License-Identifier: LGPL-2.1-or-later
"""One-off fixes: add or delete one route in any table, one rule at any priority.

Every value is validated and the `ip` line is built from the validated values, never from the
admin's text.  A delete names exactly one object: the helper finds it in the kernel, refuses when
the request fits more than one (or when the kernel, which deletes the first rule whose selectors
include the requested ones, could take another rule first), and deletes it with every attribute
it has.  An object that is not ours (no `proto 248` marker) is deleted only with --foreign: the
page asks the admin first, naming it.

Fixes are kernel changes only, unless --keep stores them in /etc/cockpit-gateways/kept.json so
`reconcile` puts them back when they go missing (it never deletes them).  They carry the protocol
the admin gives (default `static`), never ours: `reconcile` would delete an object with our marker
that is not in the config.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Any

from . import kernel
from .engine import Result, require_root, start_pending
from .inspect import PROTOCOLS, SCOPES, parse_table
from .kernel import JSON
from .model import (FAMILIES, MAX_U32, PROTO, Family, GatewaysError, InvalidInput, Rule, family_of,
                    parse_address, parse_family, parse_interface_name)
from .plan import Change
from .store import FileChange, Paths, dump_json, locked, read_json, remove, write_atomic

ROUTE_TYPES = ("unicast", "blackhole", "unreachable", "prohibit", "throw")
RULE_ACTIONS = ("blackhole", "unreachable", "prohibit")
_TYPE_NUMBERS = {"1": "unicast", "6": "blackhole", "7": "unreachable", "8": "prohibit", "9": "throw"}
_PROTO_NUMBERS = {name: int(number) for number, name in PROTOCOLS.items()}


@dataclasses.dataclass(frozen=True)
class RouteSpec:
    family: Family
    table: int
    dst: str                            # canonical network; 0.0.0.0/0 or ::/0 for default
    type: str = "unicast"
    gateway: str | None = None
    dev: str | None = None
    metric: int | None = None
    prefsrc: str | None = None
    scope: str | None = None
    protocol: int | None = None
    onlink: bool = False
    nexthops: tuple[tuple[str | None, str | None, int | None], ...] = ()

    def args(self) -> list[str]:
        out = [] if self.type == "unicast" else [self.type]
        out.append("default" if self.dst in ("0.0.0.0/0", "::/0") else self.dst)
        if self.gateway:
            out += ["via", self.gateway]
        if self.dev:
            out += ["dev", self.dev]
        out += ["table", str(self.table)]
        for word, value in (("proto", self.protocol), ("scope", self.scope), ("src", self.prefsrc),
                            ("metric", self.metric)):
            if value is not None:
                out += [word, str(value)]
        if self.onlink:
            out.append("onlink")
        for gateway, dev, weight in self.nexthops:
            out.append("nexthop")
            out += ["via", gateway] if gateway else []
            out += ["dev", dev] if dev else []
            out += ["weight", str(weight)] if weight else []
        return out

    def fits(self, other: "RouteSpec") -> bool:
        """Would the kernel's delete, given self, match `other`: every attribute self names."""
        if (self.family, self.table, self.dst) != (other.family, other.table, other.dst):
            return False
        for field in ("gateway", "dev", "metric", "prefsrc", "scope", "protocol"):
            mine = getattr(self, field)
            if mine is not None and mine != getattr(other, field):
                return False
        return self.type == other.type or self.type == "unicast" and other.type == "unicast"

    def to_json(self) -> dict[str, Any]:
        out = {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, False, ())}
        out["text"] = " ".join(self.args())
        return out


def route_from_kernel(entry: JSON, family: Family, table: int) -> RouteSpec | None:
    """A kernel route (`ip -N -j -d route show table T`) with every attribute it has."""
    dst = kernel.canonical_dst(entry.get("dst"), family)
    if dst is None:
        return None
    metric = entry.get("metric", 0 if family == "inet" else None)
    nexthops, flags = entry.get("nexthops"), entry.get("flags")
    hops = tuple((h.get("gateway"), h.get("dev"), h.get("weight")) for h in
                 (nexthops if isinstance(nexthops, list) else []) if isinstance(h, dict))
    return RouteSpec(family, table, dst, type=_TYPE_NUMBERS.get(str(entry.get("type", "1")), str(entry.get("type"))),
                     gateway=entry.get("gateway"), dev=entry.get("dev"),
                     metric=metric if isinstance(metric, int) else None, prefsrc=entry.get("prefsrc"),
                     scope=SCOPES.get(str(entry.get("scope", "0")), str(entry.get("scope"))),
                     protocol=int(entry.get("protocol", 3)), onlink=isinstance(flags, list) and "onlink" in flags,
                     nexthops=hops)


def read_table(family: Family, table: int) -> list[RouteSpec]:
    entries = kernel.ip_json("-4" if family == "inet" else "-6", "-d", "route", "show", "table", str(table))
    return [r for r in (route_from_kernel(e, family, table) for e in entries) if r is not None]


# --- validating the admin's words --------------------------------------------------------------

def _protocol(value: str | None, default: int | None) -> int | None:
    if value is None:
        return default
    number = _PROTO_NUMBERS.get(value)
    if number is None:
        try:
            number = int(value, 0)
        except ValueError:
            raise InvalidInput(f"proto: '{value[:20]}' is not a protocol name or number", "proto") from None
    if not 0 <= number <= 255:
        raise InvalidInput("proto: must be between 0 and 255", "proto")
    return number


def _u32(value: str | int | None, field: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value, 0) if isinstance(value, str) else value
    except ValueError:
        raise InvalidInput(f"{field}: '{str(value)[:20]}' is not a number", field) from None
    if not 0 <= number <= MAX_U32:
        raise InvalidInput(f"{field}: must be between 0 and {MAX_U32}", field)
    return number


def _network(value: str, field: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(value.strip(), strict=True)
    except ValueError as e:
        try:
            loose = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise InvalidInput(f"{field}: '{value[:45]}' is not a network (like 10.0.3.0/24)", field) from None
        raise InvalidInput(f"{field}: {value} has host bits set; the network is {loose}", field) from e


def route_spec(names: dict[int, str], links: set[str], *, dst: str, table: str = "main",
               family: str | None = None, type: str = "unicast", via: str | None = None, dev: str | None = None,
               metric: str | None = None, src: str | None = None, scope: str | None = None,
               proto: str | None = None, onlink: bool = False, default_proto: int | None = None) -> RouteSpec:
    if dst.strip() == "default":
        fam = parse_family(family) if family else ("inet6" if via and ":" in via else "inet")
        net = "0.0.0.0/0" if fam == "inet" else "::/0"
    else:
        network = _network(dst, "destination")
        fam, net = family_of(network), str(network)
        if family and parse_family(family) != fam:
            raise InvalidInput(f"destination: {network} is not an {family} network", "destination")
    if type not in ROUTE_TYPES:
        raise InvalidInput(f"type: '{type[:20]}' is not one of {', '.join(ROUTE_TYPES)}", "type")
    gateway = _address_of(via, "via", fam, net) if via is not None else None
    if dev is not None:
        parse_interface_name(dev, "dev")
        if dev not in links:
            raise InvalidInput(f"dev: there is no interface '{dev}' on this host", "dev")
    if type != "unicast" and (gateway or dev):
        raise InvalidInput(f"type: a {type} route has no gateway or device", "type")
    prefsrc = _address_of(src, "src", fam, net) if src is not None else None
    if scope is not None and scope not in ("global", "link", "host"):
        raise InvalidInput("scope: must be global, link or host", "scope")
    if onlink and not gateway:
        raise InvalidInput("onlink: needs a gateway (via)", "onlink")
    return RouteSpec(fam, parse_table(table, names), net, type=type, gateway=gateway, dev=dev,
                     metric=_u32(metric, "metric"), prefsrc=prefsrc, scope=scope,
                     protocol=_protocol(proto, default_proto), onlink=onlink)


def _address_of(value: str, field: str, family: Family, net: str) -> str:
    address = parse_address(value, field)
    if family_of(address) != family:
        raise InvalidInput(f"{field}: {address} and {net} mix IPv4 and IPv6", field)
    return str(address)


def rule_spec(names: dict[int, str], *, priority: str | None, source: str | None = None, to: str | None = None,
              iif: str | None = None, oif: str | None = None, fwmark: str | None = None, tos: str | None = None,
              ipproto: str | None = None, sport: str | None = None, dport: str | None = None,
              uidrange: str | None = None, invert: bool = False, table: str | None = None,
              action: str | None = None, family: str | None = None, proto: str | None = None,
              default_proto: int) -> Rule:
    if priority is None:
        raise InvalidInput("priority: a rule needs a priority (1-4294967295)", "priority")
    prio = _u32(priority, "priority")
    if not prio:
        raise InvalidInput("priority: 0 is the kernel's local rule; use 1 or more", "priority")
    fam: Family | None = parse_family(family) if family else None
    selectors: list[tuple[str, str]] = [("not", "")] if invert else []
    for word, value in (("from", source), ("to", to)):
        if value is not None:
            network = _network(value, word)
            if fam is not None and family_of(network) != fam:
                raise InvalidInput(f"{word}: {network} mixes IPv4 and IPv6 with the rule's other values", word)
            fam = family_of(network)
            selectors.append((word, str(network)))
    if tos is not None:
        selectors.append(("tos", f"{_byte(tos, 'tos'):#x}"))
    if fwmark is not None:
        mark_text, _, mask_text = fwmark.partition("/")
        mark = _u32(mark_text, "fwmark")
        mask = _u32(mask_text, "fwmark") if mask_text else MAX_U32
        selectors.append(("fwmark", f"{mark:#x}" + (f"/{mask:#x}" if mask != MAX_U32 else "")))
    for word, value in (("iif", iif), ("oif", oif)):
        if value is not None:
            selectors.append((word, parse_interface_name(value, word)))
    if uidrange is not None:
        first, _, last = uidrange.partition("-")
        a, b = _u32(first, "uidrange"), _u32(last or first, "uidrange")
        assert a is not None and b is not None
        if a > b:
            raise InvalidInput("uidrange: the first uid is larger than the last", "uidrange")
        selectors.append(("uidrange", f"{a}-{b}"))
    if ipproto is not None:
        number = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58, "sctp": 132}.get(ipproto)
        selectors.append(("ipproto", str(number if number is not None else _byte(ipproto, "ipproto"))))
    for word, value in (("sport", sport), ("dport", dport)):
        if value is not None:
            first, _, last = value.partition("-")
            a, b = _port(first, word), _port(last or first, word)
            if a > b:
                raise InvalidInput(f"{word}: the first port is larger than the last", word)
            selectors.append((word, str(a) if a == b else f"{a}-{b}"))
    if (table is None) == (action is None):
        raise InvalidInput("table: give a table to look up, or an action (blackhole, unreachable, prohibit)",
                           "table")
    if action is not None and action not in RULE_ACTIONS:
        raise InvalidInput(f"action: '{action[:20]}' is not one of {', '.join(RULE_ACTIONS)}", "action")
    return Rule(fam or "inet", prio, tuple(selectors), parse_table(table, names) if table else None,
                protocol=_protocol(proto, default_proto) or 0, action=action or "lookup")


def _byte(value: str, field: str) -> int:
    number = _u32(value, field)
    if number is None or number > 255:
        raise InvalidInput(f"{field}: must be between 0 and 255", field)
    return number


def _port(value: str, field: str) -> int:
    number = _u32(value, field)
    if number is None or number > 65535:
        raise InvalidInput(f"{field}: ports are 0-65535", field)
    return number


# --- the commands ------------------------------------------------------------------------------

def _ours(protocol: int | None) -> bool:
    return protocol == PROTO


def route_change(paths: Paths, op: str, request: RouteSpec, *, foreign: bool = False, keep: bool = False,
                 dry_run: bool = False, confirm_within: float | None = None) -> Result:
    if op == "add":
        if request.protocol == PROTO:
            raise InvalidInput(f"proto: {PROTO} marks cockpit-gateways' own routes; pick another", "proto")
        target = request
        line, undo = "route add " + " ".join(target.args()), "route del " + " ".join(target.args())
    else:
        matches = [r for r in read_table(request.family, request.table) if request.fits(r)]
        if not matches:
            raise InvalidInput(f"route: table {request.table} has no route like {' '.join(request.args())}", "route")
        if len(matches) > 1:
            raise InvalidInput(f"route: {len(matches)} routes in table {request.table} fit; name one exactly "
                               "(gateway, device, metric, protocol)", "route")
        target = matches[0]
        if not _ours(target.protocol) and not foreign:
            raise InvalidInput(f"route: '{' '.join(target.args())}' is not owned by cockpit-gateways; "
                               "deleting it needs --foreign", "foreign")
        line, undo = "route del " + " ".join(target.args()), "route add " + " ".join(target.args())
    return _apply(paths, "route", target.family, target.table, op, line, undo, route_json(target),
                  keep, dry_run, confirm_within)


def rule_change(paths: Paths, op: str, request: Rule, *, foreign: bool = False, keep: bool = False,
                dry_run: bool = False, confirm_within: float | None = None) -> Result:
    rules = [r for r in (kernel.parse_rule(e, request.family) for e in
                         kernel.ip_json("-4" if request.family == "inet" else "-6", "rule", "show")) if r]
    same = [r for r in rules if (r.priority, r.selectors, r.table, r.action) ==
            (request.priority, request.selectors, request.table, request.action)]
    if op == "add":
        if request.protocol == PROTO:
            raise InvalidInput(f"proto: {PROTO} marks cockpit-gateways' own rules; pick another", "proto")
        if same:
            raise InvalidInput(f"rule: it exists already: {' '.join(same[0].args())}", "rule")
        target = request
        line, undo = "rule add " + " ".join(target.args()), "rule del " + " ".join(target.args())
    else:
        if request.protocol:
            same = [r for r in same if r.protocol == request.protocol]
        if not same:
            raise InvalidInput(f"rule: there is no rule {' '.join(request.args())}", "rule")
        if len(same) > 1:
            raise InvalidInput("rule: several rules differ only in their protocol; name it with --proto", "proto")
        target = same[0]
        # the kernel deletes the first rule at that priority that has at least these selectors
        # (and, when the rule has none, any protocol): refuse if that is not this one
        first = next(r for r in rules if r.priority == target.priority and _kernel_would_match(target, r))
        if first != target:
            raise InvalidInput(f"rule: the kernel would delete '{' '.join(first.args())}' first; "
                               "delete that one or name this one with more selectors", "rule")
        if not _ours(target.protocol) and not foreign:
            raise InvalidInput(f"rule: '{' '.join(target.args())}' is not owned by cockpit-gateways; "
                               "deleting it needs --foreign", "foreign")
        line, undo = "rule del " + " ".join(target.args()), "rule add " + " ".join(target.args())
    return _apply(paths, "rule", target.family, target.table, op, line, undo, rule_json(target),
                  keep, dry_run, confirm_within)


def _kernel_would_match(request: Rule, rule: Rule) -> bool:
    """The kernel's delete matches a rule that has at least the requested selectors."""
    return set(request.selectors) <= set(rule.selectors) and request.table == rule.table and \
        request.action == rule.action and (not request.protocol or request.protocol == rule.protocol)


def _apply(paths: Paths, obj: str, family: Family, table: int | None, op: str, line: str, undo: str,
           stored: dict[str, Any], keep: bool, dry_run: bool, confirm_within: float | None) -> Result:
    kept = load_kept(paths)
    kind = obj + "s"
    change_kept = (op == "add" and keep and stored not in kept[kind]) or (op == "del" and stored in kept[kind])
    result = Result([Change(op, obj, family, table, line)],
                    [FileChange(paths.kept, "write")] if change_kept else [], dry_run)
    if dry_run:
        return result
    require_root()
    new_kept = {"version": 1, **kept, kind: [k for k in kept[kind] if k != stored] + ([stored] if op == "add" else [])}
    with locked(paths):
        if confirm_within is not None:       # kept.json changes only when the fix is confirmed
            result.token = start_pending(paths, confirm_within, undo={family: [undo]},
                                         kept=new_kept if change_kept else None)
        try:
            kernel.batch(family, [line])
        except GatewaysError as e:
            if result.token:
                remove(paths.pending, paths.root)
            if "File exists" in str(e):
                raise InvalidInput(f"{obj}: it exists already", obj) from None
            raise
        if change_kept and confirm_within is None:
            write_atomic(paths.kept, dump_json(new_kept), paths.root)
    return result


# --- kept objects ------------------------------------------------------------------------------

def route_json(route: RouteSpec) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(route).items() if v not in (None, False, (), [])}


def rule_json(rule: Rule) -> dict[str, Any]:
    return {"family": rule.family, "priority": rule.priority, "selectors": [list(s) for s in rule.selectors],
            "table": rule.table, "action": rule.action, "protocol": rule.protocol}


def load_kept(paths: Paths) -> dict[str, list[dict[str, Any]]]:
    """kept.json: {"version": 1, "routes": [route], "rules": [rule]}, as route_json/rule_json write
    them.  Each entry is rebuilt and checked; a damaged file is an error naming it."""
    data = read_json(paths.kept)
    if data is None:
        return {"routes": [], "rules": []}
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("routes", []), list) \
            or not isinstance(data.get("rules", []), list):
        raise InvalidInput(f"{paths.kept}: not a kept-objects file of version 1", "kept")
    for entry in data.get("routes", []):
        _kept_route(entry, paths)
    for entry in data.get("rules", []):
        _kept_rule(entry, paths)
    return {"routes": list(data.get("routes", [])), "rules": list(data.get("rules", []))}


def _kept_route(entry: Any, paths: Paths) -> RouteSpec:
    try:
        fields: dict[str, Any] = dict(entry)
        fields["nexthops"] = tuple(tuple(h) for h in entry.get("nexthops", []))
        route = RouteSpec(**fields)
        if route.family not in FAMILIES or not isinstance(route.table, int) or not _batch_safe(route.args()):
            raise TypeError
        return route
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise InvalidInput(f"{paths.kept}: a kept route is damaged: {str(entry)[:80]}", "kept") from None


def _kept_rule(entry: Any, paths: Paths) -> Rule:
    try:
        rule = Rule(entry["family"], int(entry["priority"]), tuple((str(w), str(v)) for w, v in entry["selectors"]),
                    entry.get("table"), protocol=int(entry.get("protocol", 0)), action=str(entry["action"]))
        if rule.family not in FAMILIES or not _batch_safe(rule.args()):
            raise TypeError
        return rule
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
        raise InvalidInput(f"{paths.kept}: a kept rule is damaged: {str(entry)[:80]}", "kept") from None


def _batch_safe(words: list[str]) -> bool:
    """Words read back from kept.json go into `ip -batch`: nothing that batch reads as syntax."""
    return all(word and not any(c.isspace() or c in "\"'#\\" for c in word) for word in words)


def restore_kept(paths: Paths, dry_run: bool) -> list[Change]:
    """The kept objects the kernel lacks, added back (reconcile).  Never deletes anything."""
    kept = load_kept(paths)
    changes = []
    tables: dict[tuple[Family, int], list[RouteSpec]] = {}
    for entry in kept["routes"]:
        route = _kept_route(entry, paths)
        have = tables.setdefault((route.family, route.table), read_table(route.family, route.table))
        if not any(route.fits(r) for r in have):
            changes.append(Change("add", "route", route.family, route.table, "route add " + " ".join(route.args())))
    rules = {f: [r for r in (kernel.parse_rule(e, f) for e in
                             kernel.ip_json("-4" if f == "inet" else "-6", "rule", "show")) if r]
             for f in FAMILIES} if kept["rules"] else {}
    for entry in kept["rules"]:
        rule = _kept_rule(entry, paths)
        if rule not in rules[rule.family]:
            changes.append(Change("add", "rule", rule.family, rule.table, "rule add " + " ".join(rule.args())))
    if not dry_run:
        for family in FAMILIES:
            lines = [c.line for c in changes if c.family == family]
            kernel.batch(family, lines, force=True)
    return changes
