// SPDX-License-Identifier: LGPL-2.1-or-later
// Who made a rule or a route, in a short label: the helper's owner words (doc/helper-json.md,
// "Owners"), translated and coloured; and the filter by owner. Pure.

import type { Tag } from "../view-model";

const _ = cockpit.gettext;

/** The helper's owner words, in the order the filter offers them. */
export const OWNERS = ["cockpit-gateways", "kept", "fix", "kernel", "static", "dhcp", "ra", "NetworkManager",
    "systemd-networkd", "wireguard", "containers", "kubernetes", "cloud", "unknown"] as const;

export function ownerLabel(owner: string | undefined): Tag {
    switch (owner) {
    case "cockpit-gateways": return { text: _("Gateways"), color: "blue" };
    case "kept": return { text: _("Kept fix"), color: "teal" };
    case "fix": return { text: _("One-off fix"), color: "teal" };
    case "kernel": return { text: _("Kernel"), color: "grey" };
    case "static": return { text: _("Static"), color: "grey" };
    case "dhcp": return { text: _("DHCP"), color: "green" };
    case "ra": return { text: _("Router advertisement"), color: "green" };
    case "NetworkManager": return { text: _("NetworkManager"), color: "purple" };
    case "systemd-networkd": return { text: _("systemd-networkd"), color: "purple" };
    case "wireguard": return { text: _("WireGuard"), color: "orange" };
    case "containers": return { text: _("Containers and VMs"), color: "orange" };
    case "kubernetes": return { text: _("Kubernetes"), color: "orange" };
    case "cloud": return { text: _("Cloud agent"), color: "orange" };
    case undefined: case "unknown": return { text: _("Unknown"), color: "grey" };
    default: return { text: owner, color: "grey" };
    }
}

/** "" stands for every owner. */
export function byOwner<T extends { owner?: string }>(objects: readonly T[], owner: string): T[] {
    return owner === "" ? [...objects] : objects.filter(o => (o.owner ?? "unknown") === owner);
}
