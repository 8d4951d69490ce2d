// SPDX-License-Identifier: LGPL-2.1-or-later
// The "Routing tables" view: every table, or (URL option `table`) one table's routes.

import { Button } from "../ui/pf";
import { StatusCard } from "../ui/status-card";
import type { Route, Status } from "../types";
import { tableLabel } from "../view-model";
import type { FixRequest } from "../fixes/fix-host";
import { goTo } from "../cockpit/location";
import { RoutesPanel } from "./routes-panel";
import { routeText } from "./route-text";
import { TablesList } from "./tables-list";

const _ = cockpit.gettext;

export interface TablesViewProps {
    status: Status;
    open: number | null;
    admin: boolean;
    tick: number;
    onFix: (request: FixRequest) => void;
}

export const TablesView = ({ status, open, admin, tick, onFix }: TablesViewProps) => {
    const tables = status.tables ?? [];
    if (open !== null) {
        const table = tables.find(t => t.id === open);
        const where = cockpit.format(_("table $0"), tableLabel(open, table?.name));
        const onDelete = (route: Route) => onFix({ kind: "delete", target: { object: "route", text: routeText(route), where, of: route } });
        return (
            <StatusCard id="routes" title={_("Routing tables")} help="routing-tables">
                <RoutesPanel key={open} id={open} table={table} admin={admin} tick={tick} onBack={() => goTo("tables")}
                             onAdd={() => onFix({ kind: "add-route", table: String(open) })} onDelete={onDelete}
                             onDeleteMany={routes => onFix({ kind: "delete-many", routes, where })} />
            </StatusCard>
        );
    }
    return (
        <StatusCard id="tables" title={_("Routing tables")} help="routing-tables">
            {admin && (
                <div className="gw-line gw-toolbar">
                    <Button variant="secondary" size="sm" onClick={() => onFix({ kind: "add-route" })}>{_("Add route")}</Button>
                    <Button variant="secondary" size="sm" onClick={() => onFix({ kind: "name-table" })}>{_("Name a table…")}</Button>
                </div>
            )}
            <TablesList tables={tables} onOpen={id => goTo("tables", { table: String(id) })} />
        </StatusCard>
    );
};
