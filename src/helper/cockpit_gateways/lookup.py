# SPDX-License-Identifier: LGPL-2.1-or-later
"""The lookup that tells the truth: our own evaluation (policy.py) beside the kernel's answer.

`read_snapshot()` reads one moment of this namespace (links, rules, routes, routing sysctls) in the
shape `fib.Snapshot.from_json` takes; `kernel_answer()` asks `ip route get` the same question;
`truth()` puts the verdict, the trace, the reverse-path details with their fix, and the kernel's
answer side by side, and says so when the two disagree.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
from typing import Any, Iterable, Mapping

from . import kernel
from .fib import Snapshot, SnapshotError
from .model import InvalidInput
from .names import IP_PROTOCOLS, RESERVED_TABLES
from .policy import Packet, Verdict, evaluate

JSON = dict[str, Any]

_CONF_KEYS = {"inet": ("rp_filter", "src_valid_mark", "accept_local", "forwarding", "send_redirects",
                       "route_localnet", "ignore_routes_with_linkdown"),
              "inet6": ("forwarding", "ignore_routes_with_linkdown")}
_MESSAGES = {os.strerror(code): code for code in (
    errno.EINVAL, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EACCES, errno.ENODEV, errno.EXDEV,
    errno.ESRCH, errno.EPERM, errno.ENOENT)}


# the lookup's packet fields beyond to/from/iif/oif/fwmark: (maximum, ip route get's word)
SELECTORS = {"tos": (0xFF, "tos"), "ipproto": (0xFF, "ipproto"), "sport": (0xFFFF, "sport"),
             "dport": (0xFFFF, "dport"), "uid": (0xFFFFFFFE, "uid")}


def selectors(values: dict[str, str | None]) -> dict[str, int]:
    """--tos, --ipproto, --sport, --dport, --uid as numbers; a bad one names its field."""
    out: dict[str, int] = {}
    for field, value in values.items():
        if value is None:
            continue
        if field not in SELECTORS:
            raise InvalidInput(f"{field}: not a lookup field", field)
        text = value.strip().lower()
        if field == "ipproto" and text in IP_PROTOCOLS:
            out[field] = IP_PROTOCOLS[text]
            continue
        try:
            number = int(text, 0)
        except ValueError:
            raise InvalidInput(f"{field}: '{value[:20]}' is not a number", field) from None
        if not 0 <= number <= SELECTORS[field][0]:
            raise InvalidInput(f"{field}: must be between 0 and {SELECTORS[field][0]}", field)
        out[field] = number
    return out


def selector_args(values: dict[str, int]) -> list[str]:
    return [word for field, value in values.items()
            for word in (SELECTORS[field][1], f"{value:#x}" if field == "tos" else str(value))]


def packet(query: JSON) -> Packet:
    """The lookup's validated query as a packet."""
    dst = ipaddress.ip_address(query["to"])
    src = ipaddress.ip_address(query["from"]) if "from" in query else None
    return Packet("inet" if dst.version == 4 else "inet6", dst, src, iif=query.get("iif"), oif=query.get("oif"),
                  mark=int(query.get("fwmark", 0)), tos=int(query.get("tos", 0)),
                  ipproto=int(query.get("ipproto", 0)), sport=int(query.get("sport", 0)),
                  dport=int(query.get("dport", 0)), uid=query.get("uid"))


def gateways_of(config: Mapping[str, Any], dhcp: Mapping[str, Any]) -> dict[str, set[str]]:
    """interface → the families it has a gateway for (static or from a DHCP lease)."""
    out: dict[str, set[str]] = {}
    for name, interface in config.items():
        out.setdefault(name, set()).update(interface.gateways)
    for name, families in dhcp.items():
        out.setdefault(name, set()).update(families)
    return out


def _read_int(path: str) -> int | None:
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def read_sysctls(proc: str = "/proc/sys/net") -> dict[str, int]:
    out: dict[str, int] = {}
    for family, base in (("inet", "ipv4"), ("inet6", "ipv6")):
        directory = os.path.join(proc, base, "conf")
        try:
            devices = os.listdir(directory)
        except OSError:
            continue
        for dev in devices:
            for key in _CONF_KEYS[family]:
                value = _read_int(os.path.join(directory, dev, key))
                if value is not None:
                    out[f"net.{base}.conf.{dev}.{key}"] = value
    return out


# Beyond this many addresses a snapshot reads every route instead of the ones covering them.
MAX_MATCH_ADDRESSES = 64


def read_snapshot(addresses: Iterable[ipaddress.IPv4Address | ipaddress.IPv6Address] | None = None) -> JSON:
    """Links, rules, routes and sysctls.  With `addresses`, only the routes that cover one of them
    (`ip route show table all match A`): all that a lookup between those addresses can meet, and on
    a host with 200,000 routes 0.2 s instead of 10."""
    wanted = sorted(set(addresses), key=lambda a: (a.version, int(a))) if addresses is not None else None
    if wanted is not None and len(wanted) > MAX_MATCH_ADDRESSES:
        wanted = None
    if wanted is None:
        route_reads: list[tuple[str, ...]] = [("-4", "route", "show", "table", "all"),
                                              ("-6", "route", "show", "table", "all")]
    else:
        route_reads = [("-4" if a.version == 4 else "-6", "route", "show", "table", "all", "match",
                        f"{a}/{a.max_prefixlen}") for a in wanted]
    addr, rule4, rule6, *routes = kernel.ip_json_many(
        ("-d", "addr", "show"), ("-4", "rule", "show"), ("-6", "rule", "show"), *route_reads)
    by_family: dict[str, list[JSON]] = {"-4": [], "-6": []}
    seen: set[str] = set()
    for read, entries in zip(route_reads, routes):
        for entry in entries:
            key = json.dumps(entry, sort_keys=True) + read[0]
            if key not in seen:
                seen.add(key)
                by_family[read[0]].append(entry)
    return {"addr": addr, "rule4": rule4, "rule6": rule6, "route4": by_family["-4"], "route6": by_family["-6"],
            "sysctl": read_sysctls()}


def route_get_args(packet: Packet) -> list[str]:
    args = ["-4" if packet.family == "inet" else "-6", "route", "get", str(packet.dst)]
    if packet.src is not None:
        args += ["from", str(packet.src)]
    for word, value in (("iif", packet.iif), ("oif", packet.oif)):
        if value is not None:
            args += [word, value]
    if packet.mark:
        args += ["mark", str(packet.mark)]
    if packet.tos:
        args += ["tos", f"{packet.tos:#x}"]
    if packet.ipproto:
        args += ["ipproto", str(packet.ipproto)]
    if packet.sport:
        args += ["sport", str(packet.sport)]
    if packet.dport:
        args += ["dport", str(packet.dport)]
    if packet.uid is not None:
        args += ["uid", str(packet.uid)]
    return args


def kernel_answer(packet: Packet) -> JSON:
    """`ip route get` for the packet: {errno, error} or {errno: 0, route: {table, type, dev, gateway}}."""
    args = route_get_args(packet)
    proc = kernel.run_ip(["-N", "-j", *args])
    if proc.returncode != 0:
        message = proc.stderr.strip().removeprefix("RTNETLINK answers: ").splitlines()[0] \
            if proc.stderr.strip() else "failed"
        return {"command": "ip " + " ".join(args), "errno": _MESSAGES.get(message, -1),
                "errno_name": errno.errorcode.get(_MESSAGES.get(message, -1), None), "error": message}
    try:
        entry = kernel.parse_json(args, proc)[0]
    except (kernel.KernelError, IndexError):
        return {"command": "ip " + " ".join(args), "errno": -1, "error": "unreadable answer"}
    types = {"1": "unicast", "2": "local", "3": "broadcast", "4": "anycast", "5": "multicast"}
    table = entry.get("table")
    return {"command": "ip " + " ".join(args), "errno": 0,
            # main is not named; neither is the on-link guess of an output interface (no table)
            "route": {"table": int(table) if isinstance(table, str) and table.isdigit() else 254,
                      "type": types.get(str(entry.get("type", "1")), str(entry.get("type"))),
                      "dev": entry.get("dev"), "gateway": entry.get("gateway"),
                      "prefsrc": entry.get("prefsrc")}}


def compare(verdict: Verdict, answer: JSON) -> list[str]:
    """How our evaluation and the kernel's answer differ, in words; empty when they agree."""
    if verdict.errno == -1 or answer["errno"] == -1:
        return [f"not compared: ours {verdict.code}, the kernel's {answer.get('error') or 'a route'}"]
    if verdict.errno != answer["errno"]:
        ours = errno.errorcode.get(verdict.errno, "a route") if verdict.errno else "a route"
        theirs = answer.get("errno_name") or "a route"
        return [f"we expect {ours}, the kernel answers {theirs}"]
    if verdict.errno:
        return []
    route = answer["route"]
    out = []
    table = 254 if verdict.kernel_table is None else verdict.kernel_table
    if route["table"] != table:
        out.append(f"table: ours {table}, the kernel's {route['table']}")
    if verdict.type is not None and route["type"] != verdict.type:
        out.append(f"type: ours {verdict.type}, the kernel's {route['type']}")
    if verdict.dev == "lo" or route["type"] in ("local", "broadcast"):
        return out
    hops = {(h.dev, h.gateway) for h in verdict.nexthops}
    if hops and (route["dev"], route["gateway"]) not in hops:
        ours = " or ".join(f"{g or 'direct'} on {d}" for d, g in sorted(hops, key=str))
        out.append(f"next hop: ours {ours}, the kernel's {route['gateway'] or 'direct'} on {route['dev']}")
    return out


def fix_for(verdict: Verdict, packet: Packet, gateways: dict[str, set[str]]) -> JSON | None:
    """The fix for a reverse-path drop: the incoming interface's network gets its own gateway, so
    that replies from its addresses leave by it.  `gateways`: interface → families that have one."""
    rp = verdict.rp
    if verdict.code != "rp-filter" or rp is None or packet.iif is None:
        return None
    iface = packet.iif
    if packet.family in gateways.get(iface, set()):
        return {"kind": "check", "interface": iface,
                "text": f"{iface} already has a gateway of its own; the rule that sends replies from "
                        f"{packet.dst} to its table does not match this reply: check the trace of the reply."}
    return {"kind": "set", "interface": iface, "family": packet.family, "command": f"set {iface} GATEWAY",
            "text": f"Give {iface}'s network its own gateway (the router on {iface} through which {packet.src} "
                    f"is reached): replies from {iface}'s addresses then leave by {iface}, and the packet passes."}


def truth(packet: Packet, names: dict[int, str], gateways: dict[str, set[str]],
          snapshot: JSON | None = None) -> JSON:
    """verdict, trace, rp, fix, kernel and agreement for one packet."""
    answer = kernel_answer(packet)
    try:
        doc = snapshot if snapshot is not None else \
            read_snapshot([a for a in (packet.dst, packet.src) if a is not None])
        snap = Snapshot.from_json({**doc, "table_names": {str(k): v for k, v in names.items()}})
    except SnapshotError as e:
        # never a guess presented as the kernel's: without our evaluation, say so
        return {"verdict": {"code": "unknown", "text": f"This lookup could not evaluate the rules: {e}"},
                "trace": [], "kernel": answer, "agree": False, "disagreement": [str(e)]}
    verdict = evaluate(snap, packet)
    differences = compare(verdict, answer)
    data = verdict.to_json()
    data.pop("rp", None)
    data.pop("forwarding", None)
    data["table_name"] = _name(data["table"], names)
    out: JSON = {"verdict": {"code": verdict.code, "text": verdict.text},
                 "evaluation": data, "trace": [_named_step(step, names) for step in verdict.trace],
                 "kernel": answer, "agree": not differences, "disagreement": differences}
    if verdict.rp is not None:
        rp = dict(verdict.rp)
        if rp.get("reply"):
            rp["reply"] = dict(rp["reply"], table_name=_name(rp["reply"]["table"], names))
        out["rp_filter"] = rp
    if verdict.forwarding is not None:
        out["forwarding"] = verdict.forwarding
    fix = fix_for(verdict, packet, gateways)
    if fix is not None:
        out["fix"] = fix
    if differences:
        out["verdict"]["text"] += (" The kernel's own answer differs (" + "; ".join(differences) +
                                   "): trust the kernel's.")
    return out


def _name(table: int | None, names: dict[int, str]) -> str | None:
    if table is None:
        return None
    return names.get(table, RESERVED_TABLES.get(table, str(table)))


def _named_step(step: JSON, names: dict[int, str]) -> JSON:
    if "table" in step:
        step = dict(step, table_name=_name(step["table"], names))
    return step


def text(data: JSON) -> str:
    """The lookup for the command line: the kernel's answer explained, then our verdict when it
    says more, the fix, and any disagreement."""
    lines = [str(data.get("explanation", ""))]
    verdict = data.get("verdict") or {}
    if data.get("route") is not None and verdict.get("code") not in ("unicast", "local", "forward", None):
        lines.append(f"verdict: {verdict['code']}: {verdict['text']}")
    fix = data.get("fix")
    if fix:
        lines.append(f"fix: cockpit-gateways {fix['command']}" if fix["kind"] == "set" else "fix:")
        lines.append(f"  {fix['text']}")
    for difference in data.get("disagreement") or []:
        lines.append(f"warning: our evaluation and the kernel disagree: {difference}")
    return "\n".join(lines) + "\n"
