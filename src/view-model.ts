// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure data-to-view mapping for the status page: labels and ordering (rules: rules/rule-text.ts).
// No JSX here, so all of it is unit-tested directly; what only tests used is gone.

import type { Address, Family, RoutingTable, TableKind } from "./types";

const _ = cockpit.gettext;

export type LabelColor = "blue" | "teal" | "green" | "orange" | "purple" | "red" | "grey" | "yellow";

export interface Tag {
    text: string;
    color: LabelColor;
}

export const byNumber = (a: number, b: number) => a - b;

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

export function addressText(address: Address): string {
    return `${address.address}/${address.prefix}`;
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
