# SPDX-License-Identifier: LGPL-2.1-or-later
"""`table-name add NUMBER NAME` and `table-name del NAME`: the plan (--dry-run) or the change, under
the lock, with --confirm-within like every change (the names file's rules: tablenames.py)."""

from __future__ import annotations

from typing import Any

from .model import InvalidInput
from .pending import start_pending
from .result import require_root
from .store import FileChange, Paths, locked, pending_id, read_text
from .tablenames import names_path, plan_add, plan_del, write


def run(paths: Paths, op: str, args: list[str], *, dry_run: bool, confirm_within: float | None) -> dict[str, Any]:
    """`table-name add NUMBER NAME` / `table-name del NAME`: the plan (dry run) or the change."""
    if op == "add":
        if len(args) != 2:
            raise InvalidInput("usage: table-name add NUMBER NAME", "arguments")
        new = plan_add(paths, args[0], args[1])
        number, name = int(args[0]), args[1]
    else:
        if len(args) != 1:
            raise InvalidInput("usage: table-name del NAME", "arguments")
        new, number, name = plan_del(paths, args[0])
    path = names_path(paths)
    data: dict[str, Any] = {
        "changed": True, "dry_run": dry_run, "changes": [],
        "files": [FileChange(path, "write" if new else "delete").to_json()],
        "names": [{"op": op, "id": number, "name": name, "text": f"{number}\t{name}"}],
    }
    if dry_run:
        return data
    require_root()
    with locked(paths):
        # read again under the lock: another helper may have named something meanwhile
        new = plan_add(paths, args[0], args[1]) if op == "add" else plan_del(paths, args[0])[0]
        if confirm_within is not None:
            data["token"] = start_pending(paths, confirm_within, names={"text": read_text(path)})
            data["pending_id"] = pending_id(data["token"])
        write(paths, new)
    return data


def text(data: dict[str, Any]) -> str:
    sign = {"add": "+", "del": "-"}
    prefix = "would: " if data["dry_run"] else ""
    lines = [f"{prefix}{sign[n['op']]} table {n['id']} name {n['name']}" for n in data["names"]]
    lines += [f"{prefix}{f['action']} {f['path']}" for f in data["files"]]
    if data.get("token"):
        lines.append(f"confirm with: cockpit-gateways confirm {data['token']}")
    return "\n".join(lines) + "\n"
