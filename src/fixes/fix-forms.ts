// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-route and add-rule forms: their fields, their validation (fix-validators.ts) and the
// helper arguments they become. Pure.

import { routeAddArgs, ruleAddArgs } from "../client/helper-args";
import type { Interface, RoutingTable } from "../types";
import {
    familyOf, validateDestination, validateDevice, validateFwmark, validateSameFamily, validateSelector, validateTable,
    validateU32, validateVia, METRIC_MESSAGES, PRIORITY_MESSAGES,
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
    keep: boolean;
}

export interface RuleForm {
    priority: string;
    from: string;
    to: string;
    iif: string;
    fwmark: string;
    table: string;
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
    }
    set("metric", validateU32(f.metric, METRIC_MESSAGES));
    return errors;
}

/** The trimmed value, or undefined when empty. */
const given = (value: string) => (value.trim() === "" ? undefined : value.trim());

/** The helper's arguments for a valid form. */
export function routeFormArgs(f: RouteForm): string[] {
    const dest = f.dest.trim();
    const unicast = f.type === "unicast";
    return routeAddArgs({
        dest, table: f.table.trim(), type: unicast ? undefined : f.type,
        via: unicast ? given(f.via) : undefined, dev: unicast ? given(f.dev) : undefined, metric: given(f.metric),
        family: dest === "default" && familyOf(f.via) === "inet6" ? "inet6" : undefined, keep: f.keep,
    });
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

/** The helper's arguments for a valid form; "all" as a source or destination is no selector. */
export function ruleFormArgs(f: RuleForm): string[] {
    const selector = (value: string) => (value.trim() === "all" ? undefined : given(value));
    const from = selector(f.from), to = selector(f.to);
    return ruleAddArgs({
        priority: f.priority.trim(), from, to, iif: given(f.iif), fwmark: given(f.fwmark),
        family: familyOf(from ?? "") ?? familyOf(to ?? "") ?? undefined, table: f.table.trim(), keep: f.keep,
    });
}

export const hasErrors = <F>(errors: Errors<F>) => Object.values(errors).some(v => v !== undefined);
