# SPDX-License-Identifier: LGPL-2.1-or-later
"""`cockpit-gateways service status|enable|disable [boot] [watch]`: whether source routing is
restored at boot (cockpit-gateways.service runs `reconcile`) and kept in place (the self-healing
cockpit-gateways-watch.service runs `watch`), and turning each on or off, through systemctl.

systemd, as this command finds it:
  running   systemd is the init (/run/systemd/system exists): enable/disable also start/stop the
            unit (`systemctl enable --now`, `disable --now`), status says whether it is active
  offline   systemctl is here but systemd is not running (a container, a chroot), or --root DIR
            is given: enable/disable change the unit links only (`systemctl [--root=DIR] enable`),
            which take effect at the next boot; `active` is null
  absent    no systemctl: status says so, enable/disable fail (exit 1) and change nothing
A dry run prints the systemctl commands and runs none.  Units already in the wanted state give no
command.  The Debian package enables both units when it is installed.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from typing import Any

from .model import GatewaysError, InvalidInput
from .store import Paths

SERVICES = {
    "boot": ("cockpit-gateways.service", "restore source routing at boot"),
    "watch": ("cockpit-gateways-watch.service", "repair source routing when it goes missing (self-healing)"),
}
ENABLED_STATES = frozenset({"enabled", "enabled-runtime", "static", "alias", "indirect", "generated"})


@dataclasses.dataclass
class Systemd:
    mode: str                 # running | offline | absent
    systemctl: str | None
    root: str | None          # --root for systemctl, or None for the running system

    @property
    def message(self) -> str:
        if self.mode == "absent":
            return ("systemd is not on this host (no systemctl): start `cockpit-gateways reconcile` at boot "
                    "and `cockpit-gateways watch` with this host's own service manager")
        if self.mode == "offline":
            where = f"in {self.root}" if self.root else "on this host"
            return (f"systemd is not running {where}: enabling or disabling changes the unit links only; "
                    "it takes effect at the next boot")
        return ""

    def argv(self, *args: str) -> list[str]:
        assert self.systemctl is not None
        return [self.systemctl, *([f"--root={self.root}"] if self.root else []), *args]


def find_systemd(paths: Paths) -> Systemd:
    systemctl = shutil.which("systemctl")
    root = None if os.path.realpath(paths.root) == "/" else paths.root
    if systemctl is None:
        return Systemd("absent", None, root)
    if root is None and os.path.isdir("/run/systemd/system"):
        return Systemd("running", systemctl, None)
    return Systemd("offline", systemctl, root)


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([*argv], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GatewaysError(f"{' '.join(argv)}: {e}") from None


def _state(sd: Systemd, unit: str) -> dict[str, Any]:
    if sd.systemctl is None:
        return {"state": "unknown", "enabled": None, "active": None}
    word = _run(sd.argv("is-enabled", unit)).stdout.strip()
    state = word.splitlines()[0] if word else "not-found"
    out: dict[str, Any] = {"state": state, "enabled": state in ENABLED_STATES, "active": None}
    if sd.mode == "running":
        out["active"] = _run(sd.argv("is-active", unit)).stdout.strip() in ("active", "reloading", "activating")
    return out


def status(paths: Paths) -> dict[str, Any]:
    sd = find_systemd(paths)
    services = []
    for name, (unit, description) in SERVICES.items():
        services.append({"name": name, "unit": unit, "description": description, **_state(sd, unit)})
    out: dict[str, Any] = {"systemd": sd.mode, "services": services}
    if sd.message:
        out["message"] = sd.message
    return out


def parse_names(names: list[str]) -> list[str]:
    for name in names:
        if name not in SERVICES:
            raise InvalidInput(f"service: '{name}' is not one of {', '.join(SERVICES)}", "service")
    return [n for n in SERVICES if n in names] if names else list(SERVICES)


def change(paths: Paths, op: str, names: list[str], *, dry_run: bool = False) -> dict[str, Any]:
    """Enable or disable the named services (both when none is named)."""
    if op not in ("enable", "disable"):
        raise InvalidInput(f"service: '{op}' is not status, enable or disable", "service")
    wanted = parse_names(names)
    if not dry_run and os.geteuid() != 0:
        raise InvalidInput("this command changes the host's services and needs root "
                           "(run it with sudo, or turn on administrative access)", "user")
    sd = find_systemd(paths)
    if sd.mode == "absent":
        raise GatewaysError(sd.message, "systemd")
    commands: list[list[str]] = []
    for name in wanted:
        unit = SERVICES[name][0]
        state = _state(sd, unit)
        if state["state"] == "not-found":
            raise GatewaysError(f"{unit} is not installed on this host (install the package, or run "
                                "`cockpit-gateways install-hooks`)", "service")
        if state["state"] == "masked":
            raise GatewaysError(f"{unit} is masked: `systemctl unmask {unit}` first, if that is wanted", "service")
        needs = (not state["enabled"]) if op == "enable" else state["enabled"]
        if sd.mode == "running" and state["active"] is not None:
            needs = needs or (state["active"] if op == "disable" else not state["active"])
        if needs:
            commands.append(sd.argv(op, *(["--now"] if sd.mode == "running" else []), unit))
    if not dry_run:
        done: list[list[str]] = []
        for argv in commands:
            proc = _run(argv)
            if proc.returncode != 0:
                undo = "disable" if op == "enable" else "enable"
                for previous in reversed(done):        # the services as they were
                    _run([undo if word == op else word for word in previous])
                raise GatewaysError(f"{' '.join(argv)} failed: {(proc.stderr or proc.stdout).strip()}", "service")
            done.append(argv)
    out: dict[str, Any] = {"changed": bool(commands), "dry_run": dry_run,
                           "commands": [" ".join(["systemctl", *c[1:]]) for c in commands], **status(paths)}
    return out


def text(data: dict[str, Any]) -> str:
    lines = []
    if "commands" in data:
        prefix = "would: " if data["dry_run"] else ""
        lines += [prefix + c for c in data["commands"]] or ["nothing to change"]
    else:
        for s in data["services"]:
            active = "" if s["active"] is None else (", active" if s["active"] else ", inactive")
            lines.append(f"{s['name']}: {s['state']}{active} ({s['unit']}: {s['description']})")
    if data.get("message"):
        lines.append(f"note: {data['message']}")
    return "\n".join(lines) + "\n"
