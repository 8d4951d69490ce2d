// SPDX-License-Identifier: LGPL-2.1-or-later
// What a planned change does to live connections (the dry run's `connections`): each one that
// would move or be cut, in words; and when the admin's own web console connection is among them,
// an explicit confirmation before Apply.

import { useEffect, useState } from "preact/hooks";
import type { JSX } from "preact";
import { hopsText } from "../lookup/lookup-verdict";
import { Alert, Checkbox, List, ListItem } from "../ui/pf";
import type { PlanConnection } from "../types";
import type { PreviewState } from "./use-preview";

const _ = cockpit.gettext;

function peer(c: PlanConnection): string {
    const wrap = (address: string) => (address.includes(":") ? `[${address}]` : address);
    return cockpit.format(_("$0 with $1"), `${wrap(c.local)}:${c.local_port}`, `${wrap(c.remote)}:${c.remote_port}`);
}

/** One connection and what the change does to it. */
export function connectionText(c: PlanConnection): string {
    const who = c.cockpit ? cockpit.format(_("Your web console connection ($0)"), peer(c))
        : cockpit.format(_("The connection $0"), peer(c));
    if (c.after.dropped)
        return cockpit.format(_("$0 would be cut: replies to $1 would be dropped ($2)."), who, c.remote, c.after.code);
    if (c.incoming?.after.dropped)
        return cockpit.format(_("$0 would be cut: its packets arriving on $1 would be dropped ($2)."),
                              who, c.incoming.interface, c.incoming.after.code);
    return cockpit.format(_("$0 would move: replies to $1 would leave $2 instead of $3."),
                          who, c.remote, hopsText(c.after.nexthops), hopsText(c.before.nexthops));
}

function connectionsOf(preview: PreviewState): PlanConnection[] {
    return preview.state === "ready" ? preview.plan.connections ?? [] : [];
}

export const PlanConnections = ({ preview }: { preview: PreviewState }) => {
    const connections = connectionsOf(preview);
    if (connections.length === 0)
        return null;
    return (
        <section className="gw-preview gw-connections" aria-labelledby="gw-connections-title">
            <h3 id="gw-connections-title" className="gw-preview-title">{_("Live connections this change affects")}</h3>
            <List aria-labelledby="gw-connections-title">
                {connections.map((c, i) => <ListItem key={i}>{connectionText(c)}</ListItem>)}
            </List>
        </section>
    );
};

/** When the plan moves or cuts the web console's own connection: a warning and a checkbox that
 * Apply waits for.  `blocked` is true until the admin ticks it. */
export function useOwnConnectionGuard(preview: PreviewState): { blocked: boolean; element: JSX.Element | null } {
    const own = connectionsOf(preview).filter(c => c.cockpit);
    const [confirmed, setConfirmed] = useState(false);
    const key = own.map(c => `${c.local}:${c.local_port}-${c.remote}:${c.remote_port}`).join(" ");
    useEffect(() => setConfirmed(false), [key]);
    if (own.length === 0)
        return { blocked: false, element: null };
    const cut = own.some(c => c.after.dropped || c.incoming?.after.dropped === true);
    return {
        blocked: !confirmed,
        element: (
            <Alert isInline variant="warning" className="gw-own-connection"
                   title={cut ? _("This change would cut your connection to this web console")
                       : _("This change would move your connection to this web console")}>
                <p>{cut ? _("Once applied, this page loses the host; if the change is not confirmed in time, the host undoes it by itself.")
                    : _("Your connection would take another way; if that way does not work, the host undoes the change by itself.")}</p>
                <Checkbox id="gw-own-connection-confirm" isChecked={confirmed} onChange={(_e, v) => setConfirmed(v)}
                          label={_("Apply anyway")} />
            </Alert>
        ),
    };
}
