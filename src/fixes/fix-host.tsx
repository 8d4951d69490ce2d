// SPDX-License-Identifier: LGPL-2.1-or-later
// Where the one-off fix dialogs live for all inspection views: which one is open, and what happens
// after (refresh, the focus back). A fix that cannot be confirmed is explained by the page's one
// lost-connection notice (safe-apply/lost-notice.tsx).

import { useRef, useState } from "preact/hooks";
import { DeleteDialog, type DeleteTarget } from "./delete-dialog";
import { DeleteManyDialog } from "./delete-many-dialog";
import { RouteDialog } from "../tables/route-dialog";
import { RuleDialog } from "../rules/rule-dialog";
import { TableNameDialog } from "../tables/table-name-dialog";
import { DEFAULT_TABLE_RANGE, validateTableNumber } from "./fix-validators";
import type { Route, Status } from "../types";


export type FixRequest =
    | { kind: "add-route"; table?: string }
    | { kind: "add-rule" }
    | { kind: "name-table"; number?: string }
    | { kind: "delete"; target: DeleteTarget }
    | { kind: "delete-many"; routes: readonly Route[]; where: string };

export interface Fixes {
    open: (request: FixRequest) => void;
    /** The open dialog, to render once. */
    element: preact.JSX.Element;
}

export function useFixes(status: Status, admin: boolean, onChanged: () => void): Fixes {
    const [request, setRequest] = useState<FixRequest | null>(null);
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
    const range = status.layout?.tables ?? DEFAULT_TABLE_RANGE;
    // after a route in a new table: offer to name the table, when it can be named
    const close = (changed: boolean, fresh?: string) => {
        const offer = changed && fresh !== undefined && validateTableNumber(fresh, tables, range) === undefined;
        setRequest(offer ? { kind: "name-table", number: fresh } : null);
        if (!offer)
            restoreFocus();
        if (changed)
            onChanged();
    };
    const dialog = request === null || !admin
        ? null
        : request.kind === "add-route"
            ? <RouteDialog tables={tables} interfaces={interfaces} {...(request.table === undefined ? {} : { table: request.table })}
                           onClose={close} />
            : request.kind === "add-rule"
                ? <RuleDialog tables={tables} interfaces={interfaces} onClose={close} />
                : request.kind === "name-table"
                    ? <TableNameDialog tables={tables} range={range} {...(request.number === undefined ? {} : { number: request.number })} onClose={close} />
                    : request.kind === "delete"
                        ? <DeleteDialog target={request.target} interfaces={interfaces} onClose={close} />
                        : <DeleteManyDialog routes={request.routes} where={request.where} tables={tables} onClose={close} />;
    return { open, element: <>{dialog}</> };
}
