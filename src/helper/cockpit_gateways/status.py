# SPDX-License-Identifier: LGPL-2.1-or-later
"""The read-only snapshot: interfaces, gateways, tables, rules and drift (doc/helper-json.md).

Reads without the lock and without root.  Route counts come from one netlink dump per family that
reads nothing but each route's table; full route lists are never built here.  Without route counts
(`--no-route-counts`, what the page's Networks view asks for) nothing here grows with the routes
of other tables: only our own routes, the rules, the addresses and main's default routes are read.
"""

from __future__ import annotations

from typing import Any

from . import conflicts, kernel, owners
from .kernel import JSON, Link, Snapshot
from .leases import load_dhcp
from .model import FAMILIES, MAIN_TABLE, PROTO, Family, Rule
from .names import RESERVED_TABLES, table_names
from .networkd import networkd_warnings
from .plan import Change, GatewayState, desired_state, diff, effective_gateways
from .store import Config, Paths, desired_config, load_layout, pending_id
from .tablenames import read_own


def status(paths: Paths, route_counts: bool = True) -> dict[str, Any]:
    rules4, rules6, routes4, routes6, addrs, default4, default6 = kernel.ip_json_many(
        *kernel.OWNED_READS, ("addr", "show"), ("-4", "route", "show", "table", "main", "default"),
        ("-6", "route", "show", "table", "main", "default"))
    snap_rules: dict[Family, list[JSON]] = {"inet": rules4, "inet6": rules6}
    links = kernel.parse_links(addrs)
    snap = Snapshot(links, kernel.parse_owned_routes(routes4, routes6), kernel.owned_rules(snap_rules))
    config, pending = desired_config(paths)
    dhcp = load_dhcp(paths)
    layout = load_layout(paths)
    desired = desired_state(effective_gateways(config, dhcp), links, layout)
    changes = diff(desired.routes, desired.rules, snap.routes, snap.rules)
    defaults = [{"family": "inet", **d} for d in default4] + [{"family": "inet6", **d} for d in default6]
    counts = kernel.count_routes_by_table() if route_counts else {}
    names = table_names(paths)
    owned_tables = {r.table for r in snap.routes} | {iface.table for iface in config.values()}

    interfaces = [_interface(link, defaults, desired.states, changes, snap) for link in
                  sorted(links.values(), key=lambda link: link.index)]
    tables = []
    referenced = {int(r["table"]) for rules in snap_rules.values() for r in rules
                  if str(r.get("table", "")).isdigit()}
    listed = set(counts) if route_counts else {254, 255}   # without counts: main and local always
    named = set(read_own(paths))           # tables the admin named here are listed, even while empty
    for table in sorted(listed | owned_tables | referenced | named):
        kind = RESERVED_TABLES.get(table) or ("ours" if table in owned_tables and
                                              layout.table_min <= table <= layout.table_max else "foreign")
        entry: dict[str, Any] = {"id": table, "name": names.get(table, str(table)), "owned": kind == "ours", "kind": kind}
        if route_counts:
            entry["routes"] = counts.get(table, {"inet": 0, "inet6": 0})
        tables.append(entry)
    rules = []
    parsed = {f: [(e, kernel.parse_rule(e, f)) for e in snap_rules[f]] for f in FAMILIES}     # once each
    every_rule = {f: [r for _, r in parsed[f] if r is not None] for f in FAMILIES}
    recognition = owners.context(paths, links, every_rule)
    for family in FAMILIES:
        for entry, rule in parsed[family]:
            rules.append({**_rule(entry, family, names, rule), **owners.rule_owner(rule, recognition)})
    result: dict[str, Any] = {
        "version": 1,
        "layout": layout.to_json(),
        "interfaces": interfaces,
        "default_routes": [_default_route(d) for d in defaults],
        "tables": tables,
        "rules": rules,
        "drift": {"missing": [c.line for c in changes if c.op != "del"],
                  "extra": [c.line for c in changes if c.op == "del"]},
        "warnings": [],
    }
    result["conflicts"] = conflicts.find(paths, every_rule, links, desired, layout,
                                         {iface.table for iface in config.values()}, networkd_warnings(paths))
    if pending is not None:
        result["pending"] = {"deadline": pending["deadline"], "id": pending_id(pending["token"]),
                             "gateways": _pending_gateways(paths, config)}
    return result


def _pending_gateways(paths: Paths, testing: Config) -> list[dict[str, Any]]:
    """The static gateways the change being tested sets, changes or removes: before (confirmed,
    config.json) and after (pending).  Empty for a one-off fix or a repair."""
    from .store import load_config
    confirmed = load_config(paths)
    out = []
    for name in sorted(set(confirmed) | set(testing)):
        for family in FAMILIES:
            old = confirmed[name].gateways.get(family) if name in confirmed else None
            new = testing[name].gateways.get(family) if name in testing else None
            if old != new:
                out.append({"interface": name, "family": family, "before": old.address if old else None,
                            "after": new.address if new else None})
    return out


def _interface(link: Link, defaults: list[JSON], states: list[GatewayState], changes: list[Change],
               snap: Snapshot) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": link.name, "index": link.index, "state": link.state,
        "default_route": any(d.get("dev") == link.name for d in defaults),
        "addresses": [{"family": a.family, "address": str(a.interface.ip), "prefix": a.interface.network.prefixlen,
                       "network": str(a.interface.network), "scope": a.scope, "dynamic": a.dynamic}
                      for a in link.addresses if a.interface is not None],
        "gateways": [],
    }
    if link.mac:
        out["mac"] = link.mac
    if link.kind:
        out["kind"] = link.kind
    for s in states:
        if s.gateway.interface != link.name:
            continue
        state = s.state
        key = (s.gateway.table, s.gateway.family)
        # the shared main rule (table main) belongs to every network of its family
        if state == "active" and any((c.table, c.family) in (key, (MAIN_TABLE, s.gateway.family)) for c in changes):
            present = any((r.table, r.family) == key for r in snap.routes) or \
                any((r.table, r.family) == key for r in snap.rules)
            state = "drift" if present else "missing"
        gw: dict[str, Any] = {"family": s.gateway.family, "address": s.gateway.address,
                              "source": s.gateway.source, "state": state, "table": s.gateway.table,
                              "onlink": s.gateway.onlink}
        if s.reason:
            gw["reason"] = s.reason
        out["gateways"].append(gw)
    return out


def _default_route(entry: JSON) -> dict[str, Any]:
    out = {"family": entry.get("family"), "dev": entry.get("dev")}
    for key in ("gateway", "metric", "protocol"):
        if key in entry:
            out[key] = entry[key]
    return out


def _rule(entry: JSON, family: Family, names: dict[int, str], parsed: Rule | None) -> dict[str, Any]:
    table = parsed.table if parsed else None
    selector: dict[str, str | bool] = {"from": "all"} if entry.get("src", "all") == "all" else {}
    for word, value in (parsed.selectors if parsed else ()):
        selector[word] = value if value != "" else True
    out: dict[str, Any] = {
        "family": family, "priority": parsed.priority if parsed else None,
        "action": parsed.action if parsed else "unknown",
        "owned": bool(parsed and parsed.protocol == PROTO),
        "selector": selector,
    }
    if table is not None:
        out["table"] = table
        out["table_name"] = names.get(table, str(table))
    if parsed and parsed.protocol:
        out["protocol"] = parsed.protocol
    return out


def status_text(data: dict[str, Any]) -> str:
    lines = []
    for iface in data["interfaces"]:
        addrs = " ".join(f"{a['address']}/{a['prefix']}" for a in iface["addresses"]) or "-"
        mark = " (default route)" if iface["default_route"] else ""
        lines.append(f"{iface['name']}: {iface['state']}{mark}  {addrs}")
        for gw in iface["gateways"]:
            lines.append(f"    gateway {gw['address']} ({gw['family']}, {gw['source']}, table {gw['table']}): "
                         f"{gw['state']}" + (f" - {gw['reason']}" if gw.get("reason") else ""))
    lines.append("tables:")
    for t in data["tables"]:
        lines.append(f"    {t['id']:>10} {t['name']:<20} {t['kind']:<8} "
                     f"{t['routes']['inet']} IPv4, {t['routes']['inet6']} IPv6 routes")
    lines.append("rules:")
    for r in data["rules"]:
        sel = " ".join(k if v is True else f"{k} {v}" for k, v in r["selector"].items())
        target = f"lookup {r.get('table_name', '')}" if r["action"] == "lookup" else \
            f"goto {r.get('table')}" if r["action"] == "goto" else r["action"]
        lines.append(f"    {r['family']:<5} {r['priority']}: {sel} {target}" + ("  [ours]" if r["owned"] else ""))
    for kind in ("missing", "extra"):
        for line in data["drift"][kind]:
            lines.append(f"drift ({kind}): {line}")
    lines += [f"conflict ({c['kind']}): {c['message']}" for c in data.get("conflicts", [])]
    lines += [f"warning: {w}" for w in data["warnings"]]
    return "\n".join(lines) + "\n"

