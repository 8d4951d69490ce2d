// SPDX-License-Identifier: LGPL-2.1-or-later

import { describe, expect, it } from "vitest";
import { parseAddress, parseIPv4, parseIPv6 } from "../../src/ip-address";
import type { Address } from "../../src/types";
import { validateGateway } from "../../src/networks/gateway-validators";

const eth1: Address[] = [
    { family: "inet", address: "10.0.2.10", prefix: 24, network: "10.0.2.0/24", scope: "global" },
    { family: "inet", address: "192.168.5.1", prefix: 30, network: "192.168.5.0/30", scope: "global" },
    { family: "inet6", address: "fd00:2::10", prefix: 64, network: "fd00:2::/64", scope: "global" },
    { family: "inet6", address: "fe80::ff:fe00:210", prefix: 64, network: "fe80::/64", scope: "link" },
];

describe("address parsing", () => {
    it.each(["0.0.0.0", "10.0.2.1", "255.255.255.255"])("accepts IPv4 %s", a => expect(parseIPv4(a)).not.toBeNull());
    it.each(["", "10.0.2", "10.0.2.1.5", "256.0.0.1", "010.0.0.1", "10.0.0.-1", "a.b.c.d", "10..0.1", " 10.0.0.1"])(
        "rejects IPv4 %j", a => expect(parseIPv4(a)).toBeNull());
    it.each(["::", "::1", "fe80::1", "fd00:2::1", "2001:db8:0:0:0:0:0:1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7::"])(
        "accepts IPv6 %s", a => expect(parseIPv6(a)).not.toBeNull());
    it.each(["", ":", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth1", "12345::1", "g::1", "1:2:3:4:5:6:7:8::", "::1/64"])(
        "rejects IPv6 %j", a => expect(parseIPv6(a)).toBeNull());
    it("tells the families apart", () => {
        expect(parseAddress("10.0.2.1")?.family).toBe("inet");
        expect(parseAddress("fd00::1")?.family).toBe("inet6");
        expect(parseIPv6("::ffff:10.0.0.1")).toBe(0xffff0a000001n);
    });
});

describe("validateGateway", () => {
    it.each([
        ["10.0.2.1", "inet"], ["10.0.2.254", "inet"], [" 10.0.2.1 ", "inet"], ["192.168.5.2", "inet"],
        ["fd00:2::1", "inet6"], ["fe80::1", "inet6"], ["FD00:2::ABCD", "inet6"],
    ] as const)("accepts %j for %s", (value, family) => {
        expect(validateGateway(value, eth1, family)).toBeUndefined();
    });

    it.each([
        ["", "inet", "Enter the gateway's address."],
        ["10.0.2", "inet", "Enter an IPv4 address, e.g. 192.0.2.1."],
        ["10.0.2.1/24", "inet", "Enter an address without a prefix length."],
        ["fe80::1%eth1", "inet6", "Enter the address without a zone (the interface is implied)."],
        ["router", "inet6", "Enter an IPv6 address, e.g. 2001:db8::1."],
        ["fd00:2::1", "inet", "This network is IPv4: enter an IPv4 address."],
        ["10.0.2.1", "inet6", "This network is IPv6: enter an IPv6 address."],
        ["10.0.2.10", "inet", "This is the interface's own address; enter the router's address."],
        ["fd00:2::10", "inet6", "This is the interface's own address; enter the router's address."],
        ["fe80::ff:fe00:210", "inet6", "This is the interface's own address; enter the router's address."],
        ["10.0.2.0", "inet", "This is the network's own address; enter a host address."],
        ["10.0.2.255", "inet", "This is the network's broadcast address; enter a host address."],
        ["192.168.5.3", "inet", "This is the network's broadcast address; enter a host address."],
        ["fd00:2::", "inet6", "This is the network's own address; enter a host address."],
        ["10.0.3.1", "inet", "The gateway must be inside the interface's network (10.0.2.0/24, 192.168.5.0/30), or on this link: then tick “The gateway is on this link (on-link)”."],
        ["fd00:3::1", "inet6", "The gateway must be inside the interface's network (fd00:2::/64), or on this link: then tick “The gateway is on this link (on-link)”."],
    ] as const)("rejects %j for %s", (value, family, message) => {
        expect(validateGateway(value, eth1, family)).toBe(message);
    });

    it("needs an address of the family, except for link-local IPv6 routers", () => {
        const v4only = eth1.filter(a => a.family === "inet");
        expect(validateGateway("fd00:2::1", v4only, "inet6")).toBe("The interface has no address in this family, so no gateway can be reached.");
        expect(validateGateway("fe80::1", v4only, "inet6")).toBeUndefined();
    });

    it("accepts the other address of a /31 point-to-point link", () => {
        const p2p: Address[] = [{ family: "inet", address: "10.9.9.0", prefix: 31, scope: "global" }];
        expect(validateGateway("10.9.9.1", p2p, "inet")).toBeUndefined();
    });
});
