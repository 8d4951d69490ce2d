# SPDX-License-Identifier: LGPL-2.1-or-later
"""Looking at any routing table and asking where a packet goes.

`routes TABLE` pages through a table on the host: the browser never receives every route of a
big table.  The routes come from `ip -N -o route show table T` (one line per route), read as
bytes.  Without a filter or a sort only the lines up to the window are read and `ip` is stopped
there, so the first window of a table with a million routes costs what its first lines cost;
a filter or a sort reads the whole table once (filtering on the raw lines, sorting on keys cut
from them) and parses only the window into JSON; an owner filter (`--owner`) parses every line.

`lookup` asks the kernel (`ip route get`) and explains the answer: which rule sent the packet to
which table, and which route of that table answered; lookup.py adds our own evaluation beside it
(verdict, trace, reverse-path check and its fix).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import subprocess
from typing import Any, Callable, Iterator

from . import kernel
from . import lookup as truth
from .kernel import JSON, KernelError
from .model import FAMILIES, PROTO, Family, InvalidInput, parse_family, parse_interface_name, family_of
from .names import PROTOCOLS, ROUTE_TYPES, SCOPES, parse_table

# keys of `ip route` output that take one value; every other word after the destination is a flag
_VALUE_KEYS = {"tos", "dsfield", "via", "dev", "proto", "scope", "src", "metric", "table", "nhid", "pref",
               "expires", "realm", "realms", "mtu", "advmss", "rtt", "rttvar", "reordering", "window",
               "cwnd", "ssthresh", "rto_min", "hoplimit", "initcwnd", "initrwnd", "features",
               "quickack", "congctl", "fastopen_no_cookie", "weight", "error", "ttl-propagate", "from",
               "encap", "mark", "uid", "iif", "oif"}
_RENAME = {"via": "gateway", "proto": "protocol", "src": "prefsrc"}
_TYPE_NAMES = set(ROUTE_TYPES.values()) - {"unicast"}
SORT_KEYS = ("dst", "gateway", "dev", "metric", "protocol")
_SORT_WORDS = {"gateway": b"via", "dev": b"dev", "metric": b"metric", "protocol": b"proto"}
# what `ip route` leaves out because it is the kernel's default: metric 0 (IPv4), proto boot
_SORT_DEFAULTS = {"metric": b"0", "protocol": b"boot"}
MAX_LIMIT = 10000


def parse_route_line(line: str) -> JSON:
    """One line of `ip -N -o route show` as JSON (the shape of `ip -j`, names for numbers)."""
    head, *hops = [part.strip() for part in line.split("\\")]
    words = head.split()
    route: JSON = {"type": "unicast"}
    if words and (words[0] in ROUTE_TYPES or words[0] in ROUTE_TYPES.values()):
        route["type"] = ROUTE_TYPES.get(words[0], words[0])
        words = words[1:]
    if words:
        route["dst"] = words[0]
        _fill(route, words[1:])
    if hops:
        route["nexthops"] = [_fill({}, hop.split()[1:]) for hop in hops if hop.startswith("nexthop")]
    route["text"] = line.strip()
    return route


def _fill(out: JSON, words: list[str]) -> JSON:
    flags: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _VALUE_KEYS and i + 1 < len(words):
            value = words[i + 1]
            i += 2
            if word == "via" and value in ("inet", "inet6") and i < len(words):
                value = words[i]
                i += 1
            if word == "mtu" and value == "lock" and i < len(words):
                value = "lock " + words[i]
                i += 1
            key = _RENAME.get(word, word)
            if key in ("metric", "weight", "table"):
                out[key] = int(value) if value.isascii() and value.isdigit() else value
            elif key == "protocol":
                out[key] = PROTOCOLS.get(value, value)
            elif key == "scope":
                out[key] = SCOPES.get(value, value)
            else:
                out[key] = value
        else:
            flags.append(word)
            i += 1
    out["flags"] = flags
    return out


def _blocks(table: int, families: tuple[Family, ...]) -> Iterator[bytes]:
    """The table's routes as blocks of whole lines, stopping `ip` as soon as the caller stops
    reading.  Blocks, not lines: a million routes are counted and split at C speed.  The table is
    always given by number."""
    for family in families:
        # names, not numbers (`proto static`, `scope link`): the filter matches what the admin reads
        proc = subprocess.Popen(["ip", "-o", "-4" if family == "inet" else "-6", "route", "show",
                                 "table", str(table)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        try:
            rest = b""
            while True:
                chunk = proc.stdout.read(1 << 20)
                if not chunk:
                    break
                cut = chunk.rfind(b"\n") + 1
                if cut:
                    yield rest + chunk[:cut]
                    rest = chunk[cut:]
                else:
                    rest += chunk
            if rest.strip():
                yield rest + b"\n"
        finally:
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def _lines(table: int, families: tuple[Family, ...]) -> Iterator[bytes]:
    for block in _blocks(table, families):
        yield from block.splitlines()


def _ip_key(line: bytes) -> tuple[int, int, int]:
    words = line.split(None, 2)
    typed = bool(words) and (words[0].isdigit() or words[0].decode(errors="replace") in _TYPE_NAMES)
    dst = words[1] if typed and len(words) > 1 else (words[0] if words else b"")
    if dst == b"default":
        return (0, 0, 0)
    address, _, prefix = dst.decode(errors="replace").partition("/")
    for family, af in ((4, socket.AF_INET), (6, socket.AF_INET6)):
        try:
            packed = socket.inet_pton(af, address)
        except OSError:
            continue
        host = 32 if family == 4 else 128
        return (family, int.from_bytes(packed, "big"), int(prefix) if prefix.isdigit() else host)
    return (9, 0, 0)


def _word_key(word: bytes, default: bytes | None = None) -> Callable[[bytes], tuple[int, bytes]]:
    """Sort by the value after `word`; a line without it has `default` (the value `ip` leaves
    out), or sorts last when there is none (a blackhole route has no `via`)."""
    pattern = re.compile(rb" " + re.escape(word) + rb" (\S+)")

    def key(line: bytes) -> tuple[int, bytes]:
        m = pattern.search(line)
        if m is None and default is None:
            return (1, b"")
        value = default if m is None else m.group(1)
        assert value is not None
        return (0, value.rjust(12, b"0") if value.isdigit() else value)
    return key


def routes(names: dict[int, str], table_arg: str, *, family: str | None = None, offset: int = 0,
           limit: int = 100, filter_text: str = "", sort: str | None = None, reverse: bool = False,
           exact: bool = False, owner: str = "", owner_of: Callable[[JSON], str] | None = None) -> JSON:
    table = parse_table(table_arg, names)
    families: tuple[Family, ...] = (parse_family(family),) if family else FAMILIES
    if offset < 0:
        raise InvalidInput("offset: must be 0 or more", "offset")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: must be between 1 and {MAX_LIMIT}", "limit")
    if sort is not None and sort not in SORT_KEYS:
        raise InvalidInput(f"sort: '{sort[:20]}' is not one of {', '.join(SORT_KEYS)}", "sort")
    needle = filter_text.strip().encode()
    window: list[bytes]
    total: int | None
    if not needle and sort is None and not reverse and not owner:
        # read only as far as the window; when more routes follow, the total stays unknown here
        # (the table list in `status` has the counts)
        window = []
        count, more = 0, False
        for block in _blocks(table, families):
            n = block.count(b"\n")
            if count + n > offset:
                lines = block.splitlines()
                window += lines[max(0, offset - count):offset + limit - count]
                if count + n > offset + limit:
                    more = True
                    break
            count += n
        total = matched = None if more else count
    else:
        lines = [line for block in _blocks(table, families) for line in block.splitlines()]
        total = len(lines)
        if needle:
            low = needle.lower()
            if exact:   # whole words: 172.16.0.5 is not 172.16.0.50
                word = re.compile(rb"(?:^|\s)" + re.escape(low) + rb"(?:\s|$)")
                lines = [line for line in lines if word.search(line.lower())]
            else:
                lines = [line for line in lines if low in line.lower()]
        if owner and owner_of is not None:
            # the owner is known only from the parsed route: every line of the table is parsed once
            lines = [line for line in lines if owner_of(parse_route_line(line.decode(errors="replace"))) == owner]
        if sort is not None or reverse:
            key: Callable[[bytes], Any] = _ip_key if sort is None or sort == "dst" \
                else _word_key(_SORT_WORDS[sort], _SORT_DEFAULTS.get(sort))
            lines.sort(key=key, reverse=reverse)
        matched = len(lines)
        window = lines[offset:offset + limit]
    return {"table": table, "name": names.get(table, str(table)), "families": list(families),
            "offset": offset, "limit": limit, "total": total, "matched": matched,
            "filter": filter_text, "exact": exact, "sort": sort, "reverse": reverse,
            **({"owner": owner} if owner else {}),
            "routes": [parse_route_line(line.decode(errors="replace")) for line in window]}


# --- lookup ------------------------------------------------------------------------------------

def _address(value: str, field: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        raise InvalidInput(f"{field}: '{value[:40]}' is not an IPv4 or IPv6 address", field) from None


def lookup(names: dict[int, str], to: str, *, source: str | None = None, iif: str | None = None,
           oif: str | None = None, fwmark: str | None = None, extra: dict[str, str | None] | None = None,
           gateways: dict[str, set[str]] | None = None) -> JSON:
    dst = _address(to, "to")
    family = family_of(dst)
    args = ["-4" if family == "inet" else "-6", "route", "get", str(dst)]
    if source is not None:
        src = _address(source, "from")
        if family_of(src) != family:
            raise InvalidInput(f"from: {src} is not of the same family as {dst}", "from")
        args += ["from", str(src)]
    links = kernel.read_links()
    for field, value in (("iif", iif), ("oif", oif)):
        if value is not None:
            parse_interface_name(value, field)
            if value not in links:
                raise InvalidInput(f"{field}: there is no interface '{value}' on this host", field)
            args += [field, value]
    mark = 0
    if fwmark is not None:
        try:
            mark = int(fwmark, 0)
        except ValueError:
            raise InvalidInput(f"fwmark: '{fwmark[:20]}' is not a number", "fwmark") from None
        if not 0 <= mark < 2 ** 32:
            raise InvalidInput("fwmark: must fit in 32 bits", "fwmark")
        args += ["mark", str(mark)]
    query: JSON = {"to": str(dst), "family": family}
    if source is not None:
        query["from"] = args[args.index("from") + 1]
    for key, value in (("iif", iif), ("oif", oif)):
        if value is not None:
            query[key] = value
    if fwmark is not None:
        query["fwmark"] = mark
    selectors = truth.selectors(extra or {})
    query.update(selectors)
    args += truth.selector_args(selectors)
    # our own evaluation of the rules and tables beside the kernel's answer (lookup.py)
    told = truth.truth(truth.packet(query), names, gateways or {})
    proc = kernel.run_ip(["-N", "-j", *args])
    if proc.returncode != 0:
        message = proc.stderr.strip().removeprefix("RTNETLINK answers: ") or "no route"
        return {"query": query, "route": None, "rule": None, "table": None, **told,
                "explanation": f"The kernel finds no way for this packet ({message}): {told['verdict']['text']}"}
    try:
        answer = kernel.parse_json(args, proc)[0]
    except (KernelError, IndexError):
        raise KernelError("ip route get: unreadable answer") from None
    table = int(answer.get("table", 254)) if str(answer.get("table", "254")).isdigit() else 254
    route = _answering_route(table, family, str(dst))
    rule = _matching_rule(family, table, query, links, _prefix(route))
    result = {"query": query, "route": _named(answer), "table": table, "table_name": names.get(table, str(table)),
              "rule": rule, "matched_route": route}
    result["explanation"] = explain(result)
    result.update(told)
    return result


def _named(entry: JSON) -> JSON:
    out = dict(entry)
    for key, table in (("type", ROUTE_TYPES), ("protocol", PROTOCOLS), ("scope", SCOPES)):
        if key in out:
            out[key] = table.get(str(out[key]), out[key])
    out.pop("cache", None)
    return out


def _prefix(route: JSON | None) -> int | None:
    """The answering route's prefix length (a rule with suppress_prefixlength N passes on answers
    of length N or less)."""
    dst = str((route or {}).get("dst", ""))
    if dst == "default":
        return 0
    if "/" in dst:
        length = dst.rpartition("/")[2]
        return int(length) if length.isdigit() else None
    return (128 if ":" in dst else 32) if dst else None


def _matching_rule(family: Family, table: int, query: JSON, links: dict[str, kernel.Link],
                   prefix: int | None = None) -> JSON | None:
    """The first rule, in evaluation order, whose selectors the packet meets and that looks up the
    table the kernel answered from (skipping one whose suppress_prefixlength refused the answer)."""
    src = ipaddress.ip_address(query["from"]) if "from" in query else None
    dst = ipaddress.ip_address(query["to"])
    for entry in kernel.ip_json("-4" if family == "inet" else "-6", "rule", "show"):
        rule = kernel.parse_rule(entry, family)
        if rule is None or rule.action != "lookup" or rule.table != table:
            continue
        suppress = dict(rule.selectors).get("suppress_prefixlength")
        if suppress is not None and prefix is not None and suppress.isdigit() and prefix <= int(suppress):
            continue
        if _selectors_match(rule.selectors, src, dst, query):
            return {"priority": rule.priority, "selectors": [list(s) for s in rule.selectors],
                    "table": table, "owned": rule.protocol == PROTO,
                    "text": " ".join(rule.args()[:-2] if rule.protocol else rule.args())}
    return None


def _selectors_match(selectors: tuple[tuple[str, str], ...], src: Any, dst: Any, query: JSON) -> bool:
    negate = False
    ok = True
    for word, value in selectors:
        if word == "not":
            negate = True
        elif word == "from":
            ok = ok and src is not None and src in ipaddress.ip_network(value, strict=False)
        elif word == "to":
            ok = ok and dst in ipaddress.ip_network(value, strict=False)
        elif word in ("iif", "oif"):
            ok = ok and query.get(word) == value
        elif word == "fwmark":
            mark, _, mask = value.partition("/")
            m = int(mask, 0) if mask else 0xFFFFFFFF
            ok = ok and (int(query.get("fwmark", 0)) & m) == (int(mark, 0) & m)
        elif word in ("suppress_prefixlength", "suppress_ifgroup"):
            continue
        else:
            ok = False           # a selector we cannot judge from the query (ports, uid, tos…)
    return ok != negate


def _answering_route(table: int, family: Family, dst: str) -> JSON | None:
    """The route of `table` that covers dst best (longest prefix), as the kernel would pick it."""
    best: tuple[int, JSON] | None = None
    address = ipaddress.ip_address(dst)
    for line in _lines(table, (family,)):
        route = parse_route_line(line.decode(errors="replace"))
        if route.get("type") in ("local", "broadcast"):
            if route.get("dst") != dst:
                continue
        try:
            net = ipaddress.ip_network("0.0.0.0/0" if family == "inet" and route.get("dst") == "default"
                                       else "::/0" if route.get("dst") == "default" else route.get("dst", ""),
                                       strict=False)
        except ValueError:
            continue
        if address in net and (best is None or net.prefixlen > best[0]):
            best = (net.prefixlen, route)
    return best[1] if best else None


def explain(result: JSON) -> str:
    """One sentence for the command line (the page builds its own, translated, from the fields)."""
    table = result.get("table_name")
    matched = result.get("matched_route")
    what = "a route" if not matched else "its default route" if matched.get("dst") == "default" \
        else f"its route {matched['dst']}"
    route = result.get("route") or {}
    if route.get("gateway") and route.get("dev"):
        how = f"it leaves via {route['gateway']} on {route['dev']}"
    elif route.get("dev") and route.get("type") != "local":
        how = f"it leaves directly on {route['dev']}"
    elif route.get("type") == "local":
        how = "it is delivered to this host"
    else:
        how = f"the route's type is {route.get('type', 'unknown')}"
    rule = result.get("rule")
    if rule:
        selectors = rule["text"].split(" ", 2)[2] if rule["text"].startswith("priority ") else rule["text"]
        return f"Rule {rule['priority']} ({selectors}) sends this packet to table {table}, and {what} answers: {how}."
    return f"Table {table} answers this packet with {what}: {how}."
