// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure data-to-view mapping for policy routing rules: order, readable selectors, actions.

import type { Family, Rule, RuleSelector } from "../types";
import { byNumber, tableLabel } from "../view-model";

const _ = cockpit.gettext;

/** Rules per family, each in priority order (the kernel's evaluation order). */
export function rulesByFamily(rules: readonly Rule[]): Record<Family, Rule[]> {
    const sorted = [...rules].sort((a, b) => byNumber(a.priority, b.priority));
    return { inet: sorted.filter(r => r.family === "inet"), inet6: sorted.filter(r => r.family === "inet6") };
}

const SELECTOR_ORDER = ["not", "from", "to", "iif", "oif", "fwmark", "tos", "dsfield", "ipproto",
    "sport", "dport", "uidrange", "l3mdev"];
/** Shown elsewhere (owner column) or folded into another selector. */
const SELECTOR_HIDDEN = new Set(["protocol", "proto", "fwmask", "uid_start", "uid_end"]);

function selectorValue(key: string, selector: RuleSelector): string | null {
    const value = selector[key];
    if (key === "fwmark" && selector.fwmask !== undefined && selector.fwmask !== null)
        return `${value}/${selector.fwmask}`;
    if (value === true || value === null || value === undefined || value === false)
        return null;
    return String(value);
}

/** The selector as `ip rule` would say it: "from all", "not from 10.0.2.0/24 iif eth1", … */
export function selectorText(selector: RuleSelector | undefined): string {
    const sel: RuleSelector = { ...(selector ?? {}) };
    if (sel.uidrange === undefined && sel.uid_start !== undefined && sel.uid_start !== null)
        sel.uidrange = `${sel.uid_start}-${sel.uid_end ?? sel.uid_start}`;
    if (sel.from === undefined && sel.to === undefined)
        sel.from = "all";
    const keys = Object.keys(sel).filter(k => !SELECTOR_HIDDEN.has(k));
    const rank = (k: string) => (SELECTOR_ORDER.includes(k) ? SELECTOR_ORDER.indexOf(k) : SELECTOR_ORDER.length);
    keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const words: string[] = [];
    for (const key of keys) {
        const value = sel[key];
        if (value === false || value === null || value === undefined)
            continue;
        const text = selectorValue(key, sel);
        words.push(text === null ? key : `${key} ${text}`);
    }
    return words.join(" ");
}

export function ruleTableName(rule: Rule): string | null {
    return rule.table === undefined ? rule.table_name ?? null : tableLabel(rule.table, rule.table_name);
}

/** "lookup main", "goto 31000", "blackhole", … */
export function ruleActionText(rule: Rule): string {
    const action = rule.action ?? (rule.table === undefined ? "" : "lookup");
    const table = ruleTableName(rule);
    if (action === "lookup" || action === "to_tbl")
        return table === null ? _("lookup") : cockpit.format(_("lookup $0"), table);
    if (action === "goto" && rule.table !== undefined) // the target is a priority, not a table
        return cockpit.format(_("goto $0"), rule.table);
    return action === "" ? "—" : action;
}
