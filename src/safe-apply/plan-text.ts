// SPDX-License-Identifier: LGPL-2.1-or-later
// A plan's changes in words an admin reads at a glance, from the fields the helper sends beside
// each `ip -batch` line (doc/helper-json.md, "Plans"):
//   {dst: "default", gateway: "10.0.2.1", dev: "eth1", table: 10000}
//     → "Add route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)"
// The exact lines stay available (the dialog shows them in an expandable section). Pure.

import type { ChangeFields, PlanChange, RoutingTable, RuleSelector } from "../types";
import { tableLabel } from "../view-model";
import { selectorText } from "../rules/rule-text";

const _ = cockpit.gettext;

/** A rule's fields that are not selectors. */
const NOT_SELECTORS = new Set(["priority", "action", "table", "protocol"]);

function routeSubject(f: ChangeFields): string {
    const words = [f.type, f.dst ?? "default"];
    if (f.gateway !== undefined)
        words.push("via", f.gateway);
    return words.filter(w => w !== undefined).join(" ");
}

export function describeChange(change: PlanChange, tables: readonly RoutingTable[] = []): string {
    const isRoute = change.object === "route";
    const verb = {
        add: isRoute ? _("Add route") : _("Add rule"),
        del: isRoute ? _("Remove route") : _("Remove rule"),
        replace: isRoute ? _("Change route") : _("Change rule"),
    }[change.op] ?? cockpit.format("$0 $1", change.op, change.object);
    const f = change.fields;
    if (f === undefined)
        return cockpit.format(_("$0: $1"), verb, change.text);
    const id = f.table ?? change.table;
    const table = id === undefined ? undefined : tableLabel(id, change.table_name ?? tables.find(t => t.id === id)?.name);
    if (isRoute) {
        const what = routeSubject(f);
        if (f.dev !== undefined && table !== undefined)
            return cockpit.format(_("$0: $1 on $2 in table $3"), verb, what, f.dev, table);
        if (table !== undefined)
            return cockpit.format(_("$0: $1 in table $2"), verb, what, table);
        return cockpit.format(_("$0: $1"), verb, what);
    }
    // `lookup main suppress_prefixlength 0`: main answers unless its answer is only a default route
    if (f.suppress_prefixlength === 0 && table !== undefined) {
        return cockpit.format(_("$0: routes in table $1 more specific than a default route win over the networks' own gateways (containers, VPNs, directly connected networks keep working; priority $2)"),
                              verb, table, f.priority ?? "—");
    }
    const selector: RuleSelector = {};
    for (const [key, value] of Object.entries(f)) {
        if (!NOT_SELECTORS.has(key) && (typeof value === "string" || typeof value === "number" || typeof value === "boolean"))
            selector[key] = value;
    }
    const what = selectorText(selector);
    if ((f.action ?? "lookup") !== "lookup")
        return cockpit.format(_("$0: $1"), verb, `priority ${f.priority ?? "—"} ${what} ${f.action ?? ""}`);
    if (table !== undefined && f.priority !== undefined)
        return cockpit.format(_("$0: traffic $1 uses table $2 (priority $3)"), verb, what, table, f.priority);
    if (table !== undefined)
        return cockpit.format(_("$0: traffic $1 uses table $2"), verb, what, table);
    return cockpit.format(_("$0: $1"), verb, what);
}
