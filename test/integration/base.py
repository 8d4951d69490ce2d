# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared pieces of the namespace tests: a fresh lab and a scratch --root per test, the helper run
as a whole process inside the lab host, and snapshots of the kernel and the files to prove that a
command changed nothing or only what it owns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from typing import Any

from test.lab.gwlab import Lab

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPER = os.path.join(TOP, "src", "helper", "cockpit-gateways")
PYTHON = "/usr/bin/python3"
PROTO = 248


class LabTestCase(unittest.TestCase):
    prefix = "gwit"

    def setUp(self) -> None:
        if os.geteuid() != 0:
            self.skipTest("namespace tests need root")
        self.lab = Lab(self.prefix).up()
        self.addCleanup(self.lab.down)
        self.root = tempfile.mkdtemp(prefix="gwit-root-")
        self.addCleanup(shutil.rmtree, self.root, True)

    # --- running the helper ---------------------------------------------------------------------
    def helper(self, *args: str, check: bool = True, env: dict[str, str] | None = None,
               prefix: tuple[str, ...] = (), helper: str = HELPER) -> subprocess.CompletedProcess[str]:
        argv = ["ip", "netns", "exec", self.lab.ns("host"), *prefix, PYTHON, helper, "--root", self.root, *args]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                              env={**os.environ, **(env or {})})
        if check and proc.returncode != 0:
            self.fail(f"helper {' '.join(args)} exited {proc.returncode}: {proc.stderr}{proc.stdout}")
        return proc

    NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")

    def readable_helper(self) -> str:
        """A copy of the helper an ordinary user can run (the checkout may sit in a directory only
        root can enter, e.g. a clone under mktemp -d), and --root opened to everyone."""
        os.chmod(self.root, 0o755)
        copy = tempfile.mkdtemp(prefix="gwit-helper-")
        self.addCleanup(shutil.rmtree, copy, True)
        os.chmod(copy, 0o755)
        shutil.copytree(os.path.dirname(HELPER), os.path.join(copy, "helper"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        return os.path.join(copy, "helper", os.path.basename(HELPER))

    def helper_json(self, *args: str) -> Any:
        return json.loads(self.helper(*args, "--json").stdout)

    def move_table_in_config(self, name: str, table: int) -> None:
        """Edit config.json by hand, as an admin might: give `name` another table number."""
        path = os.path.join(self.root, "etc/cockpit-gateways/config.json")
        with open(path) as f:
            config = json.load(f)
        config["interfaces"][name]["table"] = table
        with open(path, "w") as f:
            json.dump(config, f)

    def host(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.lab.run("host", *argv, check=check)

    # --- looking at the kernel ------------------------------------------------------------------
    def rules(self, family: str = "-4") -> list[dict[str, Any]]:
        return self.lab.ip_json("host", family, "rule", "show")

    def our_rules(self) -> list[dict[str, Any]]:
        return [r for f in ("-4", "-6") for r in self.rules(f) if str(r.get("protocol")) == str(PROTO)]

    def routes(self, family: str = "-4", *selector: str) -> list[dict[str, Any]]:
        return self.lab.ip_json("host", family, "route", "show", "table", "all", *selector)

    def our_routes(self) -> list[dict[str, Any]]:
        return [r for f in ("-4", "-6") for r in self.routes(f, "proto", str(PROTO))]

    def kernel_state(self) -> str:
        """Every rule and every route of the host, both families, as one comparable text."""
        parts = []
        for family in ("-4", "-6"):
            parts.append(json.dumps(self.rules(family), sort_keys=True))
            parts.append(json.dumps(sorted(self.routes(family), key=lambda r: json.dumps(r, sort_keys=True)),
                                    sort_keys=True))
        return "\n".join(parts)

    def foreign_state(self) -> str:
        """Like kernel_state, without our objects: what must survive every command."""
        parts = []
        for family in ("-4", "-6"):
            rules = [r for r in self.rules(family) if str(r.get("protocol")) != str(PROTO)]
            routes = [r for r in self.routes(family) if str(r.get("protocol")) != str(PROTO)
                      and r.get("type") not in ("local", "broadcast", "2", "3")]
            parts.append(json.dumps(rules, sort_keys=True))
            parts.append(json.dumps(sorted(routes, key=lambda r: json.dumps(r, sort_keys=True)), sort_keys=True))
        return "\n".join(parts)

    def files(self) -> dict[str, bytes]:
        out = {}
        for directory, _, names in os.walk(self.root):
            for name in names:
                path = os.path.join(directory, name)
                if name == "lock":
                    continue
                with open(path, "rb") as f:
                    out[os.path.relpath(path, self.root)] = f.read()
        return out

    def add_foreign_objects(self) -> None:
        """The admin's, a VPN's, NetworkManager's: rules at our priorities and pointing at our
        table numbers, routes in main and in other tables (also ours by number)."""
        for cmd in (
            "rule add priority 31000 to 10.0.2.0/24 table 10000",
            "rule add priority 31001 from 10.0.2.0/24 table 10000 protocol static",
            "rule add priority 100 from 10.0.7.0/24 table 200",
            "rule add priority 31000 iif eth1 table 201",
            "rule add priority 32000 fwmark 0x10/0xff table 202 protocol 249",
            "route add 10.0.7.0/24 dev eth1 table 200",
            "route add default via 10.0.2.1 dev eth1 table 200",
            "route add 10.0.6.0/24 dev eth1 table 10000",
            "route add 10.0.5.0/24 via 10.0.1.1 dev eth0",
            "route add blackhole 10.0.4.0/24 table 201 proto 250",
        ):
            self.host("ip", *cmd.split())
        for cmd in (
            "rule add priority 31001 from fd00:7::/64 table 200",
            "route add fd00:7::/64 dev eth1 table 200",
        ):
            self.host("ip", "-6", *cmd.split())

    def assert_can_ping(self, node: str, address: str, **kw: Any) -> None:
        self.assertTrue(self.lab.ping(node, address, **kw), f"{node} cannot ping {address}")

    def assert_cannot_ping(self, node: str, address: str, **kw: Any) -> None:
        self.assertFalse(self.lab.ping(node, address, **kw), f"{node} can ping {address}")
