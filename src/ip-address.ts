// SPDX-License-Identifier: LGPL-2.1-or-later
// Parse IPv4 and IPv6 addresses (no zone, no prefix) into numbers, for the gateway validator.
// Pure and strict: what `ip` and the helper accept, not what browsers tolerate ("010.1", "1.2.3").

import type { Family } from "./types";

export interface ParsedAddress {
    family: Family;
    /** The address as an unsigned integer: 32 bits for IPv4, 128 for IPv6. */
    value: bigint;
}

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;

export function parseIPv4(text: string): bigint | null {
    const parts = text.split(".");
    if (parts.length !== 4)
        return null;
    let value = 0n;
    for (const part of parts) {
        if (!IPV4_PART.test(part))
            return null;
        const n = Number(part);
        if (n > 255)
            return null;
        value = (value << 8n) | BigInt(n);
    }
    return value;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseHextets(text: string): number[] | null {
    if (text === "")
        return [];
    const out: number[] = [];
    const parts = text.split(":");
    for (let i = 0; i < parts.length; i++) {
        const part = parts[i] ?? "";
        if (i === parts.length - 1 && part.includes(".")) { // embedded IPv4, e.g. ::ffff:10.0.0.1
            const v4 = parseIPv4(part);
            if (v4 === null)
                return null;
            out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        } else if (HEXTET.test(part)) {
            out.push(parseInt(part, 16));
        } else {
            return null;
        }
    }
    return out;
}

export function parseIPv6(text: string): bigint | null {
    if (text.includes("%") || text.includes("/"))
        return null;
    const halves = text.split("::");
    if (halves.length > 2)
        return null;
    const head = parseHextets(halves[0] ?? "");
    const tail = halves.length === 2 ? parseHextets(halves[1] ?? "") : [];
    if (head === null || tail === null)
        return null;
    const missing = 8 - head.length - tail.length;
    if (halves.length === 1 ? missing !== 0 : missing < 1)
        return null;
    const hextets = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
    return hextets.reduce((acc, h) => (acc << 16n) | BigInt(h), 0n);
}

export function parseAddress(text: string): ParsedAddress | null {
    const v4 = parseIPv4(text);
    if (v4 !== null)
        return { family: "inet", value: v4 };
    const v6 = text.includes(":") ? parseIPv6(text) : null;
    return v6 === null ? null : { family: "inet6", value: v6 };
}

export function familyBits(family: Family): number {
    return family === "inet" ? 32 : 128;
}

/** The first address of the prefix containing `value`. */
export function networkOf(value: bigint, prefix: number, family: Family): bigint {
    const host = familyBits(family) - prefix;
    return (value >> BigInt(host)) << BigInt(host);
}

/** The last address of the prefix (IPv4: the broadcast address). */
export function lastOf(value: bigint, prefix: number, family: Family): bigint {
    const host = BigInt(familyBits(family) - prefix);
    return networkOf(value, prefix, family) | ((1n << host) - 1n);
}

/** fe80::/10 */
export function isLinkLocal6(value: bigint): boolean {
    return (value >> 118n) === 0x3fan;
}

/** Unspecified (0.0.0.0, ::), loopback (127/8, ::1) or multicast (224/4, ff00::/8): never a next hop. */
export function cannotBeGateway({ family, value }: ParsedAddress): boolean {
    if (family === "inet")
        return value === 0n || (value >> 24n) === 127n || (value >> 28n) === 0xen;
    return value === 0n || value === 1n || (value >> 120n) === 0xffn;
}
