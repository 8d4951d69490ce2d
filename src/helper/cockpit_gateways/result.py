# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a changing command did or would do (its JSON: doc/helper-json.md), and the root check
every changing command makes before it takes the lock."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from .model import InvalidInput
from .plan import Change
from .store import FileChange, pending_id


@dataclasses.dataclass
class Result:
    changes: list[Change]
    files: list[FileChange]
    dry_run: bool
    token: str | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)
    conflicts: list[dict[str, Any]] = dataclasses.field(default_factory=list)     # new ones (previews)
    table_names: dict[int, str] = dataclasses.field(default_factory=dict)         # changes say both

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "changed": bool(self.changes) or any(f.action in ("write", "delete") for f in self.files),
            "dry_run": self.dry_run,
            "changes": [{**c.to_json(), **({"table_name": self.table_names[c.table]}
                                            if c.table in self.table_names else {})} for c in self.changes],
            "files": [f.to_json() for f in self.files],
        }
        if self.token:
            out["token"] = self.token
            out["pending_id"] = pending_id(self.token)
        if self.warnings:
            out["warnings"] = self.warnings
        if self.conflicts:
            out["conflicts"] = self.conflicts
        return out


def require_root() -> None:
    if os.geteuid() != 0:
        raise InvalidInput("this command changes routing and needs root "
                           "(run it with sudo, or turn on administrative access)", "user")
