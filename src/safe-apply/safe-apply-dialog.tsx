// SPDX-License-Identifier: LGPL-2.1-or-later
// The frame of every dialog that changes the host (a gateway, a one-off fix): title, the helper's
// error inline at the top (the dialog stays open), the form or the "Testing connection" curtain,
// and Apply / (another action) / Cancel. Its state is a useSafeApply().

import type { ComponentChildren } from "preact";
import { Alert, Button, EmptyState, EmptyStateBody, Modal, ModalBody, ModalFooter, ModalHeader, Spinner } from "../ui/pf";
import { CONFIRM_WITHIN_S, type Phase } from "./safe-apply";
import type { SafeApply } from "./use-safe-apply";

export interface SafeApplyDialogProps {
    id: string;
    title: string;
    applyLabel: string;
    danger?: boolean;
    safe: SafeApply;
    /** Focused first (a CSS selector). */
    focus?: string;
    /** A button between Apply and Cancel (disabled while applying). */
    action?: { label: string; danger?: boolean; onClick: () => void };
    onClose: () => void;
    children: ComponentChildren;
}

const _ = cockpit.gettext;

/** The dialog's curtain while a change is applied and the connection is being proven. */
const TestingConnection = ({ phase }: { phase: Phase | null }) => (
    <EmptyState headingLevel="h3" icon={Spinner} aria-live="polite" className="gw-testing"
                titleText={phase === "applying" ? _("Applying the change") : _("Testing connection")}>
        <EmptyStateBody>
            {cockpit.format(_("If this page cannot reach the host any more, the host undoes the change by itself within $0 seconds."),
                            CONFIRM_WITHIN_S)}
        </EmptyStateBody>
    </EmptyState>
);

export const SafeApplyDialog = ({ id, title, applyLabel, danger = false, safe, focus, action, onClose, children }: SafeApplyDialogProps) => {
    const busy = safe.phase !== null;
    return (
        <Modal isOpen variant="small" {...(busy ? {} : { onClose })} onEscapePress={busy ? () => {} : onClose}
               aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} className="gw-dialog"
               {...(focus === undefined ? {} : { elementToFocus: focus })}>
            <ModalHeader title={title} labelId={`${id}-title`} />
            <ModalBody id={`${id}-body`}>
                {safe.error !== null && !busy && <Alert isInline variant="danger" title={safe.error} className="gw-dialog-error" />}
                {busy ? <TestingConnection phase={safe.phase} /> : <>{children}{safe.guard}</>}
            </ModalBody>
            <ModalFooter>
                {/* while busy it stays focusable (aria-disabled): the focus trap needs one focusable element */}
                <Button variant={danger ? "danger" : "primary"} isDisabled={!safe.canApply && !busy} isAriaDisabled={busy}
                        isLoading={busy} onClick={safe.apply}>
                    {applyLabel}
                </Button>
                {action !== undefined && (
                    <Button variant="secondary" isDanger={action.danger === true} isDisabled={busy} onClick={action.onClick}>
                        {action.label}
                    </Button>
                )}
                <Button variant="link" isDisabled={busy} onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};
