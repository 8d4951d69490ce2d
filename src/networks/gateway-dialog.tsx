// SPDX-License-Identifier: LGPL-2.1-or-later
// Set, change or remove one network's gateway: validate while typing, preview the helper's plan,
// then apply safely (safe-apply/safe-apply.ts). Helper errors appear at the top; the dialog stays open.

import { useState } from "preact/hooks";
import { applyWithRollback, confirmChange, roundTrip, toHelperError, type GatewayChange } from "../client/helper-client";
import { forgetAttempt, rememberAttempt } from "../safe-apply/attempt-store";
import type { NetworkRow } from "./network-model";
import {
    Alert, Button, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, Modal, ModalBody, ModalFooter,
    ModalHeader, TextInput,
} from "../ui/pf";
import { PlanPreview } from "../safe-apply/plan-preview";
import { safeApply, type Attempt, type Phase } from "../safe-apply/safe-apply";
import { TestingConnection } from "../safe-apply/testing-connection";
import type { RoutingTable } from "../types";
import { usePreview } from "../safe-apply/use-preview";
import { validateGateway } from "./gateway-validators";
import { familyLabel } from "../view-model";

const _ = cockpit.gettext;

export interface GatewayDialogProps {
    row: NetworkRow;
    tables: readonly RoutingTable[];
    /** Closed: cancelled, or the change was confirmed. */
    onClose: () => void;
    /** The connection could not be proven: the host rolls the change back. */
    onLost: (attempt: Attempt) => void;
    /** The change was confirmed: `message` says what now holds (shown as a toast). */
    onApplied?: (message: string) => void;
}

export const GatewayDialog = ({ row, tables, onClose, onLost, onApplied }: GatewayDialogProps) => {
    const current = row.gateway?.source === "static" ? row.gateway.address : "";
    const [value, setValue] = useState(current);
    const [touched, setTouched] = useState(false);
    const [removing, setRemoving] = useState(false);
    const [error, setError] = useState<string | null>(null);
    const [phase, setPhase] = useState<Phase | null>(null);

    const invalid = removing ? undefined : validateGateway(value, row.addresses, row.family);
    const change: GatewayChange | null = removing
        ? { iface: row.iface, family: row.family, gateway: null }
        : invalid === undefined ? { iface: row.iface, family: row.family, gateway: value.trim() } : null;
    const preview = usePreview(change);
    const previewError = preview.state === "error" ? preview.message : null;
    const canApply = change !== null && phase === null && preview.state === "ready" && preview.plan.changed !== false;
    const showInvalid = invalid !== undefined && (touched || value !== "");
    const family = familyLabel(row.family);
    const title = removing
        ? cockpit.format(_("Remove the gateway of $0 ($1)"), row.iface, family)
        : cockpit.format(row.gateway ? _("Gateway of $0 ($1)") : _("Set a gateway for $0 ($1)"), row.iface, family);

    const run = async () => {
        if (change === null)
            return;
        setError(null);
        const outcome = await safeApply(change, {
            apply: seconds => applyWithRollback(change, seconds),
            probe: roundTrip,
            confirm: confirmChange,
            remember: rememberAttempt,
            forget: forgetAttempt,
            onPhase: setPhase,
        });
        if (outcome.result === "confirmed") {
            onApplied?.(change.gateway === null
                ? cockpit.format(_("The gateway of $0 ($1) was removed"), row.iface, family)
                : cockpit.format(_("$0 ($1) now answers through $2"), row.iface, family, change.gateway));
            onClose();
        } else if (outcome.result === "lost") {
            onLost(outcome.attempt);
        } else {
            setPhase(null);
            setError(toHelperError(outcome.error).message);
        }
    };
    const apply = () => void run(); // run() settles every outcome itself

    const busy = phase !== null;
    return (
        <Modal isOpen variant="small" {...(busy ? {} : { onClose })} onEscapePress={busy ? () => {} : onClose}
               aria-labelledby="gw-dialog-title" aria-describedby="gw-dialog-body" elementToFocus="#gw-gateway-input"
               className="gw-dialog">
            <ModalHeader title={title} labelId="gw-dialog-title" />
            <ModalBody id="gw-dialog-body">
                {(error ?? previewError) !== null && phase === null &&
                    <Alert isInline variant="danger" title={error ?? previewError} className="gw-dialog-error" />}
                {busy
                    ? <TestingConnection phase={phase} />
                    : (
                        <Form onSubmit={e => { e.preventDefault(); if (canApply) apply() }}>
                            {!removing && (
                                <FormGroup label={_("Gateway")} fieldId="gw-gateway-input" isRequired>
                                    <TextInput id="gw-gateway-input" value={value} className="gw-mono"
                                               validated={showInvalid ? "error" : "default"}
                                               aria-describedby="gw-gateway-help"
                                               onChange={(_e, v) => { setValue(v); setError(null) }}
                                               onBlur={() => setTouched(true)} />
                                    <FormHelperText>
                                        <HelperText id="gw-gateway-help" aria-live="polite">
                                            {showInvalid
                                                ? <HelperTextItem variant="error">{invalid}</HelperTextItem>
                                                : <HelperTextItem>{_("The router's address on this network.")}</HelperTextItem>}
                                        </HelperText>
                                    </FormHelperText>
                                </FormGroup>
                            )}
                            <PlanPreview preview={preview} tables={tables} />
                        </Form>
                    )}
            </ModalBody>
            <ModalFooter>
                {/* while busy it stays focusable (aria-disabled): the focus trap needs one focusable element */}
                <Button variant={removing ? "danger" : "primary"} isDisabled={!canApply && !busy} isAriaDisabled={busy}
                        isLoading={busy} onClick={apply}>
                    {removing ? _("Remove gateway") : _("Apply")}
                </Button>
                {/* one button that toggles, so the focused element is never removed under the focus trap */}
                {row.gateway?.source === "static" && (
                    <Button variant="secondary" isDanger={!removing} isDisabled={busy}
                            onClick={() => { setRemoving(!removing); setError(null) }}>
                        {removing ? _("Back") : _("Remove gateway")}
                    </Button>
                )}
                <Button variant="link" isDisabled={busy} onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};
