# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared pieces of the packaging tests: the checkout, make without rebuilding the page, and a
fingerprint of the machine's own install locations to prove a test wrote nothing there."""

from __future__ import annotations

import os
import subprocess
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3"

# Every directory `make install` (either PREFIX) or a .deb writes to on a real host.
REAL_PLACES = (
    "/usr/local/share/cockpit", "/usr/local/libexec", "/usr/local/sbin", "/usr/local/lib/systemd/system",
    "/usr/local/share/metainfo", "/usr/share/cockpit", "/usr/libexec", "/usr/sbin", "/usr/lib/systemd/system",
    "/usr/share/metainfo", "/etc/dhcp", "/etc/dhcp/dhclient-exit-hooks.d", "/etc/dhcp/dhclient.d",
    "/etc/NetworkManager/dispatcher.d", "/usr/share/doc",
)


def make(*args: str, cwd: str = TOP) -> subprocess.CompletedProcess[str]:
    """make without rebuilding dist/ (`make check` built it; -o all keeps it as it is)."""
    proc = subprocess.run(["make", "--no-print-directory", "-s", "-o", "all", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc


def real_places() -> dict[str, tuple[str, ...] | None]:
    """The names (and their mtimes) in each real install directory; None where it is missing."""
    out: dict[str, tuple[str, ...] | None] = {}
    for place in REAL_PLACES:
        try:
            names = sorted(os.listdir(place))
            out[place] = tuple(f"{n}@{os.lstat(os.path.join(place, n)).st_mtime_ns}" for n in names)
        except FileNotFoundError:
            out[place] = None
    return out


class PackagingTestCase(unittest.TestCase):
    def setUp(self) -> None:
        if not os.path.exists(os.path.join(TOP, "dist", "manifest.json")):
            self.fail("dist/ is not built: run `make` first (make check-packaging does)")
        self.before = real_places()
        self.addCleanup(self.assert_machine_untouched)

    def assert_machine_untouched(self) -> None:
        self.assertEqual(real_places(), self.before, "a packaging test changed the machine's own directories")
