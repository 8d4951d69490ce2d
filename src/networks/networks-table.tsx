// SPDX-License-Identifier: LGPL-2.1-or-later
// The Networks view: a filter box and a sortable table, one row per interface and family.
// Filter and sort live here, so a background refresh of the status keeps them. Seven columns do
// not fit below PatternFly's lg breakpoint (992px of frame): the table stacks there (data labels).

import { useMemo, useState } from "preact/hooks";
import { FilterInput } from "../ui/filter-input";
import { HELD_REASON_ID, NetworkRowView, type RowActions } from "./network-row";
import { filterRows, networkRows, sortRows, type SortColumn, type SortDirection } from "./network-model";
import { Button, Table, Tbody, Th, Thead, Tr } from "../ui/pf";
import { EmptyList } from "../ui/status-states";
import { StatusCard } from "../ui/status-card";
import type { DefaultRoute, Interface, Pending } from "../types";

const _ = cockpit.gettext;

const COLUMNS: { column: SortColumn | null; title: string }[] = [
    { column: "interface", title: _("Interface") },
    { column: null, title: _("State") },
    { column: null, title: _("Addresses") },
    { column: null, title: _("Method") },
    { column: "gateway", title: _("Gateway") },
    { column: "routing", title: _("Source routing") },
];

export interface NetworksTableProps extends RowActions {
    interfaces: readonly Interface[];
    defaultRoutes: readonly DefaultRoute[];
    admin: boolean;
    /** Why changes are held back (a change is being tested); null: they are not. */
    heldBy: string | null;
    pending?: Pending | undefined;
    /** "Export": this host's gateways for a fleet tool. */
    onExport?: () => void;
}

export const EXPORT_BUTTON_ID = "gw-export-button";

export const NetworksTable = ({ interfaces, defaultRoutes, admin, heldBy, pending, onEdit, onRepair, onLookup, onExport }: NetworksTableProps) => {
    const [filter, setFilter] = useState("");
    const [sort, setSort] = useState<{ index: number; direction: SortDirection }>({ index: 0, direction: "asc" });
    const all = useMemo(() => networkRows(interfaces, defaultRoutes, pending), [interfaces, defaultRoutes, pending]);
    const column = COLUMNS[sort.index]?.column ?? "interface";
    const rows = sortRows(filterRows(all, filter), column, sort.direction);
    const actions: RowActions = { onEdit, onRepair, ...(onLookup === undefined ? {} : { onLookup }) };

    return (
        <StatusCard id="networks" title={_("Networks")} help="networks">
            <div className="gw-line gw-toolbar">
                <div role="search" className="gw-search">
                    <FilterInput label={_("Filter networks")} placeholder={_("Filter by name or address")}
                                 value={filter} onChange={setFilter} />
                </div>
                {onExport !== undefined &&
                    <Button variant="secondary" size="sm" id={EXPORT_BUTTON_ID} onClick={onExport}>{_("Export")}</Button>}
            </div>
            {admin && heldBy !== null && <p id={HELD_REASON_ID} className="gw-secondary gw-held">{heldBy}</p>}
            {all.length === 0 && <EmptyList title={_("No networks")} body={_("No interface has an address. Give an interface an address (for example in Cockpit's Networking page) to set a gateway for its network.")} />}
            {all.length > 0 && rows.length === 0 &&
                <EmptyList title={_("No matching networks")} body={_("Clear the filter to see all networks.")} />}
            {rows.length > 0 && (
                <Table aria-label={_("Networks")} variant="compact" className="gw-networks" role="table"
                       gridBreakPoint="grid-lg">
                    <Thead>
                        <Tr>
                            {COLUMNS.map((c, index) => (
                                <Th key={c.title} modifier={c.column === "interface" ? "nowrap" : "wrap"}
                                    {...(c.column === null
                                        ? {}
                                        : { sort: { columnIndex: index, sortBy: sort, onSort: (_e, i, direction) => setSort({ index: i, direction }) } })}>
                                    {c.title}
                                </Th>
                            ))}
                            <Th screenReaderText={_("Actions")} />
                        </Tr>
                    </Thead>
                    <Tbody>
                        {rows.map(row => <NetworkRowView key={row.key} row={row} admin={admin} heldBy={heldBy} actions={actions} />)}
                    </Tbody>
                </Table>
            )}
        </StatusCard>
    );
};
