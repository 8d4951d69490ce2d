// SPDX-License-Identifier: LGPL-2.1-or-later
// Sorting the routing tables list (pure). "owner" is the page's natural order: main, ours,
// others, then the fallback and local tables, each by number.

import type { RoutingTable } from "../types";
import { sortTables, tableName } from "../view-model";

export type TableSort = "id" | "name" | "owner" | "inet" | "inet6";

export function sortTableList(tables: readonly RoutingTable[], key: TableSort, reverse = false): RoutingTable[] {
    let out: RoutingTable[];
    if (key === "owner") {
        out = sortTables(tables);
    } else {
        const value = (t: RoutingTable): number | string =>
            key === "id" ? t.id : key === "name" ? tableName(t) : t.routes?.[key] ?? -1;
        out = [...tables].sort((a, b) => {
            const va = value(a);
            const vb = value(b);
            const c = typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
            return c || a.id - b.id;
        });
    }
    return reverse ? out.reverse() : out;
}

/** The table's route count over both families, as status reports it (undefined when unknown). */
export function statusRouteCount(table: RoutingTable | undefined): number | undefined {
    if (table?.routes === undefined)
        return undefined;
    return (table.routes.inet ?? 0) + (table.routes.inet6 ?? 0);
}
