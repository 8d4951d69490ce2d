// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-rule form: its fields, its validation (fixes/fix-validators.ts) and the helper
// arguments it becomes (client/helper-args.ts). Pure.

import { ruleAddArgs } from "../client/helper-args";
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

/** The helper's arguments for a valid form; "all" as a source or destination is no selector. */
export function ruleFormArgs(f: RuleForm): string[] {
    const selector = (value: string) => (value.trim() === "all" ? undefined : given(value));
    const from = selector(f.from), to = selector(f.to);
    return ruleAddArgs({
        priority: f.priority.trim(), from, to, iif: given(f.iif), fwmark: given(f.fwmark),
        family: familyOf(from ?? "") ?? familyOf(to ?? "") ?? undefined, table: f.table.trim(), keep: f.keep,
    });
}
