#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The lab: the seed's two-gateway topology in network namespaces (stdlib only).

Topology (namespaces ``PREFIX-host``, ``-r1``, ``-r2``, ``-c1``, ``-c2``; veth pairs only)::

    c1 eth0 10.0.8.2/24 fd00:8::2/64 ── eth1 10.0.8.1 fd00:8::1  R1  eth0 10.0.1.1 fd00:1::1 ──┐
                                                                                                 │
                                         host eth0 10.0.1.10/24 fd00:1::10/64  (management) ◀────┘
                                         host eth1 10.0.2.10/24 fd00:2::10/64  (display)    ◀────┐
                                                                                                 │
    c2 eth0 10.0.9.2/24 fd00:9::2/64 ── eth1 10.0.9.1 fd00:9::1  R2  eth0 10.0.2.1 fd00:2::1 ──┘

- host: default routes via R1 only (10.0.1.1, fd00:1::1): R1 is the management gateway.
- c1 (default via R1) is the management client; c2 (default via R2) is the client outside the
  host's subnets. R1 has no route to 10.0.9.0/24 and R2 none to 10.0.8.0/24; neither needs one.
- Routers forward (``ip_forward=1``, ``ipv6 forwarding=1``). IPv6 addresses are ``nodad`` and
  ``accept_dad=0`` everywhere, so pings work immediately after ``up()``.

Reverse-path filtering on the host: ``net.ipv4.conf.{all,default,eth0,eth1}.rp_filter=1`` (strict
mode, a common production default). Strict mode drops an incoming packet when the route back to
its source does not leave by the interface it arrived on. Without source routing, c2's echo
request (10.0.9.2 → 10.0.2.10) arrives on eth1, but the host's only route back to 10.0.9.2 is the
main default via R1 on eth0, so the kernel drops the request on the way *in* (it never reaches
ICMP; no reply is even attempted). With rp_filter 0 or 2 the request would be accepted and the
reply would leave by eth0 towards R1, which has no route to 10.0.9.0/24, so it dies there instead.
Either way c2 cannot reach 10.0.2.10 until source routing (a table with ``default via 10.0.2.1
dev eth1`` and rules ``from/to 10.0.2.0/24``) is in place: then the reverse-path lookup for
source 10.0.2.10 resolves to eth1 and both the request and the reply pass. IPv6 has no rp_filter;
there the reply simply leaves by eth0 and R1 drops it. Meanwhile c1 reaches 10.0.1.10 throughout.

Every namespace is created and deleted by this module; veths are created directly inside the
namespaces, so nothing appears in (or changes) the machine's own network namespace.
``down()`` also stops processes still running inside the lab's namespaces (by PID, e.g. a
dnsmasq or cockpit-bridge a test left behind) so the namespaces really go away.

Usage::

    from test.lab.gwlab import Lab
    with Lab("gwt1") as lab:
        assert lab.ping("c1", "10.0.1.10")

    python3 test/lab/gwlab.py up|down|status [--prefix gwlab]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time
from types import TracebackType
from typing import Any

NODES = ("host", "r1", "r2", "c1", "c2")

# (node, interface, peer node, peer interface) for each veth pair
LINKS = (
    ("host", "eth0", "r1", "eth0"),
    ("host", "eth1", "r2", "eth0"),
    ("r1", "eth1", "c1", "eth0"),
    ("r2", "eth1", "c2", "eth0"),
)

ADDRESSES: dict[str, dict[str, tuple[str, ...]]] = {
    "host": {"eth0": ("10.0.1.10/24", "fd00:1::10/64"), "eth1": ("10.0.2.10/24", "fd00:2::10/64")},
    "r1": {"eth0": ("10.0.1.1/24", "fd00:1::1/64"), "eth1": ("10.0.8.1/24", "fd00:8::1/64")},
    "r2": {"eth0": ("10.0.2.1/24", "fd00:2::1/64"), "eth1": ("10.0.9.1/24", "fd00:9::1/64")},
    "c1": {"eth0": ("10.0.8.2/24", "fd00:8::2/64")},
    "c2": {"eth0": ("10.0.9.2/24", "fd00:9::2/64")},
}

DEFAULT_ROUTES: dict[str, tuple[str, ...]] = {
    "host": ("10.0.1.1", "fd00:1::1"),
    "c1": ("10.0.8.1", "fd00:8::1"),
    "c2": ("10.0.9.1", "fd00:9::1"),
}

ROUTERS = ("r1", "r2")

_PREFIX_RE = re.compile(r"gw[A-Za-z0-9_-]{0,13}")
# Appended to every prefix a test names, so that checkouts testing at the same time on one machine
# never share a namespace (e.g. GW_LAB_TAG=a in one, b in another). The command line takes its
# --prefix as given.
LAB_TAG = os.environ.get("GW_LAB_TAG", "")
_NETNS_DIR = "/run/netns"


def _ip(*argv: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(("ip", *argv), input=input, text=True, capture_output=True,
                          check=check, timeout=30)


class Lab:
    """The seed's topology in namespaces named ``{prefix}-{node}``."""

    nodes = NODES

    def __init__(self, prefix: str = "gwlab", tagged: bool = True) -> None:
        if tagged:
            prefix += LAB_TAG
        if not _PREFIX_RE.fullmatch(prefix):
            raise ValueError(f"prefix {prefix!r}: must start with 'gw', be at most 15 characters "
                             "of letters, digits, '-' or '_'")
        self.prefix = prefix
        self.up_seconds: float | None = None

    # --- names -------------------------------------------------------------------------------
    def ns(self, node: str) -> str:
        if node not in NODES:
            raise ValueError(f"node {node!r}: not one of {', '.join(NODES)}")
        return f"{self.prefix}-{node}"

    def namespaces(self) -> list[str]:
        """This lab's namespaces that currently exist."""
        return [self.ns(n) for n in NODES if os.path.exists(os.path.join(_NETNS_DIR, self.ns(n)))]

    # --- lifecycle ---------------------------------------------------------------------------
    def up(self) -> "Lab":
        start = time.monotonic()
        self.down()
        try:
            self._build()
        except BaseException:
            self.down()
            raise
        self.up_seconds = time.monotonic() - start
        return self

    def _build(self) -> None:
        _ip("-batch", "-", input="".join(f"netns add {self.ns(n)}\n" for n in NODES))

        # sysctls first: defaults apply to interfaces created afterwards (accept_dad, rp_filter)
        for node in NODES:
            settings = ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                        "net.ipv6.conf.all.disable_ipv6=0", "net.ipv6.conf.default.disable_ipv6=0"]
            if node in ROUTERS:
                settings += ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]
            if node == "host":
                settings += ["net.ipv4.conf.all.rp_filter=1", "net.ipv4.conf.default.rp_filter=1"]
            self.run(node, "sysctl", "-q", "-w", *settings)

        # one ip batch per namespace; veth pairs are created from the first node of each pair
        cmds: dict[str, list[str]] = {n: ["link set lo up"] for n in NODES}
        for node, ifname, peer, peer_ifname in LINKS:
            cmds[node].insert(0, f"link add {ifname} type veth peer name {peer_ifname} "
                                 f"netns {self.ns(peer)}")
        for node in NODES:  # in NODES order, every pair's creator runs before its peer's config
            for ifname, addrs in ADDRESSES[node].items():
                for addr in addrs:
                    extra = " nodad" if ":" in addr else ""
                    cmds[node].append(f"address add {addr} dev {ifname}{extra}")
                cmds[node].append(f"link set {ifname} up")
            for gw in DEFAULT_ROUTES.get(node, ()):
                cmds[node].append(f"route add default via {gw}")
            _ip("-n", self.ns(node), "-batch", "-", input="\n".join(cmds[node]) + "\n")

        # per-interface rp_filter on the host (inherited from default=1; set explicitly anyway)
        self.run("host", "sysctl", "-q", "-w", "net.ipv4.conf.eth0.rp_filter=1",
                 "net.ipv4.conf.eth1.rp_filter=1")

    def down(self) -> None:
        present = self.namespaces()
        if not present:
            return
        pids: list[int] = []
        for ns in present:
            r = _ip("netns", "pids", ns, check=False)
            pids += [int(p) for p in r.stdout.split() if p.isdigit()]
        if pids:
            self._stop_pids(pids)
        for ns in present:
            _ip("netns", "del", ns, check=False)

    @staticmethod
    def _stop_pids(pids: list[int]) -> None:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 2.0
        alive = list(pids)
        while alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = [p for p in alive if os.path.exists(f"/proc/{p}")
                     and not _is_zombie(p)]
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def __enter__(self) -> "Lab":
        return self.up()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.down()

    # --- doing things inside ------------------------------------------------------------------
    def run(self, node: str, *argv: str, check: bool = True, input: str | None = None,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run(("ip", "netns", "exec", self.ns(node), *argv), input=input,
                              text=True, capture_output=True, check=check, timeout=timeout)

    def ip_json(self, node: str, *args: str) -> list[dict[str, Any]]:
        """``ip -N -j ARGS`` in the node's namespace, parsed. A table that does not exist is []."""
        r = _ip("-N", "-j", "-n", self.ns(node), *args, check=False)
        out = r.stdout.strip()
        if r.returncode != 0:
            if out in ("", "["):  # e.g. `route show table T` for a table that never existed
                return []
            raise subprocess.CalledProcessError(r.returncode, r.args, r.stdout, r.stderr)
        if not out:
            return []
        data = json.loads(out)
        return data if isinstance(data, list) else [data]

    def ping(self, node: str, address: str, count: int = 1, timeout: float = 1.0,
             source: str | None = None) -> bool:
        """True if any echo reply arrives. `timeout` is the wait for each reply (ping -W)."""
        family = "-6" if ipaddress.ip_address(address).version == 6 else "-4"
        argv = ["ping", family, "-n", "-q", "-c", str(count), "-W", f"{timeout:g}"]
        if count > 1:
            argv += ["-i", "0.2"]
        if source is not None:
            argv += ["-I", source]
        argv.append(address)
        r = self.run(node, *argv, check=False, timeout=count * 0.2 + timeout + 10)
        m = re.search(r"(\d+) (?:packets )?received", r.stdout)
        return bool(m and int(m.group(1)) > 0)

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for ns in self.namespaces():
            node = ns[len(self.prefix) + 1:]
            out[node] = {
                "namespace": ns,
                "addresses": [f"{a['ifname']} {ai['local']}/{ai['prefixlen']}"
                              for a in self.ip_json(node, "address", "show")
                              for ai in a.get("addr_info", []) if a.get("ifname") != "lo"
                              and ai.get("scope") != "link"],
            }
        return out


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="the cockpit-gateways network-namespace lab")
    p.add_argument("command", choices=("up", "down", "status"))
    p.add_argument("--prefix", default="gwlab", help="namespace prefix (starts with 'gw')")
    args = p.parse_args(argv)
    try:
        lab = Lab(args.prefix, tagged=False)
    except ValueError as e:
        print(f"gwlab: {e}", file=sys.stderr)
        return 2
    if args.command == "up":
        lab.up()
        print(f"gwlab: {', '.join(lab.namespaces())} up in {lab.up_seconds:.3f} s")
    elif args.command == "down":
        lab.down()
    else:
        st = lab.status()
        if not st:
            print(f"gwlab: no namespaces with prefix {args.prefix}")
            return 1
        for node, info in st.items():
            print(f"{info['namespace']}: {', '.join(info['addresses'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
