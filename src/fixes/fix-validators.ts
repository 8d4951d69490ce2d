// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure validators for the one-off fix dialogs (add route, add rule) and the lookup: a message, or
// undefined when the value is fine. Empty optional fields are fine. The helper checks again and is
// the authority; test/validation/cases.json holds the cases both must agree on.

import { cannotBeGateway, familyBits, isLinkLocal6, networkOf, parseAddress, type ParsedAddress } from "../ip-address";
import type { Family, Interface, RoutingTable } from "../types";

const _ = cockpit.gettext;

const U32_MAX = 4294967295;

/** A form's messages by field; a field without one is fine. */
export type Errors<F> = Partial<Record<keyof F, string>>;

/** What the forms check names against. */
export interface FormContext {
    tables: readonly RoutingTable[];
    interfaces: readonly Interface[];
}

export const hasErrors = <F>(errors: Errors<F>) => Object.values(errors).some(v => v !== undefined);

/** The trimmed value, or undefined when empty. */
export const given = (value: string) => (value.trim() === "" ? undefined : value.trim());

/** "10.0.3.0/24", "fd00:3::/64", "10.0.3.7" (a host) → address and prefix; null when malformed. */
export function parsePrefix(text: string): (ParsedAddress & { prefix: number }) | null {
    const [addr = "", len, extra] = text.trim().split("/");
    if (extra !== undefined)
        return null;
    const parsed = parseAddress(addr);
    if (parsed === null)
        return null;
    const bits = familyBits(parsed.family);
    if (len === undefined)
        return { ...parsed, prefix: bits };
    if (!/^[0-9]{1,3}$/.test(len) || Number(len) > bits)
        return null;
    return { ...parsed, prefix: Number(len) };
}

/** A network must be its first address (the helper's ip_network(strict=True)). */
function validateHostBits(parsed: ParsedAddress & { prefix: number }): string | undefined {
    const host = BigInt(familyBits(parsed.family) - parsed.prefix);
    if ((parsed.value & ((1n << host) - 1n)) !== 0n)
        return _("The address has bits set after the prefix length; enter the network's first address.");
    return undefined;
}

/** A route's destination: a network, a host address or "default". */
export function validateDestination(value: string): string | undefined {
    const text = value.trim();
    if (text === "")
        return _("Enter a destination: a network such as 10.0.3.0/24, or default.");
    if (text === "default")
        return undefined;
    const parsed = parsePrefix(text);
    if (parsed === null)
        return _("Enter a network such as 10.0.3.0/24 or fd00:3::/64, an address, or default.");
    return validateHostBits(parsed);
}

/** The family a destination or selector says, or null ("default", empty, malformed). */
export function familyOf(value: string): Family | null {
    return value.trim() === "" || value.trim() === "default" ? null : parsePrefix(value)?.family ?? null;
}

/** An optional next hop address, in the destination's family. */
export function validateVia(value: string, family: Family | null): string | undefined {
    const text = value.trim();
    if (text === "")
        return undefined;
    if (text.includes("/"))
        return _("Enter an address without a prefix length.");
    const parsed = parseAddress(text);
    if (parsed === null)
        return _("Enter an IPv4 or IPv6 address.");
    if (family !== null && parsed.family !== family)
        return family === "inet" ? _("The destination is IPv4: enter an IPv4 address.") : _("The destination is IPv6: enter an IPv6 address.");
    if (cannotBeGateway(parsed))
        return _("An unspecified, loopback or multicast address cannot be a gateway.");
    return undefined;
}

/**
 * A route's gateway must be another host that the kernel reaches directly: not one of this
 * host's own addresses, and (unless on-link) inside a network of the device, or of any interface
 * when no device is given; a link-local one needs the device. The kernel refuses an unreachable
 * one only when the route is applied ("Nexthop has invalid gateway"): say it before, and what to do.
 */
export function validateGatewayReach(via: string, dev: string, onlink: boolean, interfaces: readonly Interface[]): string | undefined {
    const gw = parseAddress(via.trim());
    if (gw === null)
        return undefined; // validateVia says why
    const same = (a: { family: Family; address: string }) => {
        const p = parseAddress(a.address);
        return p !== null && p.family === gw.family ? p : null;
    };
    for (const iface of interfaces) {
        if ((iface.addresses ?? []).some(a => same(a)?.value === gw.value))
            return cockpit.format(_("$0 is this host's own address (on $1): enter the router's address."), via.trim(), iface.name);
    }
    const device = dev.trim();
    if (onlink || (gw.family === "inet6" && isLinkLocal6(gw.value)))
        return device === "" ? _("Choose the device the gateway is reached through.") : undefined;
    const candidates = device === "" ? interfaces : interfaces.filter(i => i.name === device);
    const reaches = candidates.some(i => (i.addresses ?? []).some(a => {
        const p = same(a);
        return p !== null && a.scope !== "host" && networkOf(p.value, a.prefix, p.family) === networkOf(gw.value, a.prefix, p.family);
    }));
    if (reaches)
        return undefined;
    return device === ""
        ? cockpit.format(_("$0 is on none of this host's networks. Enter a router on one of them, or choose the device and tick On-link."), via.trim())
        : cockpit.format(_("$0 is not on a network of $1. Enter a router there, or tick On-link."), via.trim(), device);
}

/** The messages of one number field, whole sentences (a translator sees each as it is shown). */
export interface NumberMessages {
    /** When it is required and empty, e.g. "Enter the priority." */
    empty?: string;
    /** A template with $0 (the minimum) and $1 (the maximum), e.g. "The metric is a whole number from $0 to $1." */
    range: string;
}

export const METRIC_MESSAGES: NumberMessages = { range: _("The metric is a whole number from $0 to $1.") };
export const PRIORITY_MESSAGES: NumberMessages = {
    empty: _("Enter the priority."),
    range: _("The priority is a whole number from $0 to $1."),
};
export const TABLE_NUMBER_MESSAGES: NumberMessages = { range: _("The table number is a whole number from $0 to $1.") };

/** A number as the helper reads it (Python's int(text, 0)): decimal without a leading zero, or
 * 0x hex; null when malformed or outside 0 to 2^32-1. */
export function parseU32(text: string): number | null {
    if (!/^(0+|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/.test(text))
        return null;
    const n = Number(text.replace(/^0+(?=[0-9])/, ""));
    return n <= U32_MAX ? n : null;
}

/** An optional unsigned 32-bit number (metric, priority). */
export function validateU32(value: string, messages: NumberMessages, { required = false, min = 0 } = {}): string | undefined {
    const text = value.trim();
    if (text === "")
        return required ? messages.empty ?? cockpit.format(messages.range, min, U32_MAX) : undefined;
    const n = parseU32(text);
    return n === null || n < min ? cockpit.format(messages.range, min, U32_MAX) : undefined;
}

/** A table: a number (1 to 2^32-1) or the name of a table the host knows. */
export function validateTable(value: string, tables: readonly RoutingTable[]): string | undefined {
    const text = value.trim();
    if (text === "")
        return _("Enter a table number or name.");
    if (/^[0-9]+$/.test(text))
        return validateU32(text, TABLE_NUMBER_MESSAGES, { min: 1 });
    if (tables.some(t => t.name === text))
        return undefined;
    return cockpit.format(_("No table is named $0; enter a number to use a new table."), text);
}

/** An optional device that must exist. */
export function validateDevice(value: string, interfaces: readonly Interface[]): string | undefined {
    const text = value.trim();
    if (text === "" || interfaces.some(i => i.name === text))
        return undefined;
    return cockpit.format(_("There is no device $0 on this host."), text);
}

/** An optional firewall mark of a rule: a number (decimal or 0x hex), optionally "/MASK". */
export function validateFwmark(value: string): string | undefined {
    const parts = value.trim().split("/");
    if (value.trim() === "" || (parts.length <= 2 && parts.every(p => parseU32(p) !== null)))
        return undefined;
    return _("Enter a mark such as 0x10 or 16, optionally with a mask: 0x10/0xff.");
}

/** An optional firewall mark of one packet (the lookup): a number, no mask. */
export function validateMark(value: string): string | undefined {
    const text = value.trim();
    return text === "" || parseU32(text) !== null ? undefined : _("Enter a mark such as 0x10 or 16.");
}

/** An optional rule selector network (from/to). */
export function validateSelector(value: string): string | undefined {
    const text = value.trim();
    if (text === "" || text === "all")
        return undefined;
    const parsed = parsePrefix(text);
    return parsed === null ? _("Enter a network such as 10.0.2.0/24, an address, or all.") : validateHostBits(parsed);
}

/**
 * The helper names the field it refuses ("from: 10.0.2.5/24 has host bits set…"): when that is
 * one of the form's fields, the message belongs under it, not at the top of the dialog.
 */
export function helperFieldError<K extends string>(message: string | null, fields: readonly K[]): { field: K; message: string } | null {
    const m = message === null ? null : /^([a-z][a-z0-9_-]*): (.+)$/s.exec(message);
    const field = fields.find(f => f === m?.[1]);
    return field === undefined || m === null ? null : { field, message: m[2] ?? "" };
}

/** Two family-bearing values must agree. */
export function validateSameFamily(a: Family | null, b: Family | null): string | undefined {
    return a !== null && b !== null && a !== b ? _("IPv4 and IPv6 cannot be mixed in one rule or route.") : undefined;
}

/** An optional address of this host to prefer as the source (a route's `src`), in the route's
 * family: validateVia's rules, and (given the interfaces) one the host has, as the kernel wants. */
export function validateSource(value: string, family: Family | null, interfaces?: readonly Interface[]): string | undefined {
    const text = value.trim();
    const message = validateVia(text, family);
    if (message !== undefined || text === "" || interfaces === undefined)
        return message;
    const address = parseAddress(text)?.value;
    const own = interfaces.some(i => (i.addresses ?? []).some(a => parseAddress(a.address)?.value === address));
    return own ? undefined : cockpit.format(_("$0 is not an address of this host."), text);
}

export const ROUTE_SCOPES = ["global", "link", "host"] as const;
/** Protocol names the page takes (the helper knows more); a number 0-255 is always fine. */
const PROTOCOL_NAMES = ["static", "boot", "kernel", "dhcp", "ra", "zebra", "bird"];

/** Text that is one of `names`, or a number up to `max` (decimal or 0x hex, as the helper reads it). */
const nameOrNumber = (text: string, names: readonly string[], max: number) => names.includes(text) || (parseU32(text) ?? max + 1) <= max;

/** An optional route protocol: a name or 0-255, never cockpit-gateways' own marker (248). */
export function validateProto(value: string): string | undefined {
    const text = value.trim();
    if (text !== "" && !nameOrNumber(text, PROTOCOL_NAMES, 255))
        return _("Enter a protocol name such as static, or 0-255.");
    return parseU32(text) === 248 ? _("248 is cockpit-gateways' own marker; choose another.") : undefined;
}

/** An optional IP protocol of a rule: tcp, udp, icmp, icmpv6, sctp or 0-255. */
export const validateIpproto = (value: string) =>
    (value.trim() === "" || nameOrNumber(value.trim(), ["tcp", "udp", "icmp", "icmpv6", "sctp"], 255)
        ? undefined : _("Enter tcp, udp, icmp, icmpv6, sctp or 0-255."));

/** An optional range "A" or "A-B" (min ≤ A ≤ B ≤ max). */
function validateRange(value: string, min: number, max: number, message: string): string | undefined {
    const parts = value.trim().split("-").map(p => parseU32(p) ?? max + 1);
    const [a = 0, b = a] = parts;
    return value.trim() === "" || (parts.length <= 2 && min <= a && a <= b && b <= max) ? undefined : message;
}

/** An optional port or port range of a rule (sport, dport): the kernel takes 1 to 65534. */
export const validatePorts = (value: string) => validateRange(value, 1, 65534, _("Enter a port or range such as 8000-8080 (1-65534)."));

/** An optional user id range of a rule: "1000" or "1000-1999" (2^32-1 is no user id). */
export const validateUidRange = (value: string) => validateRange(value, 0, U32_MAX - 1, _("Enter a user id or a range such as 1000-1999."));

/** The range our gateway tables come from (status `layout`; the helper's default). */
export type TableRange = { min: number; max: number };
export const DEFAULT_TABLE_RANGE: TableRange = { min: 10000, max: 19999 };

/** A new table name (`table-name add`): letters first, not reserved, not ours (gw-…), not in use. */
export function validateTableName(value: string, tables: readonly RoutingTable[]): string | undefined {
    const text = value.trim();
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/.test(text))
        return _("Use 1-32 letters, digits, _ . or -, starting with a letter.");
    if (/^(local|main|default|unspec|all|cache|gw-.*)$/.test(text) || tables.some(t => t.name === text))
        return cockpit.format(_("$0 is reserved or in use."), text);
    return undefined;
}

/** The number of a table to name: 1 to 2^32-1, not reserved, not named yet, not our range. */
export function validateTableNumber(value: string, tables: readonly RoutingTable[], range: TableRange): string | undefined {
    const text = value.trim();
    const n = /^[1-9][0-9]*$/.test(text) ? Number(text) : 0;
    if (n < 1 || n > U32_MAX)
        return cockpit.format(TABLE_NUMBER_MESSAGES.range, 1, U32_MAX);
    // status says an unnamed table's name is its number
    const name = tables.find(t => t.id === n)?.name ?? text;
    if ((n >= 252 && n <= 255) || (n >= range.min && n <= range.max) || name !== text)
        return cockpit.format(_("Table $0 is reserved or named already (ours: $1-$2)."), n, range.min, range.max);
    return undefined;
}
