# SPDX-License-Identifier: LGPL-2.1-or-later
"""Constants, value types and input validation.

Ownership is decided from the kernel alone: every rule we add carries `protocol PROTO` and every
route `proto PROTO`; our tables come from TABLE_MIN..TABLE_MAX and our rules sit at
PRIORITY_MAIN / PRIORITY_TO / PRIORITY_FROM.  All "to" rules come one priority before all "from"
rules: with each network's pair interleaved, a packet `from ADDR1 to GW2` would follow network 1's
default route out of the wrong interface (measured; see test/integration/test_engine.py TwoNetworks).

In front of both sits one rule per family, `lookup main suppress_prefixlength 0` (PRIORITY_MAIN),
present while any network of that family has a gateway: every route of main except its default
(the host's connected networks, container and VM bridges, VPN and static routes) keeps winning
for replies from a managed address; only the *default* choice moves to the network's gateway
(see test/integration/test_coexist.py).
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Literal, Union

PROTO = 248                 # route `proto` and rule `protocol` of everything we own
PROTO_NAME = "cockpit-gateways"
TABLE_MIN = 10000           # our routing tables: one per interface, stable (kept in the config)
TABLE_MAX = 19999
PRIORITY_SHARED = 30998     # `from ADDR/32 to NET lookup T` where another interface shares NET
PRIORITY_MAIN = 30999       # `lookup main suppress_prefixlength 0`: main's specific routes first
MAIN_TABLE = 254
PRIORITY_TO = 31000         # `to NET lookup T` rules, all networks
PRIORITY_FROM = 31001       # `from NET lookup T` rules, all networks; both before main (32766)
TABLE_NAME_PREFIX = "gw-"   # names in rt_tables.d: gw-eth1
MAX_U32 = 2 ** 32 - 1

Family = Literal["inet", "inet6"]
FAMILIES: tuple[Family, ...] = ("inet", "inet6")
IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
IPInterface = Union[ipaddress.IPv4Interface, ipaddress.IPv6Interface]

# Exit codes (the command contract in README.md)
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


class GatewaysError(Exception):
    """A failure that is reported as one readable message (exit 1)."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidInput(GatewaysError, ValueError):
    """Bad input: the named field is wrong and nothing was changed (exit 2)."""

    exit_code = EXIT_INVALID


MAX_PRIORITY_BASE = 32766 - 4   # the band's four priorities all come before main's rule (32766)
RESERVED_TABLE_IDS = (0, 252, 253, 254, 255)    # unspec, compat, default, main, local


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where our rules and tables sit (configurable: /etc/cockpit-gateways/layout.json).  The four
    rule priorities are consecutive from `priority`, in this order: shared-subnet rules, main's
    rule, to-rules, from-rules."""
    priority: int = PRIORITY_SHARED
    table_min: int = TABLE_MIN
    table_max: int = TABLE_MAX

    @property
    def shared(self) -> int:
        return self.priority

    @property
    def main(self) -> int:
        return self.priority + 1

    @property
    def to(self) -> int:
        return self.priority + 2

    @property
    def from_(self) -> int:
        return self.priority + 3

    def priorities(self) -> tuple[int, int, int, int]:
        return (self.shared, self.main, self.to, self.from_)

    def to_json(self) -> dict[str, object]:
        return {"priority": self.priority, "priorities": {"shared": self.shared, "main": self.main,
                                                          "to": self.to, "from": self.from_},
                "tables": {"min": self.table_min, "max": self.table_max}}


def parse_layout(priority: object, table_min: object, table_max: object, where: str = "") -> Layout:
    """A layout from untrusted values; the error names the field."""
    def bad(field: str, why: str) -> InvalidInput:
        return InvalidInput(f"{where}{field}: {why}", field)
    for field, value in (("priority", priority), ("tables", table_min), ("tables", table_max)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(field, "a whole number is required")
    assert isinstance(priority, int) and isinstance(table_min, int) and isinstance(table_max, int)
    if not 1 <= priority <= MAX_PRIORITY_BASE:
        raise bad("priority", f"{priority} must be between 1 and {MAX_PRIORITY_BASE}, so that our four rules "
                  f"({priority}-{priority + 3}) come after the local rule (0) and before main's (32766)")
    if not 1 <= table_min <= table_max <= MAX_U32:
        raise bad("tables", f"{table_min}-{table_max} is not a range of table numbers (1-{MAX_U32}, low to high)")
    reserved = [t for t in RESERVED_TABLE_IDS if table_min <= t <= table_max]
    if reserved:
        raise bad("tables", f"{table_min}-{table_max} holds the reserved table {reserved[0]} "
                  "(252-255: compat, default, main, local)")
    return Layout(priority, table_min, table_max)


def family_of(address: IPAddress | IPNetwork) -> Family:
    return "inet" if address.version == 4 else "inet6"


# Characters that the kernel refuses in a name, and ones that `ip -batch` would read as syntax
# (quotes, comments, escapes).  We never manage an interface with such a name.
_BAD_NAME_CHARS = set('/:"\'#\\')


def parse_interface_name(value: str, field: str = "interface") -> str:
    """An interface name the kernel could have, safe in a path and in an `ip -batch` line."""
    if not isinstance(value, str) or value == "":
        raise InvalidInput(f"{field}: an interface name is required", field)
    if len(value.encode()) > 15:
        raise InvalidInput(f"{field}: '{_show(value)}' is longer than 15 bytes, the kernel's limit", field)
    if value in (".", ".."):
        raise InvalidInput(f"{field}: '{value}' is not a valid interface name", field)
    if any(c in _BAD_NAME_CHARS or not c.isprintable() or c.isspace() or not c.isascii() for c in value):
        raise InvalidInput(f"{field}: '{_show(value)}' is not a valid interface name "
                           "(no spaces, quotes, '/', ':', '#' or '\\')", field)
    return value


def parse_address(value: str, field: str = "gateway") -> IPAddress:
    if not isinstance(value, str) or value.strip() == "":
        raise InvalidInput(f"{field}: an address is required", field)
    if "%" in value:
        raise InvalidInput(f"{field}: '{_show(value)}': give the address without a zone (the interface is the zone)",
                           field)
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        raise InvalidInput(f"{field}: '{_show(value)}' is not an IPv4 or IPv6 address", field) from None
    if address.is_unspecified or address.is_multicast or address.is_loopback:
        raise InvalidInput(f"{field}: {address} cannot be a gateway", field)
    return address


def parse_family(value: str, field: str = "family") -> Family:
    if value == "inet" or value == "ipv4" or value == "4":
        return "inet"
    if value == "inet6" or value == "ipv6" or value == "6":
        return "inet6"
    raise InvalidInput(f"{field}: '{_show(value)}' is not inet or inet6", field)


def parse_table_id(value: object, field: str = "table", low: int = TABLE_MIN, high: int = TABLE_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field}: a table number is required", field)
    if not low <= value <= high:
        raise InvalidInput(f"{field}: {value} is outside our table range {low}-{high}", field)
    return value


def check_gateway(gateway: IPAddress, addresses: list[IPInterface], onlink: bool,
                  field: str = "gateway") -> None:
    """The gateway must be reachable on the interface: inside one of its subnets of that family
    (not the interface's own address, not the network or broadcast address), or link-local
    (IPv6), or explicitly on-link."""
    same_family = [a for a in addresses if a.version == gateway.version]
    if not same_family:
        raise InvalidInput(f"{field}: the interface has no {_family_word(gateway)} address", field)
    for a in same_family:
        if gateway == a.ip:
            raise InvalidInput(f"{field}: {gateway} is the interface's own address", field)
    if gateway.version == 6 and gateway.is_link_local:
        return
    for a in same_family:
        net = a.network
        if gateway in net:
            if gateway.version == 4 and net.prefixlen < 31:
                if gateway == net.network_address:
                    raise InvalidInput(f"{field}: {gateway} is the network address of {net}", field)
                if gateway == net.broadcast_address:
                    raise InvalidInput(f"{field}: {gateway} is the broadcast address of {net}", field)
            return
    if onlink:
        return
    nets = ", ".join(str(a.network) for a in same_family)
    raise InvalidInput(f"{field}: {gateway} is outside the interface's subnets ({nets}); "
                       "use --onlink if the router is reachable on the link anyway", field)


def _family_word(address: IPAddress) -> str:
    return "IPv4" if address.version == 4 else "IPv6"


def _show(value: str) -> str:
    """A value quoted back in a message: printable, bounded."""
    text = value.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 40 else text[:37] + "..."


@dataclasses.dataclass(frozen=True, order=True)
class Route:
    """A route as we create it (and as we read our own back from the kernel)."""
    family: Family
    table: int
    dst: str                   # canonical network: 10.0.2.0/24, 0.0.0.0/0, ::/0
    dev: str
    gateway: str | None = None
    prefsrc: str | None = None
    scope_link: bool = False   # IPv4 on-link subnet route
    onlink: bool = False       # `onlink` flag on a default route
    metric: int | None = None  # as the kernel reports it; None for ours when we add them

    def key(self) -> tuple[str, int, str]:
        """What makes two routes the same slot in a table (replace works within a slot)."""
        return (self.family, self.table, self.dst)

    def same_as(self, other: Route) -> bool:
        return (self.dev, self.gateway, self.prefsrc, self.scope_link, self.onlink) == \
            (other.dev, other.gateway, other.prefsrc, other.scope_link, other.onlink)

    def args(self) -> list[str]:
        dst = "default" if self.dst in ("0.0.0.0/0", "::/0") else self.dst
        out = [dst]
        if self.gateway:
            out += ["via", self.gateway]
        out += ["dev", self.dev, "table", str(self.table), "proto", str(PROTO)]
        if self.scope_link:
            out += ["scope", "link"]
        if self.prefsrc:
            out += ["src", self.prefsrc]
        if self.metric is not None:
            out += ["metric", str(self.metric)]
        if self.onlink:
            out.append("onlink")
        return out


@dataclasses.dataclass(frozen=True, order=True)
class Rule:
    """A policy rule as the kernel has it: the priority, the selectors in `ip rule` words, the table.

    `selectors` is a tuple of (keyword, value) pairs in `ip rule` order, e.g. (("to", "10.0.2.0/24"),).
    Deleting with every selector, the priority, the table and the protocol matches exactly one
    kind of rule, never "the first rule that looks alike"."""
    family: Family
    priority: int
    selectors: tuple[tuple[str, str], ...]
    table: int | None
    protocol: int = PROTO
    action: str = "lookup"     # lookup, goto, blackhole, unreachable, prohibit, nop

    def args(self) -> list[str]:
        out = ["priority", str(self.priority)]
        for word, value in self.selectors:
            out += [word] if value == "" else [word, value]
        if self.action == "lookup":
            if self.table is not None:       # none: l3mdev picks the table
                out += ["table", str(self.table)]
        elif self.action == "goto":
            out += ["goto", str(self.table)]
        else:
            out += [self.action]
        if self.protocol:
            out += ["protocol", str(self.protocol)]
        return out
