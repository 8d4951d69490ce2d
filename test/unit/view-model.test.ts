// SPDX-License-Identifier: LGPL-2.1-or-later

import { describe, expect, it } from "vitest";
import type { Address, Rule, RoutingTable } from "../../src/types";
import { ruleActionText, rulesByFamily, selectorText } from "../../src/rules/rule-text";
import {
    addressScope, addressText, interfaceStateLabel, routeCount, sortTables, tableKind, tableKindLabel,
} from "../../src/view-model";

const addr = (address: string, prefix: number, extra: Partial<Address> = {}): Address => ({
    family: address.includes(":") ? "inet6" : "inet", address, prefix, ...extra,
});

describe("selectorText", () => {
    it.each([
        [{ from: "all" }, "from all"],
        [undefined, "from all"],
        [{}, "from all"],
        [{ to: "10.0.2.0/24" }, "to 10.0.2.0/24"],
        [{ from: "10.0.2.0/24" }, "from 10.0.2.0/24"],
        [{ from: "all", iif: "eth1" }, "from all iif eth1"],
        [{ iif: "eth1", from: "all" }, "from all iif eth1"],
        [{ from: "all", fwmark: "0x1/0xff" }, "from all fwmark 0x1/0xff"],
        [{ from: "all", fwmark: "0x1", fwmask: "0xff" }, "from all fwmark 0x1/0xff"],
        [{ from: "all", not: true, to: "10.9.0.0/16" }, "not from all to 10.9.0.0/16"],
        [{ from: "all", uidrange: "1000-2000" }, "from all uidrange 1000-2000"],
        [{ from: "all", uid_start: 1000, uid_end: 1999 }, "from all uidrange 1000-1999"],
        [{ from: "all", ipproto: "tcp", dport: 443, sport: "1024-65535" }, "from all ipproto tcp sport 1024-65535 dport 443"],
        [{ from: "all", l3mdev: true }, "from all l3mdev"],
        [{ from: "all", oif: "eth0", tos: "0x10" }, "from all oif eth0 tos 0x10"],
        [{ from: "all", suppress_prefixlength: "0" }, "from all suppress_prefixlength 0"],
        [{ from: "all", protocol: 248 }, "from all"],
        [{ from: "all", not: false }, "from all"],
    ])("%j → %s", (selector, text) => {
        expect(selectorText(selector)).toBe(text);
    });
});

describe("rules", () => {
    const rule = (family: "inet" | "inet6", priority: number, extra: Partial<Rule> = {}): Rule =>
        ({ family, priority, table: 254, table_name: "main", action: "lookup", selector: { from: "all" }, ...extra });

    it("splits by family and sorts by priority", () => {
        const byFamily = rulesByFamily([rule("inet6", 32766), rule("inet", 32767), rule("inet", 0),
            rule("inet6", 0), rule("inet", 31000), rule("inet", 32766)]);
        expect(byFamily.inet.map(r => r.priority)).toEqual([0, 31000, 32766, 32767]);
        expect(byFamily.inet6.map(r => r.priority)).toEqual([0, 32766]);
    });

    it("keeps the kernel's order of rules with the same priority", () => {
        const a = rule("inet", 100, { selector: { from: "10.0.2.0/24" } });
        const b = rule("inet", 100, { selector: { to: "10.0.2.0/24" } });
        expect(rulesByFamily([a, b]).inet).toEqual([a, b]);
    });

    it("describes actions", () => {
        expect(ruleActionText(rule("inet", 0, { table: 255, table_name: "local" }))).toBe("lookup local");
        expect(ruleActionText({ family: "inet", priority: 5, table: 10003 })).toBe("lookup 10003");
        expect(ruleActionText(rule("inet", 5, { action: "goto", table: 31000, table_name: "x" }))).toBe("goto 31000");
        expect(ruleActionText({ family: "inet", priority: 5, action: "blackhole" })).toBe("blackhole");
        expect(ruleActionText({ family: "inet", priority: 5 })).toBe("—");
    });
});

describe("addresses", () => {
    it("writes address/prefix", () => {
        expect(addressText(addr("10.0.1.10", 24))).toBe("10.0.1.10/24");
        expect(addressText(addr("fd00:1::10", 64))).toBe("fd00:1::10/64");
    });

    it("names scopes other than global", () => {
        expect(addressScope(addr("10.0.1.10", 24, { scope: "global" }))).toBeNull();
        expect(addressScope(addr("10.0.1.10", 24))).toBeNull();
        expect(addressScope(addr("fe80::1", 64, { scope: "link" }))).toBe("link-local");
        expect(addressScope(addr("127.0.0.1", 8, { scope: "host" }))).toBe("host only");
    });

});

describe("interfaces", () => {
    it("labels operstates", () => {
        expect(interfaceStateLabel("up").text).toBe("Up");
        expect(interfaceStateLabel("lowerlayerdown").text).toBe("No carrier");
        expect(interfaceStateLabel(undefined).text).toBe("Unknown");
        expect(interfaceStateLabel("weird").text).toBe("weird");
    });

});

describe("tables", () => {
    const t = (id: number, extra: Partial<RoutingTable> = {}): RoutingTable => ({ id, ...extra });

    it("derives the kind when the helper does not send it", () => {
        expect(tableKind(t(254))).toBe("main");
        expect(tableKind(t(255))).toBe("local");
        expect(tableKind(t(253))).toBe("default");
        expect(tableKind(t(10003, { owned: true }))).toBe("ours");
        expect(tableKind(t(100))).toBe("foreign");
        expect(tableKind(t(100, { kind: "ours" }))).toBe("ours");
    });

    it("labels kinds", () => {
        expect(tableKindLabel("ours").text).toBe("Managed by Gateways");
        expect(tableKindLabel("foreign").text).toBe("Other");
        expect(tableKindLabel("main").text).toBe("System (main)");
    });

    it("sorts main first, local last", () => {
        const sorted = sortTables([t(255), t(253), t(254), t(10003, { owned: true }), t(100), t(10001, { kind: "ours" })]);
        expect(sorted.map(x => x.id)).toEqual([254, 10001, 10003, 100, 253, 255]);
    });

    it("counts routes, with a dash when unknown", () => {
        expect(routeCount(t(254, { routes: { inet: 3, inet6: 0 } }), "inet")).toBe("3");
        expect(routeCount(t(254, { routes: { inet: 3, inet6: 0 } }), "inet6")).toBe("0");
        expect(routeCount(t(254, { routes: { inet: 3 } }), "inet6")).toBe("—");
        expect(routeCount(t(254), "inet")).toBe("—");
    });
});
