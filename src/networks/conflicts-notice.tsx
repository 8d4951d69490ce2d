// SPDX-License-Identifier: LGPL-2.1-or-later
// Conflicts with other tools' routing (status's and a preview's `conflicts`): each the helper's
// message (what is in the way and the fix) under a short title naming its kind.

import { Alert, Stack, StackItem } from "../ui/pf";
import type { Conflict } from "../types";

const _ = cockpit.gettext;

export function conflictTitle(kind: string): string {
    switch (kind) {
    case "priority": return _("Another rule uses one of our priorities");
    case "shadowed": return _("Another rule comes before ours");
    case "overlap": return _("Managed networks overlap");
    case "range": return _("Our tables or priorities are in another tool's range");
    case "networkd": return _("systemd-networkd may delete our rules and routes");
    default: return cockpit.format(_("Conflict: $0"), kind);
    }
}

/** The Networks view's notice: one warning per conflict. */
export const ConflictsNotice = ({ conflicts }: { conflicts: readonly Conflict[] }) => {
    if (conflicts.length === 0)
        return null;
    return (
        <Stack hasGutter className="gw-alerts gw-conflicts" aria-label={_("Conflicts with other tools")}>
            {conflicts.map((c, i) => (
                <StackItem key={i}>
                    <Alert isInline variant="warning" title={conflictTitle(c.kind)}>{c.message}</Alert>
                </StackItem>
            ))}
        </Stack>
    );
};

/** A preview's warning: the conflicts the change would create. */
export const PlanConflicts = ({ conflicts }: { conflicts: readonly Conflict[] | undefined }) => {
    if (conflicts === undefined || conflicts.length === 0)
        return null;
    return (
        <Alert isInline variant="warning" className="gw-plan-conflicts"
               title={cockpit.ngettext("This change creates a conflict", "This change creates conflicts", conflicts.length)}>
            {conflicts.map((c, i) => (
                <p key={i}><strong>{conflictTitle(c.kind)}:</strong> {c.message}</p>
            ))}
        </Alert>
    );
};
