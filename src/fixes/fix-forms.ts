// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-route and add-rule forms: their fields, their validation (fix-validators.ts) and the
// helper arguments they become. Pure.

import type { Family, Interface, RoutingTable } from "../types";
import {
    familyOf, validateDestination, validateDevice, validateFwmark, validateSameFamily, validateSelector, validateTable,
    validateGatewayReach, validateU32, validateVia, METRIC_MESSAGES, PRIORITY_MESSAGES,
} from "./fix-validators";

const _ = cockpit.gettext;

export const ROUTE_TYPES = ["unicast", "blackhole", "unreachable", "prohibit", "throw"] as const;
export type RouteType = typeof ROUTE_TYPES[number];

export interface RouteForm {
    table: string;
    dest: string;
    via: string;
    dev: string;
    metric: string;
    type: RouteType;
    /** The gateway is reached through the device even though it is not on its networks. */
    onlink: boolean;
    keep: boolean;
}

export interface RuleForm {
    priority: string;
    from: string;
    to: string;
    iif: string;
    fwmark: string;
    table: string;
    /** The family when no address says it (the admin's choice). */
    family: Family;
    keep: boolean;
}

export type Errors<F> = Partial<Record<keyof F, string>>;

interface Context {
    tables: readonly RoutingTable[];
    interfaces: readonly Interface[];
}

export function validateRouteForm(f: RouteForm, ctx: Context): Errors<RouteForm> {
    const errors: Errors<RouteForm> = {};
    const set = (key: keyof RouteForm, message: string | undefined) => { if (message !== undefined) errors[key] = message };
    set("table", validateTable(f.table, ctx.tables));
    set("dest", validateDestination(f.dest));
    const unicast = f.type === "unicast";
    if (unicast) {
        set("via", validateVia(f.via, familyOf(f.dest)));
        set("dev", validateDevice(f.dev, ctx.interfaces));
        if (f.via.trim() === "" && f.dev.trim() === "" && errors.via === undefined)
            errors.via = _("Enter a gateway, a device, or both.");
        if (f.via.trim() !== "" && errors.via === undefined && errors.dev === undefined)
            set("via", validateGatewayReach(f.via, f.dev, f.onlink, ctx.interfaces));
    }
    set("metric", validateU32(f.metric, METRIC_MESSAGES));
    return errors;
}

export function routeAddArgs(f: RouteForm): string[] {
    const dest = f.dest.trim();
    const args = ["route", "add", dest, "--table", f.table.trim()];
    if (f.type !== "unicast")
        args.push("--type", f.type);
    if (f.type === "unicast" && f.via.trim() !== "")
        args.push("--via", f.via.trim());
    if (f.type === "unicast" && f.dev.trim() !== "")
        args.push("--dev", f.dev.trim());
    if (f.type === "unicast" && f.onlink && f.via.trim() !== "")
        args.push("--onlink");
    if (f.metric.trim() !== "")
        args.push("--metric", f.metric.trim());
    if (dest === "default" && familyOf(f.via) === "inet6")
        args.push("--family", "inet6");
    if (f.keep)
        args.push("--keep");
    return args;
}

export function validateRuleForm(f: RuleForm, ctx: Context): Errors<RuleForm> {
    const errors: Errors<RuleForm> = {};
    const set = (key: keyof RuleForm, message: string | undefined) => { if (message !== undefined) errors[key] = message };
    set("priority", validateU32(f.priority, PRIORITY_MESSAGES, { required: true, min: 1 }));
    set("from", validateSelector(f.from));
    set("to", validateSelector(f.to));
    if (errors.from === undefined && errors.to === undefined)
        set("to", validateSameFamily(familyOf(f.from === "all" ? "" : f.from), familyOf(f.to === "all" ? "" : f.to)));
    set("iif", validateDevice(f.iif, ctx.interfaces));
    set("fwmark", validateFwmark(f.fwmark));
    set("table", validateTable(f.table, ctx.tables));
    return errors;
}

/** The rule's family: the addresses' (`fixed`), else the admin's choice. */
export function ruleFamily(f: RuleForm): { family: Family; fixed: boolean } {
    const said = familyOf(f.from === "all" ? "" : f.from) ?? familyOf(f.to === "all" ? "" : f.to);
    return said === null ? { family: f.family, fixed: false } : { family: said, fixed: true };
}

/** The table the form names, by number or by a known name; null when it names none. */
export function ruleTable(f: RuleForm, tables: readonly RoutingTable[]): { id: number; name?: string } | null {
    const text = f.table.trim();
    if (/^[0-9]+$/.test(text))
        return { id: Number(text) };
    const table = tables.find(t => t.name === text);
    return table === undefined ? null : { id: table.id, name: text };
}

export function ruleAddArgs(f: RuleForm): string[] {
    const args = ["rule", "add", "--priority", f.priority.trim()];
    for (const key of ["from", "to", "iif", "fwmark"] as const) {
        const value = f[key].trim();
        if (value !== "" && !(value === "all" && (key === "from" || key === "to")))
            args.push(`--${key}`, value);
    }
    args.push("--family", ruleFamily(f).family);
    args.push("--table", f.table.trim());
    if (f.keep)
        args.push("--keep");
    return args;
}

export const hasErrors = <F>(errors: Errors<F>) => Object.values(errors).some(v => v !== undefined);
