// SPDX-License-Identifier: LGPL-2.1-or-later
// Words and colours for the Networks view's method and source-routing state. Pure.

import type { Method, RoutingState } from "./network-model";
import type { Tag } from "../view-model";

const _ = cockpit.gettext;

export function methodLabel(method: Method): string {
    switch (method) {
    case "static": return _("Static");
    case "dhcp": return _("DHCP");
    case "auto": return _("Automatic");
    case "none": return _("No address");
    }
}

export function routingLabel(state: RoutingState): Tag {
    switch (state) {
    case "active": return { text: _("Active"), color: "green" };
    case "off": return { text: _("Off"), color: "grey" };
    case "missing": return { text: _("Missing"), color: "red" };
    case "drift": return { text: _("Incomplete"), color: "orange" };
    case "no-address": return { text: _("No address"), color: "orange" };
    case "link-down": return { text: _("Link down"), color: "orange" };
    case "no-interface": return { text: _("No interface"), color: "red" };
    case "unreachable": return { text: _("Gateway unreachable"), color: "red" };
    case "conflict": return { text: _("Conflict"), color: "red" };
    default: return { text: String(state), color: "grey" };
    }
}

/** A sentence for the routing state's tooltip / screen readers. */
export function routingDescription(state: RoutingState): string {
    switch (state) {
    case "active": return _("Traffic from and to this network uses its own gateway.");
    case "off": return _("No gateway of its own: replies leave by the host's default gateway.");
    case "missing": return _("None of the routes and rules are in the kernel. Repair puts them back.");
    case "drift": return _("Some routes or rules are missing or differ. Repair puts them back.");
    case "no-address": return _("The interface has no address in this family.");
    case "link-down": return _("The link is down; routing resumes when it is up.");
    case "no-interface": return _("The interface does not exist.");
    case "unreachable": return _("The gateway is no longer inside the interface's networks.");
    case "conflict": return _("The address is on another interface too: replies may leave by the wrong one.");
    default: return "";
    }
}
