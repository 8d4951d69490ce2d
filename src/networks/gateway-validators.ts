// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure validators for the gateway dialog: a message for the admin, or undefined when the value is
// fine. The helper checks again and is the authority; these only give feedback while typing.

import { isLinkLocal6, lastOf, networkOf, parseAddress, parseIPv4, parseIPv6 } from "../ip-address";
import type { Address, Family } from "../types";

const _ = cockpit.gettext;

/** A gateway for `family` on an interface with `addresses`; `onlink`: the admin says it is on the
 * link though outside the interface's subnets (`set --onlink`). */
export function validateGateway(value: string, addresses: readonly Address[], family: Family, onlink = false): string | undefined {
    const text = value.trim();
    if (text === "")
        return _("Enter the gateway's address.");
    if (text.includes("/"))
        return _("Enter an address without a prefix length.");
    if (text.includes("%"))
        return _("Enter the address without a zone (the interface is implied).");
    const parsed = parseAddress(text);
    if (parsed === null) {
        return family === "inet"
            ? _("Enter an IPv4 address, e.g. 192.0.2.1.")
            : _("Enter an IPv6 address, e.g. 2001:db8::1.");
    }
    if (parsed.family !== family) {
        return family === "inet"
            ? _("This network is IPv4: enter an IPv4 address.")
            : _("This network is IPv6: enter an IPv6 address.");
    }
    const own = addresses.filter(a => a.family === family);
    for (const a of own) {
        const mine = family === "inet" ? parseIPv4(a.address) : parseIPv6(a.address);
        if (mine === parsed.value)
            return _("This is the interface's own address; enter the router's address.");
    }
    if (family === "inet6" && isLinkLocal6(parsed.value))
        return undefined; // a link-local router is always on the link
    let inside = false;
    for (const a of own) {
        if (a.scope === "link" || a.scope === "host")
            continue;
        const mine = family === "inet" ? parseIPv4(a.address) : parseIPv6(a.address);
        if (mine === null)
            continue;
        if (networkOf(mine, a.prefix, family) !== networkOf(parsed.value, a.prefix, family))
            continue;
        inside = true;
        const hostBits = (family === "inet" ? 32 : 128) - a.prefix;
        if (hostBits >= 2 && parsed.value === networkOf(mine, a.prefix, family))
            return _("This is the network's own address; enter a host address.");
        if (family === "inet" && hostBits >= 2 && parsed.value === lastOf(mine, a.prefix, family))
            return _("This is the network's broadcast address; enter a host address.");
    }
    if (!inside && onlink && own.some(a => a.scope !== "link" && a.scope !== "host"))
        return undefined;
    if (!inside) {
        const nets = own.filter(a => a.scope !== "link" && a.scope !== "host").map(a => a.network ?? `${a.address}/${a.prefix}`);
        return nets.length === 0
            ? _("The interface has no address in this family, so no gateway can be reached.")
            : cockpit.format(_("The gateway must be inside the interface's network ($0), or on this link: then tick “The gateway is on this link (on-link)”."), nets.join(", "));
    }
    return undefined;
}

/** A valid address outside the interface's subnets: only on-link could make it the gateway. */
export function outsideSubnets(value: string, addresses: readonly Address[], family: Family): boolean {
    return validateGateway(value, addresses, family, true) === undefined && validateGateway(value, addresses, family) !== undefined;
}
