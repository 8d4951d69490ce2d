// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-rule form: its fields, its validation (fixes/fix-validators.ts) and the helper
// arguments it becomes (client/helper-args.ts). Pure.

import { ruleAddArgs } from "../client/helper-args";
import type { Family, RoutingTable } from "../types";
import {
    familyOf, given, validateDevice, validateFwmark, validateIpproto, validatePorts, validateSameFamily, validateSelector, validateTable,
    validateU32, validateUidRange, PRIORITY_MESSAGES, type Errors, type FormContext,
} from "../fixes/fix-validators";

/** What a matching packet gets: a table to look up, or an action instead. */
export const RULE_ACTIONS = ["lookup", "blackhole", "unreachable", "prohibit"] as const;
export type RuleAction = typeof RULE_ACTIONS[number];

export interface RuleForm {
    priority: string;
    from: string;
    to: string;
    iif: string;
    fwmark: string;
    table: string;
    /** The family when no address says it (the admin's choice). */
    family: Family;
    action: RuleAction;
    /** More options: outgoing device, IP protocol, ports, user ids, and `not`. */
    oif: string;
    ipproto: string;
    sport: string;
    dport: string;
    uidrange: string;
    not: boolean;
    keep: boolean;
}

export const emptyRuleForm = (): RuleForm => ({
    priority: "", from: "", to: "", iif: "", fwmark: "", table: "", family: "inet", action: "lookup",
    oif: "", ipproto: "", sport: "", dport: "", uidrange: "", not: false, keep: false,
});

export function validateRuleForm(f: RuleForm, ctx: FormContext): Errors<RuleForm> {
    const errors: Errors<RuleForm> = {};
    const set = (key: keyof RuleForm, message: string | undefined) => { if (message !== undefined) errors[key] = message };
    set("priority", validateU32(f.priority, PRIORITY_MESSAGES, { required: true, min: 1 }));
    set("from", validateSelector(f.from));
    set("to", validateSelector(f.to));
    if (errors.from === undefined && errors.to === undefined)
        set("to", validateSameFamily(familyOf(f.from === "all" ? "" : f.from), familyOf(f.to === "all" ? "" : f.to)));
    set("iif", validateDevice(f.iif, ctx.interfaces));
    set("oif", validateDevice(f.oif, ctx.interfaces));
    set("fwmark", validateFwmark(f.fwmark));
    set("ipproto", validateIpproto(f.ipproto));
    set("sport", validatePorts(f.sport));
    set("dport", validatePorts(f.dport));
    set("uidrange", validateUidRange(f.uidrange));
    if (f.action === "lookup")
        set("table", validateTable(f.table, ctx.tables));
    return errors;
}

/** The rule's family: the addresses' (`fixed`), else the admin's choice. */
export function ruleFamily(f: RuleForm): { family: Family; fixed: boolean } {
    const said = familyOf(f.from === "all" ? "" : f.from) ?? familyOf(f.to === "all" ? "" : f.to);
    return said === null ? { family: f.family, fixed: false } : { family: said, fixed: true };
}

/** The table the form names, by number or by a known name; null when it names none (or an action). */
export function ruleTable(f: RuleForm, tables: readonly RoutingTable[]): { id: number; name?: string } | null {
    const text = f.table.trim();
    if (f.action !== "lookup")
        return null;
    if (/^[0-9]+$/.test(text))
        return { id: Number(text) };
    const table = tables.find(t => t.name === text);
    return table === undefined ? null : { id: table.id, name: text };
}

/** The helper's arguments for a valid form; "all" as a source or destination is no selector. */
export function ruleFormArgs(f: RuleForm): string[] {
    const selector = (value: string) => (value.trim() === "all" ? undefined : given(value));
    const lookup = f.action === "lookup";
    return ruleAddArgs({
        priority: f.priority.trim(), from: selector(f.from), to: selector(f.to), iif: given(f.iif), oif: given(f.oif),
        fwmark: given(f.fwmark), ipproto: given(f.ipproto), sport: given(f.sport), dport: given(f.dport), uidrange: given(f.uidrange),
        family: ruleFamily(f).family, table: lookup ? f.table.trim() : undefined, action: lookup ? undefined : f.action,
        not: f.not, keep: f.keep,
    });
}
