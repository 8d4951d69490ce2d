// SPDX-License-Identifier: LGPL-2.1-or-later
// The one-off fix dialogs with the helper client mocked: validation while typing, the helper's
// preview and errors inline, the safe apply, and the foreign-object confirmation of Delete.

import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DeleteDialog } from "../../src/fixes/delete-dialog";
import { RouteDialog } from "../../src/tables/route-dialog";
import { RuleDialog } from "../../src/rules/rule-dialog";
import { HelperError, applyWithRollback, confirmChange, previewChange, roundTrip } from "../../src/client/helper-client";
import { forgetAttempt, loadAttempt } from "../../src/safe-apply/attempt-store";
import type { Plan } from "../../src/types";

vi.mock("../../src/client/helper-client", async importOriginal => ({
    ...await importOriginal<typeof import("../../src/client/helper-client")>(),
    previewChange: vi.fn(), applyWithRollback: vi.fn(), confirmChange: vi.fn(), roundTrip: vi.fn(),
}));

const plan: Plan = {
    changed: true, dry_run: true,
    changes: [{ op: "add", object: "route", family: "inet", table: 300, text: "route add 10.123.0.0/16 via 10.0.2.1 table 300 proto 4",
                fields: { dst: "10.123.0.0/16", gateway: "10.0.2.1", table: 300, protocol: 4 } }],
};
const tables = [{ id: 254, name: "main" }, { id: 300, name: "300" }];
const interfaces = [
    { name: "eth0", addresses: [{ family: "inet" as const, address: "10.0.1.10", prefix: 24 }] },
    { name: "eth1", addresses: [{ family: "inet" as const, address: "10.0.2.10", prefix: 24 }] },
];
// fields with suggestions (<datalist>) are comboboxes to assistive technology: find fields by label
const type = (name: string, value: string) => fireEvent.input(screen.getByLabelText(new RegExp(`^${name}`)), { target: { value } });
/** A choice in a <select>. happy-dom's select has no `onchange` property, so preact listens for
 * "Change" there (it uses the handler's name as written when the lower-case one is unknown). */
const choose = (name: string, value: string) => {
    const select = screen.getByLabelText<HTMLSelectElement>(new RegExp(`^${name}`));
    select.value = value;
    fireEvent(select, new Event("onchange" in select ? "change" : "Change", { bubbles: true }));
};
const button = (name: string) => screen.getByRole<HTMLButtonElement>("button", { name });

describe("add route dialog", () => {
    beforeEach(() => {
        vi.mocked(previewChange).mockReset().mockResolvedValue(plan);
        vi.mocked(applyWithRollback).mockReset().mockResolvedValue("tok");
        vi.mocked(confirmChange).mockReset().mockResolvedValue();
        vi.mocked(roundTrip).mockReset().mockResolvedValue();
    });

    it("validates while typing and previews only a valid route", async () => {
        render(<RouteDialog tables={tables} interfaces={interfaces} table="300" onClose={vi.fn()} />);
        type("Destination", "10.123.0.1/16");
        expect(await screen.findByText("The address has bits set after the prefix length; enter the network's first address.")).toBeTruthy();
        // the device is a choice of the host's interfaces
        expect([...screen.getByLabelText<HTMLSelectElement>("Device").options].map(o => o.value)).toEqual(["", "eth0", "eth1"]);
        choose("Device", "eth0");
        type("Gateway", "10.0.2.1");
        expect(await screen.findByText(/^10\.0\.2\.1 is not on a network of eth0\./)).toBeTruthy();
        expect(button("Add route").disabled).toBe(true);
        expect(previewChange).not.toHaveBeenCalled();

        type("Destination", "10.123.0.0/16");
        choose("Device", "");
        expect(await screen.findByText("Add route: 10.123.0.0/16 via 10.0.2.1 in table 300")).toBeTruthy();
        expect(previewChange).toHaveBeenLastCalledWith(["route", "add", "10.123.0.0/16", "--table", "300", "--via", "10.0.2.1"]);
        await waitFor(() => expect(button("Add route").disabled).toBe(false));
    });

    it("shows the helper's error inline at the top and stays open", async () => {
        vi.mocked(previewChange).mockRejectedValue(new HelperError("route: it exists already", null, 2));
        const onClose = vi.fn();
        render(<RouteDialog tables={tables} interfaces={interfaces} table="300" onClose={onClose} />);
        type("Destination", "10.123.0.0/16");
        type("Gateway", "10.0.2.7");
        const alert = await screen.findByText("route: it exists already");
        expect(alert.closest(".pf-v6-c-alert")).toBeTruthy();
        expect(button("Add route").disabled).toBe(true);
        expect(onClose).not.toHaveBeenCalled();
    });

    it("shows a refusal of one field under that field, not at the top", async () => {
        vi.mocked(previewChange).mockRejectedValue(new HelperError("via: 10.0.2.7 is not reachable from table 300", null, 2));
        render(<RouteDialog tables={tables} interfaces={interfaces} table="300" onClose={vi.fn()} />);
        type("Destination", "10.123.0.0/16");
        type("Gateway", "10.0.2.7");
        const message = await screen.findByText("10.0.2.7 is not reachable from table 300");
        expect(message.closest("#gw-route-via-help")).toBeTruthy();
        expect(document.querySelector(".gw-dialog-error")).toBeNull();
    });

    it("applies safely (confirm-within, round-trip, confirm) and closes", async () => {
        const onClose = vi.fn();
        render(<RouteDialog tables={tables} interfaces={interfaces} table="300" onClose={onClose} />);
        type("Destination", "10.123.0.0/16");
        type("Gateway", "10.0.2.1");
        type("Metric", "5");
        fireEvent.click(screen.getByRole("checkbox", { name: /Keep across reboots/ }));
        await waitFor(() => expect(button("Add route").disabled).toBe(false));
        fireEvent.click(button("Add route"));
        expect(await screen.findByText("Testing connection", {}, { timeout: 3000 })).toBeTruthy();
        await waitFor(() => expect(onClose).toHaveBeenCalledWith(true, undefined), { timeout: 5000 });
        expect(applyWithRollback).toHaveBeenCalledWith(
            ["route", "add", "10.123.0.0/16", "--table", "300", "--via", "10.0.2.1", "--metric", "5", "--keep"], 20);
        expect(roundTrip).toHaveBeenCalled();
        expect(confirmChange).toHaveBeenCalledWith("tok");
        expect(loadAttempt()).toBeNull();
    });

    it("says a new table number may be named next, and hands it on when the route is added", async () => {
        const onClose = vi.fn();
        render(<RouteDialog tables={tables} interfaces={interfaces} table="777" onClose={onClose} />);
        expect(screen.getByText("A new table: you can name it next.")).toBeTruthy();
        type("Destination", "10.123.0.0/16");
        type("Gateway", "10.0.2.1");
        await waitFor(() => expect(button("Add route").disabled).toBe(false));
        fireEvent.click(button("Add route"));
        await waitFor(() => expect(onClose).toHaveBeenCalledWith(true, "777"), { timeout: 5000 });
    });

    it("remembers a fix whose connection test fails, like a gateway change (for the notice, also after a reload)", async () => {
        vi.mocked(roundTrip).mockRejectedValue(new Error("disconnected"));
        const onClose = vi.fn();
        render(<RouteDialog tables={tables} interfaces={interfaces} table="300" onClose={onClose} />);
        type("Destination", "10.123.0.0/16");
        type("Gateway", "10.0.2.1");
        await waitFor(() => expect(button("Add route").disabled).toBe(false));
        fireEvent.click(button("Add route"));
        await waitFor(() => expect(onClose).toHaveBeenCalledWith(true, undefined), { timeout: 5000 });
        expect(confirmChange).not.toHaveBeenCalled();
        expect(loadAttempt()).toMatchObject({
            what: "Adding the route 10.123.0.0/16",
            args: ["route", "add", "10.123.0.0/16", "--table", "300", "--via", "10.0.2.1"],
        });
        forgetAttempt();
    });
});

describe("add rule dialog", () => {
    beforeEach(() => {
        vi.mocked(previewChange).mockReset().mockResolvedValue({ ...plan, changes: [] });
    });

    it("keeps rare fields under More options, opens it for an error there, and offers actions and devices", async () => {
        render(<RuleDialog tables={tables} interfaces={interfaces} onClose={vi.fn()} />);
        const more = document.querySelector<HTMLDetailsElement>("#gw-rule-more")!;
        expect(more.open).toBe(false);
        expect([...screen.getByLabelText<HTMLSelectElement>("Outgoing device").options].map(o => o.value)).toEqual(["", "eth0", "eth1"]);
        type("Priority", "1000");
        type("Table", "300");
        type("Destination ports", "70000");
        expect(await screen.findByText("Enter a port or range such as 8000-8080 (1-65534).")).toBeTruthy();
        await waitFor(() => expect(more.open).toBe(true));
        expect(previewChange).not.toHaveBeenCalled();
        type("Destination ports", "443");
        await waitFor(() => expect(previewChange).toHaveBeenLastCalledWith(
            ["rule", "add", "--priority", "1000", "--dport", "443", "--family", "inet", "--table", "300"]));
        // an action instead of a table: the table field goes away
        choose("Action", "unreachable");
        expect(screen.queryByLabelText(/^Table/)).toBeNull();
        await waitFor(() => expect(previewChange).toHaveBeenLastCalledWith(
            ["rule", "add", "--priority", "1000", "--dport", "443", "--family", "inet", "--action", "unreachable"]));
    });

    it("puts the helper's refusal of a field under More options at that field", async () => {
        vi.mocked(previewChange).mockRejectedValue(new HelperError("uidrange: the first uid is larger than the last", null, 2));
        render(<RuleDialog tables={tables} interfaces={interfaces} onClose={vi.fn()} />);
        type("Priority", "1000");
        type("Table", "300");
        const message = await screen.findByText("the first uid is larger than the last");
        expect(message.closest("#gw-rule-uidrange-help")).toBeTruthy();
        expect(document.querySelector<HTMLDetailsElement>("#gw-rule-more")!.open).toBe(true);
    });
});

describe("delete dialog", () => {
    // the helper's own arguments for the object (its `delete`), --foreign included when not ours
    const args = ["route", "del", "10.77.0.0/16", "--table", "300", "--via", "10.0.2.1", "--dev", "eth1", "--proto", "4", "--foreign"];
    beforeEach(() => {
        vi.mocked(applyWithRollback).mockReset().mockResolvedValue("tok");
        vi.mocked(confirmChange).mockReset().mockResolvedValue();
        vi.mocked(roundTrip).mockReset().mockResolvedValue();
    });

    it("names a foreign route, says it is not ours, and sends exactly the helper's arguments when confirmed", async () => {
        const onClose = vi.fn();
        render(<DeleteDialog target={{ object: "route", text: "10.77.0.0/16 via 10.0.2.1 dev eth1 proto static", where: "table 300",
                                       of: { owner: "static", owned: false, delete: args } }}
                             interfaces={interfaces} onClose={onClose} />);
        expect(screen.getByText("10.77.0.0/16 via 10.0.2.1 dev eth1 proto static")).toBeTruthy();
        expect(screen.getByText("This route is not owned by cockpit-gateways")).toBeTruthy();
        expect(applyWithRollback).not.toHaveBeenCalled();
        fireEvent.click(button("Delete"));
        await waitFor(() => expect(onClose).toHaveBeenCalledWith(true), { timeout: 5000 });
        expect(applyWithRollback).toHaveBeenCalledWith(args, 20);
    });

    it("a fix made here is the admin's own: said so, no foreign warning; a refusal shows inline", async () => {
        vi.mocked(applyWithRollback).mockRejectedValueOnce(new HelperError("rule: there is no rule priority 900", null, 2));
        const onClose = vi.fn();
        const del = ["rule", "del", "--priority", "900", "--family", "inet", "--table", "300", "--proto", "4"];
        render(<DeleteDialog target={{ object: "rule", text: "priority 900 from 10.0.2.10 lookup 300", where: "",
                                       of: { owner: "kept", owned: true, delete: del } }}
                             interfaces={interfaces} onClose={onClose} />);
        expect(screen.queryByText("This rule is not owned by cockpit-gateways")).toBeNull();
        expect(screen.getByText("This rule was added with cockpit-gateways (a one-off fix)")).toBeTruthy();
        expect(screen.getByText("It is kept across reboots; deleting it also stops keeping it.")).toBeTruthy();
        fireEvent.click(button("Delete"));
        expect(await screen.findByText("rule: there is no rule priority 900")).toBeTruthy();
        expect(applyWithRollback).toHaveBeenCalledWith(del, 20);
        expect(onClose).not.toHaveBeenCalled();
    });

    it("a gateway's rule is not deleted alone: it offers removing that network's gateway", () => {
        const onClose = vi.fn();
        const go = vi.spyOn(cockpit.location, "go");
        const withGateway = [interfaces[0], { ...interfaces[1], gateways: [{ family: "inet" as const, address: "10.0.2.1", source: "static" as const, state: "active" as const }] }];
        render(<DeleteDialog target={{ object: "rule", text: "priority 31001 from 10.0.2.0/24 lookup gw-eth1", where: "",
                                       of: { owner: "cockpit-gateways", owned: true, delete: ["rule", "del", "--priority", "31001"],
                                             networks: [{ interface: "eth1", family: "inet" }] } }}
                             interfaces={withGateway} onClose={onClose} />);
        expect(screen.getByText("This rule is part of the gateway of eth1 (IPv4):")).toBeTruthy();
        expect(screen.getByText("Deleting it alone would break the source routing of eth1")).toBeTruthy();
        expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
        fireEvent.click(button("Remove eth1's gateway"));
        expect(onClose).toHaveBeenCalledWith(false);
        expect(go).toHaveBeenCalledWith([], { gateway: "eth1", family: "inet", remove: "1" });
        expect(applyWithRollback).not.toHaveBeenCalled();
    });
});
