# SPDX-License-Identifier: LGPL-2.1-or-later
"""Privilege and safety: changing commands refuse without root; no shell command line is ever
built; files land only in the documented directories under --root (and the machine's own stay
untouched); planted symlinks are not followed; across a full scenario the helper never flushes
and never deletes an object without our marker, except the one named with --foreign; the page
sends arguments, never code, to the root side."""

from __future__ import annotations

import ast
import glob
import json
import os
import re
import shutil
import tempfile
import unittest

from test.hardening.common import LOGGING_IP, HardeningCase, record, write_fake_ip
from test.integration.base import HELPER, TOP

MODULES = sorted(glob.glob(os.path.join(TOP, "src", "helper", "cockpit_gateways", "*.py")))
DOCUMENTED = re.compile(r"^(etc/cockpit-gateways/(config|kept)\.json|run/cockpit-gateways/(lock|pending\.json|dhcp\.json)"
                        r"|etc/iproute2/rt_(tables|protos)\.d/cockpit-gateways\.conf|etc/iproute2/rt_tables\.d/cockpit-gateways-names\.conf"
                        r"|etc/sysconfig/network-scripts/(route|route6|rule|rule6)-[^/]+)$")
MACHINE_DIRS = ("/etc/cockpit-gateways", "/etc/iproute2/rt_tables.d", "/etc/iproute2/rt_protos.d",
                "/run/cockpit-gateways", "/etc/sysconfig/network-scripts")
DHCP_ENV = {"reason": "BOUND", "interface": "eth1", "new_ip_address": "10.0.2.10", "new_subnet_mask": "255.255.255.0",
            "new_routers": "10.0.2.1"}


class StaticChecks(unittest.TestCase):
    def test_no_shell_and_argument_lists_only(self) -> None:
        calls = 0
        for path in MODULES:
            with open(path) as f:
                tree = ast.parse(f.read(), path)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = ast.unparse(node.func)
                where = f"{os.path.basename(path)}:{node.lineno}: {ast.unparse(node)[:80]}"
                self.assertNotIn(func, ("os.system", "os.popen", "os.execl", "os.execlp", "os.spawnl", "eval",
                                        "exec", "commands.getoutput", "subprocess.getoutput"), where)
                for kw in node.keywords:
                    if kw.arg == "shell":
                        self.fail(f"shell= in {where}")
                if func.startswith("subprocess.") and func.split(".")[1] in ("run", "Popen", "call", "check_call",
                                                                             "check_output"):
                    self.assertIsInstance(node.args[0], (ast.List, ast.ListComp), f"not a list: {where}")
                    calls += 1
        self.assertGreaterEqual(calls, 3)

    def test_the_page_sends_arguments_not_code(self) -> None:
        with open(os.path.join(TOP, "src", "client", "helper-client.ts")) as f:
            client = f.read()
        spawns = re.findall(r"cockpit\.spawn\(([^)]*\))", client)
        self.assertTrue(spawns)
        for call in spawns:
            # the fixed interpreter and `-` (script on stdin), then the caller's arguments as argv
            self.assertTrue(call.startswith('["python3", "-I", "-", ...args]') or call.startswith('["true"]'), call)
        # the script is the package's own file (a constant URL, or the bundle), never built from values
        self.assertRegex(client, r"\.input\(source\)")
        self.assertRegex(client, r"source = await helperScript\(\)")
        if "HELPER_URL" in client:
            self.assertRegex(client, r'export const HELPER_URL = "[\w.-]+";')
            self.assertRegex(client, r"fetch\(HELPER_URL, \{ credentials: \"same-origin\" \}\)")
        for path in glob.glob(os.path.join(TOP, "src", "**", "*.ts*"), recursive=True):
            with open(path) as f:
                text = f.read()
            self.assertNotRegex(text, r"cockpit\.script\(", path)          # no shell scripts from the page
            self.assertNotRegex(text, r'"(sh|bash)",\s*"-c"', path)
            self.assertNotRegex(text, r"python3\",\s*\"-c\"", path)


class Privilege(HardeningCase):
    prefix = "gwhpr"

    def copy_helper(self) -> str:
        copy = tempfile.mkdtemp(prefix="gwh-helper-")
        self.addCleanup(shutil.rmtree, copy, True)
        os.chmod(copy, 0o755)
        shutil.copytree(os.path.dirname(HELPER), os.path.join(copy, "helper"), ignore=shutil.ignore_patterns("__pycache__"))
        return os.path.join(copy, "helper", "cockpit-gateways")

    def test_changing_commands_refuse_without_root(self) -> None:
        self.helper("set", "eth0", "10.0.1.1")
        token = self.helper_json("set", "eth1", "fd00:2::1", "--confirm-within", "60")["token"]
        kernel, files = self.kernel_state(), self.files()
        os.chmod(self.root, 0o755)
        helper = self.copy_helper()
        nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        for args, env in ((("set", "eth1", "10.0.2.1"), None), (("unset", "eth0"), None), (("reconcile",), None),
                          (("confirm", token), None), (("dhcp-event",), DHCP_ENV),
                          (("dhcp-event", "eth1", "down"), None),
                          (("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300"), None),
                          (("route", "del", "10.0.5.0/24", "--via", "10.0.1.1", "--foreign"), None),
                          (("rule", "add", "--priority", "700", "--to", "10.0.9.0/24", "--table", "300"), None),
                          (("table-name", "add", "300", "vpn2"), None),
                          (("rule", "del", "--priority", "100", "--from", "10.0.7.0/24", "--table", "200", "--foreign"),
                           None)):
            with self.subTest(args=args):
                proc = self.helper(*args, check=False, prefix=nobody, helper=helper, env=env)
                self.assertEqual(proc.returncode, 2, f"{args}: {proc.stderr}")
                self.assertIn("needs root", proc.stderr)
                self.assertEqual(len(proc.stderr.splitlines()), 1)
        self.assertEqual((self.kernel_state(), self.files()), (kernel, files))
        self.helper("confirm", token)


class FullScenario(HardeningCase):
    prefix = "gwhfs"

    def machine(self) -> dict[str, list[str]]:
        return {d: sorted(os.listdir(d)) if os.path.isdir(d) else [] for d in MACHINE_DIRS}

    def test_ip_log_files_and_machine_directories(self) -> None:
        machine_before = self.machine()
        fake = os.path.join(self.scratch, "logbin")
        log = os.path.join(self.scratch, "ip.log")
        write_fake_ip(fake, LOGGING_IP, log=log)
        env = {"PATH": f"{fake}:{os.environ['PATH']}"}

        def run(*args: str, extra: dict[str, str] | None = None) -> dict[str, object]:
            return json.loads(self.helper(*args, "--json", env={**env, **(extra or {})}).stdout)

        run("set", "eth0", "10.0.1.1")
        run("set", "eth1", "10.0.2.1")
        run("set", "eth1", "fd00:2::1")
        run("dhcp-event", extra={**DHCP_ENV, "interface": "eth0", "new_ip_address": "10.0.1.10",
                                 "new_routers": "10.0.1.1"})
        run("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300", "--keep")
        run("rule", "add", "--priority", "700", "--to", "10.0.9.0/24", "--table", "300", "--keep")
        run("table-name", "add", "300", "vpn2")
        token = run("set", "eth1", "10.0.2.1", "--onlink", "--confirm-within", "30")["token"]
        run("confirm", str(token))
        run("route", "del", "10.0.5.0/24", "--via", "10.0.1.1", "--dev", "eth0", "--foreign")   # the one named
        self.host("ip", "rule", "del", "priority", "31000", "to", "10.0.2.0/24", "table", "10000", "protocol", "248",
                  check=False)
        run("reconcile")
        run("dhcp-event", "eth0", "down")
        run("unset", "eth1")
        run("route", "del", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300", "--foreign")
        run("rule", "del", "--priority", "700", "--to", "10.0.9.0/24", "--table", "300", "--foreign")
        self.helper("status", env=env)
        # the one foreign object named with --foreign is gone; take it out of the baseline
        self.foreign_before = self.foreign_before.replace(
            json.dumps({"dst": "10.0.5.0/24", "gateway": "10.0.1.1", "dev": "eth0", "flags": []}, sort_keys=True)
            + ", ", "")

        with open(log) as f:
            lines = f.read().splitlines()
        named = {"route del 10.0.5.0/24 via 10.0.1.1 dev eth0 table 254 proto 3 scope global metric 0",
                 "route del 10.0.9.0/24 via 10.0.2.1 dev eth1 table 300 proto 4 scope global metric 0",
                 "rule del priority 700 to 10.0.9.0/24 table 300 protocol 4"}
        deletes = []
        for line in lines:
            self.assertNotRegex(line, r"\bflush\b", line)
            text = line.split(" ", 1)[1]
            if re.search(r"\b(rule|route)\s+(del|delete)\b", text):
                deletes.append(text)
                if text in named:
                    continue
                self.assertRegex(text, r"\b(proto|protocol) 248\b", f"a delete without our marker: {line}")
        self.assertTrue(named <= set(deletes), set(deletes))
        record(ip_invocations=len(lines))
        print(f"\n  ip invocations and batch lines audited: {len(lines)}, deletes: {len(deletes)}", flush=True)

        # every file under the scratch root is a documented one; the machine's own are untouched
        for directory, _, names in os.walk(self.root):
            for name in names:
                rel = os.path.relpath(os.path.join(directory, name), self.root)
                self.assertRegex(rel, DOCUMENTED)
        self.assertEqual(self.machine(), machine_before)


class Symlinks(HardeningCase):
    prefix = "gwhsy"
    foreign = False

    CASES = (
        ("etc/cockpit-gateways/config.json", ("set", "eth1", "10.0.2.1")),
        ("etc/iproute2/rt_tables.d/cockpit-gateways.conf", ("set", "eth1", "10.0.2.1")),
        ("etc/iproute2/rt_protos.d/cockpit-gateways.conf", ("set", "eth1", "10.0.2.1")),
        ("run/cockpit-gateways/lock", ("set", "eth1", "10.0.2.1")),
        ("run/cockpit-gateways/pending.json", ("set", "eth1", "10.0.2.1", "--confirm-within", "30")),
        ("run/cockpit-gateways/dhcp.json", ("dhcp-event",)),
        ("etc/cockpit-gateways/kept.json", ("route", "add", "10.0.9.0/24", "--via", "10.0.2.1", "--table", "300",
                                            "--keep")),
        ("etc/sysconfig/network-scripts/route-eth1", ("set", "eth1", "10.0.2.1")),
        ("etc/sysconfig/network-scripts/rule-eth1", ("set", "eth1", "10.0.2.1")),
        ("etc/iproute2/rt_tables.d/cockpit-gateways-names.conf", ("table-name", "add", "300", "vpn2")),
    )

    def test_planted_symlinks_are_not_followed(self) -> None:
        outside = os.path.join(self.scratch, "victim")
        for rel, args in self.CASES:
            for kind in ("file", "directory"):
                with self.subTest(rel=rel, kind=kind):
                    shutil.rmtree(self.root)
                    os.makedirs(os.path.join(self.root, "etc/sysconfig/network-scripts"))
                    os.makedirs(outside, exist_ok=True)
                    victim = os.path.join(outside, "file")
                    with open(victim, "w") as f:
                        f.write("precious\n")
                    link = os.path.join(self.root, rel)
                    os.makedirs(os.path.dirname(link), exist_ok=True)
                    if kind == "file":
                        os.symlink(victim, link)
                    else:
                        shutil.rmtree(os.path.dirname(link))
                        os.symlink(outside, os.path.dirname(link))
                    before = sorted(os.listdir(outside))
                    proc = self.helper(*args, check=False, env=DHCP_ENV)
                    self.assertNotIn("Traceback", proc.stderr)
                    self.assertIn(proc.returncode, (1, 2), proc.stderr)
                    self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
                    with open(victim) as f:
                        self.assertEqual(f.read(), "precious\n")
                    self.assertEqual(sorted(os.listdir(outside)), before)
                    self.helper("reconcile", check=False)
                    self.host("ip", "route", "del", "10.0.9.0/24", "table", "300", check=False)
                    for rule in self.our_rules():
                        self.host("ip", "rule", "del", "priority", str(rule["priority"]), "protocol", "248")
                    self.host("ip", "route", "flush", "table", "all", "proto", "248")
