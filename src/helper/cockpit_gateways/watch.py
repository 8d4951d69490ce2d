# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cockpit-gateways watch`: put source routing back as soon as it goes missing.

Routes in a table vanish for good when a link goes down and up or the last address is removed and
re-added, and anyone can delete a rule by hand.  A DHCP lease can also be lost without the client
telling us (NetworkManager sends no event when another address keeps the connection up): a
recorded lease whose address is no longer on its interface (while the link is up) is dropped,
and its objects with it.  `watch` follows `ip -o monitor link address route
rule` and, after the events settle (DEBOUNCE seconds of quiet, at most MAX_DELAY after the first
one), plans a reconcile without the lock.  Only when that plan is not empty does it run the real
reconcile (under the lock, like every other command).

Our own changes do not loop: the events they cause lead to one more plan, which is empty.  A repair
that does not stick (something keeps removing our objects) backs off, doubling the wait up to
MAX_BACKOFF seconds.  Events that cannot concern us are dropped before they wake anything: route
events outside our table range and without our protocol (a busy main table costs nothing).

Log lines go to stderr (the journal under systemd).  SIGTERM or SIGINT ends it with status 0.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from . import commands, dhcp
from .model import PROTO, TABLE_MAX, TABLE_MIN, GatewaysError
from .result import require_root
from .store import Paths

DEBOUNCE = 0.3        # seconds of quiet before we look
MAX_DELAY = 2.0       # …but never later than this after the first event
MAX_BACKOFF = 60.0    # a repair that does not stick: wait at most this long between attempts
STUBBORN = 5          # repairs in a row, each undone within STUBBORN_WINDOW, before backing off
STUBBORN_WINDOW = 10.0

_TABLE_RE = re.compile(r"\btable (\d+)\b")   # -N: numbers, not rt_tables names
_PROTO_RE = re.compile(rf"\bproto(?:col)? (?:{PROTO}|cockpit-gateways)\b")


class _Stop(Exception):
    pass


def relevant(line: str) -> bool:
    """Could this `ip -N -o monitor label` line mean our objects changed?  Links and addresses
    always can (a flap flushes our tables without a route event); routes only in our tables or
    with our protocol; rules always (a deleted rule of ours)."""
    if line.startswith("[ROUTE]"):
        m = _TABLE_RE.search(line)
        return (m is not None and TABLE_MIN <= int(m.group(1)) <= TABLE_MAX) or bool(_PROTO_RE.search(line))
    return True


def log(message: str) -> None:
    sys.stderr.write(f"cockpit-gateways watch: {message}\n")
    sys.stderr.flush()


def check(paths: Paths) -> list[str]:
    """Plan without the lock; reconcile only if something is missing or extra, or a DHCP lease's
    address vanished (then the lease is dropped first).  Returns the lines applied."""
    if dhcp.has_stale(paths):
        result, dropped = dhcp.prune(paths)
        return [f"dropped the {d['family']} lease of {d['interface']}"
                + (f" ({d['address']} is gone)" if d.get("address") else "") for d in dropped] \
            + [c.line for c in result.changes]
    plan = commands.cmd_reconcile(paths, None, dry_run=True)
    if not plan.changes:
        return []
    result = commands.cmd_reconcile(paths, None)
    return [c.line for c in result.changes]


def watch(paths: Paths, *, debounce: float = DEBOUNCE, max_delay: float = MAX_DELAY) -> dict[str, Any]:
    require_root()

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # --label prefixes every line with [LINK], [ADDR], [ROUTE] or [RULE]
    proc = subprocess.Popen(["ip", "-N", "-o", "monitor", "label", "link", "address", "route", "rule"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    stats = {"events": 0, "checks": 0, "repairs": 0}
    repairs: list[float] = []        # times of recent repairs, for the back-off
    backoff = 0.0
    hold_until = 0.0
    buffer = b""
    first: float | None = time.monotonic()    # look once at start-up
    last = first
    log(f"following link, address, route and rule changes (pid {os.getpid()})")
    try:
        while True:
            timeout: float | None = None
            if first is not None and last is not None:
                due = max(min(last + debounce, first + max_delay), hold_until)
                timeout = max(0.0, due - time.monotonic())
            if sel.select(timeout):
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if chunk == b"":
                    raise GatewaysError("`ip monitor` ended unexpectedly")
                *lines, buffer = (buffer + chunk).split(b"\n")
                for raw in lines:
                    if raw and relevant(raw.decode("utf-8", "replace")):
                        stats["events"] += 1
                        last = time.monotonic()
                        first = last if first is None else first
                continue
            if first is None:
                continue
            first = last = None
            stats["checks"] += 1
            try:
                applied = check(paths)
            except GatewaysError as e:
                log(f"reconcile failed: {e}")
                applied = ["(failed)"]
            if not applied:
                backoff = 0.0
                continue
            if applied != ["(failed)"]:
                stats["repairs"] += 1
                log("repaired: " + "; ".join(applied))
            now = time.monotonic()
            repairs = [t for t in repairs if now - t < STUBBORN_WINDOW][-STUBBORN:] + [now]
            if len(repairs) > STUBBORN:
                backoff = min(MAX_BACKOFF, max(1.0, backoff * 2))
                hold_until = now + backoff
                log(f"our objects keep disappearing; next repair in {backoff:g} s at the earliest")
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        sel.close()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            proc.stdout.close()
    log(f"stopped after {stats['checks']} checks and {stats['repairs']} repairs")
    return stats
