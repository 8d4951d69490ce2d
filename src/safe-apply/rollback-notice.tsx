// SPDX-License-Identifier: LGPL-2.1-or-later
// "Connection would be lost": a change applied with a rollback was not confirmed (this page, or
// the one before a reload, could not prove that it still reaches the host), so the host undid it.
// The admin may apply it anyway, without a rollback, once the host has rolled back.

import { useEffect, useState } from "preact/hooks";
import { applyNow, toHelperError } from "../client/helper-client";
import { Alert, AlertActionLink } from "../ui/pf";
import type { Attempt } from "./safe-apply";
import { familyLabel } from "../view-model";

const _ = cockpit.gettext;

export interface RollbackNoticeProps {
    attempt: Attempt;
    admin: boolean;
    onDone: () => void;
}

export const RollbackNotice = ({ attempt, admin, onDone }: RollbackNoticeProps) => {
    const [now, setNow] = useState(() => Date.now());
    const [error, setError] = useState<string | null>(null);
    const [applying, setApplying] = useState(false);
    const waiting = now < attempt.deadline;

    useEffect(() => {
        if (!waiting)
            return;
        const timer = setTimeout(() => setNow(Date.now()), Math.max(0, attempt.deadline - Date.now()) + 500);
        return () => clearTimeout(timer);
    }, [waiting, attempt.deadline]);

    const applyAnyway = () => {
        setApplying(true);
        setError(null);
        applyNow(attempt).then(onDone, (ex: unknown) => {
            setApplying(false);
            setError(toHelperError(ex).message);
        });
    };

    const what = attempt.gateway === null
        ? cockpit.format(_("Removing the gateway of $0 ($1)"), attempt.iface, familyLabel(attempt.family))
        : cockpit.format(_("Setting the gateway of $0 ($1) to $2"), attempt.iface, familyLabel(attempt.family), attempt.gateway);
    const actions = [
        <AlertActionLink key="dismiss" onClick={onDone}>{_("Dismiss")}</AlertActionLink>,
    ];
    if (admin && !waiting) {
        actions.unshift(
            <AlertActionLink key="apply" onClick={applyAnyway} isDisabled={applying}>{_("Apply anyway")}</AlertActionLink>);
    }
    return (
        <Alert isInline variant="warning" title={_("Connection would be lost")} className="gw-rollback" actionLinks={actions}>
            <p>
                {cockpit.format(_("$0 could not be confirmed: this page did not reach the host after the change."), what)}{" "}
                {waiting
                    ? _("The host is undoing the change by itself.")
                    : _("The host has undone the change. Apply it anyway only if the host stays reachable another way.")}
            </p>
            {error !== null && <p className="gw-error-message">{error}</p>}
        </Alert>
    );
};
