// SPDX-License-Identifier: LGPL-2.1-or-later
// One route to cells, owner, text and the exact delete arguments; every field optional.

import { describe, expect, it } from "vitest";
import { ROUTE_COLUMNS } from "../../src/tables/route-columns";
import { routeDeleteArgs } from "../../src/client/helper-args";
import { isOurRoute, routeFamily, routeText } from "../../src/tables/route-text";
import type { Route } from "../../src/types";

const cells = (route: Route) => Object.fromEntries(ROUTE_COLUMNS.map(c => [c.id, c.cell(route)]));
const defaults = (route: Route) => ROUTE_COLUMNS.filter(c => c.isDefault?.(route) === true).map(c => c.id);

describe("route view", () => {
    it("renders a route without any optional field", () => {
        // ip leaves out the kernel's defaults: the cells say them (muted) instead of looking empty
        expect(cells({})).toEqual({ dst: "default", gateway: "", dev: "", src: "", metric: "0", protocol: "boot", scope: "global", type: "unicast", flags: "", owner: "" });
        expect(defaults({})).toEqual(["metric", "protocol", "scope", "type"]);
        expect(routeText({})).toBe("default");
        expect(routeDeleteArgs({}, 300)).toEqual(["route", "del", "default", "--table", "300"]);
    });

    it("renders every field, multipath next hops and flags", () => {
        const route: Route = {
            type: "unicast", dst: "10.100.0.0/16", dev: "eth1", protocol: "bird", scope: "global", metric: 5,
            flags: ["linkdown"],
            nexthops: [{ gateway: "10.0.2.1", dev: "eth1", weight: 1 }, { gateway: "10.0.3.1", dev: "eth2", weight: 2, flags: ["onlink"] }],
        };
        expect(cells(route)).toMatchObject({
            dst: "10.100.0.0/16", gateway: "via 10.0.2.1 on eth1 weight 1; via 10.0.3.1 on eth2 weight 2",
            dev: "eth1", metric: "5", protocol: "bird", flags: "linkdown, onlink",
        });
        expect(routeDeleteArgs(route, 300)).toBeNull(); // the helper cannot name a multipath route
        expect(cells({ type: "blackhole", dst: "10.9.0.0/16" }).type).toBe("blackhole");
        expect(defaults(route)).toEqual(["type"]); // unicast is the default type
        expect(cells({ metric: 0 }).metric).toBe("0");
        expect(cells({ nhid: 7 }).gateway).toBe("next hop object 7");
    });

    it("knows our routes by their protocol", () => {
        expect(isOurRoute({ protocol: "cockpit-gateways" })).toBe(true);
        expect(isOurRoute({ protocol: 248 })).toBe(true);
        expect(isOurRoute({ protocol: "static" })).toBe(false);
        expect(isOurRoute({})).toBe(false);
    });

    it("names exactly one route for delete: every attribute it has", () => {
        const route: Route = {
            type: "unicast", dst: "10.77.0.0/16", gateway: "10.0.2.1", dev: "eth1", protocol: "static", metric: 10,
            prefsrc: "10.0.2.10", scope: "global", flags: ["onlink"],
        };
        expect(routeDeleteArgs(route, 300)).toEqual([
            "route", "del", "10.77.0.0/16", "--table", "300", "--via", "10.0.2.1", "--dev", "eth1", "--metric", "10",
            "--src", "10.0.2.10", "--scope", "global", "--proto", "static", "--onlink",
        ]);
        expect(routeText(route)).toBe("10.77.0.0/16 via 10.0.2.1 dev eth1 src 10.0.2.10 metric 10 proto static scope global onlink");
        expect(routeDeleteArgs({ type: "unreachable", dst: "default", gateway: "fd00::1" }, 5)).toEqual(
            ["route", "del", "default", "--table", "5", "--family", "inet6", "--type", "unreachable", "--via", "fd00::1"]);
    });

    it("tells the family from any address", () => {
        expect(routeFamily({ dst: "fd00:3::/64" })).toBe("inet6");
        expect(routeFamily({ dst: "default", gateway: "10.0.2.1" })).toBe("inet");
        expect(routeFamily({ dst: "default" })).toBeNull();
    });
});
