// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure data-to-view mapping for the status page: labels and ordering (rules: rules/rule-text.ts).
// No JSX here, so all of it is unit-tested directly.

import type {
    Address, DefaultRoute, Family, Gateway, GatewaySource, GatewayState, Interface, RoutingTable, TableKind,
} from "./types";

const _ = cockpit.gettext;

export type LabelColor = "blue" | "teal" | "green" | "orange" | "purple" | "red" | "grey" | "yellow";

export interface Tag {
    text: string;
    color: LabelColor;
}

export const byNumber = (a: number, b: number) => a - b;
const familyRank = (f: Family) => (f === "inet" ? 0 : 1);

export function familyLabel(family: Family): string {
    return family === "inet" ? _("IPv4") : _("IPv6");
}

/* ---------- interfaces and addresses ---------- */

export function interfaceStateLabel(state: string | undefined): Tag {
    switch (state) {
    case "up": return { text: _("Up"), color: "green" };
    case "down": return { text: _("Down"), color: "grey" };
    case "lowerlayerdown": return { text: _("No carrier"), color: "orange" };
    case "dormant": return { text: _("Dormant"), color: "orange" };
    case "notpresent": return { text: _("Not present"), color: "red" };
    case "testing": return { text: _("Testing"), color: "orange" };
    case undefined:
    case "":
    case "unknown": return { text: _("Unknown"), color: "grey" };
    default: return { text: state, color: "grey" };
    }
}

export function sortInterfaces(interfaces: readonly Interface[]): Interface[] {
    return [...interfaces].sort((a, b) =>
        (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name));
}

export function addressText(address: Address): string {
    return `${address.address}/${address.prefix}`;
}

const scopeRank = (scope: string | undefined) => (scope === undefined || scope === "global" ? 0 : 1);

/** IPv4 before IPv6, global before link/host scope; otherwise the helper's order. */
export function sortAddresses(addresses: readonly Address[]): Address[] {
    return [...addresses].sort((a, b) =>
        familyRank(a.family) - familyRank(b.family) || scopeRank(a.scope) - scopeRank(b.scope));
}

/** "static", or "dynamic (DHCP)" for an IPv4 lease; IPv6 dynamic addresses may also be SLAAC. */
export function addressOrigin(address: Address): Tag {
    if (!address.dynamic)
        return { text: _("static"), color: "grey" };
    return address.family === "inet"
        ? { text: _("dynamic (DHCP)"), color: "blue" }
        : { text: _("dynamic"), color: "blue" };
}

/** A tag for scopes other than global, e.g. link-local IPv6 addresses. */
export function addressScope(address: Address): string | null {
    switch (address.scope) {
    case undefined:
    case "global": return null;
    case "link": return _("link-local");
    case "host": return _("host only");
    default: return address.scope;
    }
}

/* ---------- gateways ---------- */

export interface GatewayView {
    /** "host-default": the main table's default route; "network": a per-network gateway. */
    kind: "host-default" | "network";
    family: Family;
    address: string | null;
    source?: GatewaySource;
    state?: GatewayState;
    reason?: string;
}

export function interfaceGateways(iface: Interface, defaultRoutes: readonly DefaultRoute[]): GatewayView[] {
    const result: GatewayView[] = defaultRoutes
        .filter(r => r.dev === iface.name)
        .map(r => ({ kind: "host-default", family: r.family, address: r.gateway ?? null }));
    if (iface.default_route && result.length === 0)
        result.push({ kind: "host-default", family: "inet", address: null });
    for (const gw of iface.gateways ?? []) {
        const view: GatewayView = { kind: "network", family: gw.family, address: gw.address };
        if (gw.source !== undefined)
            view.source = gw.source;
        if (gw.state !== undefined)
            view.state = gw.state;
        if (gw.reason !== undefined)
            view.reason = gw.reason;
        result.push(view);
    }
    return result.sort((a, b) =>
        (a.kind === b.kind ? 0 : a.kind === "host-default" ? -1 : 1) || familyRank(a.family) - familyRank(b.family));
}

export function gatewaySourceLabel(source: Gateway["source"]): string | null {
    switch (source) {
    case "static": return _("static");
    case "dhcp": return _("from DHCP");
    default: return null;
    }
}

export function gatewayStateLabel(state: Gateway["state"]): Tag | null {
    switch (state) {
    case "active": return { text: _("active"), color: "green" };
    case "missing": return { text: _("missing"), color: "red" };
    case "drift": return { text: _("differs from configuration"), color: "orange" };
    case "no-address": return { text: _("no address on this network"), color: "orange" };
    default: return null;
    }
}

/* ---------- routing tables ---------- */

const SYSTEM_TABLES: Record<number, TableKind> = { 255: "local", 254: "main", 253: "default" };

export function tableKind(table: RoutingTable): TableKind {
    if (table.kind !== undefined)
        return table.kind;
    if (table.owned)
        return "ours";
    return SYSTEM_TABLES[table.id] ?? "foreign";
}

export function tableKindLabel(kind: TableKind): Tag {
    switch (kind) {
    case "local": return { text: _("System (local addresses)"), color: "grey" };
    case "main": return { text: _("System (main)"), color: "grey" };
    case "default": return { text: _("System (fallback)"), color: "grey" };
    case "ours": return { text: _("Managed by Gateways"), color: "blue" };
    case "foreign": return { text: _("Other"), color: "purple" };
    }
}

export function tableName(table: RoutingTable): string {
    return table.name ?? String(table.id);
}

const WELL_KNOWN_TABLES = new Set(["main", "local", "default"]);

/** The one way the page names a table: "gw-eth1 (10000)", "300", "main" (the system's tables
 * need no number). Views, previews, dialogs and problems all use it. */
export function tableLabel(id: number, name?: string | null): string {
    if (name === undefined || name === null || name === "" || name === String(id))
        return String(id);
    return WELL_KNOWN_TABLES.has(name) ? name : cockpit.format(_("$0 ($1)"), name, id);
}

const KIND_ORDER: Record<TableKind, number> = { main: 0, ours: 1, foreign: 2, default: 3, local: 4 };

/** main first, then ours and others by id, then the fallback and local tables. */
export function sortTables(tables: readonly RoutingTable[]): RoutingTable[] {
    return [...tables].sort((a, b) => KIND_ORDER[tableKind(a)] - KIND_ORDER[tableKind(b)] || byNumber(a.id, b.id));
}

/** A route count, or "—" when the helper did not report one. */
export function routeCount(table: RoutingTable, family: Family): string {
    const n = table.routes?.[family];
    return n === undefined ? "—" : String(n);
}
