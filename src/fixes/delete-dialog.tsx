// SPDX-License-Identifier: LGPL-2.1-or-later
// Delete one route or rule. The helper is sent every attribute of that object, so it matches
// exactly it. An object cockpit-gateways does not own is named here and the admin is told so;
// only pressing Delete in this dialog adds --foreign.

import { Alert } from "../ui/pf";
import { foreign } from "../client/helper-args";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";

const _ = cockpit.gettext;

export interface DeleteTarget {
    object: "route" | "rule";
    /** The object in `ip` words, e.g. "10.77.0.0/16 via 10.0.2.1 dev eth1 proto static". */
    text: string;
    /** "table 300 (vpn)" for a route, "" for a rule. */
    where: string;
    owned: boolean;
    /** `route del …` / `rule del …` naming exactly this object (without --foreign). */
    args: readonly string[];
}

export interface DeleteDialogProps {
    target: DeleteTarget;
    /** Closed; `changed`: the object was deleted (confirmed or not). */
    onClose: (changed: boolean) => void;
}

export const DeleteDialog = ({ target, onClose }: DeleteDialogProps) => {
    const isRoute = target.object === "route";
    const safe = useSafeApply({
        args: target.owned ? target.args : foreign(target.args),
        what: cockpit.format(isRoute ? _("Deleting the route $0") : _("Deleting the rule $0"), target.text),
        onDone: () => onClose(true),
        preview: false,
    });
    return (
        <SafeApplyDialog id="gw-delete-dialog" title={isRoute ? _("Delete route?") : _("Delete rule?")} applyLabel={_("Delete")}
                         danger safe={safe} onClose={() => onClose(false)}>
            <p>
                {isRoute
                    ? cockpit.format(_("This deletes the route in $0:"), target.where)
                    : _("This deletes the rule:")}
            </p>
            <pre className="gw-mono gw-commands gw-delete-object">{target.text}</pre>
            {!target.owned && (
                <Alert isInline isPlain variant="warning" className="gw-preview"
                       title={isRoute ? _("This route is not owned by cockpit-gateways") : _("This rule is not owned by cockpit-gateways")}>
                    {_("Someone else made it (an administrator, NetworkManager, a VPN or a routing daemon) and may expect it to stay. Only this exact object is deleted.")}
                </Alert>
            )}
        </SafeApplyDialog>
    );
};
