// SPDX-License-Identifier: LGPL-2.1-or-later
// Every routing table with its number, name, owner and route counts per family, sortable; each
// name opens the table's routes.

import { useState } from "preact/hooks";
import { Table, Tbody, Td, Th, Thead, Tr } from "../ui/pf";
import { EmptyList } from "../ui/status-states";
import { TagLabel } from "../ui/tag";
import type { RoutingTable } from "../types";
import { routeCount, tableKind, tableKindLabel, tableName } from "../view-model";
import { sortTableList, type TableSort } from "./tables-sort";

const _ = cockpit.gettext;

const COLUMNS: { key: TableSort; title: string }[] = [
    { key: "id", title: _("Number") },
    { key: "name", title: _("Name") },
    { key: "owner", title: _("Owner") },
    { key: "inet", title: _("IPv4 routes") },
    { key: "inet6", title: _("IPv6 routes") },
];

export const TablesList = ({ tables, onOpen }: { tables: readonly RoutingTable[]; onOpen: (id: number) => void }) => {
    const [sort, setSort] = useState<{ index: number; direction: "asc" | "desc" }>({ index: 2, direction: "asc" });
    if (tables.length === 0)
        return <EmptyList title={_("No routing tables")} body={_("The host reported no routing tables. Check that the iproute2 package (the ip command) is installed, then reload the page.")} />;
    const key = COLUMNS[sort.index]?.key ?? "owner";
    const rows = sortTableList(tables, key, sort.direction === "desc");
    return (
        <Table aria-label={_("Routing tables")} variant="compact" role="table" className="gw-tables">
            <Thead>
                <Tr>
                    {COLUMNS.map((c, index) => (
                        <Th key={c.key} modifier="nowrap"
                            sort={{ columnIndex: index, sortBy: sort, onSort: (_e, i, direction) => setSort({ index: i, direction }) }}>
                            {c.title}
                        </Th>
                    ))}
                </Tr>
            </Thead>
            <Tbody>
                {rows.map(table => (
                    <Tr key={table.id}>
                        <Td dataLabel={_("Number")}>{table.id}</Td>
                        <Th dataLabel={_("Name")} scope="row">
                            <a href={`#/tables?table=${table.id}`} aria-label={cockpit.format(_("Open table $0"), tableName(table))}
                               onClick={e => { e.preventDefault(); onOpen(table.id) }}>
                                {tableName(table)}
                            </a>
                        </Th>
                        <Td dataLabel={_("Owner")}><TagLabel tag={tableKindLabel(tableKind(table))} /></Td>
                        <Td dataLabel={_("IPv4 routes")}>{routeCount(table, "inet")}</Td>
                        <Td dataLabel={_("IPv6 routes")}>{routeCount(table, "inet6")}</Td>
                    </Tr>
                ))}
            </Tbody>
        </Table>
    );
};
