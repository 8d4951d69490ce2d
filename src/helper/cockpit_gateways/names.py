# SPDX-License-Identifier: LGPL-2.1-or-later
"""Names for numbers, in one place: iproute2's own tables (route types, scopes, route protocols,
rule actions, the reserved routing tables), the IP protocols a selector may name, and the host's
name files (rt_tables, rt_protos and their .d folders) read under --root.

`ip -N -j` prints numbers, as text ("4", "253"), so the iproute2 tables are keyed by that text.
"""

from __future__ import annotations

import glob
import os
from typing import Iterator

from .model import PROTO, InvalidInput
from .store import Paths

RESERVED_TABLES = {255: "local", 254: "main", 253: "default"}
ROUTE_TYPES = {"1": "unicast", "2": "local", "3": "broadcast", "4": "anycast", "5": "multicast",
               "6": "blackhole", "7": "unreachable", "8": "prohibit", "9": "throw", "10": "nat"}
SCOPES = {"0": "global", "200": "site", "253": "link", "254": "host", "255": "nowhere"}
# iproute2's rt_protos as shipped; the host's files are read on top (protocol_names)
PROTOCOLS = {"0": "unspec", "1": "redirect", "2": "kernel", "3": "boot", "4": "static", "8": "gated",
             "9": "ra", "10": "mrt", "11": "zebra", "12": "bird", "13": "dnrouted", "14": "xorp",
             "15": "ntk", "16": "dhcp", "17": "mrouted", "18": "keepalived", "42": "babel",
             "99": "openr", "186": "bgp", "187": "isis", "188": "ospf", "189": "rip", "192": "eigrp",
             str(PROTO): "cockpit-gateways"}
RULE_ACTIONS = {"1": "lookup", "2": "goto", "3": "nop", "6": "blackhole", "7": "unreachable", "8": "prohibit"}
# the IP protocols (`ipproto`) a rule or a lookup may name instead of the number
IP_PROTOCOLS = {"icmp": 1, "tcp": 6, "udp": 17, "dccp": 33, "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132,
                "udplite": 136}


def iproute2_names(paths: Paths, kind: str, main_files: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """The (number, name) pairs of an iproute2 name file kind (`rt_tables`, `rt_protos`), as
    written, in reading order: `main_files` (paths under the root), then `etc/iproute2/KIND.d/*.conf`.
    Comments and short lines are skipped; the callers parse the number and decide precedence."""
    files = [os.path.join(paths.root, p) for p in main_files]
    files += sorted(glob.glob(os.path.join(paths.root, f"etc/iproute2/{kind}.d/*.conf")))
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.readlines()
        except OSError:
            continue
        for line in lines:
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 2:
                yield parts[0], parts[1]


def table_names(paths: Paths) -> dict[int, str]:
    """Names from rt_tables and rt_tables.d (the files iproute2 reads), under --root."""
    names = dict(RESERVED_TABLES)
    for number, name in iproute2_names(paths, "rt_tables", ("etc/iproute2/rt_tables", "usr/share/iproute2/rt_tables")):
        try:
            names.setdefault(int(number, 0), name)       # the first file that names a number wins
        except ValueError:
            continue
    return names


def parse_table(value: str, names: dict[int, str]) -> int:
    """A table by number or by its rt_tables name."""
    if value.isascii() and value.isdigit():
        table = int(value)
        if 0 < table < 2 ** 32:
            return table
        raise InvalidInput(f"table: {value} is not a table number (1-4294967295)", "table")
    for number, name in names.items():
        if name == value:
            return number
    raise InvalidInput(f"table: no routing table is named '{value[:40]}'", "table")


def protocol_names(paths: Paths) -> dict[int, str]:
    """iproute2's names, then the host's rt_protos and rt_protos.d (under --root)."""
    names = {int(number): name for number, name in PROTOCOLS.items()}
    for number, name in iproute2_names(paths, "rt_protos", ("usr/share/iproute2/rt_protos", "etc/iproute2/rt_protos")):
        if number.isdigit() and int(number) < 256:
            names[int(number)] = name                     # a later file overrides
    return names
