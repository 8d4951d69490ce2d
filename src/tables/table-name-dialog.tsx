// SPDX-License-Identifier: LGPL-2.1-or-later
// "Name a table": a name iproute2 reads (`ip route show table NAME`), written by the helper in a
// file of its own under /etc/iproute2/rt_tables.d (`table-name add NUMBER NAME --dry-run` to
// preview), applied safely like every change.

import { useState } from "preact/hooks";
import { Form } from "../ui/pf";
import { tableNameArgs } from "../client/helper-args";
import type { RoutingTable } from "../types";
import { helperFieldError, validateTableName, validateTableNumber, type TableRange } from "../fixes/fix-validators";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import { TextField } from "../ui/form-field";

const _ = cockpit.gettext;

export interface TableNameDialogProps {
    tables: readonly RoutingTable[];
    range: TableRange;
    /** Suggested number (a new table from Add route). */
    number?: string;
    onClose: (changed: boolean) => void;
}

export const TableNameDialog = ({ tables, range, number = "", onClose }: TableNameDialogProps) => {
    const [form, setForm] = useState({ number, name: "" });
    const errors = { number: validateTableNumber(form.number, tables, range), name: validateTableName(form.name, tables) };
    const safe = useSafeApply({
        args: errors.number ?? errors.name ? null : tableNameArgs("add", [form.number.trim(), form.name.trim()]),
        what: cockpit.format(_("Naming table $0 $1"), form.number.trim(), form.name.trim()),
        onDone: () => onClose(true),
    });
    const atField = helperFieldError(safe.error, ["number", "name"] as const);
    const field = (key: "number" | "name", label: string) => (
        <TextField id={`gw-tname-${key}`} label={label} value={form[key]} isRequired
                   error={atField?.field === key ? atField.message : errors[key]} showError={form[key] !== "" || atField?.field === key}
                   onChange={v => { setForm(f => ({ ...f, [key]: v })); safe.clearError() }} />
    );
    const plan = safe.preview.state === "ready" ? safe.preview.plan : null;
    return (
        <SafeApplyDialog id="gw-tname-dialog" title={_("Name a table")} applyLabel={_("Name table")}
                         safe={atField === null ? safe : { ...safe, error: null }}
                         focus={number === "" ? "#gw-tname-number" : "#gw-tname-name"} onClose={() => onClose(false)}>
            <Form onSubmit={e => { e.preventDefault(); safe.apply() }}>
                {field("number", _("Table number"))}
                {field("name", _("Name"))}
                {plan !== null && (
                    <section className="gw-preview" aria-live="polite">
                        <h3 className="gw-preview-title">{_("What will change")}</h3>
                        <pre className="gw-mono gw-commands">{[...(plan.files ?? []).map(f => `# ${f.path}`), ...(plan.names ?? []).map(n => n.text)].join("\n")}</pre>
                    </section>
                )}
            </Form>
        </SafeApplyDialog>
    );
};
