// SPDX-License-Identifier: LGPL-2.1-or-later
// The Networks view once the status is loaded: notices, the networks with their gateway dialog,
// Repair action and "Where do replies go?" (the reachability doctor, lookup/reach-dialog.tsx).

import { useEffect, useState } from "preact/hooks";
import { AdminHint } from "../ui/admin-hint";
import { useAttempt } from "../safe-apply/attempt-store";
import { ExportDialog } from "../export/export-dialog";
import { GatewayDialog } from "./gateway-dialog";
import { ReachDialog } from "../lookup/reach-dialog";
import { editButtonId, reachButtonId, repairButtonId } from "./network-row";
import { RepairDialog } from "./repair-dialog";
import { holdDeadline, holdReason, useClock } from "../safe-apply/hold";
import { networkRows, type NetworkRow } from "./network-model";
import { EXPORT_BUTTON_ID, NetworksTable } from "./networks-table";
import { Stack, StackItem } from "../ui/pf";
import { ServicesCard } from "./services-card";
import { StatusAlerts } from "./status-alerts";
import { ConflictsNotice } from "./conflicts-notice";
import { Toasts, type Toast } from "../ui/toasts";
import type { Status } from "../types";
import type { Access } from "../cockpit/use-admin";


/** The time, ticking each second until `deadline` (ms) has passed; still without one. */
/** Back to the control that opened a dialog, once the modal is gone. */
function focusLater(id: string): void {
    setTimeout(() => document.getElementById(id)?.focus(), 0);
}

export interface StatusViewProps {
    status: Status;
    /** Administrative access: null while unknown (read-only until known). */
    admin?: boolean | null;
    /** Whether the account could switch to administrative access, and its name (the read-only hint). */
    access?: Pick<Access, "canEscalate" | "user">;
    /** Something changed on the host: reload the status now. */
    onChanged?: () => void;
    /** Open this network's gateway dialog (a lookup's fix: #/?gateway=eth1&family=inet), on its
     * "Remove gateway" step with `remove` (deleting a gateway's route or rule: &remove=1). */
    openGateway?: { iface: string; family?: string; remove?: boolean } | null;
}

export const StatusView = ({ status, admin = false, access, onChanged = () => {}, openGateway = null }: StatusViewProps) => {
    const [editing, setEditing] = useState<NetworkRow | null>(null);
    const [removing, setRemoving] = useState(false);
    const [reaching, setReaching] = useState<NetworkRow | null>(null);
    const { lost } = useAttempt();
    const [repairing, setRepairing] = useState<NetworkRow | null>(null);
    const now = useClock(holdDeadline(status.pending, lost));
    const [toasts, setToasts] = useState<Toast[]>([]);
    const [exporting, setExporting] = useState(false);
    const canEdit = admin === true;

    const openDialog = (iface: string, family: string | undefined, remove: boolean) => {
        const row = networkRows(status.interfaces ?? [], status.default_routes ?? [])
            .find(r => r.iface === iface && (family === undefined || r.family === family) && r.editable);
        if (row !== undefined) {
            setRemoving(remove && row.gateway?.source === "static");
            setEditing(row);
        }
    };
    // from a lookup's fix: open the dialog once, and drop the request from the URL
    useEffect(() => {
        if (openGateway === null || !canEdit)
            return;
        openDialog(openGateway.iface, openGateway.family, openGateway.remove === true);
        cockpit.location.replace([], {});
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per request: status reloads must not reopen it
    }, [openGateway?.iface, openGateway?.family, openGateway?.remove, canEdit]);

    const addToast = (toast: Omit<Toast, "key">) => setToasts(ts => [...ts, { ...toast, key: Date.now() + Math.random() }]);
    const closeDialog = (row: NetworkRow) => {
        setEditing(null);
        setRemoving(false);
        onChanged();
        focusLater(editButtonId(row));
    };
    const closeRepair = (row: NetworkRow) => {
        setRepairing(null);
        onChanged();
        focusLater(repairButtonId(row));
    };

    return (
        <Stack hasGutter>
            {admin === false && <StackItem><AdminHint canEscalate={access?.canEscalate ?? null} user={access?.user ?? null} /></StackItem>}
            <StackItem><StatusAlerts warnings={status.warnings ?? []} drift={status.drift} /></StackItem>
            {(status.conflicts?.length ?? 0) > 0 && <StackItem><ConflictsNotice conflicts={status.conflicts ?? []} /></StackItem>}
            <StackItem>
                <NetworksTable interfaces={status.interfaces ?? []} defaultRoutes={status.default_routes ?? []}
                               admin={canEdit} heldBy={holdReason(status.pending, lost, now)} pending={status.pending}
                               onEdit={row => { setRemoving(false); setEditing(row) }} onRepair={setRepairing} onExport={() => setExporting(true)}
                               onLookup={row => setReaching(row)} />
            </StackItem>
            <StackItem><ServicesCard admin={canEdit} onApplied={title => addToast({ variant: "success", title })} /></StackItem>
            {editing !== null && canEdit && (
                <GatewayDialog key={editing.key} row={editing} tables={status.tables ?? []} removing={removing}
                               onClose={() => closeDialog(editing)}
                               onApplied={title => addToast({ variant: "success", title })} />
            )}
            {repairing !== null && canEdit && (
                <RepairDialog key={repairing.key} row={repairing} tables={status.tables ?? []}
                              onClose={() => closeRepair(repairing)}
                              onApplied={title => addToast({ variant: "success", title })} />
            )}
            {reaching !== null && (
                <ReachDialog iface={reaching.iface} family={reaching.family}
                             onClose={() => { setReaching(null); focusLater(reachButtonId(reaching)) }}
                             {...(canEdit ? { onFix: () => { setReaching(null); setEditing(reaching) } } : {})} />
            )}
            {exporting && <ExportDialog onClose={() => { setExporting(false); focusLater(EXPORT_BUTTON_ID) }} />}
            <Toasts toasts={toasts} onClose={key => setToasts(ts => ts.filter(t => t.key !== key))} />
        </Stack>
    );
};
