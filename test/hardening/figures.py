# SPDX-License-Identifier: LGPL-2.1-or-later
"""Print the totals the hardening tests recorded (see common.record), then start afresh:
    python3 -m test.hardening.figures [--reset]"""

from __future__ import annotations

import collections
import json
import os
import sys

from test.hardening.common import FIGURES

LABELS = {
    "parser_inputs": "parser inputs tried (pure, no root)",
    "command_inputs": "command-level inputs tried (helper in the lab)",
    "rejected_unchanged": "rejected inputs with kernel and files byte-for-byte unchanged",
    "crash_points": "crash points covered (SIGKILL, then reconcile)",
    "fsync_files": "atomic writes checked for fsync before rename and directory fsync",
    "concurrent_runs": "concurrent helper runs",
    "rollbacks": "rollbacks verified",
    "foreign_objects": "foreign objects compared after a test (all survived)",
    "ip_invocations": "ip invocations and batch lines audited",
}


def main(argv: list[str]) -> int:
    totals: collections.Counter[str] = collections.Counter()
    if os.path.exists(FIGURES):
        with open(FIGURES, encoding="utf-8") as f:
            for line in f:
                totals.update(json.loads(line))
    print("hardening figures:")
    for key, label in LABELS.items():
        print(f"  {totals.get(key, 0):8d}  {label}")
    if "--reset" in argv and os.path.exists(FIGURES):
        os.unlink(FIGURES)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
