// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's command line, spelled once (README "The helper's command line"): every command and
// option the page sends is built here from typed values; helper-client.ts runs them. Pure. (A route's
// or rule's `delete` arguments come from the helper itself and are passed on as they are.)

import type { ExportFormat, Family, LookupQuery } from "../types";

/** `--json` to any command: one JSON document on stdout. */
export const json = (args: readonly string[]) => [...args, "--json"];
/** The plan, changing nothing. */
export const dryRun = (args: readonly string[]) => [...args, "--dry-run"];
/** Apply, and arm a rollback on the host unless `confirm TOKEN` arrives within `seconds`. */
export const confirmWithin = (args: readonly string[], seconds: number) => [...args, "--confirm-within", String(seconds)];

/** `status`; without route counts (`--no-route-counts`) it does not read other tables' routes. */
export const statusArgs = ({ routeCounts = true } = {}) => ["status", ...(routeCounts ? [] : ["--no-route-counts"])];
export const confirmArgs = (token: string) => ["confirm", token];
/** `reconcile IFACE [--family F]`: put back what the kernel lost (of one family only). */
export const reconcileArgs = (iface: string, family?: Family) =>
    ["reconcile", iface, ...(family === undefined ? [] : ["--family", family])];
/** `routers IFACE --family F`: the network(s) and the likely routers on them (read-only). */
export const routersArgs = (iface: string, family: Family) => ["routers", iface, "--family", family];

/** What the page asks the helper to do for one network: a gateway, or none (remove it). */
export interface GatewayChange {
    iface: string;
    family: Family;
    /** null: remove the static gateway of this family. */
    gateway: string | null;
    /** The gateway is on the link though outside the interface's subnets. */
    onlink?: boolean;
}

export function gatewayArgs(change: GatewayChange): string[] {
    return change.gateway === null
        ? ["unset", change.iface, "--family", change.family]
        : ["set", change.iface, change.gateway, ...(change.onlink === true ? ["--onlink"] : [])];
}

export interface RoutesRequest {
    offset: number;
    limit: number;
    filter?: string;
    /** The filter matches whole words only (172.16.0.5, not 172.16.0.50). */
    exact?: boolean;
    sort?: string | null;
    reverse?: boolean;
    /** Only this owner's routes (doc/helper-json.md, "Owners"). */
    owner?: string;
}

export function routesArgs(table: number, req: RoutesRequest): string[] {
    const args = ["routes", String(table), "--offset", String(req.offset), "--limit", String(req.limit)];
    if (req.filter)
        args.push("--filter", req.filter, ...(req.exact === true ? ["--exact"] : []));
    if (req.sort)
        args.push("--sort", req.sort);
    if (req.reverse)
        args.push("--reverse");
    if (req.owner)
        args.push("--owner", req.owner);
    return args;
}

export function lookupArgs(query: LookupQuery): string[] {
    const args = ["lookup", query.to];
    for (const key of ["from", "iif", "oif", "fwmark"] as const) {
        const value = query[key]?.trim();
        if (value)
            args.push(`--${key}`, value);
    }
    return args;
}

/** Restore at boot ("boot") and self-healing ("watch"): their systemd units. */
export type ServiceName = "boot" | "watch";
export const serviceArgs = (op: "status" | "enable" | "disable", names: readonly ServiceName[] = []) =>
    ["service", op, ...names];

/** The reachability doctor: does CLIENT reach this host on IFACE, and do replies go back? */
export function reachArgs(iface: string, client: string): string[] {
    return ["reach", iface, client.trim()];
}

export function exportArgs(format: ExportFormat, includeDhcp: boolean): string[] {
    return ["export", "--format", format, ...(includeDhcp ? ["--include-dhcp"] : [])];
}

/** One route to add (trimmed, valid); absent fields are left to the helper. */
export interface RouteAdd {
    dest: string;
    table: string;
    type?: string | undefined;
    via?: string | undefined;
    dev?: string | undefined;
    metric?: string | undefined;
    family?: Family | undefined;
    /** Preferred source address, scope (global, link, host), protocol (name or number). */
    src?: string | undefined;
    scope?: string | undefined;
    proto?: string | undefined;
    /** The gateway is reached through the device even off its networks. */
    onlink?: boolean;
    keep?: boolean;
}

export function routeAddArgs(r: RouteAdd): string[] {
    const args = ["route", "add", r.dest, "--table", r.table];
    const options = [["--type", r.type], ["--via", r.via], ["--dev", r.dev], ["--metric", r.metric], ["--family", r.family],
        ["--src", r.src], ["--scope", r.scope], ["--proto", r.proto]] as const;
    for (const [option, value] of options) {
        if (value !== undefined)
            args.push(option, value);
    }
    if (r.onlink === true)
        args.push("--onlink");
    if (r.keep === true)
        args.push("--keep");
    return args;
}

/** Several routes deleted as one change: each route's `delete` arguments, as the helper gave them. */
export const routesDeleteArgs = (deletes: readonly (readonly string[])[]) => ["route", "del", "--many", JSON.stringify(deletes)];

/** One rule to add (trimmed, valid): a table to look up, or an action. */
export interface RuleAdd {
    priority: string;
    from?: string | undefined;
    to?: string | undefined;
    iif?: string | undefined;
    oif?: string | undefined;
    fwmark?: string | undefined;
    ipproto?: string | undefined;
    sport?: string | undefined;
    dport?: string | undefined;
    uidrange?: string | undefined;
    family?: Family | undefined;
    table?: string | undefined;
    /** blackhole, unreachable or prohibit instead of a table. */
    action?: string | undefined;
    /** Match the packets the selectors do not. */
    not?: boolean;
    keep?: boolean;
}

export function ruleAddArgs(r: RuleAdd): string[] {
    const args = ["rule", "add", "--priority", r.priority];
    for (const key of ["from", "to", "iif", "oif", "fwmark", "ipproto", "sport", "dport", "uidrange", "family", "table", "action"] as const) {
        const value = r[key];
        if (value !== undefined)
            args.push(`--${key}`, value);
    }
    if (r.not === true)
        args.push("--not");
    if (r.keep === true)
        args.push("--keep");
    return args;
}

/** `table-name add NUMBER NAME`: name a routing table for iproute2; `del NAME` removes the name. */
export const tableNameArgs = (op: "add" | "del", words: readonly string[]) => ["table-name", op, ...words];
