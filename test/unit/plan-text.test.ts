// SPDX-License-Identifier: LGPL-2.1-or-later

import { describe, expect, it } from "vitest";
import { describeChange } from "../../src/safe-apply/plan-text";
import type { Family, PlanChange } from "../../src/types";
import { tableLabel } from "../../src/view-model";

const tables = [{ id: 10000, name: "gw-eth1" }, { id: 254, name: "main" }];
const suppress = (op: string, family: Family, text: string): PlanChange => ({ op, object: "rule", family, text });
const change = (op: string, object: string, text: string): PlanChange => ({ op, object, family: "inet", table: 10000, text });

describe("describeChange", () => {
    it.each([
        [change("add", "route", "route add default via 10.0.2.1 dev eth1 table 10000 proto 248"),
            "Add route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)"],
        [change("add", "route", "route add 10.0.2.0/24 dev eth1 table 10000 proto 248 scope link src 10.0.2.10"),
            "Add route: 10.0.2.0/24 on eth1 in table gw-eth1 (10000)"],
        [change("replace", "route", "route replace default via 10.0.2.5 dev eth1 table 10000 proto 248"),
            "Change route: default via 10.0.2.5 on eth1 in table gw-eth1 (10000)"],
        [change("del", "route", "route del default via 10.0.2.1 dev eth1 table 10000 proto 248 metric 0"),
            "Remove route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)"],
        [change("add", "rule", "rule add priority 31000 to 10.0.2.0/24 table 10000 protocol 248"),
            "Add rule: traffic to 10.0.2.0/24 uses table gw-eth1 (10000) (priority 31000)"],
        [change("del", "rule", "rule del priority 31001 from 10.0.2.0/24 table 10000 protocol 248"),
            "Remove rule: traffic from 10.0.2.0/24 uses table gw-eth1 (10000) (priority 31001)"],
        [change("add", "route", "route add default via fe80::1 dev eth1 table 10000 proto 248 onlink"),
            "Add route: default via fe80::1 on eth1 in table gw-eth1 (10000)"],
        [suppress("add", "inet", "rule add priority 30999 suppress_prefixlength 0 table 254 protocol 248"),
            "Add rule: routes in table main more specific than a default route win over the networks' own gateways (containers, VPNs, directly connected networks keep working; priority 30999)"],
        [suppress("del", "inet6", "-6 rule del priority 30999 suppress_prefixlength 0 table main protocol 248"),
            "Remove rule: routes in table main more specific than a default route win over the networks' own gateways (containers, VPNs, directly connected networks keep working; priority 30999)"],
    ])("%j", (c, text) => {
        expect(describeChange(c, tables)).toBe(text);
    });

    it("names an unknown table by its number", () => {
        expect(describeChange(change("add", "route", "route add default via 10.0.2.1 dev eth1 table 10000 proto 248")))
            .toBe("Add route: default via 10.0.2.1 on eth1 in table 10000");
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
                      text: "route add default via 10.0.3.1 dev eth2 table 10001 proto 248" };
        const del = { ...add, op: "del", text: add.text.replace(" add ", " del ") };
        expect(describeChange(add, [])).toBe("Add route: default via 10.0.3.1 on eth2 in table gw-eth2 (10001)");
        expect(describeChange(del, [{ id: 10001, name: "gw-eth2" }])).toBe("Remove route: default via 10.0.3.1 on eth2 in table gw-eth2 (10001)");
    });
});
