// SPDX-License-Identifier: LGPL-2.1-or-later
// Pure validators and argument builders of the one-off fixes, and the lookup form.

import { describe, expect, it } from "vitest";
import { emptyRouteForm, routeFormArgs, validateRouteForm, type RouteForm } from "../../src/tables/route-form";
import { emptyRuleForm, ruleFamily, ruleFormArgs, ruleTable, validateRuleForm, type RuleForm } from "../../src/rules/rule-form";
import {
    familyOf, hasErrors, helperFieldError, parsePrefix, validateDestination, validateDevice, validateFwmark, validateSelector, validateTable, validateU32, validateVia, METRIC_MESSAGES, PRIORITY_MESSAGES,
} from "../../src/fixes/fix-validators";
import { parseLocation } from "../../src/cockpit/location";
import { newRuleProblems } from "../../src/rules/rule-checks";
import { explainKernelError } from "../../src/fixes/kernel-messages";
import { lookupOptions, lookupQuery, validateLookup } from "../../src/lookup/lookup-form";
import type { Interface, RoutingTable } from "../../src/types";

const tables: RoutingTable[] = [{ id: 254, name: "main" }, { id: 10000, name: "gw-eth1" }];
const interfaces: Interface[] = [
    { name: "eth0", addresses: [{ family: "inet", address: "10.0.1.10", prefix: 24 }] },
    { name: "eth1", addresses: [{ family: "inet", address: "10.0.2.10", prefix: 24 }, { family: "inet6", address: "fd00:2::10", prefix: 64 }] },
];
const ctx = { tables, interfaces };

describe("fix validators", () => {
    it("destinations: networks, hosts, default; no host bits", () => {
        expect(validateDestination("10.0.3.0/24")).toBeUndefined();
        expect(validateDestination("fd00:3::/64")).toBeUndefined();
        expect(validateDestination("10.0.3.7")).toBeUndefined();
        expect(validateDestination("default")).toBeUndefined();
        expect(validateDestination("")).toMatch(/Enter a destination/);
        expect(validateDestination("10.0.3.0/33")).toMatch(/Enter a network/);
        expect(validateDestination("10.0.3.1/24")).toMatch(/bits set after the prefix/);
        expect(validateDestination("10.0.3/24")).toMatch(/Enter a network/);
        expect(parsePrefix("10.0.0.0/8")?.prefix).toBe(8);
        expect(familyOf("default")).toBeNull();
        expect(familyOf("fd00::/8")).toBe("inet6");
    });

    it("gateways in the destination's family", () => {
        expect(validateVia("", "inet")).toBeUndefined();
        expect(validateVia("10.0.2.1", "inet")).toBeUndefined();
        expect(validateVia("10.0.2.1", null)).toBeUndefined();
        expect(validateVia("fd00::1", "inet")).toBe("The destination is IPv4: enter an IPv4 address.");
        expect(validateVia("10.0.2.1/24", "inet")).toMatch(/without a prefix/);
        expect(validateVia("router", "inet")).toMatch(/IPv4 or IPv6/);
    });

    it("numbers, tables, devices, marks, selectors", () => {
        expect(validateU32("4294967295", METRIC_MESSAGES)).toBeUndefined();
        expect(validateU32("4294967296", METRIC_MESSAGES)).toBe("The metric is a whole number from 0 to 4294967295.");
        expect(validateU32("-1", METRIC_MESSAGES)).toBeDefined();
        expect(validateU32("", PRIORITY_MESSAGES, { required: true })).toBe("Enter the priority.");
        expect(validateU32("0", PRIORITY_MESSAGES, { required: true, min: 1 })).toBe("The priority is a whole number from 1 to 4294967295.");
        expect(validateTable("300", tables)).toBeUndefined();
        expect(validateTable("gw-eth1", tables)).toBeUndefined();
        expect(validateTable("0", tables)).toMatch(/from 1/);
        expect(validateTable("vpn", tables)).toBe("No table is named vpn; enter a number to use a new table.");
        expect(validateDevice("eth1", interfaces)).toBeUndefined();
        expect(validateDevice("eth9", interfaces)).toBe("There is no device eth9 on this host.");
        expect(validateFwmark("0x10/0xff")).toBeUndefined();
        expect(validateFwmark("16")).toBeUndefined();
        expect(validateFwmark("0x10/")).toBeDefined();
        expect(validateFwmark("mark")).toBeDefined();
        expect(validateSelector("all")).toBeUndefined();
        expect(validateSelector("10.0.2.0/24")).toBeUndefined();
        expect(validateSelector("10.0.2.0/40")).toBeDefined();
    });
});

describe("add route form", () => {
    const form: RouteForm = { ...emptyRouteForm("300"), dest: "10.123.0.0/16", via: "10.0.2.1" };

    it("builds the helper's arguments from a valid form", () => {
        expect(hasErrors(validateRouteForm(form, ctx))).toBe(false);
        expect(routeFormArgs(form)).toEqual(["route", "add", "10.123.0.0/16", "--table", "300", "--via", "10.0.2.1"]);
        expect(routeFormArgs({ ...form, dev: "eth1", metric: "5", keep: true })).toEqual(
            ["route", "add", "10.123.0.0/16", "--table", "300", "--via", "10.0.2.1", "--dev", "eth1", "--metric", "5", "--keep"]);
        expect(routeFormArgs({ ...form, dest: "default", via: "fd00:2::1" })).toContain("inet6");
        expect(routeFormArgs({ ...form, type: "blackhole" })).toEqual(["route", "add", "10.123.0.0/16", "--table", "300", "--type", "blackhole"]);
    });

    it("refuses the host's own address as gateway, and one the kernel cannot reach, saying what to do", () => {
        expect(validateRouteForm({ ...form, via: "10.0.2.10" }, ctx).via).toBe(
            "10.0.2.10 is this host's own address (on eth1): enter the router's address.");
        expect(validateRouteForm({ ...form, via: "10.0.5.1" }, ctx).via).toMatch(/^10\.0\.5\.1 is on none of this host's networks.*tick On-link/);
        expect(validateRouteForm({ ...form, via: "10.0.2.1", dev: "eth0" }, ctx).via).toMatch(/^10\.0\.2\.1 is not on a network of eth0\./);
        expect(validateRouteForm({ ...form, via: "10.0.2.1", dev: "eth1" }, ctx).via).toBeUndefined();
        // on-link: the admin says the device reaches it; it needs the device
        expect(validateRouteForm({ ...form, via: "10.0.5.1", onlink: true }, ctx).via).toMatch(/Choose the device/);
        expect(hasErrors(validateRouteForm({ ...form, via: "10.0.5.1", dev: "eth1", onlink: true }, ctx))).toBe(false);
        expect(routeFormArgs({ ...form, via: "10.0.5.1", dev: "eth1", onlink: true })).toContain("--onlink");
        expect(validateRouteForm({ ...form, dest: "fd00:9::/64", via: "fe80::1", dev: "eth1" }, ctx).via).toBeUndefined();
        expect(validateRouteForm({ ...form, dest: "fd00:9::/64", via: "fd00:2::1" }, ctx).via).toBeUndefined();
    });

    it("says the kernel's refusals in words, at their field, keeping the kernel's own", () => {
        const refusal = "`ip route add 10.123.0.0/16 via 10.0.5.1 table 300 proto 4` failed: Error: Nexthop has invalid gateway.";
        expect(explainKernelError(refusal)).toEqual({
            field: "via",
            message: expect.stringMatching(/^The kernel cannot reach this gateway directly.*\(The kernel said: Nexthop has invalid gateway\)$/) as string,
        });
        expect(explainKernelError("`ip route add …` failed: RTNETLINK answers: Device for nexthop is not up")?.field).toBe("dev");
        expect(explainKernelError("`ip route add …` failed: Error: something new.")).toBeNull();
        expect(explainKernelError("route: it exists already")).toBeNull();
        expect(explainKernelError(null)).toBeNull();
    });

    it("names every bad field", () => {
        const errors = validateRouteForm({ ...form, table: "vpn", dest: "10.0.0.1/8", via: "fd00::1", dev: "eth9", metric: "x" }, ctx);
        expect(Object.keys(errors).sort()).toEqual(["dest", "dev", "metric", "table", "via"]);
        expect(validateRouteForm({ ...form, via: "", dev: "" }, ctx).via).toBe("Enter a gateway, a device, or both.");
        expect(validateRouteForm({ ...form, dest: "10.0.0.0/8", via: "fd00::1" }, ctx).via).toMatch(/IPv4/);
        expect(hasErrors(validateRouteForm({ ...form, type: "unreachable", via: "", dev: "" }, ctx))).toBe(false);
    });
});

describe("add route form: more options", () => {
    const form: RouteForm = { ...emptyRouteForm("300"), dest: "10.123.0.0/16", via: "10.0.2.1" };

    it("sends source, scope and protocol; the source must be this host's, in the route's family", () => {
        expect(routeFormArgs({ ...form, dev: "eth1", src: "10.0.2.10", scope: "link", proto: "boot" })).toEqual(
            ["route", "add", "10.123.0.0/16", "--table", "300", "--via", "10.0.2.1", "--dev", "eth1",
             "--src", "10.0.2.10", "--scope", "link", "--proto", "boot"]);
        expect(hasErrors(validateRouteForm({ ...form, src: "10.0.2.10", proto: "0x10" }, ctx))).toBe(false);
        expect(validateRouteForm({ ...form, src: "10.0.2.99" }, ctx).src).toBe("10.0.2.99 is not an address of this host.");
        expect(validateRouteForm({ ...form, src: "fd00:2::10" }, ctx).src).toMatch(/IPv4/);
        expect(validateRouteForm({ ...form, proto: "248" }, ctx).proto).toMatch(/cockpit-gateways' own/);
        // a default route's family may come from its source; a blackhole has no source
        expect(routeFormArgs({ ...form, dest: "default", via: "", dev: "eth1", src: "fd00:2::10" })).toContain("inet6");
        expect(routeFormArgs({ ...form, type: "blackhole", src: "10.0.2.10", scope: "host" })).toEqual(
            ["route", "add", "10.123.0.0/16", "--table", "300", "--type", "blackhole", "--scope", "host"]);
    });
});

describe("add rule form", () => {
    const form: RuleForm = { ...emptyRuleForm(), priority: "1000", from: "10.0.2.0/24", table: "300" };

    it("builds the helper's arguments", () => {
        expect(ruleFormArgs(form)).toEqual(["rule", "add", "--priority", "1000", "--from", "10.0.2.0/24", "--family", "inet", "--table", "300"]);
        expect(ruleFormArgs({ ...form, from: "all", iif: "eth1", fwmark: "0x1", keep: true })).toEqual(
            ["rule", "add", "--priority", "1000", "--iif", "eth1", "--fwmark", "0x1", "--family", "inet", "--table", "300", "--keep"]);
        // no address says the family: the admin's choice goes to the helper, never a silent IPv4
        expect(ruleFormArgs({ ...form, from: "", family: "inet6" })).toEqual(
            ["rule", "add", "--priority", "1000", "--family", "inet6", "--table", "300"]);
        expect(ruleFamily({ ...form, family: "inet6" })).toEqual({ family: "inet", fixed: true });
        expect(ruleFamily({ ...form, from: "", to: "fd00::/8" })).toEqual({ family: "inet6", fixed: true });
        expect(ruleFamily({ ...form, from: "all", family: "inet6" })).toEqual({ family: "inet6", fixed: false });
    });

    it("sends every selector, not, and an action instead of a table", () => {
        const full = { ...form, from: "", oif: "eth1", ipproto: "tcp", sport: "1024-65534", dport: "443", uidrange: "1000-1999", not: true };
        expect(hasErrors(validateRuleForm(full, ctx))).toBe(false);
        expect(ruleFormArgs(full)).toEqual(["rule", "add", "--priority", "1000", "--oif", "eth1", "--ipproto", "tcp", "--sport", "1024-65534",
            "--dport", "443", "--uidrange", "1000-1999", "--family", "inet", "--table", "300", "--not"]);
        expect(ruleFormArgs({ ...form, action: "prohibit", table: "" })).toEqual(
            ["rule", "add", "--priority", "1000", "--from", "10.0.2.0/24", "--family", "inet", "--action", "prohibit"]);
        expect(validateRuleForm({ ...form, action: "blackhole", table: "" }, ctx).table).toBeUndefined();
        const bad = validateRuleForm({ ...form, oif: "eth9", ipproto: "tcpx", sport: "9-1", dport: "70000", uidrange: "5-1" }, ctx);
        expect(Object.keys(bad).sort()).toEqual(["dport", "ipproto", "oif", "sport", "uidrange"]);
    });

    it("flags a rule at an empty or missing table before it is added, per family", () => {
        const counted: RoutingTable[] = [{ id: 254, name: "main", routes: { inet: 3, inet6: 0 } }, { id: 300, name: "300", routes: { inet: 0, inet6: 2 } }];
        expect(newRuleProblems({ family: "inet", table: ruleTable(form, counted), iif: "" }, counted, interfaces))
            .toEqual(["Table 300 has no routes for this family"]);
        expect(newRuleProblems({ family: "inet6", table: ruleTable(form, counted), iif: "" }, counted, interfaces)).toEqual([]);
        expect(newRuleProblems({ family: "inet", table: ruleTable({ ...form, table: "777" }, counted), iif: "eth9" }, counted, interfaces))
            .toEqual(["Table 777 does not exist", "Device eth9 does not exist"]);
        expect(newRuleProblems({ family: "inet", table: ruleTable({ ...form, table: "main" }, counted), iif: "" }, counted, interfaces)).toEqual([]);
    });

    it("refuses mixed families, a missing priority, unknown devices", () => {
        expect(validateRuleForm({ ...form, to: "fd00::/8" }, ctx).to).toMatch(/cannot be mixed/);
        expect(validateRuleForm({ ...form, priority: "" }, ctx).priority).toBe("Enter the priority.");
        expect(validateRuleForm({ ...form, iif: "eth9" }, ctx).iif).toBeDefined();
        expect(hasErrors(validateRuleForm(form, ctx))).toBe(false);
    });
});

describe("lookup form and location", () => {
    it("validates and turns the form into a query", () => {
        expect(validateLookup({ to: "", from: "", iif: "", fwmark: "" }).to).toBe("Enter the destination address.");
        expect(validateLookup({ to: "10.0.9.2", from: "fd00::1", iif: "", fwmark: "" }).from).toMatch(/same family/);
        expect(lookupOptions({ to: " 10.0.9.2 ", from: "10.0.2.10", iif: "", fwmark: "" })).toEqual({ to: "10.0.9.2", from: "10.0.2.10" });
        expect(lookupQuery({ to: "10.0.9.2", iif: "eth1" })).toEqual({ to: "10.0.9.2", iif: "eth1" });
        expect(lookupQuery({ from: "10.0.2.10" })).toBeNull();
    });

    it("reads the view and the open table from the URL", () => {
        expect(parseLocation([], {})).toEqual({ view: "networks", table: null, options: {} });
        expect(parseLocation(["tables"], { table: "300" })).toEqual({ view: "tables", table: 300, options: {} });
        expect(parseLocation(["tables"], { table: "x" }).table).toBeNull();
        expect(parseLocation(["rules"], { table: "300" }).table).toBeNull();
        expect(parseLocation(["lookup"], { to: "10.0.9.2", from: ["10.0.2.10"] })).toEqual(
            { view: "lookup", table: null, options: { to: "10.0.9.2", from: "10.0.2.10" } });
        expect(parseLocation(["nonsense"], {}).view).toBe("networks");
    });
});

describe("the helper's refusal at its field", () => {
    const fields = ["from", "to", "table"] as const;
    it("finds the field the helper names, and its message", () => {
        expect(helperFieldError("from: 10.0.2.5/24 has host bits set; the network is 10.0.2.0/24", fields))
            .toEqual({ field: "from", message: "10.0.2.5/24 has host bits set; the network is 10.0.2.0/24" });
    });
    it("leaves other messages at the top", () => {
        expect(helperFieldError("rule: it exists already: --priority 5", fields)).toBeNull();
        expect(helperFieldError("Not permitted to perform this action.", fields)).toBeNull();
        expect(helperFieldError(null, fields)).toBeNull();
    });
    it("selectors: host bits set are refused at the field", () => {
        expect(validateSelector("10.0.2.5/24")).toMatch(/bits set after the prefix length/);
        expect(validateSelector("10.0.2.5")).toBeUndefined();
        expect(validateSelector("fd00:2::/64")).toBeUndefined();
    });
});
