// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure checks and arguments for policy rules: what looks broken (a rule that sends traffic to an
// empty or missing table, or names a device that is gone), and the exact `rule del` arguments.

import { ruleOwner } from "./rule-text";
import { tableLabel } from "../view-model";
import type { Family, Interface, Rule, RoutingTable } from "../types";

const _ = cockpit.gettext;

const DEVICE_SELECTORS = ["iif", "oif"] as const;

/** Readable problems of one rule, empty when it looks fine. The system's own three rules are
 * never flagged (the `default` table is normally empty). */
export function ruleProblems(rule: Rule, tables: readonly RoutingTable[], interfaces: readonly Interface[]): string[] {
    const problems: string[] = [];
    const action = rule.action ?? "lookup";
    if (ruleOwner(rule) !== "system" && (action === "lookup" || action === "to_tbl") && rule.table !== undefined) {
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

/** Selectors `rule del` can name, mapped to its options. */
const SELECTOR_ARGS: Record<string, string> = {
    from: "--from", to: "--to", iif: "--iif", oif: "--oif", fwmark: "--fwmark", tos: "--tos",
    ipproto: "--ipproto", sport: "--sport", dport: "--dport", uidrange: "--uidrange",
};
/** Keys that are no selector (shown elsewhere) or carry nothing. */
const IGNORED = new Set(["protocol", "proto", "fwmask"]);
const ACTIONS = new Set(["blackhole", "unreachable", "prohibit"]);

/**
 * `rule del --priority P …` with every selector, the target and the protocol of the rule, so the
 * helper matches exactly this rule. null: a selector or action the helper cannot name (l3mdev,
 * suppress_prefixlength, goto, …): the page offers no delete for it.
 */
export function ruleDeleteArgs(rule: Rule): string[] | null {
    const args = ["rule", "del", "--priority", String(rule.priority), "--family", rule.family];
    const sel = rule.selector ?? {};
    for (const [key, value] of Object.entries(sel)) {
        if (IGNORED.has(key) || value === null || value === false || value === undefined)
            continue;
        if (key === "not") {
            args.push("--not");
            continue;
        }
        if (key === "from" && value === "all")
            continue;
        const option = SELECTOR_ARGS[key];
        if (option === undefined || value === true)
            return null;
        const mask = key === "fwmark" && sel.fwmask !== undefined && sel.fwmask !== null ? `/${sel.fwmask}` : "";
        args.push(option, `${value}${mask}`);
    }
    const action = rule.action ?? "lookup";
    if (action === "lookup" || action === "to_tbl") {
        if (rule.table === undefined)
            return null;
        args.push("--table", String(rule.table));
    } else if (ACTIONS.has(action)) {
        args.push("--action", action);
    } else {
        return null;
    }
    if (rule.protocol !== undefined)
        args.push("--proto", String(rule.protocol));
    return args;
}
