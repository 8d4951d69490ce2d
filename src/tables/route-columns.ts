// SPDX-License-Identifier: LGPL-2.1-or-later
// The route list's columns: title, how a route fills the cell, and the helper's sort key if the
// column is sortable. Pure. `ip` leaves out what is the kernel's default (metric 0, protocol boot,
// scope global, type unicast): those cells say the default, muted, instead of looking empty.

import type { Route } from "../types";
import { optionalText, routeDevice, routeFlags, routeGateway } from "./route-text";
import type { RouteSort } from "./use-route-windows";
import { ownerLabel } from "../owners/owner-labels";

const _ = cockpit.gettext;

export interface RouteColumn {
    id: string;
    /** Written out (not built from the id): the build's CSS pruning looks for class names in the code. */
    className: string;
    title: string;
    sort: RouteSort | null;
    cell: (route: Route) => string;
    /** True when the cell shows the kernel's default because the route does not say otherwise. */
    isDefault?: (route: Route) => boolean;
    mono?: boolean;
    /** The cell's title when it is not the cell's text. */
    hint?: (route: Route) => string | undefined;
}

export const ROUTE_COLUMNS: readonly RouteColumn[] = [
    { id: "dst", className: "gw-route-dst", title: _("Destination"), sort: "dst", mono: true, cell: r => r.dst ?? "default" },
    { id: "gateway", className: "gw-route-gateway", title: _("Gateway"), sort: "gateway", mono: true, cell: routeGateway },
    { id: "dev", className: "gw-route-dev", title: _("Device"), sort: "dev", cell: routeDevice },
    { id: "src", className: "gw-route-src", title: _("Source"), sort: null, mono: true, cell: r => optionalText(r.prefsrc) },
    { id: "metric", className: "gw-route-metric", title: _("Metric"), sort: "metric", cell: r => String(r.metric ?? 0), isDefault: r => r.metric === undefined },
    { id: "protocol", className: "gw-route-protocol", title: _("Protocol"), sort: "protocol", cell: r => String(r.protocol ?? "boot"), isDefault: r => r.protocol === undefined },
    { id: "scope", className: "gw-route-scope", title: _("Scope"), sort: null, cell: r => String(r.scope ?? "global"), isDefault: r => r.scope === undefined },
    { id: "type", className: "gw-route-type", title: _("Type"), sort: null, cell: r => r.type ?? "unicast", isDefault: r => r.type === undefined || r.type === "unicast" },
    { id: "flags", className: "gw-route-flags", title: _("Flags"), sort: null, cell: routeFlags },
    { id: "owner", className: "gw-route-owner", title: _("Owner"), sort: null, cell: r => (r.owner === undefined ? "" : ownerLabel(r.owner).text), hint: r => r.owner_why },
];
