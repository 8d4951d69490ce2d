// SPDX-License-Identifier: LGPL-2.1-or-later
// "Add rule": one policy rule at a chosen priority, validated while typing, previewed by the
// helper (`rule add … --dry-run`) and applied safely; "keep across reboots" stores it (--keep).

import { useState } from "preact/hooks";
import { Checkbox, Form } from "../ui/pf";
import { PlanPreview } from "../safe-apply/plan-preview";
import type { Interface, RoutingTable } from "../types";
import { hasErrors } from "../fixes/fix-validators";
import { ruleFormArgs, validateRuleForm, type RuleForm } from "./rule-form";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import { TextField } from "../ui/form-field";

const _ = cockpit.gettext;

export interface RuleDialogProps {
    tables: readonly RoutingTable[];
    interfaces: readonly Interface[];
    /** Closed; `changed`: the change was applied (confirmed or not). */
    onClose: (changed: boolean) => void;
}

export const RuleDialog = ({ tables, interfaces, onClose }: RuleDialogProps) => {
    const [form, setForm] = useState<RuleForm>({ priority: "", from: "", to: "", iif: "", fwmark: "", table: "", keep: false });
    const [touched, setTouched] = useState<Partial<Record<keyof RuleForm, boolean>>>({});
    const errors = validateRuleForm(form, { tables, interfaces });
    const safe = useSafeApply({
        args: hasErrors(errors) ? null : ruleFormArgs(form),
        what: cockpit.format(_("Adding the rule at priority $0"), form.priority.trim()),
        onDone: () => onClose(true),
    });
    const set = <K extends keyof RuleForm>(key: K) => (value: RuleForm[K]) => {
        setForm(f => ({ ...f, [key]: value }));
        setTouched(t => ({ ...t, [key]: true }));
        safe.clearError();
    };
    const field = (key: Exclude<keyof RuleForm, "keep">, label: string, extra: { hint?: string; list?: string; isRequired?: boolean } = {}) => (
        <TextField id={`gw-rule-${key}`} label={label} value={form[key]} onChange={set(key)}
                   error={errors[key]} showError={touched[key] === true || form[key] !== ""} {...extra} />
    );

    return (
        <SafeApplyDialog id="gw-rule-dialog" title={_("Add rule")} applyLabel={_("Add rule")} safe={safe}
                         focus="#gw-rule-priority" onClose={() => onClose(false)}>
            <Form onSubmit={e => { e.preventDefault(); safe.apply() }}>
                {field("priority", _("Priority"), { isRequired: true, hint: _("Lower numbers are evaluated first; main is 32766.") })}
                {field("from", _("From"), { hint: _("Source network, e.g. 10.0.2.0/24; empty: any.") })}
                {field("to", _("To"), { hint: _("Destination network; empty: any.") })}
                {field("iif", _("Incoming device"), { list: "gw-rule-devices" })}
                <datalist id="gw-rule-devices">
                    {interfaces.map(i => <option key={i.name} value={i.name} />)}
                </datalist>
                {field("fwmark", _("Firewall mark"), { hint: _("e.g. 0x10 or 0x10/0xff") })}
                {field("table", _("Table"), { isRequired: true, list: "gw-rule-tables", hint: _("A number, or the name of an existing table.") })}
                <datalist id="gw-rule-tables">
                    {tables.map(t => <option key={t.id} value={String(t.id)}>{t.name ?? ""}</option>)}
                </datalist>
                <Checkbox id="gw-rule-keep" label={_("Keep across reboots")} isChecked={form.keep}
                          description={_("Stored in the configuration; without it the rule is a one-off kernel change.")}
                          onChange={(_e, checked) => set("keep")(checked)} />
                <PlanPreview preview={safe.preview} tables={tables} />
            </Form>
        </SafeApplyDialog>
    );
};
