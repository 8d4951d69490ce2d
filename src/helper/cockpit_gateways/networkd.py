# SPDX-License-Identifier: LGPL-2.1-or-later
"""systemd-networkd deletes routing policy rules and routes it did not create, ours included
(ManageForeignRoutingPolicyRules=yes, ManageForeignRoutes=yes by default): is it running for this
host's network, how is it set, and the warning with the one-line fix (`status`, conflicts)."""

from __future__ import annotations

import os

from .store import Paths

NETWORKD_SETTINGS = ("ManageForeignRoutingPolicyRules", "ManageForeignRoutes")
NETWORKD_FIX = "/etc/systemd/networkd.conf.d/cockpit-gateways.conf"


def networkd_running() -> bool:
    """Is systemd-networkd running for this host's network, i.e. in our network namespace? (/proc
    is the machine's: a networkd in another namespace manages other interfaces, not ours.)"""
    if not os.path.isdir("/run/systemd/netif"):      # networkd's state directory: cheap first look
        return False
    try:
        ours = os.readlink("/proc/self/ns/net")
    except OSError:
        ours = None
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() != "systemd-network":    # comm is cut at 15 characters
                        continue
                if ours is None or os.readlink(f"/proc/{pid}/ns/net") == ours:
                    return True
            except OSError:
                continue
    return False


def networkd_settings(paths: Paths) -> dict[str, bool]:
    """The [Network] Manage* settings as networkd would read them under --root: the main file, then
    drop-ins by file name (/etc over /run over /usr/lib for the same name).  Defaults: yes."""
    base = [os.path.join(paths.root, p) for p in ("usr/lib/systemd/networkd.conf", "etc/systemd/networkd.conf")]
    dropins: dict[str, str] = {}
    for d in ("usr/lib/systemd/networkd.conf.d", "run/systemd/networkd.conf.d", "etc/systemd/networkd.conf.d"):
        try:
            names = os.listdir(os.path.join(paths.root, d))
        except OSError:
            continue
        for name in names:
            if name.endswith(".conf"):
                dropins[name] = os.path.join(paths.root, d, name)
    values = {key: True for key in NETWORKD_SETTINGS}
    for path in base + [dropins[name] for name in sorted(dropins)]:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        section = ""
        for line in lines:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                continue
            key, sep, value = line.partition("=")
            if sep and section == "Network" and key.strip() in values:
                word = value.strip().lower()
                if word in ("1", "yes", "true", "on"):
                    values[key.strip()] = True
                elif word in ("0", "no", "false", "off"):
                    values[key.strip()] = False
    return values


def networkd_warnings(paths: Paths, running: bool | None = None) -> list[str]:
    if not (networkd_running() if running is None else running):
        return []
    bad = [key for key, value in networkd_settings(paths).items() if value]
    if not bad:
        return []
    return ["systemd-networkd is running and deletes routing policy rules and routes it did not create "
            f"({', '.join(f'{k}=yes' for k in bad)}), ours included. Fix: put \"[Network]\" and "
            + " and ".join(f'"{k}=no"' for k in bad)
            + f" in {NETWORKD_FIX}, then `systemctl restart systemd-networkd`."]
