# SPDX-License-Identifier: LGPL-2.1-or-later
"""Names the admin gives to routing tables: `table-name add NUMBER NAME`, `table-name del NAME`.

They live in a file of their own, /etc/iproute2/rt_tables.d/cockpit-gateways-names.conf, which
iproute2 reads like every rt_tables file (`ip route show table NAME`).  Nothing else is edited:
not /etc/iproute2/rt_tables, not other tools' files, not our own gateway tables' file
(cockpit-gateways.conf, gw-eth1).  A name is refused, naming the field, when it has characters
iproute2 could misread, when it or its number is already named by any rt_tables file, when it is
reserved (local, main, default, unspec, all, cache; 0 and 252-255), when it looks like one of our
gateway tables' names (gw-…) or when the number lies in our gateway tables' range.

The write is atomic, under the helper's lock (the command: naming.py).  With --confirm-within the
previous file is kept in the pending change, and a rollback puts it back (pending.roll_back).
"""

from __future__ import annotations

import os
import re
from typing import Any

from .model import MAX_U32, RESERVED_TABLE_IDS, TABLE_NAME_PREFIX, InvalidInput
from .store import OUR_MARK, Paths, load_layout, read_text, remove, write_atomic

NAMES_FILE = "etc/iproute2/rt_tables.d/cockpit-gateways-names.conf"
RT_TABLES_FILES = ("etc/iproute2/rt_tables", "usr/share/iproute2/rt_tables")
RESERVED_NAMES = ("local", "main", "default", "unspec", "all", "cache")
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
HEADER = f"{OUR_MARK}\n# Routing table names given by the admin (cockpit-gateways table-name add NUMBER NAME).\n"


def names_path(paths: Paths) -> str:
    return os.path.join(paths.root, NAMES_FILE)


def read_own(paths: Paths) -> dict[int, str]:
    """Our names file: number → name."""
    out: dict[int, str] = {}
    for line in (read_text(names_path(paths)) or "").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0].isdigit():
            out[int(parts[0])] = parts[1]
    return out


def names_text(names: dict[int, str]) -> str:
    return HEADER + "".join(f"{number}\t{names[number]}\n" for number in sorted(names))


def _others(paths: Paths) -> list[tuple[str, str, str]]:
    """(number text, name, file) named by every rt_tables file but ours."""
    own = names_path(paths)
    out = []
    files = [os.path.join(paths.root, p) for p in RT_TABLES_FILES]
    d = os.path.join(paths.root, "etc/iproute2/rt_tables.d")
    files += sorted(os.path.join(d, f) for f in (os.listdir(d) if os.path.isdir(d) else []) if f.endswith(".conf"))
    for path in files:
        if path == own:
            continue
        # one file at a time, so an error can say where the name is
        out += [(number, name, "/" + os.path.relpath(path, paths.root)) for number, name in _file_names(path)]
    return out


def _file_names(path: str) -> list[tuple[str, str]]:
    """(number, name) lines of one rt_tables file, as iproute2 reads them; unreadable: none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return []
    return [(p[0], p[1]) for p in (line.split("#", 1)[0].split() for line in lines) if len(p) >= 2]


def _number(text: str) -> int | None:
    try:
        return int(text, 0)
    except ValueError:
        return None


def parse_number(value: str) -> int:
    if not value.isascii() or not value.isdigit() or (len(value) > 1 and value.startswith("0")):
        raise InvalidInput(f"number: '{value[:20]}' is not a table number (1-{MAX_U32})", "number")
    number = int(value)
    if number in RESERVED_TABLE_IDS:
        raise InvalidInput(f"number: {number} is reserved (0 unspec, 252 compat, 253 default, 254 main, "
                           "255 local)", "number")
    if not 1 <= number <= MAX_U32:
        raise InvalidInput(f"number: {number} is not a table number (1-{MAX_U32})", "number")
    return number


def parse_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value):
        raise InvalidInput(f"name: '{value[:40]}' is not a table name: 1-32 letters, digits, '_', '.' or '-', "
                           "starting with a letter", "name")
    if value in RESERVED_NAMES:
        raise InvalidInput(f"name: {value} is reserved by iproute2", "name")
    if value.startswith(TABLE_NAME_PREFIX):
        raise InvalidInput(f"name: names starting with {TABLE_NAME_PREFIX} are cockpit-gateways' own gateway "
                           "tables (gw-eth1)", "name")
    return value


def plan_add(paths: Paths, number_text: str, name_text: str) -> dict[int, str]:
    """The new content of our file after naming NUMBER NAME; refuses naming the field."""
    number, name = parse_number(number_text), parse_name(name_text)
    for other_number, other_name, where in _others(paths):
        if other_name == name:
            raise InvalidInput(f"name: {name} already names table {other_number} in {where}", "name")
        if _number(other_number) == number:
            raise InvalidInput(f"number: table {number} is already named {other_name} in {where}", "number")
    layout = load_layout(paths)
    if layout.table_min <= number <= layout.table_max:
        raise InvalidInput(f"number: {number} is in cockpit-gateways' range for gateway tables "
                           f"({layout.table_min}-{layout.table_max})", "number")
    own = read_own(paths)
    for n, existing in own.items():
        if existing == name:
            raise InvalidInput(f"name: {name} already names table {n}", "name")
    if number in own:
        raise InvalidInput(f"number: table {number} is already named {own[number]}", "number")
    return {**own, number: name}


def plan_del(paths: Paths, which: str) -> tuple[dict[int, str], int, str]:
    """Our file without the name WHICH (a name, or the number it names)."""
    own = read_own(paths)
    found = [n for n, name in own.items() if name == which or str(n) == which]
    if not found:
        for other_number, other_name, where in _others(paths):
            if which in (other_name, other_number):
                raise InvalidInput(f"name: {other_number} {other_name} is named in {where}, not by "
                                   "cockpit-gateways; it is left alone", "name")
        raise InvalidInput(f"name: no table is named '{which[:40]}' by cockpit-gateways", "name")
    number = found[0]
    return {n: v for n, v in own.items() if n != number}, number, own[number]


def restore(paths: Paths, saved: Any) -> None:
    """Roll back: our file as it was before the unconfirmed change (none when it had no text)."""
    text = saved.get("text") if isinstance(saved, dict) else None
    path = names_path(paths)
    if isinstance(text, str) and text.startswith(OUR_MARK):
        write_atomic(path, text, paths.root)
    else:
        remove(path, paths.root)


def write(paths: Paths, names: dict[int, str]) -> None:
    path = names_path(paths)
    if names:
        write_atomic(path, names_text(names), paths.root)
    else:
        remove(path, paths.root)
