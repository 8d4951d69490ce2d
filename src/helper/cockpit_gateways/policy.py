# SPDX-License-Identifier: LGPL-2.1-or-later
"""Where a packet goes and why, as the kernel decides it (pure: evaluates a `fib.Snapshot`).

`evaluate(snapshot, packet)` follows the kernel's own paths (net/ipv4/route.c, net/ipv6/route.c):

- Without an incoming interface the packet is the host's own (ip_route_output_key_hash_rcu): a
  chosen IPv4 source must be an address of this host (ENETUNREACH), and not 0/8, multicast or
  255.255.255.255 (EINVAL); an output interface that is down gives ENETUNREACH; then the rules.
  When they find nothing and an output interface is given, IPv4 sends the packet directly on it
  ("the tables are wrong, assume on-link").
- With an incoming interface it arrives from outside (ip_route_input_slow): martian sources and
  destinations are refused (EINVAL); the rules decide; a `local` answer is delivered after the
  reverse-path check; anything else is forwarded only when the incoming interface forwards
  (`net.ipv4.conf.IFACE.forwarding`, EHOSTUNREACH otherwise, also when no route exists) and the
  reverse-path check passes.
- The reverse-path check (fib_validate_source) looks up the route back to the source as if the
  reply were sent (from lo, or from the forwarding interface), with the firewall mark only when
  `src_valid_mark` is on (all or the interface).  Mode = max(all, interface) of `rp_filter`:
  0 off (the reply route must still be unicast once custom rules exist), 1 strict (the reply
  must leave by the incoming interface), 2 loose (the source must be reachable at all).
- IPv6 has no rp_filter and routes regardless of forwarding; the forwarding sysctl then decides in
  ip6_forward, after the route lookup (so `ip route get` answers with the route).

The result says what happens (`code`), why (`trace` of rules and tables, `rp`), and what `ip route
get` answers for the same question (`errno`, `table`, `type`, `dev`), so tests and the lookup can
hold the two side by side.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
from typing import Any

from .fib import (INVALID_UID, LOOPBACK_IFINDEX, RULE_ERRORS, Family, Fib, Flow, IPAddress,
                  Nexthop, Resolution, Route, Snapshot, candidates)
from .names import RESERVED_TABLES

JSON = dict[str, Any]

CODES = ("local", "forward", "unicast", "broadcast", "no-route", "rp-filter", "forwarding-disabled",
         "source-not-local", "blackhole", "unreachable", "prohibit", "martian-source",
         "martian-destination", "interface-down", "multicast")


@dataclasses.dataclass(frozen=True)
class Packet:
    family: Family
    dst: IPAddress
    src: IPAddress | None = None
    iif: str | None = None
    oif: str | None = None
    mark: int = 0
    tos: int = 0
    ipproto: int = 0
    sport: int = 0
    dport: int = 0
    uid: int | None = None            # None: root (ip route get as root; the kernel's own input)


@dataclasses.dataclass
class Verdict:
    code: str
    text: str
    errno: int = 0                    # what `ip route get` answers: 0 a route, else this errno
    type: str | None = None           # the kernel's route type (unicast, local, broadcast…)
    table: int | None = None
    kernel_table: int | None = None   # the table `ip route get` names (see evaluate)
    route: Route | None = None
    nexthops: list[Nexthop] = dataclasses.field(default_factory=list)   # the candidates (multipath: several)
    dev: str | None = None            # the device `ip route get` names (lo for local delivery)
    rule: str | None = None
    priority: int | None = None
    trace: list[JSON] = dataclasses.field(default_factory=list)
    rp: JSON | None = None
    forwarding: JSON | None = None

    def to_json(self) -> JSON:
        out: JSON = {"code": self.code, "text": self.text, "errno": self.errno,
                     "errno_name": errno.errorcode.get(self.errno, "") if self.errno else None,
                     "type": self.type, "table": self.table,
                     "table_name": RESERVED_TABLES.get(self.table, None) if self.table is not None else None,
                     "route": self.route.text() if self.route else None,
                     "nexthops": [{"dev": h.dev, "gateway": h.gateway} for h in self.nexthops],
                     "dev": self.dev, "rule": self.rule, "priority": self.priority}
        if self.rp is not None:
            out["rp"] = self.rp
        if self.forwarding is not None:
            out["forwarding"] = self.forwarding
        return out


def _ip4(address: IPAddress | None) -> ipaddress.IPv4Address:
    assert address is None or isinstance(address, ipaddress.IPv4Address)
    return address or ipaddress.IPv4Address(0)


def _lbcast(address: IPAddress) -> bool:
    return address == ipaddress.IPv4Address("255.255.255.255")


def _zeronet(address: IPAddress) -> bool:
    # only 0.0.0.0 itself: the rest of 0/8 is routed like any address (measured on 6.18)
    return address == ipaddress.IPv4Address(0)


def evaluate(snap: Snapshot, packet: Packet) -> Verdict:
    if packet.src is not None and packet.src.is_unspecified:
        packet = dataclasses.replace(packet, src=None)        # 0.0.0.0 / :: is "not chosen"
    fib = Fib(snap)
    if packet.dst.is_multicast:
        return Verdict("multicast", "Multicast is routed by the multicast routing tables, which this lookup "
                       "does not evaluate.", errno=-1)
    if packet.iif is None:
        verdict = _output(fib, packet)
    elif packet.family == "inet6":
        verdict = _input6(fib, packet)
    else:
        verdict = _input4(fib, packet)
    verdict.kernel_table = verdict.table
    if packet.family == "inet" and verdict.table == 255 and not snap.has_custom_rules("inet"):
        # until the first rule is added, IPv4's local and main tables are one trie (fib_unmerge),
        # and the kernel names it main
        verdict.kernel_table = 254
    return verdict


def _apply(verdict: Verdict, res: Resolution) -> Verdict:
    verdict.trace = res.trace
    if res.rule is not None:
        verdict.rule, verdict.priority = res.rule.text, res.rule.priority
    verdict.table, verdict.route = res.table, res.route
    if res.route is not None and res.error == 0:
        verdict.type = res.route.type
        verdict.nexthops = candidates(res.route) if len(res.route.nexthops) > 1 else \
            ([res.nexthop] if res.nexthop else [])
    return verdict


def _refused(res: Resolution, snap: Snapshot, errno_value: int | None = None) -> Verdict:
    """A verdict for a lookup that failed: no rule answered, or a rule or route refused."""
    if res.error == errno.ESRCH or res.error == errno.EAGAIN:
        verdict = Verdict("no-route", "No rule leads to a table with a route for this destination: the "
                          "kernel finds no route.", errno.ENETUNREACH)
    elif res.route is None and res.rule is not None and res.rule.action in RULE_ERRORS:
        verdict = Verdict(res.rule.action, f"Rule {res.rule.priority} ({res.rule.text}) refuses this packet "
                          f"({res.rule.action}).", res.error)
    elif res.route is not None:
        verdict = Verdict(res.route.type, f"Table {_table_name(res.table, snap)} answers with a {res.route.type} route "
                          f"({res.route.text()}): the packet is dropped.", res.error)
    else:
        verdict = Verdict("no-route", "The kernel finds no route.", res.error)
    _apply(verdict, res)
    verdict.table = verdict.table if verdict.code != "no-route" else None
    if errno_value is not None:
        verdict.errno = errno_value
    return verdict


def _table_name(table: int | None, snap: Snapshot) -> str:
    return snap.table_names.get(table or 0) or RESERVED_TABLES.get(table or 0) or str(table)


def _is_local(snap: Snapshot, fib: Fib, family: Family, address: IPAddress) -> bool:
    """__ip_dev_find: an address of this host, or covered by a `local` route of table local."""
    if address in snap.local_addresses(family):
        return True
    return any(r.type == "local" and address in r.dst for r in fib.routes(family, 255))


def _output(fib: Fib, packet: Packet) -> Verdict:
    snap = fib.snap
    family = packet.family
    if family == "inet" and packet.src is not None:
        if packet.src.is_multicast or _lbcast(packet.src) or _zeronet(packet.src):
            return Verdict("martian-source", f"{packet.src} cannot be the source of a packet.", errno.EINVAL)
        if not _is_local(snap, fib, family, packet.src):
            return Verdict("source-not-local", f"{packet.src} is not an address of this host, so this host "
                           "cannot send from it.", errno.ENETUNREACH)
    oif = snap.index(packet.oif)
    if packet.oif is not None:
        link = snap.links.get(packet.oif)
        if link is None:
            return Verdict("interface-down", f"There is no interface {packet.oif}.", errno.ENODEV)
        if not link.up:
            return Verdict("interface-down", f"{packet.oif} is down.", errno.ENETUNREACH)
    flow = Flow(family, packet.dst, packet.src, iif=LOOPBACK_IFINDEX, oif=oif, mark=packet.mark,
                tos=packet.tos & 0x1C if family == "inet" else packet.tos,
                uid=0 if packet.uid is None else packet.uid, ipproto=packet.ipproto,
                sport=packet.sport, dport=packet.dport,
                oif_strict=family == "inet" or packet.src is None or packet.dst.is_link_local
                or packet.dst.is_loopback)
    if family == "inet" and _zeronet(packet.dst):
        return Verdict("local", "0.0.0.0 stands for this host: the packet goes to this host over lo.",
                       type="local", dev="lo")
    if family == "inet" and _lbcast(packet.dst) and (packet.oif or packet.src is not None):
        # a limited broadcast leaves by the named interface, or by the source address's, unrouted
        dev = packet.oif or next((link.name for link in snap.links.values()
                                  if any(a.ip == packet.src for a in link.addresses)), None)
        if packet.src is not None and packet.src.is_loopback and dev != "lo":
            return Verdict("martian-source", f"A loopback source ({packet.src}) cannot leave by {dev}.", errno.EINVAL)
        return Verdict("broadcast", f"A limited broadcast is sent on {dev} without a routing decision.",
                       type="broadcast", dev=dev, nexthops=[Nexthop(dev, None)])
    res = fib.resolve(flow)
    if res.error:
        if family == "inet" and oif:
            if packet.src is not None and packet.src.is_loopback and packet.oif != "lo":
                return _apply(Verdict("martian-source", f"A loopback source ({packet.src}) cannot leave by "
                                      f"{packet.oif}.", errno.EINVAL), res)
            verdict = _apply(Verdict("unicast", f"No route answers, and the packet is to leave by {packet.oif}: "
                                     f"the kernel then assumes {packet.dst} is on that link and sends it "
                                     "there directly.", type="unicast", dev=packet.oif), res)
            verdict.table, verdict.route, verdict.nexthops = None, None, [Nexthop(packet.oif, None)]
            return verdict
        return _refused(res, fib.snap)
    assert res.route is not None
    route = res.route
    where = f"Rule {res.rule.priority if res.rule else '?'} sends it to table {_table_name(res.table, snap)}"
    if route.type == "local":
        return _apply(Verdict("local", f"{where}, where {packet.dst} is an address of this host: it is "
                              "delivered to this host.", type="local", dev="lo"), res)
    if family == "inet" and packet.src is not None and packet.src.is_loopback:
        hop_dev = res.nexthop.dev if res.nexthop else None
        if hop_dev != "lo":
            return _apply(Verdict("martian-source", f"A loopback source ({packet.src}) cannot leave by {hop_dev}.",
                                  errno.EINVAL), res)
    if family == "inet" and _lbcast(packet.dst):
        verdict = _apply(Verdict("broadcast", f"{where}: the limited broadcast leaves "
                                 f"{_hops_text([res.nexthop] if res.nexthop else [])}.", type="broadcast",
                                 dev=res.nexthop.dev if res.nexthop else None), res)
        verdict.type = "broadcast"
        return verdict
    if route.type in ("broadcast", "multicast", "anycast"):
        return _apply(Verdict(route.type if route.type != "anycast" else "local",
                              f"{where}: a {route.type} route answers.", type=route.type,
                              dev=res.nexthop.dev if res.nexthop else None), res)
    verdict = _apply(Verdict("unicast", "", type="unicast", dev=res.nexthop.dev if res.nexthop else None), res)
    verdict.text = f"{where}, and {route.text()} answers: it leaves {_hops_text(verdict.nexthops)}."
    return verdict


def _hops_text(hops: list[Nexthop]) -> str:
    def one(hop: Nexthop) -> str:
        return f"via {hop.gateway} on {hop.dev}" if hop.gateway else f"directly on {hop.dev}"
    if len(hops) == 1:
        return one(hops[0])
    return "by one of " + ", ".join(one(h) for h in hops) + " (chosen per flow by a hash)"


def _forwarding(snap: Snapshot, family: Family, dev: str) -> JSON:
    if family == "inet":
        return {"sysctl": f"net.ipv4.conf.{dev}.forwarding", "value": snap.conf(family, dev, "forwarding"),
                "all": snap.conf(family, "all", "forwarding")}
    return {"sysctl": f"net.ipv6.conf.{dev}.forwarding", "value": snap.conf(family, dev, "forwarding"),
            "all": snap.conf(family, "all", "forwarding")}


def _input4(fib: Fib, packet: Packet) -> Verdict:
    snap = fib.snap
    assert packet.iif is not None
    iif = packet.iif
    src, dst = _ip4(packet.src), _ip4(packet.dst)
    if src.is_multicast or _lbcast(src):
        return Verdict("martian-source", f"{src} cannot be the source of a packet.", errno.EINVAL)
    if _lbcast(dst) or (src == dst == ipaddress.IPv4Address(0)):
        verdict = Verdict("broadcast", "A limited broadcast is delivered to this host.", type="broadcast", dev="lo")
        if src != ipaddress.IPv4Address(0):
            rp = validate_source(fib, dataclasses.replace(packet, src=src), 0, broadcast=True)
            if not rp["ok"]:
                return _rp_verdict(packet, rp, errno.EINVAL)
            verdict.rp = rp
        return verdict
    if _zeronet(src):
        return Verdict("martian-source", "A packet from outside always has a source address: give one (From)."
                       if packet.src is None else f"{src} cannot be the source of a packet.", errno.EINVAL)
    if _zeronet(dst):
        return Verdict("martian-destination", f"{dst} cannot be a destination.", errno.EINVAL)
    localnet = max(snap.conf("inet", "all", "route_localnet"), snap.conf("inet", iif, "route_localnet"))
    if dst.is_loopback and not localnet:
        return Verdict("martian-destination", f"{dst} is a loopback address: it never arrives from outside.",
                       errno.EINVAL)
    if src.is_loopback and not localnet:
        return Verdict("martian-source", f"{src} is a loopback address: it never arrives from outside.",
                       errno.EINVAL)
    flow = Flow("inet", dst, src, iif=snap.index(iif), oif=0, mark=packet.mark, tos=packet.tos & 0x1C,
                uid=0, ipproto=packet.ipproto, sport=packet.sport, dport=packet.dport)
    res = fib.resolve(flow)
    forwarding = _forwarding(snap, "inet", iif)
    if res.error:
        verdict = _refused(res, snap, None if forwarding["value"] else errno.EHOSTUNREACH)
        verdict.forwarding = forwarding
        if not forwarding["value"]:
            verdict.text += f" (The kernel reports it as {iif} not forwarding: {forwarding['sysctl']} is 0.)"
        return verdict
    assert res.route is not None
    route = res.route
    if route.type in ("local", "broadcast"):
        # a broadcast is checked as if the reply had no source chosen yet (brd_input: dst 0)
        rp = validate_source(fib, packet, 0, broadcast=route.type == "broadcast")
        if not rp["ok"]:
            return _apply(_rp_verdict(packet, rp, errno.EINVAL), res)
        verdict = _apply(Verdict(route.type if route.type == "broadcast" else "local",
                                 f"{dst} is an address of this host (table {_table_name(res.table, snap)}): the packet "
                                 f"is delivered to this host; the reply to {src} would leave "
                                 f"{_hops_text(_reply_hops(rp))}.", type=route.type, dev="lo"), res)
        verdict.rp = rp
        return verdict
    if not forwarding["value"]:
        verdict = _apply(Verdict("forwarding-disabled", f"{dst} is not an address of this host, and {iif} does not "
                                 f"forward ({forwarding['sysctl']} = 0): the packet is dropped.",
                                 errno.EHOSTUNREACH), res)
        verdict.forwarding = forwarding
        verdict.type = None
        return verdict
    if route.type != "unicast":
        return _apply(Verdict("martian-destination", f"A {route.type} route cannot forward a packet.",
                              errno.EINVAL), res)
    out_dev = res.nexthop.dev if res.nexthop else None
    rp = validate_source(fib, packet, snap.index(out_dev))
    if not rp["ok"]:
        verdict = _apply(_rp_verdict(packet, rp, errno.EINVAL), res)
        verdict.type = None
        return verdict
    verdict = _apply(Verdict("forward", "", type="unicast", dev=out_dev), res)
    verdict.text = (f"Rule {res.rule.priority if res.rule else '?'} sends it to table {_table_name(res.table, snap)}: "
                    f"this host forwards it {_hops_text(verdict.nexthops)}.")
    verdict.rp, verdict.forwarding = rp, forwarding
    return verdict


def _reply_hops(rp: JSON) -> list[Nexthop]:
    reply = rp.get("reply") or {}
    return [Nexthop(h["dev"], h.get("gateway")) for h in reply.get("nexthops", [])] or [Nexthop("?", None)]


def _rp_verdict(packet: Packet, rp: JSON, errno_value: int) -> Verdict:
    if rp.get("code") == "martian-source":
        verdict = Verdict("martian-source", rp["why"], errno_value)
    else:
        verdict = Verdict("rp-filter", rp["why"], errno_value)
    verdict.rp = rp
    return verdict


def validate_source(fib: Fib, packet: Packet, oif: int, broadcast: bool = False) -> JSON:
    """fib_validate_source for an IPv4 packet arriving on packet.iif; `oif` is the forwarding
    interface (0 for local delivery).  Returns the details and `ok`."""
    snap = fib.snap
    assert packet.iif is not None and packet.src is not None
    dev = packet.iif
    all_rp, dev_rp = snap.conf("inet", "all", "rp_filter"), snap.conf("inet", dev, "rp_filter")
    mode = max(all_rp, dev_rp)
    valid_mark = bool(snap.conf("inet", "all", "src_valid_mark") or snap.conf("inet", dev, "src_valid_mark"))
    accept_local = bool(snap.conf("inet", "all", "accept_local") or snap.conf("inet", dev, "accept_local"))
    tx_redirects = bool(snap.conf("inet", "all", "send_redirects", 1) and snap.conf("inet", dev, "send_redirects", 1))
    out: JSON = {"interface": dev, "mode": {0: "off", 1: "strict"}.get(mode, "loose"),
                 "sysctls": {"net.ipv4.conf.all.rp_filter": all_rp, f"net.ipv4.conf.{dev}.rp_filter": dev_rp,
                             "net.ipv4.conf.all.src_valid_mark": snap.conf("inet", "all", "src_valid_mark"),
                             f"net.ipv4.conf.{dev}.src_valid_mark": snap.conf("inet", dev, "src_valid_mark")},
                 "ok": True, "why": ""}
    src = packet.src
    if not mode and (snap.index(dev) != oif or not tx_redirects):
        if accept_local:
            out["why"] = "rp_filter is off and accept_local is on"
            return out
        if not snap.has_custom_rules("inet"):
            if src in snap.local_addresses("inet"):
                out.update(ok=False, code="martian-source",
                           why=f"{src} is an address of this host: a packet from outside cannot carry it.")
            else:
                out["why"] = "rp_filter is off"
            return out
    reverse = Flow("inet", src, None if broadcast else packet.dst, iif=oif or LOOPBACK_IFINDEX, oif=0,
                   mark=packet.mark if valid_mark else 0, tos=packet.tos & 0x1C, uid=0,
                   ipproto=packet.ipproto, sport=packet.dport, dport=packet.sport)
    res = fib.resolve(reverse)
    reply: JSON = {"rule": res.rule.text if res.rule else None, "priority": res.rule.priority if res.rule else None,
                   "table": res.table, "table_name": _table_name(res.table, snap) if res.table is not None else None,
                   "route": res.route.text() if res.route else None,
                   "nexthops": [{"dev": h.dev, "gateway": h.gateway} for h in (candidates(res.route) if res.route else [])],
                   "mark": reverse.mark}
    out["reply"] = reply
    if res.error:
        if mode:
            out.update(ok=False, why=f"This host has no route back to {src}, and {dev} checks the reverse path "
                       f"(rp_filter {mode}): the packet is dropped on the way in.")
        else:
            out["why"] = f"no route back to {src}, but rp_filter is off"
        return out
    assert res.route is not None
    if res.route.type != "unicast" and not (res.route.type == "local" and accept_local):
        out.update(ok=False, code="martian-source",
                   why=f"The route back to {src} is of type {res.route.type} ({res.route.text()}): a packet from "
                   "outside cannot carry this source, so it is dropped.")
        return out
    if fib.uses_dev(res.route, dev):
        out["why"] = f"the reply to {src} would leave by {dev}, where the packet arrived"
        return out
    link = snap.links.get(dev)
    if link is not None and not any(a.version == 4 for a in link.addresses):
        if mode:
            out.update(ok=False, why=f"{dev} has no IPv4 address and checks the reverse path: dropped.")
        return out
    reply_devs = sorted({h.dev or "?" for h in candidates(res.route)})
    if mode == 1:
        out.update(ok=False, why=f"The reply to {src} would leave by {', '.join(reply_devs)}, not by {dev} where "
                   f"the packet arrived, and {dev} checks the reverse path strictly (rp_filter 1): the kernel "
                   "drops the packet on the way in.")
        return out
    out["why"] = f"the reply would leave by {', '.join(reply_devs)}; loose mode only asks for a route back"
    return out


def _input6(fib: Fib, packet: Packet) -> Verdict:
    snap = fib.snap
    assert packet.iif is not None
    # the table lookup prefers routes by the incoming interface, and holds to it for a link-local
    # or loopback destination (rt6_need_strict); the rules see no output interface
    flow = Flow("inet6", packet.dst, packet.src, iif=snap.index(packet.iif), oif=0,
                mark=packet.mark, tos=packet.tos, uid=INVALID_UID if packet.uid is None else packet.uid,
                ipproto=packet.ipproto, sport=packet.sport, dport=packet.dport,
                oif_strict=packet.dst.is_link_local or packet.dst.is_loopback, nh_oif=snap.index(packet.iif))
    res = fib.resolve(flow)
    if res.error:
        return _refused(res, fib.snap)
    assert res.route is not None
    if res.route.type in ("local", "anycast"):
        return _apply(Verdict("local", f"{packet.dst} is an address of this host (table {_table_name(res.table, snap)}): "
                              "the packet is delivered to this host.", type=res.route.type, dev="lo"), res)
    forwarding = _forwarding(snap, "inet6", packet.iif)
    if not forwarding["value"]:
        verdict = _apply(Verdict("forwarding-disabled", f"{packet.dst} is not an address of this host, and "
                                 f"{packet.iif} does not forward ({forwarding['sysctl']} = 0): the packet is "
                                 "dropped after the route lookup.", type=res.route.type,
                                 dev=res.nexthop.dev if res.nexthop else None), res)
        verdict.forwarding = forwarding
        return verdict
    verdict = _apply(Verdict("forward", "", type=res.route.type, dev=res.nexthop.dev if res.nexthop else None), res)
    verdict.text = f"This host forwards it {_hops_text(verdict.nexthops)}."
    verdict.forwarding = forwarding
    return verdict
