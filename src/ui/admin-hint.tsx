// SPDX-License-Identifier: LGPL-2.1-or-later
// Shown instead of the editing actions when the session has no administrative access. It says what
// is true for this account: an admin who only has to switch gets the way to switch; an account
// that may not change routing is told so, and who can.

import { Alert } from "./pf";
import { ADMIN_REQUIRED } from "../client/helper-client";

const _ = cockpit.gettext;

export interface AdminHintProps {
    /** true: the account can switch in the shell; false: it cannot; null: not known (yet). */
    canEscalate: boolean | null;
    /** The login name, once known. */
    user: string | null;
}

export const AdminHint = ({ canEscalate, user }: AdminHintProps) => {
    if (canEscalate === false) {
        return (
            <Alert isInline variant="info" title={_("This account may not change routing")} className="gw-admin-hint">
                {cockpit.format(_("The page is read-only. $0 is not an administrator on this host (not in the sudo or wheel group), so it cannot switch to administrative access. Routing can be changed by root or by an administrator: log in as one, or ask one to add $0 to the sudo group (Debian, Ubuntu) or the wheel group (Fedora, RHEL)."),
                                user ?? _("This account"))}
            </Alert>
        );
    }
    return (
        <Alert isInline variant="info" title={ADMIN_REQUIRED} className="gw-admin-hint">
            {canEscalate === true
                ? _("The page is read-only. Turn on administrative access with the \"Limited access\" button at the top of the window.")
                : _("The page is read-only without administrative access.")}
        </Alert>
    );
};
