// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure mapping of one route (`routes TABLE --json`) to the list's cells and its text. Every field
// is optional. Who owns it and how to delete it, the helper says (`owned`, `delete`).

import type { Route } from "../types";

const _ = cockpit.gettext;

/** "10.0.2.0/24", "default", "blackhole 10.9.0.0/16" (the type shown when it is not unicast). */
export function routeDestination(route: Route): string {
    const dst = route.dst ?? "default";
    return route.type === undefined || route.type === "unicast" ? dst : `${route.type} ${dst}`;
}

export function nexthopText(hop: { gateway?: string; dev?: string; weight?: number }): string {
    const words: string[] = [];
    if (hop.gateway !== undefined)
        words.push(cockpit.format(_("via $0"), hop.gateway));
    if (hop.dev !== undefined)
        words.push(cockpit.format(_("on $0"), hop.dev));
    if (hop.weight !== undefined)
        words.push(cockpit.format(_("weight $0"), hop.weight));
    return words.join(" ");
}

/** The gateway cell: the gateway, every next hop of a multipath route, or "" (on-link). */
export function routeGateway(route: Route): string {
    if (route.nexthops !== undefined && route.nexthops.length > 0)
        return route.nexthops.map(nexthopText).join("; ");
    if (route.nhid !== undefined && route.gateway === undefined)
        return cockpit.format(_("next hop object $0"), route.nhid);
    return route.gateway ?? "";
}

export function routeDevice(route: Route): string {
    if (route.dev !== undefined)
        return route.dev;
    const devs = [...new Set((route.nexthops ?? []).map(h => h.dev).filter((d): d is string => d !== undefined))];
    return devs.join(", ");
}

export function routeFlags(route: Route): string {
    const flags = new Set([...(route.flags ?? []), ...(route.nexthops ?? []).flatMap(h => h.flags ?? [])]);
    return [...flags].join(", ");
}

export const optionalText = (value: string | number | undefined): string => (value === undefined ? "" : String(value));

/** The route in `ip route` words with names (ip's own line has numbers: "proto 4 scope 253"). */
export function routeText(route: Route): string {
    const words = [routeDestination(route)];
    const add = (key: string, value: string | number | undefined) => {
        if (value !== undefined)
            words.push(`${key} ${value}`);
    };
    add("via", route.gateway);
    add("dev", route.dev);
    for (const hop of route.nexthops ?? [])
        words.push(`nexthop ${nexthopText(hop)}`);
    add("src", route.prefsrc);
    add("metric", route.metric);
    add("proto", route.protocol);
    add("scope", route.scope);
    if (route.flags?.includes("onlink"))
        words.push("onlink");
    return words.join(" ");
}
