# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a change does to live connections: `--dry-run --json` lists the established TCP
connections whose path would change, with real connections in the lab.

The admin's console: a real cockpit-ws listens on the lab host, and the management client c1
(10.0.8.2, behind R1, which routes 10.0.2.0/24 to the host) holds a TCP connection to it at the
display address 10.0.2.10.  Its packets
arrive on eth0 and the replies leave by eth0.  `set eth1 10.0.2.1` would send replies from
10.0.2.10 to eth1's table, and strict rp_filter on eth0 would then drop c1's packets: the dry run
says so, marks the connection `cockpit: true`, and the change, once applied, really cuts it (the
kernel agrees).  A second connection (a plain listener at 10.0.1.10) is untouched by that plan
but moved by a route through R2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from test.integration.base import LabTestCase

COCKPIT_WS = "/usr/lib/cockpit/cockpit-ws"
CLIENT = """
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
print(s.getsockname()[1], flush=True)
time.sleep(120)
"""
SERVER = """
import socket, sys, time
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(5)
print("listening", flush=True)
conns = []
while True:
    conns.append(srv.accept()[0])
"""


class Connections(LabTestCase):
    prefix = "gwwi"

    def start(self, node: str, *argv: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns(node), *argv], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        self.addCleanup(self._stop, proc)
        return proc

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def connect(self, address: str, port: int) -> int:
        client = self.start("c1", sys.executable, "-c", CLIENT, address, str(port))
        assert client.stdout is not None
        line = client.stdout.readline()
        self.assertTrue(line.strip().isdigit(), f"client to {address}:{port} did not connect")
        return int(line)

    def wait_listening(self, port: int) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            out = self.host("ss", "-Htln", f"sport = :{port}").stdout
            if out.strip():
                return
            time.sleep(0.1)
        self.fail(f"nothing listens on port {port}")

    def test_dry_runs_list_the_connections_they_would_move_or_cut(self) -> None:
        if not os.path.exists(COCKPIT_WS):
            self.skipTest("cockpit-ws is not installed")
        ws_port, plain_port = 19090 + os.getpid() % 500, 18080
        # the management router knows the display network behind the host (the admin's way in)
        self.lab.run("r1", "ip", "route", "add", "10.0.2.0/24", "via", "10.0.1.10")
        self.start("host", COCKPIT_WS, "--no-tls", "--address", "0.0.0.0", "--port", str(ws_port))
        server = self.start("host", sys.executable, "-c", SERVER, "10.0.1.10", str(plain_port))
        assert server.stdout is not None
        self.assertEqual(server.stdout.readline().strip(), "listening")
        self.wait_listening(ws_port)
        console_port = self.connect("10.0.2.10", ws_port)
        plain_client_port = self.connect("10.0.1.10", plain_port)

        plan = self.helper_json("set", "eth1", "10.0.2.1", "--dry-run")
        self.assertTrue(plan["changed"])
        [console] = plan["connections"]
        self.assertEqual((console["local"], console["local_port"], console["remote"], console["remote_port"]),
                         ("10.0.2.10", ws_port, "10.0.8.2", console_port))
        self.assertTrue(console["cockpit"])
        self.assertEqual(console["before"]["nexthops"], [{"dev": "eth0", "gateway": "10.0.1.1"}])
        self.assertEqual(console["after"]["nexthops"], [{"dev": "eth1", "gateway": "10.0.2.1"}])
        self.assertEqual((console["incoming"]["interface"], console["incoming"]["after"]["code"]),
                         ("eth0", "rp-filter"))
        self.assertIn("Your own web console connection would be cut", console["text"])

        # a route through R2 moves the plain connection (not cockpit's) and leaves the console alone
        moved = self.helper_json("route", "add", "10.0.8.0/24", "--via", "10.0.2.1", "--table", "main", "--dry-run")
        by_port = {c["local_port"]: c for c in moved["connections"]}
        self.assertEqual(set(by_port), {plain_port, ws_port})   # both reply to 10.0.8.2 by main
        self.assertFalse(by_port[plain_port]["cockpit"])
        self.assertEqual(by_port[plain_port]["remote_port"], plain_client_port)
        self.assertEqual(by_port[plain_port]["after"]["nexthops"], [{"dev": "eth1", "gateway": "10.0.2.1"}])
        # and with strict rp_filter on eth0, c1's packets would no longer be accepted there
        self.assertEqual(by_port[plain_port]["incoming"]["after"]["code"], "rp-filter")
        self.assertIn("would be cut", by_port[plain_port]["text"])

        cut = self.helper_json("rule", "add", "--priority", "100", "--to", "10.0.8.0/24", "--action", "prohibit",
                               "--dry-run")
        self.assertEqual({c["after"]["code"] for c in cut["connections"]}, {"prohibit"})
        self.assertTrue(all(c["after"]["dropped"] for c in cut["connections"]))

        # a plan that changes routing but not their paths lists none
        same = self.helper_json("set", "eth0", "10.0.1.1", "--dry-run")
        self.assertTrue(same["changed"])
        self.assertEqual(same["connections"], [])

        # the prediction holds: after the change the kernel itself drops c1's packets on eth0
        self.helper("set", "eth1", "10.0.2.1")
        proc = self.host("ip", "route", "get", "10.0.2.10", "from", "10.0.8.2", "iif", "eth0", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("Invalid argument", proc.stderr)
