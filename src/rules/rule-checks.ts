// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure checks of policy rules: what looks broken (a rule that sends traffic to an empty or
// missing table, or names a device that is gone).

import { tableLabel } from "../view-model";
import type { Family, Interface, Rule, RoutingTable } from "../types";

const _ = cockpit.gettext;

const DEVICE_SELECTORS = ["iif", "oif"] as const;

/** Readable problems of one rule, empty when it looks fine. The system's own three rules are
 * never flagged (the `default` table is normally empty). */
export function ruleProblems(rule: Rule, tables: readonly RoutingTable[], interfaces: readonly Interface[]): string[] {
    const problems: string[] = [];
    const action = rule.action ?? "lookup";
    if (rule.owner !== "kernel" && (action === "lookup" || action === "to_tbl") && rule.table !== undefined) {
        const table = tables.find(t => t.id === rule.table);
        const name = tableLabel(rule.table, rule.table_name);
        if (table === undefined)
            problems.push(cockpit.format(_("Table $0 does not exist"), name));
        else if (table.routes !== undefined && (table.routes[rule.family] ?? 0) === 0)
            problems.push(cockpit.format(_("Table $0 has no routes for this family"), name));
    }
    for (const key of DEVICE_SELECTORS) {
        const dev = rule.selector?.[key];
        if (typeof dev === "string" && dev !== "" && !interfaces.some(i => i.name === dev))
            problems.push(cockpit.format(_("Device $0 does not exist"), dev));
    }
    return problems;
}

/** What ruleProblems would say of a rule not yet added (the Add rule dialog flags it before). */
export function newRuleProblems(rule: { family: Family; table: { id: number; name?: string } | null; iif: string },
                                tables: readonly RoutingTable[], interfaces: readonly Interface[]): string[] {
    if (rule.table === null)
        return [];
    const candidate: Rule = { family: rule.family, priority: -1, action: "lookup", table: rule.table.id,
                              ...(rule.table.name === undefined ? {} : { table_name: rule.table.name }),
                              selector: rule.iif.trim() === "" ? {} : { iif: rule.iif.trim() } };
    return ruleProblems(candidate, tables, interfaces);
}
