// SPDX-License-Identifier: LGPL-2.1-or-later
// "Add route": one route in any table, validated while typing, previewed by the helper
// (`route add … --dry-run`) and applied safely; "keep across reboots" stores it (--keep).

import { useState } from "preact/hooks";
import { Checkbox, Form, FormGroup, FormSelect, FormSelectOption } from "../ui/pf";
import { PlanPreview } from "../safe-apply/plan-preview";
import type { Interface, RoutingTable } from "../types";
import { hasErrors, helperFieldError } from "../fixes/fix-validators";
import { explainKernelError } from "../fixes/kernel-messages";
import { emptyRouteForm, routeFormArgs, ROUTE_TYPES, validateRouteForm, type RouteForm, type RouteType } from "./route-form";
import { deviceOptions, MoreOptions, REJECT_LABELS } from "../fixes/fix-fields";
import { ROUTE_SCOPES } from "../fixes/fix-validators";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import { TextField } from "../ui/form-field";

const _ = cockpit.gettext;

const TYPE_LABELS: Record<RouteType, string> = {
    unicast: _("Normal (unicast)"),
    ...REJECT_LABELS,
    throw: _("Throw: continue with the next rule"),
};

/** The helper's names of the form's fields. */
const HELPER_FIELDS = ["table", "destination", "via", "dev", "metric", "type", "onlink", "src", "scope", "proto"] as const;
/** The form's name of a helper field: the same, but for the destination. */
const formField = (field: typeof HELPER_FIELDS[number]): keyof RouteForm => (field === "destination" ? "dest" : field);
/** The fields under "More options". */
const MORE: readonly (keyof RouteForm)[] = ["src", "scope", "proto"];

export interface RouteDialogProps {
    tables: readonly RoutingTable[];
    interfaces: readonly Interface[];
    table?: string;
    /** Closed; `changed`: the change was applied (confirmed or not); `fresh`: the number of a
     * table no status lists yet (the page offers to name it). */
    onClose: (changed: boolean, fresh?: string) => void;
}

export const RouteDialog = ({ tables, interfaces, table = "", onClose }: RouteDialogProps) => {
    const [form, setForm] = useState<RouteForm>(emptyRouteForm(table));
    const [touched, setTouched] = useState<Partial<Record<keyof RouteForm, boolean>>>({});
    const errors = validateRouteForm(form, { tables, interfaces });
    const fresh = /^[0-9]+$/.test(form.table.trim()) && !tables.some(t => String(t.id) === form.table.trim());
    const safe = useSafeApply({
        args: hasErrors(errors) ? null : routeFormArgs(form),
        what: cockpit.format(_("Adding the route $0"), form.dest.trim()),
        onDone: () => onClose(true, fresh ? form.table.trim() : undefined),
    });
    const set = <K extends keyof RouteForm>(key: K) => (value: RouteForm[K]) => {
        setForm(f => ({ ...f, [key]: value }));
        setTouched(t => ({ ...t, [key]: true }));
        safe.clearError();
    };
    // a refusal that concerns one field (the helper's, or the kernel's in words) goes under it
    const kernel = explainKernelError(safe.error);
    const named = kernel === null ? helperFieldError(safe.error, HELPER_FIELDS) : null;
    const atField = kernel?.field === "via" || kernel?.field === "dev"
        ? { field: kernel.field, message: kernel.message }
        : named === null ? null : { field: formField(named.field), message: named.message };
    const shown = atField === null ? errors : { ...errors, [atField.field]: atField.message };
    const topError = atField !== null ? null : kernel?.message ?? safe.error;
    const visible = (key: keyof RouteForm) => touched[key] === true || form[key] !== "" || atField?.field === key;
    const field = (key: "table" | "dest" | "via" | "dev" | "metric" | "src" | "scope" | "proto", label: string,
                   extra: { hint?: string; list?: string; isRequired?: boolean; options?: readonly (readonly [string, string])[] } = {}) => (
        <TextField id={`gw-route-${key}`} label={label} value={form[key]} onChange={set(key)}
                   error={shown[key]} showError={visible(key)} {...extra} />
    );

    return (
        <SafeApplyDialog id="gw-route-dialog" title={_("Add route")} applyLabel={_("Add route")} safe={{ ...safe, error: topError }}
                         focus={table === "" ? "#gw-route-table" : "#gw-route-dest"}
                         onClose={() => onClose(false)}>
            <Form onSubmit={e => { e.preventDefault(); safe.apply() }}>
                {field("table", _("Table"), { isRequired: true, list: "gw-route-tables", hint: fresh ? _("A new table: you can name it next.") : _("A number, or the name of an existing table.") })}
                <datalist id="gw-route-tables">
                    {tables.map(t => <option key={t.id} value={String(t.id)}>{t.name ?? ""}</option>)}
                </datalist>
                {field("dest", _("Destination"), { isRequired: true, hint: _("A network such as 10.0.3.0/24, or default.") })}
                <FormGroup label={_("Type")} fieldId="gw-route-type">
                    <FormSelect id="gw-route-type" value={form.type} onChange={(_e, v) => set("type")(v as RouteType)}>
                        {ROUTE_TYPES.map(t => <FormSelectOption key={t} value={t} label={TYPE_LABELS[t]} />)}
                    </FormSelect>
                </FormGroup>
                {form.type === "unicast" && field("via", _("Gateway"))}
                {form.type === "unicast" && (
                    field("dev", _("Device"), { options: deviceOptions(interfaces, _("Any")) })
                )}
                {form.type === "unicast" && (
                    <Checkbox id="gw-route-onlink" label={_("On-link")} isChecked={form.onlink}
                              onChange={(_e, checked) => set("onlink")(checked)} />
                )}
                {field("metric", _("Metric"))}
                <MoreOptions id="gw-route-more" hasError={MORE.some(k => visible(k) && shown[k] !== undefined)}>
                    {form.type === "unicast" && field("src", _("Source address"))}
                    {field("scope", _("Scope"), { options: [["", _("Default")], ...ROUTE_SCOPES.map(s => [s, s] as const)] })}
                    {field("proto", _("Protocol"), { hint: _("Default: static") })}
                </MoreOptions>
                <Checkbox id="gw-route-keep" label={_("Keep across reboots")} isChecked={form.keep}
                          description={_("Stored in the configuration; without it the route is a one-off kernel change.")}
                          onChange={(_e, checked) => set("keep")(checked)} />
                <PlanPreview preview={safe.preview} tables={tables} />
            </Form>
        </SafeApplyDialog>
    );
};
