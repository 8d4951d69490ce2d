# SPDX-License-Identifier: LGPL-2.1-or-later
"""One-off fixes: add or delete one route in any table, one rule at any priority.

Every value is validated and the `ip` line is built from the validated values, never from the
admin's text.  A delete names exactly one object: the helper finds it in the kernel, refuses when
the request fits more than one (or when the kernel, which deletes the first rule whose selectors
include the requested ones, could take another rule first), and deletes it with every attribute
it has.  An object that is not ours (no `proto 248` marker) is deleted only with --foreign: the
page asks the admin first, naming it.

Fixes are kernel changes only, unless --keep stores them in /etc/cockpit-gateways/kept.json so
`reconcile` puts them back when they go missing (it never deletes them).  They carry the protocol
the admin gives (default `static`), never ours: `reconcile` would delete an object with our marker
that is not in the config.
"""

from __future__ import annotations

from typing import Any

from . import kernel
from .kept import load_kept, route_json, rule_json
from .model import PROTO, Family, GatewaysError, InvalidInput, Rule
from .objects import RouteSpec, read_table
from .pending import start_pending
from .plan import Change
from .result import Result, require_root
from .store import FileChange, Paths, dump_json, locked, remove, write_atomic


# --- the commands ------------------------------------------------------------------------------

def _check_foreign(obj: str, args: list[str], protocol: int | None, foreign: bool) -> None:
    """An object without our marker is deleted only when the admin said so (--foreign)."""
    if protocol != PROTO and not foreign:
        raise InvalidInput(f"{obj}: '{' '.join(args)}' is not owned by cockpit-gateways; "
                           "deleting it needs --foreign", "foreign")


def _line_and_undo(obj: str, op: str, args: list[str]) -> tuple[str, str]:
    """The `ip -batch` line of the change, and the one that takes it back."""
    back = "del" if op == "add" else "add"
    return f"{obj} {op} {' '.join(args)}", f"{obj} {back} {' '.join(args)}"


def route_change(paths: Paths, op: str, request: RouteSpec, *, foreign: bool = False, keep: bool = False,
                 dry_run: bool = False, confirm_within: float | None = None) -> Result:
    if op == "add":
        if request.protocol == PROTO:
            raise InvalidInput(f"proto: {PROTO} marks cockpit-gateways' own routes; pick another", "proto")
        target = request
        line, undo = _line_and_undo("route", op, target.args())
    else:
        matches = [r for r in read_table(request.family, request.table) if request.fits(r)]
        if not matches:
            raise InvalidInput(f"route: table {request.table} has no route like {' '.join(request.args())}", "route")
        if len(matches) > 1:
            raise InvalidInput(f"route: {len(matches)} routes in table {request.table} fit; name one exactly "
                               "(gateway, device, metric, protocol)", "route")
        target = matches[0]
        _check_foreign("route", target.args(), target.protocol, foreign)
        line, undo = _line_and_undo("route", op, target.args())
    return _apply(paths, "route", target.family, target.table, op, line, undo, route_json(target),
                  keep, dry_run, confirm_within)


def rule_change(paths: Paths, op: str, request: Rule, *, foreign: bool = False, keep: bool = False,
                dry_run: bool = False, confirm_within: float | None = None) -> Result:
    rules = [r for r in (kernel.parse_rule(e, request.family) for e in
                         kernel.ip_json("-4" if request.family == "inet" else "-6", "rule", "show")) if r]
    same = [r for r in rules if (r.priority, r.selectors, r.table, r.action) ==
            (request.priority, request.selectors, request.table, request.action)]
    if op == "add":
        if request.protocol == PROTO:
            raise InvalidInput(f"proto: {PROTO} marks cockpit-gateways' own rules; pick another", "proto")
        if same:
            raise InvalidInput(f"rule: it exists already: {' '.join(same[0].args())}", "rule")
        target = request
        line, undo = _line_and_undo("rule", op, target.args())
    else:
        if request.protocol:
            same = [r for r in same if r.protocol == request.protocol]
        if not same:
            raise InvalidInput(f"rule: there is no rule {' '.join(request.args())}", "rule")
        if len(same) > 1:
            raise InvalidInput("rule: several rules differ only in their protocol; name it with --proto", "proto")
        target = same[0]
        # the kernel deletes the first rule at that priority that has at least these selectors
        # (and, when the rule has none, any protocol): refuse if that is not this one
        first = next(r for r in rules if r.priority == target.priority and _kernel_would_match(target, r))
        if first != target:
            raise InvalidInput(f"rule: the kernel would delete '{' '.join(first.args())}' first; "
                               "delete that one or name this one with more selectors", "rule")
        _check_foreign("rule", target.args(), target.protocol, foreign)
        line, undo = _line_and_undo("rule", op, target.args())
    return _apply(paths, "rule", target.family, target.table, op, line, undo, rule_json(target),
                  keep, dry_run, confirm_within)


def _kernel_would_match(request: Rule, rule: Rule) -> bool:
    """The kernel's delete matches a rule that has at least the requested selectors."""
    return set(request.selectors) <= set(rule.selectors) and request.table == rule.table and \
        request.action == rule.action and (not request.protocol or request.protocol == rule.protocol)


def _apply(paths: Paths, obj: str, family: Family, table: int | None, op: str, line: str, undo: str,
           stored: dict[str, Any], keep: bool, dry_run: bool, confirm_within: float | None) -> Result:
    kept = load_kept(paths)
    kind = obj + "s"
    change_kept = (op == "add" and keep and stored not in kept[kind]) or (op == "del" and stored in kept[kind])
    result = Result([Change(op, obj, family, table, line)],
                    [FileChange(paths.kept, "write")] if change_kept else [], dry_run)
    if dry_run:
        return result
    require_root()
    new_kept = {"version": 1, **kept, kind: [k for k in kept[kind] if k != stored] + ([stored] if op == "add" else [])}
    with locked(paths):
        if confirm_within is not None:       # kept.json changes only when the fix is confirmed
            result.token = start_pending(paths, confirm_within, undo={family: [undo]},
                                         kept=new_kept if change_kept else None)
        try:
            kernel.batch(family, [line])
        except GatewaysError as e:
            if result.token:
                remove(paths.pending, paths.root)
            if "File exists" in str(e):
                raise InvalidInput(f"{obj}: it exists already", obj) from None
            raise
        if change_kept and confirm_within is None:
            write_atomic(paths.kept, dump_json(new_kept), paths.root)
    return result
