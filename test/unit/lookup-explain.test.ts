// SPDX-License-Identifier: LGPL-2.1-or-later

import { describe, expect, it } from "vitest";
import { explainLookup } from "../../src/lookup/lookup-explain";
import type { LookupResult, Route } from "../../src/types";

const route = (dst: string): Route => ({ dst, type: "unicast", flags: [], text: dst });

describe("explainLookup", () => {
    it("names the rule, the table, the route and where the packet leaves", () => {
        const result: LookupResult = {
            route: { dst: "10.0.9.2", gateway: "10.0.2.1", dev: "eth1" }, table: 10000, table_name: "gw-eth1",
            rule: { priority: 31001 }, matched_route: route("default"),
        };
        expect(explainLookup(result)).toBe(
            "Rule 31001 sends this packet to table gw-eth1 (10000), and its default route answers: it leaves via 10.0.2.1 on eth1.");
    });

    it("a directly connected destination, a local one, and a route type", () => {
        expect(explainLookup({ route: { dev: "eth0" }, table: 254, table_name: "main", rule: { priority: 32766 },
            matched_route: route("10.0.1.0/24") }))
            .toBe("Rule 32766 sends this packet to table main, and its route 10.0.1.0/24 answers: it leaves directly on eth0.");
        expect(explainLookup({ route: { dev: "lo", type: "local" }, table: 255, table_name: "local", rule: { priority: 0 } }))
            .toBe("Rule 0 sends this packet to table local, and a route answers: it is delivered to this host.");
        expect(explainLookup({ route: { type: "unreachable" }, table: 300, rule: null, matched_route: route("10.7.0.0/16") }))
            .toBe("Table 300 answers this packet with its route 10.7.0.0/16: the route's type is unreachable.");
    });

    it("no route at all", () => {
        expect(explainLookup({ route: null, table: null, rule: null }))
            .toBe("The kernel finds no route for this packet: the host drops it.");
    });
});
