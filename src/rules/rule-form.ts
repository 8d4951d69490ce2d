// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-rule form: its fields, its validation (fixes/fix-validators.ts) and the helper
// arguments it becomes (client/helper-args.ts). Pure.

import { ruleAddArgs } from "../client/helper-args";
import type { Family, RoutingTable } from "../types";
import {
    familyOf, given, validateDevice, validateFwmark, validateSameFamily, validateSelector, validateTable, validateU32,
    PRIORITY_MESSAGES, type Errors, type FormContext,
} from "../fixes/fix-validators";

export interface RuleForm {
    priority: string;
    from: string;
    to: string;
    iif: string;
    fwmark: string;
    table: string;
    /** The family when no address says it (the admin's choice). */
    family: Family;
    keep: boolean;
}

export function validateRuleForm(f: RuleForm, ctx: FormContext): Errors<RuleForm> {
    const errors: Errors<RuleForm> = {};
    const set = (key: keyof RuleForm, message: string | undefined) => { if (message !== undefined) errors[key] = message };
    set("priority", validateU32(f.priority, PRIORITY_MESSAGES, { required: true, min: 1 }));
    set("from", validateSelector(f.from));
    set("to", validateSelector(f.to));
    if (errors.from === undefined && errors.to === undefined)
        set("to", validateSameFamily(familyOf(f.from === "all" ? "" : f.from), familyOf(f.to === "all" ? "" : f.to)));
    set("iif", validateDevice(f.iif, ctx.interfaces));
    set("fwmark", validateFwmark(f.fwmark));
    set("table", validateTable(f.table, ctx.tables));
    return errors;
}

/** The rule's family: the addresses' (`fixed`), else the admin's choice. */
export function ruleFamily(f: RuleForm): { family: Family; fixed: boolean } {
    const said = familyOf(f.from === "all" ? "" : f.from) ?? familyOf(f.to === "all" ? "" : f.to);
    return said === null ? { family: f.family, fixed: false } : { family: said, fixed: true };
}

/** The table the form names, by number or by a known name; null when it names none. */
export function ruleTable(f: RuleForm, tables: readonly RoutingTable[]): { id: number; name?: string } | null {
    const text = f.table.trim();
    if (/^[0-9]+$/.test(text))
        return { id: Number(text) };
    const table = tables.find(t => t.name === text);
    return table === undefined ? null : { id: table.id, name: text };
}

/** The helper's arguments for a valid form; "all" as a source or destination is no selector. */
export function ruleFormArgs(f: RuleForm): string[] {
    const selector = (value: string) => (value.trim() === "all" ? undefined : given(value));
    const from = selector(f.from), to = selector(f.to);
    return ruleAddArgs({
        priority: f.priority.trim(), from, to, iif: given(f.iif), fwmark: given(f.fwmark),
        family: ruleFamily(f).family, table: f.table.trim(), keep: f.keep,
    });
}
