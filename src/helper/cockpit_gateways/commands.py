# SPDX-License-Identifier: LGPL-2.1-or-later
"""The commands that change source routing: set, unset, reconcile, layout, confirm.  Each one,
under the lock: roll back an expired unconfirmed change first (pending.py), build the new config,
and converge to it (engine.py); with --confirm-within the change is recorded as pending first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import time

from . import kernel
from .engine import allocate_table, converge
from .kept import restore_kept
from .leases import load_dhcp
from .model import FAMILIES, Family, GatewaysError, InvalidInput, Layout, check_gateway, family_of, parse_address, \
    parse_interface_name, parse_layout
from .pending import rollback_expired, start_pending
from .result import Result, require_root
from .store import (Config, FileChange, InterfaceConfig, Paths, StaticGateway, config_from_json, copy_config,
                    dump_json, load_layout, load_pending, locked, remove, save_config, write_atomic)


def cmd_set(paths: Paths, name: str, gateway_text: str, *, onlink: bool = False, dry_run: bool = False,
            confirm_within: float | None = None) -> Result:
    name = parse_interface_name(name)
    gateway = parse_address(gateway_text)
    family = family_of(gateway)
    if not dry_run:
        require_root()
    with contextlib.nullcontext() if dry_run else locked(paths):     # a dry run only reads
        config = rollback_expired(paths, dry_run)
        link = kernel.read_links().get(name)
        if link is None:
            raise InvalidInput(f"interface: there is no interface '{name}' on this host", "interface")
        check_gateway(gateway, link.global_addresses(family), onlink)
        new = copy_config(config)
        table = allocate_table(new, name, load_layout(paths))
        new.setdefault(name, InterfaceConfig(table)).gateways[family] = StaticGateway(str(gateway), onlink)
        return _change(paths, config, new, dry_run, confirm_within)


def cmd_unset(paths: Paths, name: str, *, family: Family | None = None, dry_run: bool = False,
              confirm_within: float | None = None) -> Result:
    name = parse_interface_name(name)
    if not dry_run:
        require_root()
    with contextlib.nullcontext() if dry_run else locked(paths):     # a dry run only reads
        config = rollback_expired(paths, dry_run)
        new = copy_config(config)
        iface = new.get(name)
        if iface is not None:
            for f in FAMILIES:
                if family is None or f == family:
                    iface.gateways.pop(f, None)
            if not iface.gateways and name not in load_dhcp(paths):
                del new[name]
        return _change(paths, config, new, dry_run, confirm_within)


def cmd_reconcile(paths: Paths, name: str | None = None, *, dry_run: bool = False) -> Result:
    if name is not None:
        name = parse_interface_name(name)
    if not dry_run:
        require_root()
    with contextlib.nullcontext() if dry_run else locked(paths):     # a dry run only reads
        config = rollback_expired(paths, dry_run)
        result = converge(paths, config, dry_run=dry_run, only=name, save=False, preview_conflicts=False)
        if name is None:
            result.changes += restore_kept(paths, dry_run)
        return result


def cmd_layout(paths: Paths, *, priority: int | None = None, tables: tuple[int, int] | None = None,
               dry_run: bool = False) -> tuple[Result, Layout]:
    """Move our rules to another priority band and/or our tables to another range: a change like
    any other (the plan shows every rule and route that moves).  Interfaces whose table lies
    outside the new range get a new one in it."""
    current = load_layout(paths)
    low, high = tables if tables is not None else (current.table_min, current.table_max)
    layout = parse_layout(current.priority if priority is None else priority, low, high)
    if not dry_run:
        require_root()
    with contextlib.nullcontext() if dry_run else locked(paths):     # a dry run only reads
        config = rollback_expired(paths, dry_run)
        new = copy_config(config)
        moving = sorted((n for n, i in new.items() if not layout.table_min <= i.table <= layout.table_max),
                        key=lambda n: new[n].table)
        keep = {i.table for n, i in new.items() if n not in moving}
        for name in moving:
            del new[name]
        for name in moving:
            new[name] = dataclasses.replace(config[name], table=allocate_table(new, name, layout, keep))
        return converge(paths, new, dry_run=dry_run, layout=layout), layout


def cmd_confirm(paths: Paths, token: str) -> Result:
    require_root()
    with locked(paths):
        pending = load_pending(paths)
        if pending is None or not secrets.compare_digest(pending["token"], token):
            raise GatewaysError("no change is waiting for that confirmation; it may have been rolled back "
                                "already", "token")
        if pending["deadline"] <= time.time():
            rollback_expired(paths, False)
            raise GatewaysError("the change was not confirmed in time and has been rolled back", "token")
        files = []
        if "config" in pending:
            save_config(paths, config_from_json(pending["config"], paths.pending, load_layout(paths)))
            files.append(FileChange(paths.config, "write"))
        if isinstance(pending.get("kept"), dict):
            write_atomic(paths.kept, dump_json(pending["kept"]), paths.root)
            files.append(FileChange(paths.kept, "write"))
        remove(paths.pending, paths.root)
        return Result([], files, False)


def _change(paths: Paths, config: Config, new: Config, dry_run: bool,
            confirm_within: float | None) -> Result:
    if confirm_within is None or dry_run:
        return converge(paths, new, dry_run=dry_run)
    token = start_pending(paths, confirm_within, config=new)
    try:
        result = converge(paths, new, dry_run=False, pending={"token": token})
    except GatewaysError:
        remove(paths.pending, paths.root)
        raise
    result.token = token
    return result
