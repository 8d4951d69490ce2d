// SPDX-License-Identifier: LGPL-2.1-or-later
// The frame of every one-off fix dialog: title, the helper's error inline at the top (the dialog
// stays open), the form or the "Testing connection" curtain, and Apply / Cancel.

import type { ComponentChildren } from "preact";
import { Alert, Button, Modal, ModalBody, ModalFooter, ModalHeader } from "../ui/pf";
import type { Phase } from "./safe-apply";
import { TestingConnection } from "./testing-connection";

export interface FixDialogProps {
    id: string;
    title: string;
    applyLabel: string;
    danger?: boolean;
    canApply: boolean;
    phase: Phase | null;
    error: string | null;
    /** Focused first (a CSS selector). */
    focus?: string;
    onApply: () => void;
    onClose: () => void;
    children: ComponentChildren;
}

const _ = cockpit.gettext;

export const FixDialog = ({ id, title, applyLabel, danger = false, canApply, phase, error, focus, onApply, onClose, children }: FixDialogProps) => {
    const busy = phase !== null;
    return (
        <Modal isOpen variant="small" {...(busy ? {} : { onClose })} onEscapePress={busy ? () => {} : onClose}
               aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} className="gw-dialog"
               {...(focus === undefined ? {} : { elementToFocus: focus })}>
            <ModalHeader title={title} labelId={`${id}-title`} />
            <ModalBody id={`${id}-body`}>
                {error !== null && !busy && <Alert isInline variant="danger" title={error} className="gw-dialog-error" />}
                {busy ? <TestingConnection phase={phase} /> : children}
            </ModalBody>
            <ModalFooter>
                {/* while busy it stays focusable (aria-disabled): the focus trap needs one focusable element */}
                <Button variant={danger ? "danger" : "primary"} isDisabled={!canApply && !busy} isAriaDisabled={busy}
                        isLoading={busy} onClick={onApply}>
                    {applyLabel}
                </Button>
                <Button variant="link" isDisabled={busy} onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};
