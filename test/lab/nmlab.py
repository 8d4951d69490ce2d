# SPDX-License-Identifier: LGPL-2.1-or-later
"""A real NetworkManager managing the lab host's eth0 and eth1 (stdlib only).

NetworkManager is Debian's `network-manager` package, downloaded (`apt-get download`) and
extracted (`dpkg-deb -x`) into a cache folder: it is NEVER installed on the machine (installing
it could take over the machine's own network).  Its only library the machine lacks, libndp0, is
installed by test/system-deps.sh.  It runs as DESIGN.md's "NetworkManager in the lab" says:

- a private D-Bus system bus: a copy of Debian's system.conf with its own socket, without the
  user, fork, pidfile, syslog and service-activation lines, including the extracted package's
  policy files; NetworkManager, nm-dispatcher and nmcli find it through DBUS_SYSTEM_BUS_ADDRESS;
- NetworkManager and nm-dispatcher under `ip netns exec HOST unshare -m -u`: their own mount and
  UTS namespaces, /run a tmpfs, /sys remounted read-only (with a writable /sys NetworkManager
  waits for udev, which does not run here, and manages nothing), read-only overlays on /etc and
  /var/lib that only add the NetworkManager folders (which do not exist on the machine), with
  writable scratch folders bound onto them;
- keyfiles in that /etc/NetworkManager/system-connections, `[keyfile] unmanaged-devices` leaving
  every device but eth0 and eth1 alone, the internal DHCP client, no DNS, no hostname changes;
- `nm-dispatcher --persist` started by us (no bus activation) with our real hook in
  dispatcher.d.  Dispatcher scripts get no environment from us, so the hook's helper path
  (@LIBEXECDIR@) is a wrapper that sets COCKPIT_GATEWAYS_ROOT to the test's scratch root, logs
  every call with its time and runs the checkout's helper.

Every process is stopped by its PID (`stop()`, also when starting fails), and the lab's own
`down()` stops anything left in its namespaces.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

from test.lab.gwlab import Lab, _is_zombie

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPER = os.path.join(TOP, "src", "helper", "cockpit-gateways")
HOOK = os.path.join(TOP, "src", "host", "dispatcher.d", "50-cockpit-gateways")
CACHE = os.path.join(TOP, "tmp", "networkmanager")
PYTHON = "/usr/bin/python3"
DBUS_DAEMON = "/usr/bin/dbus-daemon"
SYSTEM_CONF = "/usr/share/dbus-1/system.conf"

NM_CONF = """\
[main]
auth-polkit=false
plugins=keyfile
dhcp=internal
dns=none
rc-manager=unmanaged
hostname-mode=none
no-auto-default=*

[keyfile]
unmanaged-devices=except:interface-name:eth0;except:interface-name:eth1

[connectivity]
enabled=false

[logging]
level=INFO
"""

ETH0 = """\
[ipv4]
method=manual
address1=10.0.1.10/24,10.0.1.1

[ipv6]
method=manual
addr-gen-mode=eui64
address1=fd00:1::10/64,fd00:1::1
"""

ETH1_STATIC = """\
[ipv4]
method=manual
address1=10.0.2.10/24
never-default=true

[ipv6]
method=manual
addr-gen-mode=eui64
address1=fd00:2::10/64
never-default=true
"""


def extracted() -> str:
    """The extracted package's root in the cache folder: downloaded and extracted the first time."""
    root = os.path.join(CACHE, "root")
    if os.path.exists(os.path.join(root, "usr/sbin/NetworkManager")):
        return root
    os.makedirs(CACHE, exist_ok=True)
    debs = glob.glob(os.path.join(CACHE, "network-manager_*.deb"))
    if not debs:
        proc = subprocess.run(["apt-get", "download", "network-manager"], cwd=CACHE, capture_output=True,
                              text=True, timeout=300)
        debs = glob.glob(os.path.join(CACHE, "network-manager_*.deb"))
        if not debs:
            raise RuntimeError(f"apt-get download network-manager failed: {proc.stderr.strip()}")
    partial = root + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run(["dpkg-deb", "-x", sorted(debs)[-1], partial], check=True, timeout=120)
    os.rename(partial, root)
    return root


def bus_config(socket: str, policies: str) -> str:
    """A private system bus: Debian's system.conf with its own socket, without the user, fork,
    pidfile, syslog and service-activation lines, with the policy files of `policies`."""
    with open(SYSTEM_CONF, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    drop = ("<user>", "<fork/>", "<pidfile>", "<syslog/>", "<servicehelper>", "<standard_system_servicedirs/>")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith(drop))
    text = re.sub(r"<listen>.*?</listen>", f"<listen>unix:path={socket}</listen>", text)
    return text.replace("<includedir>system.d</includedir>", f"<includedir>{policies}</includedir>")


def keyfile(name: str, body: str) -> str:
    return (f"[connection]\nid={name}\nuuid={uuid.uuid5(uuid.NAMESPACE_URL, 'gwlab/' + name)}\n"
            f"type=ethernet\ninterface-name={name}\nautoconnect=true\n\n[ethernet]\n\n{body}")


class NetworkManager:
    """NetworkManager, nm-dispatcher and their D-Bus for the lab's host namespace."""

    def __init__(self, lab: Lab, helper_root: str) -> None:
        self.lab = lab
        self.helper_root = helper_root
        self.nm_root = extracted()
        self.work = tempfile.mkdtemp(prefix="gwnm-")
        os.chmod(self.work, 0o755)
        self.bus = os.path.join(self.work, "bus", "socket")
        self.env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
                    "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={self.bus}", "LC_ALL": "C"}
        self.events_log = os.path.join(self.work, "events.log")
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.dispatcher_pid: int | None = None

    def path(self, *parts: str) -> str:
        return os.path.join(self.work, *parts)

    # --- set-up -----------------------------------------------------------------------------------
    def _write(self, rel: str, text: str, mode: int = 0o644) -> str:
        path = self.path(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def _bus_config(self) -> str:
        return bus_config(self.bus, f"{self.nm_root}/usr/share/dbus-1/system.d")

    def write_files(self, connections: dict[str, str]) -> None:
        self._write("bus/system.conf", self._bus_config())
        for rel in ("etc-lower/NetworkManager", "varlib-lower/NetworkManager", "nm-varlib",
                    "nm-etc/conf.d", "nm-etc/system-connections", "nm-etc/dispatcher.d", "bin"):
            os.makedirs(self.path(rel), exist_ok=True)
        self._write("nm-etc/NetworkManager.conf", NM_CONF)
        for name, body in connections.items():
            self.set_connection(name, body)
        self._write("bin/cockpit-gateways",
                    "#!/bin/sh\n"
                    f"export COCKPIT_GATEWAYS_ROOT='{self.helper_root}'\n"
                    f"echo \"$(date +%s.%N) start $* ${{DHCP4_IP_ADDRESS:-}}\" >> '{self.events_log}'\n"
                    f"'{PYTHON}' '{HELPER}' \"$@\"\n"
                    "rc=$?\n"
                    f"echo \"$(date +%s.%N) done $* $rc\" >> '{self.events_log}'\n"
                    "exit $rc\n", 0o755)
        with open(HOOK, encoding="utf-8") as f:
            hook = f.read().replace("@LIBEXECDIR@", self.path("bin"))
        self._write("nm-etc/dispatcher.d/50-cockpit-gateways", hook, 0o755)

    def set_connection(self, name: str, body: str) -> None:
        """Write (or replace) a keyfile; NetworkManager reads it on start or `nmcli connection reload`."""
        self._write(f"nm-etc/system-connections/{name}.nmconnection", keyfile(name, body), 0o600)

    def start(self, connections: dict[str, str], timeout: float = 60) -> None:
        try:
            self._start(connections, timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, connections: dict[str, str], timeout: float) -> None:
        self.write_files(connections)
        netns = ["ip", "netns", "exec", self.lab.ns("host")]
        bus_log = open(self.path("dbus.log"), "wb")
        self.procs["dbus-daemon"] = subprocess.Popen(
            [*netns, DBUS_DAEMON, f"--config-file={self.path('bus/system.conf')}", "--nofork", "--nopidfile"],
            stdin=subprocess.DEVNULL, stdout=bus_log, stderr=subprocess.STDOUT, env=self.env)
        bus_log.close()
        self._wait(lambda: os.path.exists(self.bus), timeout, "the D-Bus socket", "dbus-daemon")
        w, nm = self.work, self.nm_root
        script = f"""set -e
mount -t tmpfs -o mode=0755 tmpfs /run
mount -o remount,bind,ro /sys
mount -t overlay overlay -o lowerdir={w}/etc-lower:/etc /etc
mount --bind {w}/nm-etc /etc/NetworkManager
mount -t overlay overlay -o lowerdir={w}/varlib-lower:/var/lib /var/lib
mount --bind {w}/nm-varlib /var/lib/NetworkManager
hostname gwlab-nm
{nm}/usr/lib/NetworkManager/nm-dispatcher --persist --debug >>{w}/dispatcher.log 2>&1 &
echo $! >{w}/dispatcher.pid
# NetworkManager dispatches from its start on, and nothing bus-activates the dispatcher here:
# wait until it owns its name (at most {int(timeout)} s)
n=0
until grep -q "request name for org.freedesktop.nm_dispatcher succeeded" {w}/dispatcher.log; do
    n=$((n + 1)); [ $n -lt {int(timeout * 20)} ] || exit 1
    sleep 0.05
done
exec {nm}/usr/sbin/NetworkManager --debug --log-level=INFO --pid-file=/run/NetworkManager.pid >>{w}/nm.log 2>&1
"""
        self._write("start.sh", script, 0o755)
        # `ip netns exec` and `unshare` (without --fork) exec: the PID is NetworkManager's
        self.procs["NetworkManager"] = subprocess.Popen(
            [*netns, "unshare", "-m", "-u", "--propagation", "private", "/bin/sh", self.path("start.sh")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        self._wait(lambda: os.path.exists(self.path("dispatcher.pid")), timeout, "nm-dispatcher", "NetworkManager")
        with open(self.path("dispatcher.pid")) as f:
            self.dispatcher_pid = int(f.read().strip())
        self._wait(lambda: self.nmcli("-t", "-f", "RUNNING", "general", check=False).stdout.strip() == "running",
                   timeout, "NetworkManager on D-Bus", "NetworkManager")

    def _wait(self, ready: object, timeout: float, what: str, proc: str) -> None:
        assert callable(ready)
        deadline = time.monotonic() + timeout
        while not ready():
            p = self.procs.get(proc)
            if p is not None and p.poll() is not None:
                raise RuntimeError(f"{proc} exited {p.returncode} while waiting for {what}:\n{self.logs()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} not ready after {timeout} s:\n{self.logs()}")
            time.sleep(0.1)

    def logs(self, tail: int = 40) -> str:
        out = []
        for name in ("nm.log", "dispatcher.log", "dbus.log", "events.log"):
            try:
                with open(self.path(name), errors="replace") as f:
                    lines = f.read().splitlines()
            except OSError:
                continue
            out.append(f"--- {name}\n" + "\n".join(lines[-tail:]))
        return "\n".join(out)

    # --- using it -----------------------------------------------------------------------------------
    def nmcli(self, *args: str, check: bool = True, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        argv = [os.path.join(self.nm_root, "usr/bin/nmcli"), *args]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=self.env)
        if check and proc.returncode != 0:
            raise RuntimeError(f"nmcli {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}\n"
                               f"{self.logs(15)}")
        return proc

    def device_state(self, name: str) -> str:
        out = self.nmcli("-t", "-f", "DEVICE,STATE", "device", check=False).stdout
        for line in out.splitlines():
            dev, _, state = line.partition(":")
            if dev == name:
                return state
        return ""

    def wait_connected(self, *names: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not all(self.device_state(n) == "connected" for n in names):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{', '.join(names)} not connected after {timeout} s: "
                                   f"{self.nmcli('device', check=False).stdout}\n{self.logs()}")
            time.sleep(0.2)

    def events(self) -> list[tuple[float, str, str]]:
        """The helper calls the hook made: (time, start|done, the rest of the line)."""
        try:
            with open(self.events_log) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            stamp, kind, rest = (line.split(" ", 2) + ["", ""])[:3]
            out.append((float(stamp), kind, rest))
        return out

    # --- tear-down ----------------------------------------------------------------------------------
    def stop(self) -> None:
        """NetworkManager first (it may still dispatch), then nm-dispatcher, then the bus: by PID."""
        pids: list[tuple[str, int]] = []
        if "NetworkManager" in self.procs:
            pids.append(("NetworkManager", self.procs["NetworkManager"].pid))
        if self.dispatcher_pid is not None:
            pids.append(("nm-dispatcher", self.dispatcher_pid))
        if "dbus-daemon" in self.procs:
            pids.append(("dbus-daemon", self.procs["dbus-daemon"].pid))
        for _, pid in pids:
            stop_pid(pid)
        for proc in self.procs.values():
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self.procs.clear()
        self.dispatcher_pid = None
        shutil.rmtree(self.work, ignore_errors=True)


def stop_pid(pid: int, grace: float = 5.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while os.path.exists(f"/proc/{pid}") and not _is_zombie(pid):
        if time.monotonic() > deadline:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        time.sleep(0.05)
