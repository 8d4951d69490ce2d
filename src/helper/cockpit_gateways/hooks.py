# SPDX-License-Identifier: LGPL-2.1-or-later
"""`install-hooks`: put the DHCP hooks and the systemd units in place for this helper.

`make install` and the Debian package install them already; this command is for a helper run
from a checkout or a tarball, and for putting them back.  The templates are the files in
src/host (a checkout) or in the helper's directory `hooks/` (installed); @LIBEXECDIR@ becomes
the directory of the helper that runs, so the hooks call exactly this helper.
"""

from __future__ import annotations

import os

from .model import GatewaysError
from .store import FileChange, Paths, read_text, remove, write_atomic

# template (relative to the hooks directory) → where it goes, and its mode
TARGETS = (
    ("dhclient-exit-hooks.d/cockpit-gateways", "etc/dhcp/dhclient-exit-hooks.d/cockpit-gateways", 0o644),
    ("dhclient.d/cockpit_gateways.sh", "etc/dhcp/dhclient.d/cockpit_gateways.sh", 0o755),
    ("dispatcher.d/50-cockpit-gateways", "etc/NetworkManager/dispatcher.d/50-cockpit-gateways", 0o755),
    ("systemd/cockpit-gateways.service", "etc/systemd/system/cockpit-gateways.service", 0o644),
    ("systemd/cockpit-gateways-watch.service", "etc/systemd/system/cockpit-gateways-watch.service", 0o644),
)


def helper_dir() -> str:
    """The directory of the running helper (its entry script sits next to this package)."""
    return os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def templates_dir() -> str:
    base = helper_dir()
    for candidate in (os.path.join(base, "hooks"), os.path.join(os.path.dirname(base), "host")):
        if os.path.isfile(os.path.join(candidate, TARGETS[0][0])):
            return candidate
    raise GatewaysError("install-hooks needs the helper as installed or checked out (the hooks/ directory next to "
                        "it, or src/host/ in a checkout, was not found)")


def install_hooks(paths: Paths, *, remove_them: bool = False, dry_run: bool = False) -> list[FileChange]:
    source = templates_dir()
    changes = []
    for template, target, mode in TARGETS:
        path = os.path.join(paths.root, target)
        if remove_them:
            current = read_text(path)
            if current is not None and "cockpit-gateways" in current:
                changes.append(FileChange(path, "delete"))
            continue
        text = read_text(os.path.join(source, template))
        if text is None:
            raise GatewaysError(f"the hook template {template} is missing from {source}")
        text = text.replace("@LIBEXECDIR@", helper_dir())
        if read_text(path) != text or (os.path.exists(path) and os.stat(path).st_mode & 0o777 != mode):
            changes.append(FileChange(path, "write", text))
    if not dry_run:
        for change in changes:
            mode = next(m for _, t, m in TARGETS if os.path.join(paths.root, t) == change.path)
            if change.action == "delete":
                remove(change.path, paths.root)
            elif change.text is not None:
                write_atomic(change.path, change.text, paths.root, mode)
                os.chmod(change.path, mode)
    return changes
