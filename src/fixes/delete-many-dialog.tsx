// SPDX-License-Identifier: LGPL-2.1-or-later
// Delete several routes of one table as one change: the helper's `route del --many` with each
// route's own `delete` arguments, previewed like every change and applied with one rollback.

import { Alert } from "../ui/pf";
import { routesDeleteArgs } from "../client/helper-args";
import { PlanPreview } from "../safe-apply/plan-preview";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import type { Route, RoutingTable } from "../types";

const _ = cockpit.gettext;

export interface DeleteManyDialogProps {
    /** Routes the helper gave `delete` arguments for (a gateway's own are not offered). */
    routes: readonly Route[];
    /** "table 300 (vpn)" */
    where: string;
    tables: readonly RoutingTable[];
    /** Closed; `changed`: the routes were deleted (confirmed or not). */
    onClose: (changed: boolean) => void;
}

export const DeleteManyDialog = ({ routes, where, tables, onClose }: DeleteManyDialogProps) => {
    const lists = routes.flatMap(r => (r.delete ? [r.delete] : []));
    const foreign = routes.filter(r => r.owned !== true).length;
    const n = lists.length;
    const safe = useSafeApply({
        args: n > 0 ? routesDeleteArgs(lists) : null,
        what: cockpit.format(cockpit.ngettext("Deleting $0 route", "Deleting $0 routes", n), n),
        onDone: () => onClose(true),
    });
    return (
        <SafeApplyDialog id="gw-delete-many-dialog" title={cockpit.format(cockpit.ngettext("Delete $0 route?", "Delete $0 routes?", n), n)}
                         applyLabel={_("Delete")} danger safe={safe} onClose={() => onClose(false)}>
            <p>{cockpit.format(_("This deletes the selected routes in $0 as one change, undone together if the connection is lost:"), where)}</p>
            {foreign > 0 && (
                <Alert isInline isPlain variant="warning" className="gw-preview"
                       title={cockpit.format(cockpit.ngettext("$0 of them is not owned by cockpit-gateways", "$0 of them are not owned by cockpit-gateways", foreign), foreign)}>
                    {_("Someone else made them (an administrator, NetworkManager, a VPN or a routing daemon) and may expect them to stay. Only these exact routes are deleted.")}
                </Alert>
            )}
            <PlanPreview preview={safe.preview} tables={tables} />
        </SafeApplyDialog>
    );
};
