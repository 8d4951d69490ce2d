// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's command line, spelled once (src/client/helper-args.ts): what each builder sends,
// and that no other module of the page spells an option.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
    confirmWithin, dryRun, exportArgs, gatewayArgs, json, lookupArgs, routesArgs, routesDeleteArgs, statusArgs,
} from "../../src/client/helper-args";

describe("helper arguments", () => {
    it("wraps any command: --json last, --dry-run, --confirm-within N", () => {
        expect(json(dryRun(["set", "eth1", "10.0.2.1"]))).toEqual(["set", "eth1", "10.0.2.1", "--dry-run", "--json"]);
        expect(confirmWithin(["rule", "del", "--priority", "5"], 20)).toEqual(["rule", "del", "--priority", "5", "--confirm-within", "20"]);
    });

    it("spells the reading commands", () => {
        expect(statusArgs()).toEqual(["status"]);
        expect(statusArgs({ routeCounts: false })).toEqual(["status", "--no-route-counts"]);
        expect(routesArgs(300, { offset: 200, limit: 100, filter: "10.1.", sort: "metric", reverse: true })).toEqual(
            ["routes", "300", "--offset", "200", "--limit", "100", "--filter", "10.1.", "--sort", "metric", "--reverse"]);
        expect(routesArgs(254, { offset: 0, limit: 100, filter: "", sort: null })).toEqual(["routes", "254", "--offset", "0", "--limit", "100"]);
        expect(routesArgs(254, { offset: 0, limit: 100, owner: "dhcp" })).toEqual(["routes", "254", "--offset", "0", "--limit", "100", "--owner", "dhcp"]);
        expect(routesArgs(254, { offset: 0, limit: 100, owner: "" })).toEqual(["routes", "254", "--offset", "0", "--limit", "100"]);
        expect(lookupArgs({ to: "10.0.9.2", from: "10.0.2.10", fwmark: " 0x10 ", iif: "" })).toEqual(
            ["lookup", "10.0.9.2", "--from", "10.0.2.10", "--fwmark", "0x10"]);
        expect(exportArgs("networkd", true)).toEqual(["export", "--format", "networkd", "--include-dhcp"]);
    });

    it("deletes several routes in one change with the helper's own delete arguments", () => {
        const a = ["route", "del", "10.9.0.0/24", "--table", "300", "--foreign"];
        const b = ["route", "del", "fd00:9::/64", "--table", "300"];
        expect(routesDeleteArgs([a, b])).toEqual(["route", "del", "--many", JSON.stringify([a, b])]);
    });

    it("sets a gateway, or removes the one of a family", () => {
        expect(gatewayArgs({ iface: "eth1", family: "inet", gateway: "10.0.2.1" })).toEqual(["set", "eth1", "10.0.2.1"]);
        expect(gatewayArgs({ iface: "eth1", family: "inet6", gateway: null })).toEqual(["unset", "eth1", "--family", "inet6"]);
    });
});

const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

it("no other module of the page spells an option of the helper", () => {
    const src = path.resolve(__dirname, "../../src");
    const offenders: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory())
                walk(file);
            else if (/\.tsx?$/.test(entry.name) && !file.endsWith(path.join("client", "helper-args.ts")) &&
                     /["'`]--[a-z]/.test(withoutComments(fs.readFileSync(file, "utf-8"))))
                offenders.push(path.relative(src, file));
        }
    };
    walk(src);
    expect(offenders).toEqual([]);
});
