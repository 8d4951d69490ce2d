# SPDX-License-Identifier: LGPL-2.1-or-later
"""Routes and rules as the admin names them for a one-off fix, and as the kernel has them.

`route_spec` and `rule_spec` validate every value the admin gives (each error names its field)
and build the objects whose `args()` become `ip -batch` lines; `route_from_kernel` reads a route
with every attribute it has, so a delete can name exactly that one.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Any

from . import kernel
from .kernel import JSON
from .model import (MAX_U32, Family, InvalidInput, Rule, family_of, parse_address, parse_family,
                    parse_interface_name)
from .names import IP_PROTOCOLS, PROTOCOLS, ROUTE_TYPES, SCOPES, parse_table

# what a one-off fix may create
FIX_ROUTE_TYPES = ("unicast", "blackhole", "unreachable", "prohibit", "throw")
FIX_RULE_ACTIONS = ("blackhole", "unreachable", "prohibit")
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
    return RouteSpec(family, table, dst, type=ROUTE_TYPES.get(str(entry.get("type", "1")), str(entry.get("type"))),
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
               proto: str | None = None, onlink: bool = False, default_proto: int | None = None,
               own: dict[str, str] | None = None) -> RouteSpec:
    """`own`: this host's addresses → interface; a gateway may not be one (the kernel takes it)."""
    if dst.strip() == "default":
        fam = parse_family(family) if family else ("inet6" if via and ":" in via else "inet")
        net = "0.0.0.0/0" if fam == "inet" else "::/0"
    else:
        network = _network(dst, "destination")
        fam, net = family_of(network), str(network)
        if family and parse_family(family) != fam:
            raise InvalidInput(f"destination: {network} is not an {family} network", "destination")
    if type not in FIX_ROUTE_TYPES:
        raise InvalidInput(f"type: '{type[:20]}' is not one of {', '.join(FIX_ROUTE_TYPES)}", "type")
    gateway = _address_of(via, "via", fam, net) if via is not None else None
    if gateway is not None and gateway in (own or {}):
        raise InvalidInput(f"via: {gateway} is this host's own address (on {(own or {})[gateway]}); "
                           "the gateway is the router's address", "via")
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
        mark_text, slash, mask_text = fwmark.partition("/")
        mark = _u32(mark_text, "fwmark")
        mask = _u32(mask_text, "fwmark") if slash else MAX_U32
        selectors.append(("fwmark", f"{mark:#x}" + (f"/{mask:#x}" if mask != MAX_U32 else "")))
    for word, value in (("iif", iif), ("oif", oif)):
        if value is not None:
            selectors.append((word, parse_interface_name(value, word)))
    if uidrange is not None:
        first, _, last = uidrange.partition("-")
        a, b = _u32(first, "uidrange"), _u32(last or first, "uidrange")
        assert a is not None and b is not None
        if b == MAX_U32:                # the kernel's invalid uid (-1)
            raise InvalidInput(f"uidrange: user ids are 0-{MAX_U32 - 1}", "uidrange")
        if a > b:
            raise InvalidInput("uidrange: the first uid is larger than the last", "uidrange")
        selectors.append(("uidrange", f"{a}-{b}"))
    if ipproto is not None:
        number = IP_PROTOCOLS.get(ipproto)
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
    if action is not None and action not in FIX_RULE_ACTIONS:
        raise InvalidInput(f"action: '{action[:20]}' is not one of {', '.join(FIX_RULE_ACTIONS)}", "action")
    return Rule(fam or "inet", prio, tuple(selectors), parse_table(table, names) if table else None,
                protocol=_protocol(proto, default_proto) or 0, action=action or "lookup")


def _byte(value: str, field: str) -> int:
    number = _u32(value, field)
    if number is None or number > 255:
        raise InvalidInput(f"{field}: must be between 0 and 255", field)
    return number


def _port(value: str, field: str) -> int:
    number = _u32(value, field)
    if number is None or not 1 <= number <= 65534:        # the kernel refuses 0 and 65535 in rules
        raise InvalidInput(f"{field}: ports are 1-65534", field)
    return number
