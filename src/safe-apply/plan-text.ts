// SPDX-License-Identifier: LGPL-2.1-or-later
// A plan's changes in words an admin reads at a glance:
//   "route add default via 10.0.2.1 dev eth1 table 10000 proto 248"
//     → "Add route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)"
// The exact lines stay available (the dialog shows them in an expandable section). Pure.

import type { PlanChange, RoutingTable } from "../types";
import { tableLabel } from "../view-model";

const _ = cockpit.gettext;

/** Words of `ip` syntax that an admin does not need to read the change. */
const DROPPED = new Set(["proto", "protocol", "metric", "scope", "priority", "table", "lookup", "dev", "src"]);

function valueAfter(words: readonly string[], key: string): string | undefined {
    const i = words.indexOf(key);
    return i >= 0 ? words[i + 1] : undefined;
}

function tableText(change: PlanChange, words: readonly string[], tables: readonly RoutingTable[]): string | undefined {
    const id = change.table ?? Number(valueAfter(words, "table") ?? valueAfter(words, "lookup") ?? NaN);
    if (Number.isNaN(id))
        return valueAfter(words, "table") ?? valueAfter(words, "lookup");
    return tableLabel(id, change.table_name ?? tables.find(t => t.id === id)?.name);
}

/** "default via 10.0.2.1", "10.0.2.0/24", "to 10.0.2.0/24", "from 10.0.2.0/24" */
function subject(words: readonly string[]): string {
    const out: string[] = [];
    for (let i = 0; i < words.length; i++) {
        const w = words[i] ?? "";
        if (DROPPED.has(w)) {
            i++; // and its value
            continue;
        }
        if (w === "onlink")
            continue;
        out.push(w);
    }
    return out.join(" ");
}

export function describeChange(change: PlanChange, tables: readonly RoutingTable[] = []): string {
    // "route add …", "rule del …", or with a family switch first ("-6 route add …")
    const words = change.text.trim().split(/\s+/).filter(w => !/^-[46]$/.test(w));
    const rest = words.slice(2);
    const table = tableText(change, rest, tables);
    const dev = valueAfter(rest, "dev");
    const what = subject(rest);
    const isRoute = change.object === "route";
    const verb = {
        add: isRoute ? _("Add route") : _("Add rule"),
        del: isRoute ? _("Remove route") : _("Remove rule"),
        replace: isRoute ? _("Change route") : _("Change rule"),
    }[change.op] ?? cockpit.format("$0 $1", change.op, change.object);
    if (isRoute) {
        if (dev !== undefined && table !== undefined)
            return cockpit.format(_("$0: $1 on $2 in table $3"), verb, what, dev, table);
        if (table !== undefined)
            return cockpit.format(_("$0: $1 in table $2"), verb, what, table);
        return cockpit.format(_("$0: $1"), verb, what);
    }
    const priority = valueAfter(rest, "priority");
    // `lookup main suppress_prefixlength 0`: main answers unless its answer is only a default route
    if (what === "suppress_prefixlength 0" && table !== undefined) {
        return cockpit.format(_("$0: routes in table $1 more specific than a default route win over the networks' own gateways (containers, VPNs, directly connected networks keep working; priority $2)"),
                              verb, table, priority ?? "—");
    }
    if (table !== undefined && priority !== undefined)
        return cockpit.format(_("$0: traffic $1 uses table $2 (priority $3)"), verb, what, table, priority);
    if (table !== undefined)
        return cockpit.format(_("$0: traffic $1 uses table $2"), verb, what, table);
    return cockpit.format(_("$0: $1"), verb, what);
}
