// SPDX-License-Identifier: LGPL-2.1-or-later
// Repair one network's source routing (one interface, one family: what the button names), like
// every other change: the helper's plan first (`reconcile IFACE --family F --dry-run`), then the
// safe apply (an unconfirmed repair is undone on the host).

import { reconcileArgs } from "../client/helper-args";
import type { NetworkRow } from "./network-model";
import { routingDescription } from "./network-labels";
import { PlanPreview } from "../safe-apply/plan-preview";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import type { RoutingTable } from "../types";
import { familyLabel } from "../view-model";

const _ = cockpit.gettext;

export interface RepairDialogProps {
    row: NetworkRow;
    tables: readonly RoutingTable[];
    onClose: () => void;
    onApplied?: (message: string) => void;
}

export const RepairDialog = ({ row, tables, onClose, onApplied }: RepairDialogProps) => {
    const family = familyLabel(row.family);
    const safe = useSafeApply({
        args: reconcileArgs(row.iface, row.family),
        what: cockpit.format(_("Repairing source routing of $0 ($1)"), row.iface, family),
        onDone: confirmed => {
            if (confirmed)
                onApplied?.(cockpit.format(_("Source routing of $0 ($1) repaired"), row.iface, family));
            onClose();
        },
    });
    return (
        <SafeApplyDialog id="gw-repair-dialog" title={cockpit.format(_("Repair source routing of $0 ($1)"), row.iface, family)}
                         safe={safe} applyLabel={_("Repair")} onClose={onClose}>
            <p className="gw-secondary">
                {row.gateway?.reason ?? routingDescription(row.routing)}{" "}
                {cockpit.format(_("Only $0's $1 routes and rules are put back; the other family stays as it is."), row.iface, family)}
            </p>
            <PlanPreview preview={safe.preview} tables={tables} />
        </SafeApplyDialog>
    );
};
