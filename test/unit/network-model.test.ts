// SPDX-License-Identifier: LGPL-2.1-or-later

import { describe, expect, it } from "vitest";
import { filterRows, networkRows, sortRows } from "../../src/networks/network-model";
import type { Interface, Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

const status = lab as Status;
const rows = () => networkRows(status.interfaces ?? [], status.default_routes ?? []);

describe("networkRows", () => {
    it("one row per interface and family with an address, no loopback", () => {
        expect(rows().map(r => r.key)).toEqual(["eth0/inet", "eth0/inet6", "eth1/inet", "eth1/inet6"]);
        const eth0 = rows()[0];
        expect(eth0?.hostDefault).toEqual({ address: "10.0.1.1" });
        expect(eth0?.routing).toBe("off");
        expect(eth0?.editable).toBe(true);
    });

    it("DHCP rows are read-only; missing and drift are repairable", () => {
        const ifaces: Interface[] = [{
            name: "eth2", addresses: [{ family: "inet", address: "10.0.5.9", prefix: 24, dynamic: true }],
            gateways: [{ family: "inet", address: "10.0.5.1", source: "dhcp", state: "drift" }],
        }, {
            name: "eth3", addresses: [{ family: "inet", address: "10.0.6.9", prefix: 24 }],
            gateways: [{ family: "inet", address: "10.0.6.1", source: "static", state: "missing" }],
        }];
        const [dhcp, stat] = networkRows(ifaces, []);
        expect(dhcp).toMatchObject({ method: "dhcp", editable: false, repairable: true, routing: "drift" });
        expect(stat).toMatchObject({ method: "static", editable: true, repairable: true, routing: "missing" });
    });

    it("filters by every word, and sorts stably both ways", () => {
        expect(filterRows(rows(), "eth1 ipv6").map(r => r.key)).toEqual(["eth1/inet6"]);
        expect(filterRows(rows(), "10.0.1.1").map(r => r.key)).toEqual(["eth0/inet"]);
        expect(filterRows(rows(), "  ").length).toBe(4);
        expect(sortRows(rows(), "interface", "desc").map(r => r.key)).toEqual(["eth1/inet", "eth1/inet6", "eth0/inet", "eth0/inet6"]);
        expect(sortRows(rows(), "gateway", "asc")[0]?.key).toBe("eth0/inet");
    });
});
