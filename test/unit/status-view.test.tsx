// SPDX-License-Identifier: LGPL-2.1-or-later
// The Networks view rendered from a status like the lab's, checked by what a user sees
// (the inspection views: inspect-views.test.tsx).

import { render, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { StatusView } from "../../src/app";
import type { Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

const labStatus = lab as Status;

function rowOf(table: HTMLElement, name: string): HTMLElement {
    const row = within(table).getAllByRole("row").find(r =>
        within(r).queryAllByRole("rowheader").some(h => h.textContent === name) || within(r).queryByText(name, { exact: true }) !== null);
    if (row === undefined)
        throw new Error(`no row for ${name}`);
    return row;
}

describe("networks", () => {
    it("has one row per interface and family, without loopback", () => {
        render(<StatusView status={labStatus} />);
        const table = screen.getByRole("table", { name: "Networks" });
        const rows = within(table).getAllByRole("row").slice(1);
        expect(rows.map(r => within(r).getByRole("rowheader").textContent)).toEqual(
            ["eth0 IPv4", "eth0 IPv6", "eth1 IPv4", "eth1 IPv6"]);

        const eth0 = rowOf(table, "eth0 IPv6");
        expect(eth0.textContent).toContain("fd00:1::10/64");
        expect(eth0.textContent).toContain("fe80::ff:fe00:110/64");
        expect(within(eth0).getByText("link-local")).toBeTruthy();
        expect(within(eth0).getByText("Up")).toBeTruthy();
        expect(within(eth0).getByText("Static")).toBeTruthy();
        expect(within(eth0).getByText("Off")).toBeTruthy();
        expect(rowOf(table, "eth1 IPv4").textContent).toContain("10.0.2.10/24");
    });

    it("marks the interface with the host's default gateway", () => {
        render(<StatusView status={labStatus} />);
        const table = screen.getByRole("table", { name: "Networks" });
        const eth0 = rowOf(table, "eth0 IPv4");
        expect(within(eth0).getByText("10.0.1.1")).toBeTruthy();
        expect(within(eth0).getByText("Host default gateway")).toBeTruthy();
        const eth1 = rowOf(table, "eth1 IPv4");
        expect(within(eth1).queryByText("Host default gateway")).toBeNull();
        expect(within(eth1).getByText("—")).toBeTruthy();
    });

    it("shows DHCP gateways read-only, with their state", () => {
        const status: Status = {
            ...labStatus,
            interfaces: [{
                name: "eth1", index: 3, state: "up",
                addresses: [{ family: "inet", address: "10.0.2.50", prefix: 24, dynamic: true }],
                gateways: [{ family: "inet", address: "10.0.2.1", source: "dhcp", state: "missing" }],
            }],
        };
        render(<StatusView status={status} admin />);
        const eth1 = rowOf(screen.getByRole("table", { name: "Networks" }), "eth1 IPv4");
        expect(within(eth1).getByText("DHCP")).toBeTruthy();
        expect(within(eth1).getByText("10.0.2.1")).toBeTruthy();
        expect(within(eth1).getByText("from DHCP")).toBeTruthy();
        expect(within(eth1).getByText("Missing")).toBeTruthy();
        expect(within(eth1).queryByRole("button", { name: /gateway of/ })).toBeNull();
        expect(within(eth1).getByRole("button", { name: "Repair source routing of eth1 IPv4" })).toBeTruthy();
    });
});

describe("empty lists and alerts", () => {
    it("shows empty states for an empty status", () => {
        render(<StatusView status={{}} />);
        expect(screen.getByText("No networks")).toBeTruthy();
        expect(screen.queryByRole("table")).toBeNull();
    });

    it("shows the helper's warnings and drift", () => {
        render(<StatusView status={{ ...labStatus, warnings: ["systemd-networkd removes foreign rules"],
                                     drift: { missing: ["route add …", "rule add …"], extra: [] } }} />);
        expect(screen.getByText("systemd-networkd removes foreign rules")).toBeTruthy();
        expect(screen.getByText("2 routing objects differ from the saved configuration")).toBeTruthy();
    });
});
