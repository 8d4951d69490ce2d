// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-route form: its fields, its validation (fixes/fix-validators.ts) and the helper
// arguments it becomes (client/helper-args.ts). Pure.

import { routeAddArgs } from "../client/helper-args";
import {
    familyOf, given, validateDestination, validateDevice, validateGatewayReach, validateProto, validateSource, validateTable, validateU32,
    validateVia, METRIC_MESSAGES, type Errors, type FormContext,
} from "../fixes/fix-validators";

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
    /** More options: preferred source address, scope ("" the kernel's), protocol ("" static). */
    src: string;
    scope: string;
    proto: string;
    keep: boolean;
}

export const emptyRouteForm = (table: string): RouteForm =>
    ({ table, dest: "", via: "", dev: "", metric: "", type: "unicast", onlink: false, src: "", scope: "", proto: "", keep: false });

/** The family the form's addresses say (a default route's comes from its gateway or source). */
const routeFamily = (f: RouteForm) => familyOf(f.dest) ?? familyOf(f.via) ?? familyOf(f.src);

export function validateRouteForm(f: RouteForm, ctx: FormContext): Errors<RouteForm> {
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
    if (unicast)
        set("src", validateSource(f.src, routeFamily(f), ctx.interfaces));
    set("proto", validateProto(f.proto));
    return errors;
}

/** The helper's arguments for a valid form. */
export function routeFormArgs(f: RouteForm): string[] {
    const dest = f.dest.trim();
    const unicast = f.type === "unicast";
    return routeAddArgs({
        dest, table: f.table.trim(), type: unicast ? undefined : f.type,
        via: unicast ? given(f.via) : undefined, dev: unicast ? given(f.dev) : undefined, metric: given(f.metric),
        family: dest === "default" && routeFamily(f) === "inet6" ? "inet6" : undefined, keep: f.keep,
        onlink: unicast && f.onlink && given(f.via) !== undefined,
        src: unicast ? given(f.src) : undefined, scope: given(f.scope), proto: given(f.proto),
    });
}
