# SPDX-License-Identifier: LGPL-2.1-or-later
"""Changes that must be confirmed (--confirm-within), and their rollback.

config.json only ever holds confirmed state.  A change made with --confirm-within goes to
/run/cockpit-gateways/pending.json (volatile: a reboot forgets it, so the boot reconcile restores
the last confirmed state) and a watchdog process restores the confirmed state when the deadline
passes without `confirm TOKEN`.  Any later command that finds an expired pending change rolls it
back first (rollback_expired), so a killed watchdog cannot leave it applied.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import time
from typing import Any

from . import kernel
from .engine import converge
from .model import FAMILIES, Family, GatewaysError
from .tablenames import restore
from .store import (Config, Paths, config_to_json, desired_config, dump_json, load_config, load_pending, locked,
                    remove, write_atomic)


def start_pending(paths: Paths, confirm_within: float, *, config: Config | None = None,
                  undo: dict[Family, list[str]] | None = None, kept: dict[str, Any] | None = None,
                  repair: bool = False, names: dict[str, Any] | None = None) -> str:
    """Record a change that must be confirmed within `confirm_within` seconds, and start the
    watchdog.  Call with the lock held, before applying.  A config change carries the new config
    (config.json keeps the confirmed one); a one-off kernel change carries the `ip -batch` lines
    that undo it, and with --keep the new kept.json (written only when confirmed); a repair
    (reconcile) only its undo lines: rolling it back must not converge to the config again."""
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
    if repair:
        record["repair"] = True
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
        restore(paths, pending["names"])
    if pending.get("repair") is not True:
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
