// SPDX-License-Identifier: LGPL-2.1-or-later
// The Networks view's rows: one per interface and address family, with what the admin needs to
// decide (method, gateway, source-routing state) and what they may do (edit, repair). Pure.

import type { Address, DefaultRoute, Family, Gateway, GatewayState, Interface, Pending } from "../types";

export type Method = "static" | "dhcp" | "auto" | "none";
/** The gateways[].state values, plus "off" when no per-network gateway is configured. */
export type RoutingState = GatewayState | "off";

export interface NetworkRow {
    key: string;
    iface: string;
    family: Family;
    ifaceState: string | undefined;
    addresses: Address[];
    method: Method;
    gateway: Gateway | undefined;
    /** Set on the management interface: the main table's default gateway of this family. */
    hostDefault: { address: string | null } | undefined;
    routing: RoutingState;
    /** A static gateway may be changed (and removed); DHCP rows are read-only. */
    editable: boolean;
    repairable: boolean;
    /** The change being tested sets, changes or removes this gateway: the confirmed one and the new. */
    testing?: { before: string | null; after: string | null };
}

const FAMILIES: Family[] = ["inet", "inet6"];

function methodOf(family: Family, addresses: readonly Address[], gateway: Gateway | undefined): Method {
    if (gateway?.source === "dhcp")
        return "dhcp";
    if (addresses.some(a => a.dynamic && a.scope !== "link"))
        return family === "inet" ? "dhcp" : "auto";
    if (addresses.some(a => a.scope !== "link" && a.scope !== "host"))
        return "static";
    return "none";
}

function hostDefaultOf(iface: Interface, family: Family, routes: readonly DefaultRoute[]): NetworkRow["hostDefault"] {
    const route = routes.find(r => r.dev === iface.name && r.family === family);
    if (route !== undefined)
        return { address: route.gateway ?? null };
    if (iface.default_route && family === "inet" && !routes.some(r => r.family === "inet"))
        return { address: null };
    return undefined;
}

/** Rows for every interface and family that has a usable address or a gateway (not loopback). */
export function networkRows(interfaces: readonly Interface[], routes: readonly DefaultRoute[],
                            pending?: Pending): NetworkRow[] {
    const rows: NetworkRow[] = [];
    for (const iface of interfaces) {
        const all = iface.addresses ?? [];
        for (const family of FAMILIES) {
            const addresses = all.filter(a => a.family === family);
            const gateway = (iface.gateways ?? []).find(g => g.family === family);
            const usable = addresses.some(a => a.scope !== "host");
            const hostDefault = hostDefaultOf(iface, family, routes);
            if (!usable && gateway === undefined && hostDefault === undefined)
                continue;
            const method = methodOf(family, addresses, gateway);
            const routing: RoutingState = gateway?.state ?? (gateway === undefined ? "off" : "active");
            const testing = pending?.gateways?.find(g => g.interface === iface.name && g.family === family);
            rows.push({
                key: `${iface.name}/${family}`,
                iface: iface.name,
                family,
                ifaceState: iface.state,
                addresses,
                method,
                gateway,
                hostDefault,
                routing,
                editable: method === "static" || (method === "none" && gateway?.source !== "dhcp"),
                repairable: routing === "missing" || routing === "drift",
                ...(testing === undefined ? {} : { testing: { before: testing.before, after: testing.after } }),
            });
        }
    }
    return rows;
}

/* ---------- filter and sort ---------- */

export type SortColumn = "interface" | "state" | "method" | "gateway" | "routing";
export type SortDirection = "asc" | "desc";

/** Everything a row shows, for the filter box. */
export function rowText(row: NetworkRow): string {
    return [row.iface, row.family === "inet" ? "ipv4" : "ipv6", row.ifaceState ?? "", row.method, row.routing,
        row.gateway?.address ?? "", row.hostDefault?.address ?? "",
        ...row.addresses.map(a => `${a.address}/${a.prefix}`)].join(" ").toLowerCase();
}

export function filterRows(rows: readonly NetworkRow[], filter: string): NetworkRow[] {
    const words = filter.toLowerCase().split(/\s+/).filter(w => w !== "");
    if (words.length === 0)
        return [...rows];
    return rows.filter(row => {
        const text = rowText(row);
        return words.every(w => text.includes(w));
    });
}

const ROUTING_RANK: Record<RoutingState, number> = {
    conflict: 0, missing: 0, drift: 1, unreachable: 2, "link-down": 3, "no-address": 4, "no-interface": 5, active: 6, off: 7,
};

function sortKey(row: NetworkRow, column: SortColumn): string | number {
    switch (column) {
    case "interface": return row.iface;
    case "state": return row.ifaceState ?? "";
    case "method": return row.method;
    case "gateway": return row.gateway?.address ?? row.hostDefault?.address ?? "\uffff";
    case "routing": return ROUTING_RANK[row.routing] ?? 99;
    }
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** Stable: ties keep the interface order, IPv4 before IPv6. */
export function sortRows(rows: readonly NetworkRow[], column: SortColumn, direction: SortDirection): NetworkRow[] {
    const sign = direction === "asc" ? 1 : -1;
    return rows
        .map((row, i) => ({ row, i }))
        .sort((a, b) => {
            const ka = sortKey(a.row, column);
            const kb = sortKey(b.row, column);
            const c = typeof ka === "number" && typeof kb === "number" ? ka - kb : collator.compare(String(ka), String(kb));
            return sign * c || a.i - b.i;
        })
        .map(x => x.row);
}
