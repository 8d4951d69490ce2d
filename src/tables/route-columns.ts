// SPDX-License-Identifier: LGPL-2.1-or-later
// The route list's columns: title, how a route fills the cell, and the helper's sort key if the
// column is sortable. Pure.

import type { Route } from "../types";
import { optionalText, routeDevice, routeFlags, routeGateway } from "./route-text";
import type { RouteSort } from "./use-route-windows";
import { ownerLabel } from "../owners/owner-labels";

const _ = cockpit.gettext;

export interface RouteColumn {
    id: string;
    title: string;
    sort: RouteSort | null;
    cell: (route: Route) => string;
    mono?: boolean;
    /** The cell's title when it is not the cell's text. */
    hint?: (route: Route) => string | undefined;
}

export const ROUTE_COLUMNS: readonly RouteColumn[] = [
    { id: "dst", title: _("Destination"), sort: "dst", mono: true, cell: r => r.dst ?? "default" },
    { id: "gateway", title: _("Gateway"), sort: "gateway", mono: true, cell: routeGateway },
    { id: "dev", title: _("Device"), sort: "dev", cell: routeDevice },
    { id: "src", title: _("Source"), sort: null, mono: true, cell: r => optionalText(r.prefsrc) },
    { id: "metric", title: _("Metric"), sort: "metric", cell: r => optionalText(r.metric) },
    { id: "protocol", title: _("Protocol"), sort: "protocol", cell: r => optionalText(r.protocol) },
    { id: "scope", title: _("Scope"), sort: null, cell: r => optionalText(r.scope) },
    { id: "type", title: _("Type"), sort: null, cell: r => (r.type === undefined || r.type === "unicast" ? "" : r.type) },
    { id: "flags", title: _("Flags"), sort: null, cell: routeFlags },
    { id: "owner", title: _("Owner"), sort: null, cell: r => (r.owner === undefined ? "" : ownerLabel(r.owner).text), hint: r => r.owner_why },
];
