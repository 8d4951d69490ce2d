# SPDX-License-Identifier: LGPL-2.1-or-later
"""The commands that change things.  Each one, under the lock:
read the desired state (files) and the kernel's owned objects, plan, then (unless a dry run)
write the config, apply one batch per family, verify; on a failure restore what we owned before
and put the old config back.

Confirmed and unconfirmed changes: config.json only ever holds confirmed state.  A change made
with --confirm-within goes to /run/cockpit-gateways/pending.json (volatile: a reboot forgets it,
so the boot reconcile restores the last confirmed state) and a watchdog process restores the
confirmed state when the deadline passes without `confirm TOKEN`.  Any later command that finds
an expired pending change rolls it back first, so a killed watchdog cannot leave it applied.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import signal
import time
from typing import Any

from . import kernel
from .kernel import Link
from .model import (FAMILIES, PROTO, Family, GatewaysError, InvalidInput, Layout, Route, Rule, check_gateway,
                    TABLE_NAME_PREFIX, family_of, parse_address, parse_interface_name, parse_layout)
from .plan import (Change, Desired, batches, desired_state, diff, effective_gateways,
                   only_tables, scripts_lines)
from .store import (Config, FileChange, InterfaceConfig, Paths, StaticGateway, apply_files,
                    check_no_symlinks, config_from_json, config_to_json, copy_config, dump_json, layout_text,
                    load_config, load_layout, locked, plan_files, read_json, remove, save_config, write_atomic)


@dataclasses.dataclass
class Result:
    changes: list[Change]
    files: list[FileChange]
    dry_run: bool
    token: str | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)
    conflicts: list[dict[str, Any]] = dataclasses.field(default_factory=list)     # new ones (previews)
    table_names: dict[int, str] = dataclasses.field(default_factory=dict)         # changes say both

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "changed": bool(self.changes) or any(f.action in ("write", "delete") for f in self.files),
            "dry_run": self.dry_run,
            "changes": [{**c.to_json(), **({"table_name": self.table_names[c.table]}
                                            if c.table in self.table_names else {})} for c in self.changes],
            "files": [f.to_json() for f in self.files],
        }
        if self.token:
            out["token"] = self.token
        if self.warnings:
            out["warnings"] = self.warnings
        if self.conflicts:
            out["conflicts"] = self.conflicts
        return out


@dataclasses.dataclass
class Snapshot:
    """What the kernel has now, as far as we need it to plan."""
    links: dict[str, Link]
    routes: list[Route]
    rules: list[Rule]

    @staticmethod
    def read(links: bool = True) -> "Snapshot":
        """One parallel round of reads; without links when only our objects matter (verify)."""
        rules4, rules6, routes4, routes6, *addrs = kernel.ip_json_many(
            *kernel.OWNED_READS, *([("addr", "show")] if links else []))
        return Snapshot(kernel.parse_links(addrs[0]) if links else {},
                        kernel.parse_owned_routes(routes4, routes6),
                        kernel.owned_rules({"inet": rules4, "inet6": rules6}))


def require_root() -> None:
    if os.geteuid() != 0:
        raise InvalidInput("this command changes routing and needs root "
                           "(run it with sudo, or turn on administrative access)", "user")


# --- volatile state ----------------------------------------------------------------------------

def load_dhcp(paths: Paths) -> dict[str, dict[Family, str]]:
    """Gateways learned from leases; a damaged file counts as no leases (it is rebuilt by the
    next DHCP event) rather than blocking the admin's commands."""
    try:
        data = read_json(paths.dhcp)
    except InvalidInput:
        return {}
    out: dict[str, dict[Family, str]] = {}
    if not isinstance(data, dict):
        return out
    for name, entry in data.items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            continue
        try:
            parse_interface_name(name)
        except InvalidInput:
            continue
        for family in FAMILIES:
            lease = entry.get(family)
            if isinstance(lease, dict) and isinstance(lease.get("gateway"), str):
                try:
                    address = parse_address(lease["gateway"])
                except InvalidInput:
                    continue
                if family_of(address) == family:
                    out.setdefault(name, {})[family] = str(address)
    return out


def load_pending(paths: Paths) -> dict[str, Any] | None:
    try:
        data = read_json(paths.pending)
    except GatewaysError:       # damaged, or not readable without root (status as a user)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) \
            or not isinstance(data.get("deadline"), (int, float)):
        return None
    return data


def desired_config(paths: Paths) -> tuple[Config, dict[str, Any] | None]:
    """The config the kernel should follow now: an unexpired pending change, else config.json."""
    config = load_config(paths)
    pending = load_pending(paths)
    if pending is not None and pending["deadline"] > time.time():
        if "config" in pending:
            config = config_from_json(pending["config"], paths.pending, load_layout(paths))
        return config, pending
    return config, None


# --- planning and applying ---------------------------------------------------------------------

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
    from .status import table_names
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
    from . import conflicts
    from .owners import parse_rules
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


# --- commands ----------------------------------------------------------------------------------

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
            from .fixes import restore_kept       # fixes builds on this module
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


def start_pending(paths: Paths, confirm_within: float, *, config: Config | None = None,
                  undo: dict[Family, list[str]] | None = None, kept: dict[str, Any] | None = None,
                  names: dict[str, Any] | None = None) -> str:
    """Record a change that must be confirmed within `confirm_within` seconds, and start the
    watchdog.  Call with the lock held, before applying.  A config change carries the new config
    (config.json keeps the confirmed one); a one-off kernel change carries the `ip -batch` lines
    that undo it, and with --keep the new kept.json (written only when confirmed)."""
    if load_pending(paths) is not None:
        raise GatewaysError("another change is waiting for confirmation; confirm it or let it roll back "
                            "first", "confirm-within")
    token = secrets.token_hex(16)
    deadline = time.time() + confirm_within
    record: dict[str, Any] = {"token": token, "deadline": deadline}
    if config is not None:
        record["config"] = config_to_json(config)
    if undo:
        record["undo"] = undo
    if kept is not None:
        record["kept"] = kept
    if names is not None:       # table names (tablenames.py): our names file as it was before
        record["names"] = names
    write_atomic(paths.pending, dump_json(record), paths.root, 0o600)
    start_watchdog(paths, token, deadline)
    return token


def roll_back(paths: Paths, pending: dict[str, Any]) -> None:
    """Undo an unconfirmed change: its one-off lines, then the confirmed config.  Lock held."""
    remove(paths.pending, paths.root)
    undo = pending.get("undo")
    if isinstance(undo, dict):
        for family in FAMILIES:
            lines = undo.get(family)
            if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
                with contextlib.suppress(GatewaysError):
                    kernel.batch(family, lines, force=True)
    if "names" in pending:
        from .tablenames import restore
        restore(paths, pending["names"])
    converge(paths, load_config(paths), dry_run=False, save=False)


def rollback_expired(paths: Paths, dry_run: bool) -> Config:
    """Roll back a pending change whose deadline passed; returns the config to build on."""
    config, pending = desired_config(paths)
    stale = load_pending(paths)
    if stale is not None and pending is None and not dry_run:
        roll_back(paths, stale)
    return config


# --- the watchdog ------------------------------------------------------------------------------

WATCHDOG_POLL = 0.5      # seconds between looks at pending.json while waiting


def start_watchdog(paths: Paths, token: str, deadline: float) -> None:
    """A detached process (double fork, own session, no inherited descriptors) that rolls the
    change back at the deadline unless it was confirmed.  It outlives this command, cockpit's
    channel and the admin's browser."""
    pid = os.fork()
    if pid > 0:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork() > 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, 65536)       # also our copy of the lock: the parent still holds it
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        _watch(paths, token, deadline)
    except BaseException:
        pass
    os._exit(0)


def _watch(paths: Paths, token: str, deadline: float) -> None:
    while time.time() < deadline:
        pending = load_pending(paths)
        if pending is None or pending["token"] != token:
            return           # confirmed (or replaced): nothing to do
        time.sleep(min(WATCHDOG_POLL, max(0.0, deadline - time.time())))
    with locked(paths):
        pending = load_pending(paths)
        if pending is None or pending["token"] != token:
            return
        roll_back(paths, pending)
