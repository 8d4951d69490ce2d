// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's JSON, as doc/helper-json.md describes it. Optional there means optional here:
// the page must render whatever subset a (possibly older or newer) helper sends.

export type Family = "inet" | "inet6";

export interface Address {
    family: Family;
    address: string;
    prefix: number;
    network?: string;
    /** "global", "link", "host", … */
    scope?: string;
    /** The kernel's "dynamic" flag: the address has a lease / finite lifetime. */
    dynamic?: boolean;
}

export type GatewaySource = "static" | "dhcp";
export type GatewayState = "active" | "missing" | "drift" | "no-address" | "link-down" | "no-interface" | "unreachable";

export interface Gateway {
    family: Family;
    address: string;
    source?: GatewaySource;
    state?: GatewayState;
    table?: number;
    onlink?: boolean;
    /** Why the gateway is not active, when the helper knows. */
    reason?: string;
}

export interface Interface {
    name: string;
    index?: number;
    /** operstate in lower case: up, down, unknown, lowerlayerdown, … */
    state?: string;
    mac?: string;
    kind?: string;
    /** True when the main table's default route leaves here. */
    default_route?: boolean;
    addresses?: Address[];
    gateways?: Gateway[];
}

export interface DefaultRoute {
    family: Family;
    gateway?: string;
    dev?: string;
    metric?: number;
}

export type TableKind = "local" | "main" | "default" | "ours" | "foreign";

export interface RoutingTable {
    id: number;
    name?: string;
    owned?: boolean;
    kind?: TableKind;
    routes?: Partial<Record<Family, number>>;
}

/** Every selector the kernel reported: from, to, iif, oif, fwmark, tos, ipproto, sport, dport,
 * uidrange, not, … Values are whatever the helper passes on. */
export type RuleSelector = Record<string, string | number | boolean | null>;

export interface Rule {
    family: Family;
    priority: number;
    table?: number;
    table_name?: string;
    owned?: boolean;
    /** "lookup", "goto" (table is then the target priority), "blackhole", "unreachable", … */
    action?: string;
    selector?: RuleSelector;
}

export interface Drift {
    missing?: string[];
    extra?: string[];
}

export interface Status {
    version?: number;
    interfaces?: Interface[];
    default_routes?: DefaultRoute[];
    tables?: RoutingTable[];
    rules?: Rule[];
    drift?: Drift;
    warnings?: string[];
    /** A change applied with --confirm-within that is waiting for its confirmation. */
    pending?: { deadline?: number };
}

/** With --json, a failing helper also prints this on stdout. */
export interface HelperErrorJson {
    error: string;
    field?: string;
}

/** One change of a plan (set/unset/reconcile with --dry-run, or after a change). */
export interface PlanChange {
    op: "add" | "del" | "replace" | string;
    object: "route" | "rule" | string;
    family?: Family;
    table?: number;
    /** The exact `ip -batch` line. */
    text: string;
}

export interface PlanFile {
    path: string;
    action: string;
}

export interface Plan {
    changed?: boolean;
    dry_run?: boolean;
    changes?: PlanChange[];
    files?: PlanFile[];
    /** Only after a change with --confirm-within. */
    token?: string;
}
