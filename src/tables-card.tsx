// SPDX-License-Identifier: LGPL-2.1-or-later
// Routing tables with their owner and route counts.

import { Table, Tbody, Td, Th, Thead, Tr } from "./pf";
import { EmptyList } from "./status-states";
import { StatusCard } from "./status-card";
import { TagLabel } from "./tag";
import type { RoutingTable } from "./types";
import { routeCount, sortTables, tableKind, tableKindLabel, tableName } from "./view-model";

const _ = cockpit.gettext;

export const TablesCard = ({ tables }: { tables: readonly RoutingTable[] }) => (
    <StatusCard id="tables" title={_("Routing tables")}>
        {tables.length === 0
            ? <EmptyList title={_("No routing tables")} />
            : (
                <Table aria-label={_("Routing tables")} variant="compact" role="table">
                    <Thead>
                        <Tr>
                            <Th>{_("ID")}</Th>
                            <Th>{_("Name")}</Th>
                            <Th>{_("Owner")}</Th>
                            <Th>{_("IPv4 routes")}</Th>
                            <Th>{_("IPv6 routes")}</Th>
                        </Tr>
                    </Thead>
                    <Tbody>
                        {sortTables(tables).map(table => (
                            <Tr key={table.id}>
                                <Td dataLabel={_("ID")}>{table.id}</Td>
                                <Th dataLabel={_("Name")} scope="row">{tableName(table)}</Th>
                                <Td dataLabel={_("Owner")}><TagLabel tag={tableKindLabel(tableKind(table))} /></Td>
                                <Td dataLabel={_("IPv4 routes")}>{routeCount(table, "inet")}</Td>
                                <Td dataLabel={_("IPv6 routes")}>{routeCount(table, "inet6")}</Td>
                            </Tr>
                        ))}
                    </Tbody>
                </Table>
            )}
    </StatusCard>
);
