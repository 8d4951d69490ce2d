// SPDX-License-Identifier: LGPL-2.1-or-later
// "Add rule": one policy rule at a chosen priority, validated while typing, previewed by the
// helper (`rule add … --dry-run`) and applied safely; "keep across reboots" stores it (--keep).

import { useState } from "preact/hooks";
import { Alert, Checkbox, Form } from "../ui/pf";
import { PlanPreview } from "../safe-apply/plan-preview";
import type { Family, Interface, RoutingTable } from "../types";
import { hasErrors, helperFieldError } from "../fixes/fix-validators";
import { emptyRuleForm, ruleFamily, ruleFormArgs, ruleTable, validateRuleForm, RULE_ACTIONS, type RuleAction, type RuleForm } from "./rule-form";
import { deviceOptions, MoreOptions, REJECT_LABELS } from "../fixes/fix-fields";
import { familyLabel } from "../view-model";
import { newRuleProblems } from "./rule-checks";
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

const RULE_FIELDS = ["priority", "from", "to", "iif", "oif", "fwmark", "ipproto", "sport", "dport", "uidrange", "table", "action", "family"] as const;
/** The fields under "More options". */
const MORE = ["oif", "fwmark", "ipproto", "sport", "dport", "uidrange"] as const;
const ACTION_LABELS: Record<RuleAction, string> = {
    lookup: _("Look up a table"),
    ...REJECT_LABELS,
};

export const RuleDialog = ({ tables, interfaces, onClose }: RuleDialogProps) => {
    const [form, setForm] = useState<RuleForm>(emptyRuleForm);
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
    // the helper's refusal of one field goes under that field; anything else at the top
    const atField = helperFieldError(safe.error, RULE_FIELDS);
    const shown = atField === null ? errors : { ...errors, [atField.field]: atField.message };
    const family = ruleFamily(form);
    // flagged before it is added, as the Rules view would flag it after: an empty or missing table
    const problems = hasErrors(errors) ? [] : newRuleProblems({ family: family.family, table: ruleTable(form, tables), iif: form.iif }, tables, interfaces);
    const visible = (key: keyof RuleForm) => touched[key] === true || form[key] !== "" || atField?.field === key;
    const field = (key: Exclude<keyof RuleForm, "keep" | "family" | "not">, label: string,
                   extra: { hint?: string; list?: string; isRequired?: boolean; options?: readonly (readonly [string, string])[] } = {}) => (
        <TextField id={`gw-rule-${key}`} label={label} value={form[key]} onChange={set(key)}
                   error={shown[key]} showError={visible(key)} {...extra} />
    );
    const device = (key: "iif" | "oif", label: string) => field(key, label, { options: deviceOptions(interfaces, _("Any")) });

    return (
        <SafeApplyDialog id="gw-rule-dialog" title={_("Add rule")} applyLabel={_("Add rule")} safe={atField === null ? safe : { ...safe, error: null }}
                         focus="#gw-rule-priority" onClose={() => onClose(false)}>
            <Form onSubmit={e => { e.preventDefault(); safe.apply() }}>
                {field("priority", _("Priority"), { isRequired: true, hint: _("Lower numbers are evaluated first; main is 32766.") })}
                {field("from", _("From"), { hint: _("Source network, e.g. 10.0.2.0/24; empty: any.") })}
                {field("to", _("To"), { hint: _("Destination network; empty: any.") })}
                {device("iif", _("Incoming device"))}
                <MoreOptions id="gw-rule-more" hasError={MORE.some(k => visible(k) && shown[k] !== undefined)}>
                    {device("oif", _("Outgoing device"))}
                    {field("fwmark", _("Firewall mark"), { hint: _("e.g. 0x10 or 0x10/0xff") })}
                    {field("ipproto", _("IP protocol"))}
                    {field("sport", _("Source ports"))}
                    {field("dport", _("Destination ports"))}
                    {field("uidrange", _("User ids"))}
                    <Checkbox id="gw-rule-not" label={_("Invert the match (not)")} isChecked={form.not}
                              onChange={(_e, checked) => set("not")(checked)} />
                </MoreOptions>
                {field("action", _("Action"), { options: RULE_ACTIONS.map(a => [a, ACTION_LABELS[a]] as const) })}
                {form.action === "lookup" &&
                    field("table", _("Table"), { isRequired: true, list: "gw-rule-tables", hint: _("A number, or the name of an existing table.") })}
                <datalist id="gw-rule-tables">
                    {tables.map(t => <option key={t.id} value={String(t.id)}>{t.name ?? ""}</option>)}
                </datalist>
                <TextField id="gw-rule-family" label={_("Family")} value={family.family} isDisabled={family.fixed} onChange={v => set("family")(v as Family)}
                           options={(["inet", "inet6"] as const).map(f => [f, familyLabel(f)] as const)} error={shown.family}
                           hint={family.fixed ? _("Given by the addresses above.") : _("No address says which: choose.")} />
                <Checkbox id="gw-rule-keep" label={_("Keep across reboots")} isChecked={form.keep}
                          description={_("Stored in the configuration; without it the rule is a one-off kernel change.")}
                          onChange={(_e, checked) => set("keep")(checked)} />
                <PlanPreview preview={safe.preview} tables={tables} />
                {problems.length > 0 && (
                    <Alert isInline isPlain variant="warning" title={_("The Rules view would flag this rule")} className="gw-preview">
                        {problems.map(p => <div key={p}>{p}</div>)}
                    </Alert>
                )}
            </Form>
        </SafeApplyDialog>
    );
};
