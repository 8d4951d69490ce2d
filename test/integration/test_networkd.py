# SPDX-License-Identifier: LGPL-2.1-or-later
"""A real systemd-networkd (Debian 12's systemd 252, installed but not the init here) manages the lab
host's eth0 and eth1 from .network files, and with its defaults deletes the routing policy rules
and routes it did not create, ours included, whenever it (re)configures a link (`networkctl
reconfigure`).  `status` warns about exactly that; `watch` puts our objects back; the drop-in the
warning suggests stops networkd from deleting them.  Proven by packets: c2, outside the host's
subnets, reaches eth1's address.

networkd runs as DESIGN.md says: `ip netns exec HOST unshare -m`, a private /run (tmpfs), /sys
read-only, /etc/systemd as a read-only overlay that only adds networkd.conf.d (bound to the test's
--root, so the helper reads the same settings as networkd) with the test's .network files bound
onto /etc/systemd/network; the host's addresses are flushed first (networkd loops on addresses it
did not create).  A private D-Bus system bus (Debian's policy for org.freedesktop.network1) lets
`networkctl reconfigure` reach it.  networkd and dbus-daemon are stopped by PID, also on failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from typing import Any

from test.integration.base import HELPER, PYTHON, LabTestCase
from test.lab.nmlab import bus_config, stop_pid

NETWORKD = "/lib/systemd/systemd-networkd"
NETWORKCTL = "/usr/bin/networkctl"
DBUS_DAEMON = "/usr/bin/dbus-daemon"
LIMIT = 20.0

NETWORKS = {
    "10-eth0.network": "[Match]\nName=eth0\n\n[Network]\nAddress=10.0.1.10/24\nGateway=10.0.1.1\n"
                       "Address=fd00:1::10/64\nIPv6AcceptRA=no\n",
    "10-eth1.network": "[Match]\nName=eth1\n\n[Network]\nAddress=10.0.2.10/24\nAddress=fd00:2::10/64\n"
                       "IPv6AcceptRA=no\n",
}


class Networkd(LabTestCase):
    prefix = "gwsd"

    def setUp(self) -> None:
        super().setUp()
        for path in (NETWORKD, NETWORKCTL, DBUS_DAEMON):
            if not os.path.exists(path):
                self.fail(f"{path} is missing (Debian's systemd and dbus-daemon packages)")
        self.work = tempfile.mkdtemp(prefix="gwsd-")
        os.chmod(self.work, 0o755)
        self.addCleanup(shutil.rmtree, self.work, True)
        for rel in ("lower/networkd.conf.d", "network"):
            os.makedirs(os.path.join(self.work, rel))
        for name, text in NETWORKS.items():
            with open(os.path.join(self.work, "network", name), "w") as f:
                f.write(text)
        self.dropins = os.path.join(self.root, "etc/systemd/networkd.conf.d")
        os.makedirs(self.dropins)
        self.bus = os.path.join(self.work, "bus")
        with open(os.path.join(self.work, "bus.conf"), "w") as f:
            f.write(bus_config(self.bus, "/usr/share/dbus-1/system.d"))
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={self.bus}"}
        self.pids: dict[str, int] = {}
        self.watch_proc: subprocess.Popen[bytes] | None = None
        self.addCleanup(self.stop_all)
        self.bus_proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), DBUS_DAEMON,
                                          f"--config-file={self.work}/bus.conf", "--nofork", "--nopidfile"],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=self.env)
        self.pids["dbus-daemon"] = self.bus_proc.pid
        self.wait_until("the D-Bus socket", lambda: os.path.exists(self.bus))
        for dev in ("eth0", "eth1"):
            self.host("ip", "addr", "flush", "dev", dev, "scope", "global")
        self.host("ip", "route", "flush", "table", "main")
        self.start_networkd()

    # --- networkd ---------------------------------------------------------------------------------
    def start_networkd(self) -> None:
        w = self.work
        script = f"""set -e
mount -t tmpfs -o mode=0755 tmpfs /run
mount -o remount,bind,ro /sys
mount -t overlay overlay -o lowerdir={w}/lower:/etc/systemd /etc/systemd
mount --bind {w}/network /etc/systemd/network
mount --bind {self.dropins} /etc/systemd/networkd.conf.d
mkdir -p /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp
chown -R systemd-network:systemd-network /run/systemd/netif
exec {NETWORKD}
"""
        with open(os.path.join(w, "start.sh"), "w") as f:
            f.write(script)
        log = open(os.path.join(w, "networkd.log"), "ab")
        # `ip netns exec`, `unshare` and sh exec: the PID is networkd's
        proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), "unshare", "-m", "--propagation",
                                 "private", "/bin/sh", os.path.join(w, "start.sh")], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        self.networkd = proc
        self.pids["systemd-networkd"] = proc.pid
        self.wait_until("networkd configured eth0 and eth1", lambda: self.setup_states() == ["configured"] * 2)

    def stop_networkd(self) -> None:
        stop_pid(self.pids.pop("systemd-networkd"))
        self.networkd.wait(5)

    def stop_all(self) -> None:
        watch = getattr(self, "watch_proc", None)
        if watch is not None and watch.poll() is None:
            watch.send_signal(signal.SIGTERM)       # by PID: `ip netns exec` execs python
            watch.wait(5)
        for name in ("systemd-networkd", "dbus-daemon"):
            if name in self.pids:
                stop_pid(self.pids.pop(name))
        for proc in (getattr(self, "networkd", None), getattr(self, "bus_proc", None)):
            if proc is not None:
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    pass

    def in_networkd(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A command in networkd's network and mount namespaces (its /run, its /etc/systemd)."""
        proc = subprocess.run(["nsenter", "-t", str(self.pids["systemd-networkd"]), "-m", "-n", *argv],
                              capture_output=True, text=True, timeout=60, env=self.env)
        if check and proc.returncode != 0:
            self.fail(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr}\n{self.networkd_log()}")
        return proc

    def setup_states(self) -> list[str]:
        if self.networkd.poll() is not None:
            self.fail(f"networkd exited {self.networkd.returncode}: {self.networkd_log()}")
        out = self.in_networkd(NETWORKCTL, "list", "--no-legend", "--no-pager", check=False).stdout
        return [line.split()[4] for line in out.splitlines() if len(line.split()) >= 5
                and line.split()[1] in ("eth0", "eth1")]

    def networkd_log(self) -> str:
        with open(os.path.join(self.work, "networkd.log"), errors="replace") as f:
            return f.read()[-3000:]

    def wait_until(self, what: str, ready: Any, limit: float = LIMIT) -> float:
        start = time.monotonic()
        while not ready():
            if time.monotonic() - start > limit:
                self.fail(f"{what}: not within {limit} s")
            time.sleep(0.1)
        return time.monotonic() - start

    def reconfigure_eth1(self) -> None:
        """`networkctl reconfigure eth1`, and wait until networkd has configured it again."""
        count = self.networkd_log().count("eth1: Configuring with")
        self.in_networkd(NETWORKCTL, "reconfigure", "eth1")
        self.wait_until("networkd reconfigured eth1",
                        lambda: self.networkd_log().count("eth1: Configuring with") > count
                        and self.setup_states() == ["configured"] * 2)

    def status_warnings(self) -> list[str]:
        """`status` where networkd can be seen (its /run/systemd/netif), with the same drop-ins."""
        proc = self.in_networkd(PYTHON, HELPER, "--root", self.root, "status", "--json")
        return [w for w in json.loads(proc.stdout)["warnings"] if "systemd-networkd" in w]

    def objects(self) -> tuple[int, int]:
        return len(self.our_rules()), len(self.our_routes())

    def whole(self, wait: float = 2.0) -> bool:
        """Our rules (two and main's in front) and two routes are there and c2 reaches eth1's
        address (the first echo may wait for neighbour resolution on both links: `wait` seconds)."""
        return self.objects() == (3, 2) and self.lab.ping("c2", "10.0.2.10", timeout=wait)

    # --- the stories ----------------------------------------------------------------------------------
    def test_networkd_deletes_our_rules_and_watch_puts_them_back(self) -> None:
        self.helper("set", "eth1", "10.0.2.1")
        self.assertTrue(self.whole())
        [warning] = self.status_warnings()
        self.assertIn("ManageForeignRoutingPolicyRules=yes", warning)
        self.assertIn("ManageForeignRoutes=yes", warning)
        # without watch: networkd deletes our rules (and the kernel the table's routes) when it
        # reconfigures eth1
        deleted = self.deleted_rules_during(self.reconfigure_eth1)
        self.assertEqual(len([line for line in deleted if "proto 248" in line]), 3, deleted)   # and main's rule
        self.assertEqual(self.objects(), (0, 0))
        self.assertFalse(self.lab.ping("c2", "10.0.2.10"))
        self.helper("reconcile")
        self.assertTrue(self.whole())
        # with watch: put back within seconds
        self.watch_proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root",
                                            self.root, "watch"], stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)            # its start-up check is over
        rows = []
        for attempt in range(3):
            started = time.monotonic()
            self.in_networkd(NETWORKCTL, "reconfigure", "eth1")
            took = self.wait_until("watch put our objects back", lambda: self.whole(0.5))
            self.wait_until("networkd done", lambda: self.setup_states() == ["configured"] * 2)
            # networkd may delete ours once more on its way to "configured": watch repairs that too
            self.wait_until("whole once networkd is done", lambda: self.whole(0.5))
            rows.append(f"networkctl reconfigure eth1 #{attempt + 1}: whole again {took:.2f} s after the command "
                        f"({time.monotonic() - started:.2f} s until networkd was done)")
        print("\n  systemd-networkd 252 with its defaults + watch:\n" + "\n".join(f"    {r}" for r in rows), end=" ")

    def deleted_rules_during(self, action: Any) -> list[str]:
        """The rule deletions the kernel reports while `action` runs (`ip monitor rule`)."""
        mon = subprocess.Popen(["ip", "-n", self.lab.ns("host"), "monitor", "rule"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
        try:
            time.sleep(0.3)
            action()
            time.sleep(0.5)
        finally:
            mon.terminate()
            out, _ = mon.communicate(5)
        return [line for line in out.splitlines() if line.startswith("Deleted")]

    def test_the_suggested_drop_in_prevents_it(self) -> None:
        """With the drop-in networkd deletes no rule of ours (nor the admin's); reconfiguring still
        removes and re-adds eth1's address, and the kernel then drops the table's routes: watch
        repairs those."""
        self.helper("set", "eth1", "10.0.2.1")
        self.host("ip", "rule", "add", "priority", "100", "from", "10.0.7.0/24", "table", "200")
        deleted = self.deleted_rules_during(self.reconfigure_eth1)
        self.assertTrue(any("proto 248" in line for line in deleted), deleted)      # the defaults: deleted
        self.assertTrue(any("10.0.7.0/24" in line for line in deleted), deleted)
        [warning] = self.status_warnings()
        # the fix exactly as the warning words it
        self.assertIn('"[Network]"', warning)
        self.assertIn("/etc/systemd/networkd.conf.d/cockpit-gateways.conf", warning)
        with open(os.path.join(self.dropins, "cockpit-gateways.conf"), "w") as f:
            f.write("[Network]\nManageForeignRoutingPolicyRules=no\nManageForeignRoutes=no\n")
        self.stop_networkd()                       # `systemctl restart systemd-networkd`
        self.start_networkd()
        self.assertEqual(self.status_warnings(), [])
        self.helper("reconcile")
        self.host("ip", "rule", "add", "priority", "100", "from", "10.0.7.0/24", "table", "200")
        self.assertTrue(self.whole())
        self.watch_proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns("host"), PYTHON, HELPER, "--root",
                                            self.root, "watch"], stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        rows = []
        for attempt in range(2):
            started = time.monotonic()
            deleted = self.deleted_rules_during(self.reconfigure_eth1)
            self.assertEqual(deleted, [], "networkd deleted rules despite the drop-in")
            took = self.wait_until("watch put the table's routes back", lambda: self.whole(0.5))
            rows.append(f"networkctl reconfigure eth1 #{attempt + 1}: no rule deleted; whole {took:.2f} s after "
                        f"networkd was done ({time.monotonic() - started:.2f} s in all)")
        print("\n  systemd-networkd 252 with the suggested drop-in + watch:\n"
              + "\n".join(f"    {r}" for r in rows), end=" ")

if __name__ == "__main__":
    unittest.main()
