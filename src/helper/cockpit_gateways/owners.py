# SPDX-License-Identifier: LGPL-2.1-or-later
"""Who made a rule or a route: one recognition table for `status` and `routes`.

The kernel keeps no author, only clues: the protocol number (`ip rule … protocol`, `ip route …
proto`, named in rt_protos), the priority, the table, the interface a route uses (its kind, its
name) and, for the network managers, their own per-interface state files in /run.  RECOGNITION
below reads them in order; the first entry that fits names the owner, with the clue as `why`.

Owners (the `owner` field):
  kernel            the local/main/default rules, `proto kernel` routes, local and broadcast routes
  cockpit-gateways  our marker, protocol/proto 248
  kept              a one-off fix the admin kept (/etc/cockpit-gateways/kept.json)
  wireguard         wg-quick: `not fwmark M lookup M`, its `suppress_prefixlength 0` rule, wg* devices
  cloud             nm-cloud-setup (rules and tables 30200-30400), amazon-ec2-net-utils (rule 10000+N
                    looking up table 10000+N)
  kubernetes        network plugins: Calico (cali*, tunl0, vxlan.calico), Cilium (cilium_*, lxc*,
                    tables 2004/2005), flannel, kube-router (kube-bridge), weave, cni0
  containers        container and VM bridges and their ports: docker0, br-*, virbr*, podman*,
                    cni-podman*, lxcbr*, lxdbr*, incusbr*, veth*, vnet*
  NetworkManager    a route with proto static/dhcp/ra/boot on a device NetworkManager manages
                    (/run/NetworkManager/devices/IFINDEX says managed=true)
  systemd-networkd  the same on a device systemd-networkd configures (/run/systemd/netif/links/IFINDEX)
  dhcp              proto dhcp (a DHCP client: dhclient, dhcpcd)
  ra                proto ra (router advertisements)
  static            proto static or boot, or a rule without protocol: the admin (`ip route add`
                    without proto is boot, `ip rule add` sets none), ifup, scripts
  unknown           anything else; `why` names the protocol when rt_protos has a name for it
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
from typing import Any, Callable

from .kept import kept_rule, load_kept
from .kernel import Link, parse_rule
from .model import PROTO, Family, GatewaysError, Rule
from .names import protocol_names
from .store import Paths

OWNERS = ("kernel", "cockpit-gateways", "kept", "wireguard", "cloud", "kubernetes", "containers",
          "NetworkManager", "systemd-networkd", "dhcp", "ra", "static", "unknown")

KERNEL, BOOT, STATIC, RA, DHCP = 2, 3, 4, 9, 16

_CONTAINER_DEVS = re.compile(r"(docker\d*|br-[0-9a-f]{6,}|virbr\d+(-nic)?|podman\d*|cni-podman\d*|lxcbr\d*|lxdbr\d*|"
                             r"incusbr\d*|veth.*|vnet\d+)")
_KUBERNETES_DEVS = re.compile(r"(cali.*|tunl0|vxlan\.calico|vxlan-v6\.calico|cilium_.*|lxc.*|flannel\..*|"
                              r"flannel-wg.*|cni0|kube-bridge|kube-dummy-if|weave|vxlan-\d+)")
_WIREGUARD_DEVS = re.compile(r"wg.*")
CLOUD_NM_RANGE = (30200, 30400)       # nm-cloud-setup's rules and tables
CLOUD_EC2_RANGE = (10000, 10999)      # amazon-ec2-net-utils: rule 10000+N → table 10000+N
CILIUM_TABLES = (2004, 2005)


@dataclasses.dataclass
class Context:
    """What recognition looks at besides the object itself."""
    links: dict[str, Link]
    protocols: dict[int, str]                        # number → name (iproute2's and the host's)
    kept_rules: list[Rule]
    kept_routes: list[dict[str, Any]]
    nm_devices: set[str]                             # interfaces NetworkManager manages
    networkd_devices: set[str]                       # interfaces systemd-networkd configures
    wireguard_tables: set[int]
    ec2_tables: set[int]
    wireguard_priorities: set[int]                   # priorities of wg-quick's fwmark rules


@dataclasses.dataclass
class Obj:
    """A rule or a route, reduced to the clues."""
    kind: str                                        # rule | route
    family: Family
    protocol: int
    table: int | None
    priority: int | None = None
    selectors: tuple[tuple[str, str], ...] = ()
    action: str = "lookup"
    dev: str | None = None
    dst: str | None = None
    type: str = "unicast"
    gateway: str | None = None
    rule: Rule | None = None


Test = Callable[[Obj, Context], str | None]          # the clue ("why") when it fits, else None


def _ours(o: Obj, c: Context) -> str | None:
    return f"{'protocol' if o.kind == 'rule' else 'proto'} {PROTO} (cockpit-gateways)" if o.protocol == PROTO else None


def _kept(o: Obj, c: Context) -> str | None:
    if o.kind == "rule":
        return "kept by the admin (kept.json)" if o.rule is not None and o.rule in c.kept_rules else None
    for k in c.kept_routes:
        if (k.get("family"), k.get("table"), k.get("dst")) == (o.family, o.table, o.dst) and \
                k.get("gateway") in (None, o.gateway) and k.get("dev") in (None, o.dev) and \
                k.get("type", "unicast") == o.type:
            return "kept by the admin (kept.json)"
    return None


def _wireguard(o: Obj, c: Context) -> str | None:
    if o.kind == "rule":
        sel = dict(o.selectors)
        if "not" in sel and "fwmark" in sel and o.table in c.wireguard_tables:
            return f"wg-quick's rule: packets without fwmark {sel['fwmark']} use table {o.table}"
        if sel.get("suppress_prefixlength") == "0" and o.table == 254 and o.priority is not None \
                and o.priority + 1 in c.wireguard_priorities:
            return "wg-quick's rule in front of its fwmark rule"
        return None
    if o.table in c.wireguard_tables:
        return f"table {o.table} is wg-quick's (its fwmark rule)"
    link = c.links.get(o.dev or "")
    if o.dev and ((link is not None and link.kind == "wireguard") or _WIREGUARD_DEVS.fullmatch(o.dev)):
        return f"a route of the WireGuard interface {o.dev}"
    return None


def _cloud(o: Obj, c: Context) -> str | None:
    low, high = CLOUD_NM_RANGE
    if (o.kind == "rule" and o.priority is not None and low <= o.priority <= high) or \
            (o.table is not None and low <= o.table <= high):
        return f"nm-cloud-setup uses rules and tables {low}-{high}"
    if o.kind == "rule" and o.priority is not None and o.priority == o.table and \
            CLOUD_EC2_RANGE[0] <= o.priority <= CLOUD_EC2_RANGE[1]:
        return f"amazon-ec2-net-utils: rule {o.priority} looks up table {o.table} (10000 + device number)"
    if o.kind == "route" and o.table in c.ec2_tables:
        return f"amazon-ec2-net-utils' table {o.table} (its rule {o.table})"
    return None


def _kubernetes(o: Obj, c: Context) -> str | None:
    if o.table in CILIUM_TABLES:
        return f"Cilium's table {o.table}"
    if o.dev and _KUBERNETES_DEVS.fullmatch(o.dev):
        return f"a Kubernetes network plugin's interface {o.dev}"
    return None


def _containers(o: Obj, c: Context) -> str | None:
    if o.dev and _CONTAINER_DEVS.fullmatch(o.dev):
        return f"{o.dev} is a container or VM bridge (or one of its ports)"
    return None


_MANAGER_PROTOCOLS = (BOOT, STATIC, RA, DHCP)


def _network_manager(o: Obj, c: Context) -> str | None:
    if o.kind == "route" and o.dev in c.nm_devices and o.protocol in _MANAGER_PROTOCOLS:
        return f"NetworkManager manages {o.dev} (proto {c.protocols.get(o.protocol, o.protocol)})"
    return None


def _networkd(o: Obj, c: Context) -> str | None:
    if o.kind == "route" and o.dev in c.networkd_devices and o.protocol in _MANAGER_PROTOCOLS:
        return f"systemd-networkd configures {o.dev} (proto {c.protocols.get(o.protocol, o.protocol)})"
    return None


_KERNEL_RULES = {0: 255, 32766: 254, 32767: 253}


def _kernel(o: Obj, c: Context) -> str | None:
    if o.kind == "rule":
        if _KERNEL_RULES.get(o.priority if o.priority is not None else -1) == o.table and not o.selectors and o.protocol in (0, KERNEL):
            return "one of the kernel's own rules (local, main, default)"
        return None
    if o.protocol == KERNEL:
        return "proto kernel: made by the kernel for an address or a link"
    if o.type in ("local", "broadcast", "multicast", "anycast") and o.table == 255:
        return f"the kernel's {o.type} route in table local"
    return None


def _by_protocol(number: int) -> Test:
    def test(o: Obj, c: Context) -> str | None:
        if o.protocol == number:
            return f"{'protocol' if o.kind == 'rule' else 'proto'} {c.protocols.get(number, number)}"
        return None
    return test


def _static(o: Obj, c: Context) -> str | None:
    if o.protocol == STATIC:
        return "proto static: the admin, ifup or a script"
    if o.protocol == BOOT:
        return "proto boot: `ip route add` without a protocol, or a boot script"
    if o.protocol == 0 and o.kind == "rule":
        return "no protocol: `ip rule add` by hand or by a script"
    return None


# The recognition table: (owner, test), first fit wins.  Markers that only one tool sets come
# first; the interface-based ones before the generic protocols (docker0's `proto kernel` route is
# the container bridge's); the network managers before dhcp/ra/static, which they also use.
RECOGNITION: tuple[tuple[str, Test], ...] = (
    ("cockpit-gateways", _ours),
    ("kept", _kept),
    ("wireguard", _wireguard),
    ("cloud", _cloud),
    ("kubernetes", _kubernetes),
    ("containers", _containers),
    ("NetworkManager", _network_manager),
    ("systemd-networkd", _networkd),
    ("kernel", _kernel),
    ("dhcp", _by_protocol(DHCP)),
    ("ra", _by_protocol(RA)),
    ("static", _static),
)


def recognise(o: Obj, c: Context) -> dict[str, str]:
    for owner, test in RECOGNITION:
        why = test(o, c)
        if why is not None:
            return {"owner": owner, "owner_why": why}
    name = c.protocols.get(o.protocol)
    why = f"{'protocol' if o.kind == 'rule' else 'proto'} {name or o.protocol}" if o.protocol else \
        "no protocol and no other clue"
    return {"owner": "unknown", "owner_why": why}


# --- building the context ----------------------------------------------------------------------

def protocol_number(value: object, names: dict[int, str]) -> int:
    """A protocol as `ip` printed it (a number, or a name from rt_protos) as its number; 0 if none."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        for number, name in names.items():
            if name == value:
                return number
    return 0


def _managed(paths: Paths, directory: str, links: dict[str, Link], fits: Callable[[str], bool]) -> set[str]:
    out = set()
    for link in links.values():
        try:
            with open(os.path.join(paths.root, directory, str(link.index)), encoding="utf-8",
                      errors="replace") as f:
                text = f.read(65536)
        except OSError:
            continue
        if fits(text):
            out.add(link.name)
    return out


def context(paths: Paths, links: dict[str, Link], rules: dict[Family, list[Rule]]) -> Context:
    try:
        kept = load_kept(paths)
    except GatewaysError:
        kept = {"routes": [], "rules": []}
    kept_rules = [kept_rule(entry, paths) for entry in kept["rules"]]     # load_kept checked each one
    wg_tables, wg_priorities, ec2 = set(), set(), set()
    for family_rules in rules.values():
        for rule in family_rules:
            if rule.table is None:
                continue
            sel = dict(rule.selectors)
            if "not" in sel and "fwmark" in sel and sel["fwmark"].split("/")[0] in (str(rule.table), hex(rule.table)):
                wg_tables.add(rule.table)
                wg_priorities.add(rule.priority)
            if rule.priority == rule.table and CLOUD_EC2_RANGE[0] <= rule.priority <= CLOUD_EC2_RANGE[1] \
                    and rule.protocol != PROTO:
                ec2.add(rule.table)
    return Context(
        links=links, protocols=protocol_names(paths), kept_rules=kept_rules, kept_routes=kept["routes"],
        nm_devices=_managed(paths, "run/NetworkManager/devices", links,
                            lambda text: re.search(r"^managed\s*=\s*(true|1)\s*$", text, re.M) is not None),
        networkd_devices=_managed(paths, "run/systemd/netif/links", links,
                                  lambda text: re.search(r"^NETWORK_FILE=\S", text, re.M) is not None),
        wireguard_tables=wg_tables, ec2_tables=ec2, wireguard_priorities=wg_priorities)


# --- the two callers ---------------------------------------------------------------------------

def rule_owner(rule: Rule | None, c: Context) -> dict[str, str]:
    if rule is None:
        return {"owner": "unknown", "owner_why": "a rule the helper cannot read"}
    return recognise(Obj("rule", rule.family, rule.protocol, rule.table, priority=rule.priority,
                         selectors=rule.selectors, action=rule.action, rule=rule), c)


def parse_rules(raw: dict[Family, list[dict[str, Any]]]) -> dict[Family, list[Rule]]:
    return {family: [r for r in (parse_rule(e, family) for e in entries) if r is not None]
            for family, entries in raw.items()}


def route_owner(route: dict[str, Any], table: int, c: Context) -> dict[str, str]:
    """A route as `routes --json` gives it (names from ip's text output)."""
    dst = route.get("dst")
    family: Family = "inet6" if ":" in str(dst) or ":" in str(route.get("gateway", "")) else "inet"
    canonical = None
    if dst == "default":
        canonical = "0.0.0.0/0" if family == "inet" else "::/0"
    elif isinstance(dst, str):
        try:
            canonical = str(ipaddress.ip_network(dst, strict=False))
        except ValueError:
            canonical = dst
    # ip prints no `proto` for boot (what `ip route add` without one sets)
    return recognise(Obj("route", family, protocol_number(route.get("protocol", BOOT), c.protocols), table,
                         dev=route.get("dev") if isinstance(route.get("dev"), str) else None, dst=canonical,
                         type=str(route.get("type", "unicast")),
                         gateway=route.get("gateway") if isinstance(route.get("gateway"), str) else None), c)


def route_context(paths: Paths) -> Context:
    """The clues `route_owner` reads, gathered once for a `routes` answer."""
    from . import kernel
    raw = kernel.ip_json_many(("-4", "rule", "show"), ("-6", "rule", "show"), ("addr", "show"))
    return context(paths, kernel.parse_links(raw[2]), parse_rules({"inet": raw[0], "inet6": raw[1]}))


def annotate_routes(data: dict[str, Any], paths: Paths, c: Context | None = None) -> None:
    """Add owner/owner_why to every route of a `routes` answer."""
    c = c or route_context(paths)
    for route in data.get("routes", []):
        route.update(route_owner(route, int(data["table"]), c))

