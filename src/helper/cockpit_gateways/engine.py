# SPDX-License-Identifier: LGPL-2.1-or-later
"""Planning and applying: the objects the config asks for (plan.py), against what the kernel has
(kernel.Snapshot), made so.  `converge`, with the lock held: plan, then (unless a dry run) write
the config and the files, apply one batch per family, verify; on a failure restore what we owned
before and put the old config back.  The commands (commands.py), the rollback of an unconfirmed
change (pending.py) and the DHCP events (dhcp.py) all change things through `converge`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from . import conflicts, kernel
from .kernel import Snapshot
from .model import PROTO, TABLE_NAME_PREFIX, Family, GatewaysError, Layout
from .names import table_names
from .owners import parse_rules
from .leases import load_dhcp
from .plan import Change, Desired, batches, desired_state, diff, effective_gateways, only_tables, scripts_lines
from .result import Result
from .store import (Config, FileChange, Paths, apply_files, check_no_symlinks, desired_config, layout_text,
                    load_config, load_layout, plan_files, remove, save_config, write_atomic)


def allocate_table(config: Config, name: str, layout: Layout | None = None, used: set[int] | None = None) -> int:
    """The interface's table: kept in the config, so it is stable across reboots.  A new one is
    the lowest number in our range that no config entry and no foreign route uses."""
    if name in config:
        return config[name].table
    layout = layout or Layout()
    used = (used or set()) | {iface.table for iface in config.values()}
    used |= set(kernel.count_routes_by_table())
    for table in range(layout.table_min, layout.table_max + 1):
        if table not in used:
            return table
    raise GatewaysError(f"no free routing table left in {layout.table_min}-{layout.table_max}")


def plan(config: Config, dhcp: dict[str, dict[Family, str]], snap: Snapshot,
         only: str | None = None, layout: Layout | None = None) -> tuple[Desired, list[Change]]:
    desired = desired_state(effective_gateways(config, dhcp), snap.links, layout or Layout())
    changes = diff(desired.routes, desired.rules, snap.routes, snap.rules)
    if only is not None:
        table = config[only].table if only in config else None
        changes = only_tables(changes, {table} if table is not None else set())
    return desired, changes


def apply_changes(changes: list[Change], before: Snapshot) -> None:
    """Apply in one batch per family.  On failure, restore the owned objects we had before and
    raise the kernel's message."""
    try:
        for family, lines in batches(changes).items():
            kernel.batch(family, lines)
    except GatewaysError as failure:
        now = Snapshot.read()
        restore = diff(before.routes, before.rules, now.routes, now.rules)
        for family, lines in batches(restore).items():
            try:
                kernel.batch(family, lines, force=True)
            except GatewaysError:
                pass
        raise GatewaysError(f"{failure}; the previous routing was restored") from None


def verify(desired: Desired, only_table: int | None) -> None:
    after = Snapshot.read(links=False)
    left = diff(desired.routes, desired.rules, after.routes, after.rules)
    if only_table is not None:
        left = only_tables(left, {only_table})
    if left:
        raise GatewaysError("the kernel did not take the change: still needed: " +
                            "; ".join(c.line for c in left[:5]))


def converge(paths: Paths, new_config: Config, *, dry_run: bool, only: str | None = None,
             pending: dict[str, Any] | None = None, save: bool = True, layout: Layout | None = None,
             preview_conflicts: bool = True) -> Result:
    """Make files and kernel follow new_config (and a new layout, when given).  Call with the
    lock held.  A dry run also lists the conflicts the change would create (not for reconcile,
    which follows the saved config: its conflicts are in `status`)."""
    snap = Snapshot.read()
    dhcp = load_dhcp(paths)
    old_layout = load_layout(paths)
    desired, changes = plan(new_config, dhcp, snap, only, layout or old_layout)
    files = plan_files(paths, new_config, lambda: scripts_lines(desired, new_config))
    if layout is not None and layout != old_layout:
        files.append(FileChange(paths.layout, "write", layout_text(layout)))
    warnings = [f"{f.path}: {f.reason}; left alone" for f in files if f.action == "skip"]
    names = {c.table: TABLE_NAME_PREFIX + n for n, c in new_config.items()}
    result = Result(changes, files, dry_run, warnings=warnings, table_names={**table_names(paths), **names})
    if dry_run:
        if preview_conflicts:
            result.conflicts = new_conflicts(paths, snap, desired, layout or old_layout, new_config, dhcp)
        return result
    check_no_symlinks(paths, [paths.config] + [f.path for f in files])
    save = save and pending is None       # a pending change lives in pending.json only
    old_config_text = _read_config_text(paths)
    old_layout_text = _read_config_text(paths, paths.layout)
    try:
        if save:
            save_config(paths, new_config)
        apply_files(paths, files)
        apply_changes(changes, snap)
        if changes:
            verify(desired, new_config[only].table if only and only in new_config else None)
    except GatewaysError:
        if save:
            _restore_config_text(paths, old_config_text)
        if layout is not None and layout != old_layout:
            with contextlib.suppress(GatewaysError):
                _restore_config_text(paths, old_layout_text, paths.layout)
        with contextlib.suppress(GatewaysError):
            old_config = load_config(paths)
            old_desired = desired_state(effective_gateways(old_config, dhcp), snap.links, old_layout)
            apply_files(paths, plan_files(paths, old_config, lambda: scripts_lines(old_desired, old_config)))
        raise
    return result


def new_conflicts(paths: Paths, snap: Snapshot, desired: Desired, layout: Layout, config: Config,
                  dhcp: dict[str, dict[Family, str]]) -> list[dict[str, Any]]:
    """The conflicts (conflicts.py) this plan would create: those of the planned state that the
    state the kernel follows now does not have."""
    rules4, rules6 = kernel.ip_json_many(("-4", "rule", "show"), ("-6", "rule", "show"))
    raw = parse_rules({"inet": [r for r in rules4 if str(r.get("protocol")) != str(PROTO)],
                       "inet6": [r for r in rules6 if str(r.get("protocol")) != str(PROTO)]})
    now_config = desired_config(paths)[0]
    now_layout = load_layout(paths)
    now = desired_state(effective_gateways(now_config, dhcp), snap.links, now_layout)
    before = {c["message"] for c in conflicts.find(paths, raw, snap.links, now, now_layout,
                                                    {i.table for i in now_config.values()})}
    after = conflicts.find(paths, raw, snap.links, desired, layout, {i.table for i in config.values()})
    return [c for c in after if c["message"] not in before]


def _read_config_text(paths: Paths, path: str | None = None) -> str | None:
    try:
        with open(path or paths.config, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _restore_config_text(paths: Paths, text: str | None, path: str | None = None) -> None:
    if text is None:
        remove(path or paths.config, paths.root)
    else:
        write_atomic(path or paths.config, text, paths.root)
