// SPDX-License-Identifier: LGPL-2.1-or-later
// One route to cells, owner and text; every field optional. (The delete arguments are the
// helper's: test/helper/test_delete_fields.py, test/integration/test_delete_args.py.)

import { describe, expect, it } from "vitest";
import { ROUTE_COLUMNS } from "../../src/tables/route-columns";
import { routeText } from "../../src/tables/route-text";
import type { Route } from "../../src/types";

const cells = (route: Route) => Object.fromEntries(ROUTE_COLUMNS.map(c => [c.id, c.cell(route)]));
const defaults = (route: Route) => ROUTE_COLUMNS.filter(c => c.isDefault?.(route) === true).map(c => c.id);

describe("route view", () => {
    it("renders a route without any optional field", () => {
        // ip leaves out the kernel's defaults: the cells say them (muted) instead of looking empty
        expect(cells({})).toEqual({ dst: "default", gateway: "", dev: "", src: "", metric: "0", protocol: "boot", scope: "global", type: "unicast", flags: "", owner: "" });
        expect(defaults({})).toEqual(["metric", "protocol", "scope", "type"]);
        expect(routeText({})).toBe("default");
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
        expect(cells({ type: "blackhole", dst: "10.9.0.0/16" }).type).toBe("blackhole");
        expect(defaults(route)).toEqual(["type"]); // unicast is the default type
        expect(cells({ metric: 0 }).metric).toBe("0");
        expect(cells({ nhid: 7 }).gateway).toBe("next hop object 7");
    });

    it("writes a route in ip's words with names", () => {
        const route: Route = {
            type: "unicast", dst: "10.77.0.0/16", gateway: "10.0.2.1", dev: "eth1", protocol: "static", metric: 10,
            prefsrc: "10.0.2.10", scope: "global", flags: ["onlink"],
        };
        expect(routeText(route)).toBe("10.77.0.0/16 via 10.0.2.1 dev eth1 src 10.0.2.10 metric 10 proto static scope global onlink");
    });
});
