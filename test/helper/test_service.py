# SPDX-License-Identifier: LGPL-2.1-or-later
"""`service status|enable|disable`: the real systemctl on a scratch --root (offline: systemd is not
the init here, and --root never touches the running system), the units put there by the helper's
own install-hooks; without systemctl on PATH the command says systemd is absent and changes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from typing import Any

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPER = os.path.join(TOP, "src", "helper", "cockpit-gateways")
WANTS = "etc/systemd/system/multi-user.target.wants"


class Service(unittest.TestCase):
    def setUp(self) -> None:
        if shutil.which("systemctl") is None:
            self.fail("systemctl is missing (Debian's systemd package)")
        self.root = tempfile.mkdtemp(prefix="gwsvc-")
        self.addCleanup(shutil.rmtree, self.root, True)

    def run_helper(self, *args: str, path: str | None = None, code: int = 0) -> Any:
        env = {**os.environ, "PATH": path if path is not None else os.environ.get("PATH", "/usr/bin:/bin")}
        proc = subprocess.run([sys.executable, HELPER, "--root", self.root, "--json", *args], capture_output=True,
                              text=True, timeout=60, env=env)
        self.assertEqual(proc.returncode, code, proc.stderr)
        return json.loads(proc.stdout)

    def states(self) -> dict[str, str]:
        return {s["name"]: s["state"] for s in self.run_helper("service", "status")["services"]}

    def links(self) -> list[str]:
        try:
            return sorted(os.listdir(os.path.join(self.root, WANTS)))
        except FileNotFoundError:
            return []

    def tree(self) -> list[str]:
        return sorted(os.path.relpath(os.path.join(d, n), self.root) for d, _, names in os.walk(self.root)
                      for n in names)

    def test_not_installed(self) -> None:
        data = self.run_helper("service", "status")
        self.assertEqual(data["systemd"], "offline")
        self.assertIn("next boot", data["message"])
        self.assertEqual(self.states(), {"boot": "not-found", "watch": "not-found"})
        error = self.run_helper("service", "enable", code=1)
        self.assertEqual(error["field"], "service")
        self.assertIn("cockpit-gateways.service is not installed", error["error"])
        self.assertEqual(self.tree(), [])

    def test_enable_disable_preview_and_state(self) -> None:
        subprocess.run([sys.executable, HELPER, "--root", self.root, "install-hooks"], check=True,
                       capture_output=True)
        self.assertEqual(self.states(), {"boot": "disabled", "watch": "disabled"})
        before = self.tree()
        plan = self.run_helper("service", "enable", "watch", "--dry-run")
        self.assertEqual((plan["changed"], plan["dry_run"]), (True, True))
        self.assertEqual(plan["commands"], [f"systemctl --root={self.root} enable cockpit-gateways-watch.service"])
        self.assertEqual(self.tree(), before)                  # a preview changes nothing

        done = self.run_helper("service", "enable", "watch")
        self.assertEqual(done["commands"], plan["commands"])
        self.assertEqual({s["name"]: s["enabled"] for s in done["services"]}, {"boot": False, "watch": True})
        self.assertEqual(self.links(), ["cockpit-gateways-watch.service"])
        self.assertEqual(os.readlink(os.path.join(self.root, WANTS, "cockpit-gateways-watch.service")),
                         "/etc/systemd/system/cockpit-gateways-watch.service")
        # both (the default): only what is missing
        done = self.run_helper("service", "enable")
        self.assertEqual(done["commands"], [f"systemctl --root={self.root} enable cockpit-gateways.service"])
        self.assertEqual(self.links(), ["cockpit-gateways-watch.service", "cockpit-gateways.service"])
        again = self.run_helper("service", "enable", "boot", "watch")
        self.assertEqual((again["changed"], again["commands"]), (False, []))

        done = self.run_helper("service", "disable", "boot")
        self.assertEqual(self.states(), {"boot": "disabled", "watch": "enabled"})
        self.assertEqual(self.links(), ["cockpit-gateways-watch.service"])
        self.run_helper("service", "disable")
        self.assertEqual(self.links(), [])

    def test_bad_input_and_no_systemd(self) -> None:
        subprocess.run([sys.executable, HELPER, "--root", self.root, "install-hooks"], check=True,
                       capture_output=True)
        before = self.tree()
        for args in (("service", "enable", "network"), ("service", "status", "bogus"), ("service", "restart")):
            error = self.run_helper(*args, code=2)
            self.assertIn(error["field"], ("service", "arguments"), args)
        # no systemctl on PATH: status says so, a change fails and changes nothing
        empty = tempfile.mkdtemp(prefix="gwsvc-path-")
        self.addCleanup(shutil.rmtree, empty, True)
        data = self.run_helper("service", "status", path=empty)
        self.assertEqual(data["systemd"], "absent")
        self.assertIn("systemd is not on this host", data["message"])
        self.assertEqual({s["enabled"] for s in data["services"]}, {None})
        error = self.run_helper("service", "enable", path=empty, code=1)
        self.assertEqual(error["field"], "systemd")
        self.assertEqual(self.tree(), before)


if __name__ == "__main__":
    unittest.main()
