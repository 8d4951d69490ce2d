// SPDX-License-Identifier: LGPL-2.1-or-later
// The page's one notice about a change that waits for, or missed, its confirmation:
// - "Connection would be lost": a change of this tab (a gateway or a one-off fix) was not
//   confirmed (this page, or the one before a reload, could not prove that it still reaches the
//   host), so the host undoes it. Once it has, the admin may apply it anyway, without a rollback.
// - A change waits on the host (status `pending`) that this tab knows nothing of: another tab or
//   `cockpit-gateways … --confirm-within` on the command line. The host is the source of truth.

import { useEffect, useState } from "preact/hooks";
import { applyNow, toHelperError } from "../client/helper-client";
import { Alert, AlertActionLink } from "../ui/pf";
import { forgetAttempt, useAttempt } from "./attempt-store";

const _ = cockpit.gettext;

export interface LostNoticeProps {
    /** The status' `pending`: the host has a change waiting for its confirmation. */
    pending: { deadline?: number } | undefined;
    admin: boolean;
    /** The host changed (applied anyway), or the notice was dismissed: reload the status. */
    onChanged: () => void;
}

export const LostNotice = ({ pending, admin, onChanged }: LostNoticeProps) => {
    const { lost, inFlight } = useAttempt();
    const [now, setNow] = useState(() => Date.now());
    const [error, setError] = useState<string | null>(null);
    const [applying, setApplying] = useState(false);
    const deadline = lost?.deadline ?? 0;
    const waiting = pending !== undefined || now < deadline;

    // the notice changes at the deadline even if no status refresh comes
    useEffect(() => {
        if (now >= deadline)
            return;
        const timer = setTimeout(() => setNow(Date.now()), Math.max(0, deadline - now) + 500);
        return () => clearTimeout(timer);
    }, [now, deadline]);

    if (lost === null) {
        if (pending === undefined || inFlight)
            return null;
        const at = typeof pending.deadline === "number" ? new Date(pending.deadline * 1000).toLocaleTimeString() : "";
        return (
            <Alert isInline variant="info" title={_("A change is waiting for its confirmation")} className="gw-rollback">
                <p>{cockpit.format(_("It was made elsewhere (another page, or the command line) with a connection test. If its confirmation does not arrive, the host undoes it by itself at $0."), at)}</p>
            </Alert>
        );
    }

    const done = () => { forgetAttempt(); onChanged() };
    const applyAnyway = () => {
        setApplying(true);
        setError(null);
        applyNow(lost.args).then(done, (ex: unknown) => {
            setApplying(false);
            setError(toHelperError(ex).message);
        });
    };
    const actions = [
        <AlertActionLink key="dismiss" onClick={done}>{_("Dismiss")}</AlertActionLink>,
    ];
    if (admin && !waiting) {
        actions.unshift(
            <AlertActionLink key="apply" onClick={applyAnyway} isDisabled={applying}>{_("Apply anyway")}</AlertActionLink>);
    }
    return (
        <Alert isInline variant="warning" title={_("Connection would be lost")} className="gw-rollback" actionLinks={actions}>
            <p>
                {cockpit.format(_("$0 could not be confirmed: this page did not reach the host after the change."), lost.what)}{" "}
                {waiting
                    ? _("The host is undoing the change by itself.")
                    : _("The host has undone the change. Apply it anyway only if the host stays reachable another way.")}
            </p>
            {error !== null && <p className="gw-error-message">{error}</p>}
        </Alert>
    );
};
