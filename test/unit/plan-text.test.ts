// SPDX-License-Identifier: LGPL-2.1-or-later

import { describe, expect, it } from "vitest";
import { describeChange } from "../../src/safe-apply/plan-text";
import type { ChangeFields, Family, PlanChange } from "../../src/types";
import { tableLabel } from "../../src/view-model";

const tables = [{ id: 10000, name: "gw-eth1" }, { id: 254, name: "main" }];
// the helper's text and fields (doc/helper-json.md "Plans"); describeChange reads only the fields
const change = (op: string, object: string, fields: ChangeFields, family: Family = "inet"): PlanChange =>
    ({ op, object, family, table: fields.table ?? 10000, text: `${object} ${op} …`, fields });
const ours = { dev: "eth1", table: 10000, protocol: 248 };

describe("describeChange", () => {
    it.each([
        [change("add", "route", { dst: "default", gateway: "10.0.2.1", ...ours }),
            "Add route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)"],
        [change("add", "route", { dst: "10.0.2.0/24", scope: "link", prefsrc: "10.0.2.10", ...ours }),
            "Add route: 10.0.2.0/24 on eth1 in table gw-eth1 (10000)"],
        [change("replace", "route", { dst: "default", gateway: "10.0.2.5", ...ours }),
            "Change route: default via 10.0.2.5 on eth1 in table gw-eth1 (10000)"],
        [change("del", "route", { dst: "default", gateway: "10.0.2.1", metric: 0, ...ours }),
            "Remove route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)"],
        [change("add", "rule", { priority: 31000, to: "10.0.2.0/24", action: "lookup", table: 10000, protocol: 248 }),
            "Add rule: traffic to 10.0.2.0/24 uses table gw-eth1 (10000) (priority 31000)"],
        [change("del", "rule", { priority: 31001, from: "10.0.2.0/24", action: "lookup", table: 10000, protocol: 248 }),
            "Remove rule: traffic from 10.0.2.0/24 uses table gw-eth1 (10000) (priority 31001)"],
        [change("add", "route", { dst: "default", gateway: "fe80::1", onlink: true, ...ours }, "inet6"),
            "Add route: default via fe80::1 on eth1 in table gw-eth1 (10000)"],
        [change("add", "rule", { priority: 30999, suppress_prefixlength: 0, action: "lookup", table: 254, protocol: 248 }),
            "Add rule: routes in table main more specific than a default route win over the networks' own gateways (containers, VPNs, directly connected networks keep working; priority 30999)"],
        [change("del", "rule", { priority: 30999, suppress_prefixlength: 0, action: "lookup", table: 254, protocol: 248 }, "inet6"),
            "Remove rule: routes in table main more specific than a default route win over the networks' own gateways (containers, VPNs, directly connected networks keep working; priority 30999)"],
        // one-off fixes: any type, selector and action
        [change("add", "route", { dst: "10.9.0.0/24", type: "blackhole", table: 300, protocol: 4 }),
            "Add route: blackhole 10.9.0.0/24 in table 300"],
        [change("add", "rule", { priority: 800, not: true, fwmark: "0x10/0xff", iif: "eth1", action: "lookup", table: 254 }),
            "Add rule: traffic not from all iif eth1 fwmark 0x10/0xff uses table main (priority 800)"],
        [change("del", "rule", { priority: 801, to: "10.9.0.0/16", action: "prohibit", protocol: 4 }),
            "Remove rule: priority 801 to 10.9.0.0/16 prohibit"],
    ])("%j", (c, text) => {
        expect(describeChange(c, tables)).toBe(text);
    });

    it("names an unknown table by its number", () => {
        expect(describeChange(change("add", "route", { dst: "default", gateway: "10.0.2.1", ...ours })))
            .toBe("Add route: default via 10.0.2.1 on eth1 in table 10000");
    });

    it("shows the helper's line when a change has no fields (an older helper)", () => {
        expect(describeChange({ op: "add", object: "route", text: "route add 10.9.0.0/24 dev eth1 table 300" }))
            .toBe("Add route: route add 10.9.0.0/24 dev eth1 table 300");
    });

    it("never reads the text", () => {
        const c = change("add", "route", { dst: "10.9.0.0/24", dev: "eth2", table: 300 });
        expect(describeChange({ ...c, text: "route add 10.1.1.0/24 dev eth9 table 9" })).toBe("Add route: 10.9.0.0/24 on eth2 in table 300");
    });
});

describe("one table name everywhere", () => {
    it("names a table by name and number, the system's tables by name, unnamed ones by number", () => {
        expect(tableLabel(10000, "gw-eth1")).toBe("gw-eth1 (10000)");
        expect(tableLabel(254, "main")).toBe("main");
        expect(tableLabel(300, "300")).toBe("300");
        expect(tableLabel(300)).toBe("300");
    });

    it("a table the change creates has the name the helper gives it, as when it is removed", () => {
        const add = { op: "add", object: "route", family: "inet" as const, table: 10001, table_name: "gw-eth2",
                      text: "route add default via 10.0.3.1 dev eth2 table 10001 proto 248",
                      fields: { dst: "default", gateway: "10.0.3.1", dev: "eth2", table: 10001, protocol: 248 } };
        const del = { ...add, op: "del", text: add.text.replace(" add ", " del ") };
        expect(describeChange(add, [])).toBe("Add route: default via 10.0.3.1 on eth2 in table gw-eth2 (10001)");
        expect(describeChange(del, [{ id: 10001, name: "gw-eth2" }])).toBe("Remove route: default via 10.0.3.1 on eth2 in table gw-eth2 (10001)");
    });
});
