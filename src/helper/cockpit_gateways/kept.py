# SPDX-License-Identifier: LGPL-2.1-or-later
"""Kept one-off fixes: /etc/cockpit-gateways/kept.json, the routes and rules an admin added with
`route add … --keep` / `rule add … --keep` (fixes.py).  `reconcile` puts back the ones the kernel
lacks and never deletes any; owners.py names them "kept".
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import kernel
from .model import FAMILIES, Family, InvalidInput, Rule
from .objects import RouteSpec, read_table
from .plan import Change
from .store import Paths, read_json


def route_json(route: RouteSpec) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(route).items() if v not in (None, False, (), [])}


def rule_json(rule: Rule) -> dict[str, Any]:
    return {"family": rule.family, "priority": rule.priority, "selectors": [list(s) for s in rule.selectors],
            "table": rule.table, "action": rule.action, "protocol": rule.protocol}


def load_kept(paths: Paths) -> dict[str, list[dict[str, Any]]]:
    """kept.json: {"version": 1, "routes": [route], "rules": [rule]}, as route_json/rule_json write
    them.  Each entry is rebuilt and checked; a damaged file is an error naming it."""
    data = read_json(paths.kept)
    if data is None:
        return {"routes": [], "rules": []}
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("routes", []), list) \
            or not isinstance(data.get("rules", []), list):
        raise InvalidInput(f"{paths.kept}: not a kept-objects file of version 1", "kept")
    for entry in data.get("routes", []):
        kept_route(entry, paths)
    for entry in data.get("rules", []):
        kept_rule(entry, paths)
    return {"routes": list(data.get("routes", [])), "rules": list(data.get("rules", []))}


def kept_route(entry: Any, paths: Paths) -> RouteSpec:
    try:
        fields: dict[str, Any] = dict(entry)
        fields["nexthops"] = tuple(tuple(h) for h in entry.get("nexthops", []))
        route = RouteSpec(**fields)
        if route.family not in FAMILIES or not isinstance(route.table, int) or not batch_safe(route.args()):
            raise TypeError
        return route
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise InvalidInput(f"{paths.kept}: a kept route is damaged: {str(entry)[:80]}", "kept") from None


def kept_rule(entry: Any, paths: Paths) -> Rule:
    try:
        rule = Rule(entry["family"], int(entry["priority"]), tuple((str(w), str(v)) for w, v in entry["selectors"]),
                    entry.get("table"), protocol=int(entry.get("protocol", 0)), action=str(entry["action"]))
        if rule.family not in FAMILIES or not batch_safe(rule.args()):
            raise TypeError
        return rule
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
        raise InvalidInput(f"{paths.kept}: a kept rule is damaged: {str(entry)[:80]}", "kept") from None


def batch_safe(words: list[str]) -> bool:
    """Words read back from kept.json go into `ip -batch`: nothing that batch reads as syntax."""
    return all(word and not any(c.isspace() or c in "\"'#\\" for c in word) for word in words)


def restore_kept(paths: Paths, dry_run: bool) -> list[Change]:
    """The kept objects the kernel lacks, added back (reconcile).  Never deletes anything."""
    kept = load_kept(paths)
    changes = []
    tables: dict[tuple[Family, int], list[RouteSpec]] = {}
    for entry in kept["routes"]:
        route = kept_route(entry, paths)
        have = tables.setdefault((route.family, route.table), read_table(route.family, route.table))
        if not any(route.fits(r) for r in have):
            changes.append(Change("add", "route", route.family, route.table, "route add " + " ".join(route.args())))
    rules = {f: [r for r in (kernel.parse_rule(e, f) for e in
                             kernel.ip_json("-4" if f == "inet" else "-6", "rule", "show")) if r]
             for f in FAMILIES} if kept["rules"] else {}
    for entry in kept["rules"]:
        rule = kept_rule(entry, paths)
        if rule not in rules[rule.family]:
            changes.append(Change("add", "rule", rule.family, rule.table, "rule add " + " ".join(rule.args())))
    if not dry_run:
        for family in FAMILIES:
            lines = [c.line for c in changes if c.family == family]
            kernel.batch(family, lines, force=True)
    return changes
