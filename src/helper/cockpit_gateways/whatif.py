# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a planned change does to live connections.

For a dry run, the planned `ip -batch` lines are applied to a snapshot of the kernel
(`apply_lines`, pure), and every established TCP connection (/proc/net/tcp, tcp6) is evaluated
before and after with policy.py: the path of this host's packets to the peer (device, gateway, or
dropped), and the peer's packets coming in by the interface they use now (the reverse-path
filter may start dropping them).  Only connections whose path changes are listed; the ones held
by cockpit-ws or cockpit-tls (the admin's own web console) carry `cockpit: true`.
"""

from __future__ import annotations

import copy
import dataclasses
import ipaddress
import os
import socket
from typing import Any, Iterable

from .fib import Family, Snapshot
from .names import ROUTE_TYPES, RULE_ACTIONS
from .policy import Packet, Verdict, evaluate

JSON = dict[str, Any]
COCKPIT_PROCESSES = ("cockpit-ws", "cockpit-tls")
_TCP_ESTABLISHED = "01"
_TYPES = {name: number for number, name in ROUTE_TYPES.items()}
_ACTIONS = {name: number for number, name in RULE_ACTIONS.items() if name in ("blackhole", "unreachable", "prohibit")}


# --- the planned lines on a snapshot -------------------------------------------------------------

def _route_entry(words: list[str], family: Family, op: str = "add") -> JSON:
    entry: JSON = {}
    if words and words[0] in _TYPES:
        if words[0] != "unicast":
            entry["type"] = _TYPES[words[0]]
        words = words[1:]
    entry["dst"] = words[0]
    hops: list[JSON] = []
    target = entry
    i = 1
    keys = {"via": "gateway", "dev": "dev", "table": "table", "proto": "protocol", "scope": "scope",
            "src": "prefsrc", "metric": "metric", "tos": "tos", "weight": "weight"}
    while i < len(words):
        word = words[i]
        if word == "nexthop":
            target = {}
            hops.append(target)
            i += 1
        elif word in keys and i + 1 < len(words):
            value = words[i + 1]
            if word == "via" and value in ("inet", "inet6") and i + 2 < len(words):
                i += 1
                value = words[i + 1]
            target[keys[word]] = value
            i += 2
        else:
            i += 1
    if hops:
        entry["nexthops"] = hops
    if "metric" not in entry and family == "inet6" and op != "del":      # the kernel's default
        entry["metric"] = "1024"
    return entry


def _rule_entry(words: list[str], family: Family) -> JSON:
    entry: JSON = {}
    i = 0
    while i < len(words):
        word, value = words[i], words[i + 1] if i + 1 < len(words) else ""
        i += 2
        if word in ("priority", "pref", "preference"):
            entry["priority"] = value
        elif word in ("from", "to"):
            if value != "all":
                address, _, length = value.partition("/")
                key = "src" if word == "from" else "dst"
                entry[key] = address
                entry[key + "len"] = length or ("32" if family == "inet" else "128")
        elif word == "fwmark":
            mark, _, mask = value.partition("/")
            entry["fwmark"] = mark
            if mask:
                entry["fwmask"] = mask
        elif word in ("sport", "dport", "uidrange"):
            low, _, high = value.partition("-")
            key = "uid" if word == "uidrange" else word
            entry[f"{key}_start"], entry[f"{key}_end"] = low, high or low
        elif word in ("table", "lookup"):
            entry["table"] = value
        elif word == "suppress_prefixlength":
            entry["suppress_prefixlen"] = value
        elif word in ("tos", "iif", "oif", "ipproto", "suppress_ifgroup", "goto", "protocol"):
            entry[word] = value
        elif word in ("not", "l3mdev", "nop"):
            entry[word] = None
            i -= 1
        elif word in _ACTIONS:
            entry["action"] = _ACTIONS[word]
            i -= 1
    return entry


def _same(entry: JSON, want: JSON, keys: Iterable[str]) -> bool:
    return all(str(entry.get(k, "")) == str(want[k]) for k in keys if k in want)


def _dst_key(value: object, family: Family) -> str:
    text = str(value)
    if text == "default":
        return "0.0.0.0/0" if family == "inet" else "::/0"
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return text


def _dev_for(links: list[JSON], gateway: str) -> str | None:
    """The interface whose subnet holds a gateway (what the kernel picks for `via` without `dev`)."""
    try:
        address = ipaddress.ip_address(gateway)
    except ValueError:
        return None
    for link in links:
        for info in link.get("addr_info", []):
            try:
                if address in ipaddress.ip_interface(f"{info['local']}/{info['prefixlen']}").network:
                    return str(link["ifname"])
            except (KeyError, ValueError):
                continue
    return None


def apply_lines(doc: JSON, lines: Iterable[tuple[Family, str]]) -> JSON:
    """The snapshot document with `ip -batch` lines (route/rule add, del, replace) applied the way
    the kernel applies them (a delete removes the first object that has the named attributes)."""
    out = copy.deepcopy(doc)
    for family, line in lines:
        words = line.split()
        if len(words) < 3 or words[0] not in ("route", "rule"):
            continue
        obj, op, rest = words[0], words[1], words[2:]
        suffix = "4" if family == "inet" else "6"
        if obj == "route":
            entries: list[JSON] = out[f"route{suffix}"]
            want = _route_entry(rest, family, op)
            table = str(want.get("table", "254"))

            def matches(e: JSON, keys: Iterable[str]) -> bool:
                return _dst_key(e.get("dst"), family) == _dst_key(want["dst"], family) and \
                    str(e.get("table", "254")) == table and _same(e, want, keys)
            if op in ("del", "replace"):
                keys = ("gateway", "dev", "metric", "protocol", "tos", "type") if op == "del" else ("tos", "metric")
                found = next((e for e in entries if matches(e, keys)), None)
                if found is not None:
                    entries.remove(found)
            if op in ("add", "replace", "append"):
                for hop in want.get("nexthops", [want]):
                    if "gateway" in hop and "dev" not in hop:
                        hop["dev"] = _dev_for(out["addr"], hop["gateway"])
                entries.append(want)
        else:
            rules: list[JSON] = out[f"rule{suffix}"]
            want = _rule_entry(rest, family)
            if op == "del":
                named = [k for k in want if k != "protocol" or want[k]]
                found = next((e for e in rules if _same(e, want, named)), None)
                if found is not None:
                    rules.remove(found)
            elif op == "add":
                rules.append(want)
    return out


# --- connections ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Connection:
    family: Family
    local: ipaddress.IPv4Address | ipaddress.IPv6Address
    lport: int
    remote: ipaddress.IPv4Address | ipaddress.IPv6Address
    rport: int
    uid: int
    inode: int


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return ipaddress.IPv4Address(socket.inet_ntop(socket.AF_INET, raw[::-1]))
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))       # four host-order words
    address = ipaddress.IPv6Address(words)
    return address.ipv4_mapped or address


def parse_tcp(text: str) -> list[Connection]:
    """The established connections of one /proc/net/tcp or tcp6 file."""
    out = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10 or fields[3] != _TCP_ESTABLISHED:
            continue
        try:
            (local, lport), (remote, rport) = (f.split(":") for f in fields[1:3])
            lo, re_ = _address(local), _address(remote)
            out.append(Connection("inet" if lo.version == 4 else "inet6", lo, int(lport, 16), re_, int(rport, 16),
                                  int(fields[7]), int(fields[9])))
        except ValueError:
            continue
    return out


def read_connections(proc: str = "/proc") -> list[Connection]:
    out = []
    for name in ("tcp", "tcp6"):
        try:
            with open(os.path.join(proc, "net", name)) as f:
                out += parse_tcp(f.read())
        except OSError:
            continue
    return out


def cockpit_inodes(proc: str = "/proc") -> set[int]:
    """The socket inodes held by cockpit-ws and cockpit-tls processes."""
    inodes: set[int] = set()
    for pid in os.listdir(proc):
        if not pid.isdigit():
            continue
        try:
            with open(os.path.join(proc, pid, "comm")) as f:
                if f.read().strip() not in COCKPIT_PROCESSES:
                    continue
            fd_dir = os.path.join(proc, pid, "fd")
            for fd in os.listdir(fd_dir):
                target = os.readlink(os.path.join(fd_dir, fd))
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
        except (OSError, ValueError):
            continue
    return inodes


def _path(verdict: Verdict) -> JSON:
    hops = [{"dev": h.dev, "gateway": h.gateway} for h in verdict.nexthops]
    delivered = verdict.code in ("unicast", "forward", "local", "broadcast")
    return {"code": verdict.code, "dropped": not delivered, "table": verdict.table,
            "nexthops": hops if delivered else [], "text": verdict.text}


def _same_path(a: JSON, b: JSON) -> bool:
    return (a["code"], a["nexthops"]) == (b["code"], b["nexthops"])


def changed_connections(before: Snapshot, after: Snapshot, connections: list[Connection],
                        cockpit: set[int]) -> list[JSON]:
    out = []
    for c in connections:
        if c.local.is_loopback:
            continue
        outgoing = Packet(c.family, c.remote, c.local, mark=0, ipproto=6, sport=c.lport, dport=c.rport, uid=c.uid)
        out_before, out_after = _path(evaluate(before, outgoing)), _path(evaluate(after, outgoing))
        entry: JSON = {"family": c.family, "local": str(c.local), "local_port": c.lport,
                       "remote": str(c.remote), "remote_port": c.rport, "cockpit": c.inode in cockpit}
        changed = not _same_path(out_before, out_after)
        entry["before"], entry["after"] = out_before, out_after
        # the peer's packets, arriving where this host's replies leave now
        devs = [h["dev"] for h in out_before["nexthops"] if h["dev"]]
        if devs and c.family == "inet":
            incoming = Packet(c.family, c.local, c.remote, iif=devs[0], ipproto=6, sport=c.rport, dport=c.lport)
            in_before, in_after = _path(evaluate(before, incoming)), _path(evaluate(after, incoming))
            if not _same_path(in_before, in_after):
                changed = True
                entry["incoming"] = {"interface": devs[0], "before": in_before, "after": in_after}
        if changed:
            entry["text"] = _sentence(entry)
            out.append(entry)
    return out


def _sentence(entry: JSON) -> str:
    peer = f"{entry['remote']} port {entry['remote_port']}"
    who = "Your own web console connection" if entry["cockpit"] else f"The connection with {peer}"
    before, after = entry["before"], entry["after"]
    if after["dropped"]:
        return f"{who} would be cut: replies to {entry['remote']} would be dropped ({after['code']})."
    if "incoming" in entry and entry["incoming"]["after"]["dropped"]:
        return (f"{who} would be cut: its packets arriving on {entry['incoming']['interface']} would be dropped "
                f"({entry['incoming']['after']['code']}).")

    def where(path: JSON) -> str:
        return " or ".join(f"via {h['gateway']} on {h['dev']}" if h["gateway"] else f"directly on {h['dev']}"
                           for h in path["nexthops"]) or path["code"]
    return f"{who} would move: replies to {entry['remote']} would leave {where(after)} instead of {where(before)}."


def what_if(doc: JSON, changes: list[JSON], connections: list[Connection], cockpit: set[int]) -> list[JSON]:
    """The connections whose path the planned changes (plan JSON `changes`) would change."""
    lines = [(c["family"], c["text"]) for c in changes]
    return changed_connections(Snapshot.from_json(doc), Snapshot.from_json(apply_lines(doc, lines)),
                               connections, cockpit)


def for_plan(changes: list[JSON]) -> list[JSON]:
    """what_if on this host now: the kernel's snapshot, its TCP connections, cockpit's sockets."""
    from .lookup import read_snapshot
    connections = read_connections()
    if not connections or not changes:
        return []
    addresses = {a for c in connections if not c.local.is_loopback for a in (c.local, c.remote)}
    return what_if(read_snapshot(addresses), changes, connections, cockpit_inodes())
