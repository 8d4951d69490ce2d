// SPDX-License-Identifier: LGPL-2.1-or-later
// Where the one-off fix dialogs live for all inspection views: which one is open, what happens
// after (refresh), and the notice when a fix's connection test failed (the host undoes it).

import { useRef, useState } from "preact/hooks";
import { DeleteDialog, type DeleteTarget } from "./delete-dialog";
import { RouteDialog } from "../tables/route-dialog";
import { RuleDialog } from "../rules/rule-dialog";
import { Alert, AlertActionCloseButton } from "../ui/pf";
import type { Status } from "../types";
import type { FixAttempt } from "../safe-apply/use-fix";

const _ = cockpit.gettext;

export type FixRequest =
    | { kind: "add-route"; table?: string }
    | { kind: "add-rule" }
    | { kind: "delete"; target: DeleteTarget };

export interface Fixes {
    open: (request: FixRequest) => void;
    /** The open dialog and the lost-connection notice, to render once. */
    element: preact.JSX.Element;
}

export function useFixes(status: Status, admin: boolean, onChanged: () => void): Fixes {
    const [request, setRequest] = useState<FixRequest | null>(null);
    const [lost, setLost] = useState<FixAttempt | null>(null);
    const tables = status.tables ?? [];
    const interfaces = status.interfaces ?? [];
    // the control that opened the dialog gets the focus back once the modal is gone; when it went
    // away meanwhile (the deleted object's row), the page's main region does
    const openerRef = useRef<HTMLElement | null>(null);
    const open = (r: FixRequest) => {
        openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setRequest(r);
    };
    const restoreFocus = () => setTimeout(() => {
        const target = openerRef.current?.isConnected ? openerRef.current : document.querySelector<HTMLElement>("main");
        target?.focus();
    }, 0);
    const close = (changed: boolean) => {
        setRequest(null);
        restoreFocus();
        if (changed)
            onChanged();
    };
    const onLost = (attempt: FixAttempt) => { setRequest(null); setLost(attempt); restoreFocus(); onChanged() };
    const dialog = request === null || !admin
        ? null
        : request.kind === "add-route"
            ? <RouteDialog tables={tables} interfaces={interfaces} {...(request.table === undefined ? {} : { table: request.table })}
                           onClose={close} onLost={onLost} />
            : request.kind === "add-rule"
                ? <RuleDialog tables={tables} interfaces={interfaces} onClose={close} onLost={onLost} />
                : <DeleteDialog target={request.target} onClose={close} onLost={onLost} />;
    const element = (
        <>
            {lost !== null && (
                <Alert isInline variant="warning" title={_("Connection would be lost")} className="gw-rollback"
                       actionClose={<AlertActionCloseButton title={_("Close")} onClose={() => setLost(null)} />}>
                    {cockpit.format(_("$0 could not be confirmed: this page did not reach the host after the change. The host undoes it by itself."), lost.what)}
                </Alert>
            )}
            {dialog}
        </>
    );
    return { open, element };
}
