// SPDX-License-Identifier: LGPL-2.1-or-later
// The Routing tables and Rules views rendered from a status like the lab's: what a user sees,
// what is flagged, and which actions exist with and without admin access.

import { act, fireEvent, render, screen, within } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { RulesView } from "../../src/rules/rules-view";
import { TablesView } from "../../src/tables/tables-view";
import type { Rule, Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

const labStatus = lab as Status;
/** Pick an owner as a user does (testing-library's change event does not reach preact's listener
 * on a <select> in happy-dom; a plain DOM event does). */
async function chooseOwner(value: string) {
    const select = screen.getByRole<HTMLSelectElement>("combobox", { name: "Filter by owner" });
    await act(() => {
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
    });
}
const WHY = "one of the kernel's own rules (local, main, default)";

describe("routing tables view", () => {
    it("lists tables with owner and route counts, main first, each a link to its routes", () => {
        render(<TablesView status={labStatus} open={null} admin={false} tick={0} onFix={vi.fn()} />);
        const table = screen.getByRole("table", { name: "Routing tables" });
        const rows = within(table).getAllByRole("row").slice(1);
        expect(rows.map(r => within(r).getByRole("rowheader").textContent)).toEqual(["main", "default", "local"]);
        const main = rows[0];
        expect(within(main).getByText("254")).toBeTruthy();
        expect(within(main).getByText("System (main)")).toBeTruthy();
        expect(within(main).getByText("3")).toBeTruthy();
        expect(within(main).getByText("4")).toBeTruthy();
        expect(within(main).getByRole("link", { name: "Open table main" }).getAttribute("href")).toBe("#/tables?table=254");
        expect(screen.queryByRole("button", { name: "Add route" })).toBeNull();
    });

    it("sorts by a column header", () => {
        render(<TablesView status={labStatus} open={null} admin tick={0} onFix={vi.fn()} />);
        fireEvent.click(screen.getByRole("button", { name: "Number" }));
        const rows = within(screen.getByRole("table", { name: "Routing tables" })).getAllByRole("row").slice(1);
        expect(rows.map(r => within(r).getByRole("rowheader").textContent)).toEqual(["default", "main", "local"]);
    });

    it("offers Add route with admin access", () => {
        const onFix = vi.fn();
        render(<TablesView status={labStatus} open={null} admin tick={0} onFix={onFix} />);
        fireEvent.click(screen.getByRole("button", { name: "Add route" }));
        expect(onFix).toHaveBeenCalledWith({ kind: "add-route" });
    });

    it("shows an empty state without tables", () => {
        render(<TablesView status={{}} open={null} admin={false} tick={0} onFix={vi.fn()} />);
        expect(screen.getByText("No routing tables")).toBeTruthy();
    });
});

describe("rules view", () => {
    it("lists rules per family in priority order, the system's three unflagged", () => {
        render(<RulesView status={labStatus} admin onFix={vi.fn()} />);
        for (const name of ["IPv4 rules", "IPv6 rules"]) {
            const rows = within(screen.getByRole("table", { name })).getAllByRole("row").slice(1);
            expect(rows.map(r => r.textContent)).toEqual([
                `0from alllookup localKernel${WHY}`,
                `32766from alllookup mainKernel${WHY}`,
                `32767from alllookup defaultKernel${WHY}`,
            ]);
        }
        expect(screen.queryByRole("button", { name: /^Delete/ })).toBeNull();
    });

    it("renders every selector, owners, problems, and Delete only where the helper gave delete arguments", () => {
        const status: Status = {
            ...labStatus,
            tables: [...labStatus.tables ?? [], { id: 300, name: "vpn", kind: "foreign", routes: { inet: 0, inet6: 2 } }],
            rules: [
                { family: "inet", priority: 31001, table: 10003, table_name: "gw-eth1", owned: true, action: "lookup", selector: { from: "10.0.2.0/24" }, owner: "cockpit-gateways", owner_why: "protocol 248" },
                { family: "inet", priority: 100, table: 100, owned: false, action: "lookup", selector: { from: "all", fwmark: "0x1/0xff" },
                  delete: ["rule", "del", "--priority", "100"] },
                { family: "inet", priority: 200, table: 300, table_name: "vpn", owned: false, action: "lookup",
                  selector: { not: true, from: "10.0.3.0/24", iif: "gone0", ipproto: "6", dport: "80", uidrange: "100-200" },
                  delete: ["rule", "del", "--priority", "200"] },
                { family: "inet", priority: 300, owned: false, action: "lookup", selector: { from: "all", l3mdev: true }, delete: null },
            ],
        };
        render(<RulesView status={status} admin onFix={vi.fn()} />);
        const rows = within(screen.getByRole("table", { name: "IPv4 rules" })).getAllByRole("row").slice(1);
        expect(rows.map(r => within(r).getAllByRole("cell")[1].textContent)).toEqual([
            "from all fwmark 0x1/0xff",
            "not from 10.0.3.0/24 iif gone0 ipproto 6 dport 80 uidrange 100-200",
            "from all l3mdev",
            "from 10.0.2.0/24",
        ]);
        expect(within(rows[0]).getByText("Table 100 does not exist")).toBeTruthy();
        expect(within(rows[1]).getByText("Table vpn (300) has no routes for this family")).toBeTruthy();
        expect(within(rows[1]).getByText("Device gone0 does not exist")).toBeTruthy();
        expect(within(rows[3]).getByText("Table gw-eth1 (10003) does not exist")).toBeTruthy();
        expect(within(rows[3]).getByText("Gateways")).toBeTruthy();
        expect(within(rows[3]).getByTitle("protocol 248")).toBeTruthy();
        expect(within(rows[0]).getAllByRole("cell")[3].textContent).toBe(""); // no owner from the helper
        expect(screen.getByRole("button", { name: "Delete IPv4 rule 100" })).toBeTruthy();
        expect(screen.getByRole("button", { name: "Delete IPv4 rule 200" })).toBeTruthy();
        expect(screen.queryByRole("button", { name: "Delete IPv4 rule 300" })).toBeNull(); // the helper cannot name it
        expect(screen.getByText("No IPv6 rules")).toBeTruthy();
    });

    it("shows each rule's owner with the helper's clue, and filters by owner", async () => {
        const status: Status = {
            ...labStatus,
            rules: [
                ...labStatus.rules ?? [],
                { family: "inet", priority: 31001, table: 10003, owned: true, selector: { from: "10.0.2.0/24" }, owner: "cockpit-gateways", owner_why: "protocol 248" },
                { family: "inet", priority: 31000, table: 200, owned: false, selector: { from: "10.0.7.0/24" }, owner: "static", owner_why: "protocol static" },
                { family: "inet6", priority: 32764, table: 254, owned: false, selector: { suppress_prefixlength: "0" }, owner: "wireguard", owner_why: "wg-quick's suppress_prefixlength rule" },
            ],
        };
        render(<RulesView status={status} admin={false} onFix={vi.fn()} />);
        const owners = (name: string) => within(screen.getByRole("table", { name })).getAllByRole("row").slice(1)
            .map(r => within(r).getAllByRole("cell")[3].querySelector(".pf-v6-c-label")?.textContent);
        expect(owners("IPv4 rules")).toEqual(["Kernel", "Static", "Gateways", "Kernel", "Kernel"]);
        expect(owners("IPv6 rules")).toEqual(["Kernel", "WireGuard", "Kernel", "Kernel"]);
        expect(screen.getByTitle("protocol static")).toBeTruthy();
        await chooseOwner("static");
        expect(owners("IPv4 rules")).toEqual(["Static"]);
        expect(screen.getByText("No IPv6 rules")).toBeTruthy();
        expect(screen.getByText("No rule of this family has the chosen owner.")).toBeTruthy();
        await chooseOwner("");
        expect(owners("IPv6 rules")).toHaveLength(4);
    });

    it("asks to delete a rule with what the helper said of it", () => {
        const onFix = vi.fn();
        const rule: Rule = { family: "inet", priority: 100, table: 100, owned: false, action: "lookup", protocol: 4,
                             selector: { from: "10.1.0.0/16", fwmark: "0x1", fwmask: "0xff" }, owner: "static",
                             delete: ["rule", "del", "--priority", "100", "--family", "inet", "--from", "10.1.0.0/16", "--fwmark", "0x1/0xff", "--table", "100", "--proto", "4", "--foreign"] };
        render(<RulesView status={{ rules: [rule] }} admin onFix={onFix} />);
        fireEvent.click(screen.getByRole("button", { name: "Delete IPv4 rule 100" }));
        expect(onFix).toHaveBeenCalledWith({
            kind: "delete",
            target: { object: "rule", where: "", text: "priority 100 from 10.1.0.0/16 fwmark 0x1/0xff lookup 100", of: rule },
        });
    });
});
