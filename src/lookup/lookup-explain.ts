// SPDX-License-Identifier: LGPL-2.1-or-later
// The lookup's answer in one translatable sentence, built from the helper's structured result
// (the helper's own `explanation` is English, for the command line).

import type { LookupResult } from "../types";
import { tableLabel } from "../view-model";

const _ = cockpit.gettext;

function str(value: unknown): string | undefined {
    return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

export function explainLookup(result: LookupResult): string {
    const route = result.route ?? null;
    if (!route)
        return _("The kernel finds no route for this packet: the host drops it.");
    const table = typeof result.table === "number" ? tableLabel(result.table, result.table_name) : result.table_name ?? _("main");
    const matched = result.matched_route?.dst;
    const routeName = matched === undefined ? _("a route")
        : matched === "default" ? _("its default route") : cockpit.format(_("its route $0"), matched);
    const gateway = str(route.gateway);
    const dev = str(route.dev);
    const type = str(route.type);
    const priority = result.rule?.priority;
    let how: string;
    if (gateway && dev)
        how = cockpit.format(_("it leaves via $0 on $1"), gateway, dev);
    else if (dev && type !== "local")
        how = cockpit.format(_("it leaves directly on $0"), dev);
    else if (type === "local")
        how = _("it is delivered to this host");
    else
        how = cockpit.format(_("the route's type is $0"), type ?? _("unknown"));
    if (priority !== undefined)
        return cockpit.format(_("Rule $0 sends this packet to table $1, and $2 answers: $3."), priority, table, routeName, how);
    return cockpit.format(_("Table $0 answers this packet with $1: $2."), table, routeName, how);
}
