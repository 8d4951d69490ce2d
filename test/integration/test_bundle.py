# SPDX-License-Identifier: LGPL-2.1-or-later
"""The one-file helper the page runs (tools/bundle-helper.py → dist/helper.py, fed to
`python3 -I -` on stdin, as the page's helper client does) carries every module of the package,
imports them from memory only, and does on a real kernel what the checkout's helper does."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from test.integration.base import PYTHON, TOP, LabTestCase

PACKAGE = os.path.join(TOP, "src", "helper", "cockpit_gateways")


class Bundle(LabTestCase):
    prefix = "gwbund"

    def setUp(self) -> None:
        super().setUp()
        self.script = subprocess.run([PYTHON, os.path.join(TOP, "tools", "bundle-helper.py")], capture_output=True,
                                     text=True, check=True).stdout

    def bundled(self, *args: str) -> subprocess.CompletedProcess[str]:
        # cwd / and -I: nothing of the checkout is on sys.path, the modules can only come from the script
        return subprocess.run(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, "-I", "-", "--root", self.root,
                               *args], input=self.script, capture_output=True, text=True, timeout=60, cwd="/")

    def bundled_json(self, *args: str) -> Any:
        proc = self.bundled(*args, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_every_module_is_in_the_bundle(self) -> None:
        modules = sorted(name[:-3] for name in os.listdir(PACKAGE) if name.endswith(".py"))
        self.assertIn("names", modules)
        for name in modules:
            with self.subTest(module=name):
                self.assertIn(repr("cockpit_gateways" + ("" if name == "__init__" else "." + name)), self.script)

    def test_status_set_unset_as_the_checkout_does(self) -> None:
        self.assertEqual(self.bundled_json("status"), self.helper_json("status"))
        planned = self.bundled_json("set", "eth1", "10.0.2.1", "--dry-run")
        self.assertEqual(planned, self.helper_json("set", "eth1", "10.0.2.1", "--dry-run"))
        self.assertTrue(planned["changed"])
        self.assertEqual(self.our_rules(), [])                 # a dry run changes nothing

        self.assert_cannot_ping("c2", "10.0.2.10")
        done = self.bundled_json("set", "eth1", "10.0.2.1")
        self.assertEqual([c["text"] for c in done["changes"]], [c["text"] for c in planned["changes"]])
        self.assert_can_ping("c2", "10.0.2.10")
        self.assert_can_ping("c1", "10.0.1.10")
        self.assertEqual(self.bundled_json("status"), self.helper_json("status"))
        [eth1] = [i for i in self.bundled_json("status")["interfaces"] if i["name"] == "eth1"]
        self.assertEqual([(g["address"], g["state"]) for g in eth1["gateways"]], [("10.0.2.1", "active")])

        bad = self.bundled("set", "eth1", "10.0.2.999", "--json")   # bad input: exit 2, the field named
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertEqual(json.loads(bad.stdout)["field"], "gateway")

        self.bundled_json("unset", "eth1")
        self.assertEqual(self.our_rules(), [])
        self.assertEqual(self.our_routes(), [])
        self.assert_cannot_ping("c2", "10.0.2.10")
