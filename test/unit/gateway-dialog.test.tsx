// SPDX-License-Identifier: LGPL-2.1-or-later
// The gateway dialog and the page's editing actions, with the helper client mocked.

import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { GatewayDialog } from "../../src/networks/gateway-dialog";
import { HelperError, applyWithRollback, confirmChange, getRouters, previewChange, roundTrip } from "../../src/client/helper-client";
import { StatusView } from "../../src/networks/networks-page";
import { networkRows } from "../../src/networks/network-model";
import type { Plan, Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

vi.mock("../../src/client/helper-client", async importOriginal => ({
    ...await importOriginal<typeof import("../../src/client/helper-client")>(),
    previewChange: vi.fn(), applyWithRollback: vi.fn(), confirmChange: vi.fn(), roundTrip: vi.fn(),
    getRouters: vi.fn(),
}));

const status = lab as Status;
const eth1 = () => networkRows(status.interfaces ?? [], status.default_routes ?? []).find(r => r.key === "eth1/inet")!;
const plan: Plan = {
    changed: true, dry_run: true,
    changes: [{ op: "add", object: "route", family: "inet", table: 10000, text: "route add default via 10.0.2.1 dev eth1 table 10000 proto 248",
                fields: { dst: "default", gateway: "10.0.2.1", dev: "eth1", table: 10000, protocol: 248 } }],
};

/** Open the dialog and wait for the focus to reach the gateway field (the focus trap's initial focus). */
async function open(row = eth1()) {
    const onClose = vi.fn();
    render(<GatewayDialog row={row} tables={[{ id: 10000, name: "gw-eth1" }]} onClose={onClose} />);
    const field = screen.getByRole("textbox", { name: /Gateway/ });
    await waitFor(() => expect(document.activeElement).toBe(field));
    return { onClose, field, apply: screen.getByRole("button", { name: "Apply" }) };
}

describe("gateway dialog", () => {
    beforeEach(() => {
        vi.mocked(previewChange).mockReset().mockResolvedValue(plan);
        vi.mocked(applyWithRollback).mockReset().mockResolvedValue("tok");
        vi.mocked(confirmChange).mockReset().mockResolvedValue();
        vi.mocked(roundTrip).mockReset().mockResolvedValue();
        vi.mocked(getRouters).mockReset().mockResolvedValue({ networks: [], routers: [] });
    });

    it("shows the network and offers the routers seen on it; an off-subnet one sets on-link", async () => {
        vi.mocked(getRouters).mockResolvedValue({
            networks: [{ family: "inet", network: "10.0.2.0/24", address: "10.0.2.10" }],
            routers: [{ family: "inet", address: "10.0.2.1", sources: ["neighbour", "main"], onlink: false },
                      { family: "inet", address: "10.0.3.1", sources: ["main"], onlink: true }],
        });
        const { field } = await open();
        expect(screen.getByText("10.0.2.0/24 (this host: 10.0.2.10)")).toBeTruthy();
        expect(getRouters).toHaveBeenCalledWith("eth1", "inet");
        fireEvent.click(await screen.findByRole("button", { name: "Use 10.0.2.1 (answers on this network, a gateway in the main table)" }));
        expect((field as HTMLInputElement).value).toBe("10.0.2.1");
        await waitFor(() => expect(previewChange).toHaveBeenCalledWith(["set", "eth1", "10.0.2.1"]));
        expect(screen.queryByRole("checkbox", { name: /on-link/ })).toBeNull();
        fireEvent.click(screen.getByRole("button", { name: /^Use 10\.0\.3\.1/ }));
        const onlink = screen.getByRole<HTMLInputElement>("checkbox", { name: "The gateway is on this link (on-link)" });
        expect(onlink.checked).toBe(true);
        await waitFor(() => expect(previewChange).toHaveBeenCalledWith(["set", "eth1", "10.0.3.1", "--onlink"]));
    });

    it("offers on-link for a typed gateway outside the network instead of refusing it", async () => {
        const { field } = await open();
        fireEvent.input(field, { target: { value: "10.0.3.1" } });
        const onlink = await screen.findByRole("checkbox", { name: "The gateway is on this link (on-link)" });
        expect(previewChange).not.toHaveBeenCalled();
        fireEvent.click(onlink);
        await waitFor(() => expect(previewChange).toHaveBeenCalledWith(["set", "eth1", "10.0.3.1", "--onlink"]));
        expect(screen.queryByText(/must be inside/)).toBeNull();
    });

    it("validates as you type and keeps Apply disabled while invalid", async () => {
        const { field, apply } = await open();
        expect((apply as HTMLButtonElement).disabled).toBe(true);
        fireEvent.input(field, { target: { value: "10.0.3.1" } });
        expect(await screen.findByText("The gateway must be inside the interface's network (10.0.2.0/24), or on this link: then tick “The gateway is on this link (on-link)”.")).toBeTruthy();
        expect((apply as HTMLButtonElement).disabled).toBe(true);
        fireEvent.input(field, { target: { value: "10.0.2.255" } });
        expect(await screen.findByText("This is the network's broadcast address; enter a host address.")).toBeTruthy();
        expect(previewChange).not.toHaveBeenCalled();
    });

    it("previews the plan in words, with the exact commands, then enables Apply", async () => {
        const { field, apply } = await open();
        fireEvent.input(field, { target: { value: "10.0.2.1" } });
        expect(await screen.findByText("Add route: default via 10.0.2.1 on eth1 in table gw-eth1 (10000)")).toBeTruthy();
        expect(screen.getByText("route add default via 10.0.2.1 dev eth1 table 10000 proto 248")).toBeTruthy();
        expect(previewChange).toHaveBeenCalledWith(["set", "eth1", "10.0.2.1"]);
        await waitFor(() => expect((apply as HTMLButtonElement).disabled).toBe(false));
    });

    it("shows the helper's error inline at the top and stays open", async () => {
        vi.mocked(previewChange).mockRejectedValueOnce(new HelperError("gateway: 10.0.2.7 is not reachable", null, 2));
        const { field, onClose } = await open();
        fireEvent.input(field, { target: { value: "10.0.2.7" } });
        const alert = await screen.findByText("gateway: 10.0.2.7 is not reachable");
        expect(alert.closest(".pf-v6-c-alert")).toBeTruthy();
        expect(onClose).not.toHaveBeenCalled();
    });

    it("shows an apply failure inline; nothing to roll back", async () => {
        vi.mocked(applyWithRollback).mockRejectedValueOnce(new HelperError("Administrative access is required to change gateways.", "access-denied"));
        const { field, apply, onClose } = await open();
        fireEvent.input(field, { target: { value: "10.0.2.1" } });
        await waitFor(() => expect((apply as HTMLButtonElement).disabled).toBe(false));
        fireEvent.click(apply);
        expect(await screen.findByText("Administrative access is required to change gateways.")).toBeTruthy();
        expect(screen.getByRole("textbox", { name: /Gateway/ })).toBeTruthy();
        expect(onClose).not.toHaveBeenCalled();
    });

    it("applies, shows Testing connection, confirms and closes", async () => {
        const { field, apply, onClose } = await open();
        fireEvent.input(field, { target: { value: "10.0.2.1" } });
        await waitFor(() => expect((apply as HTMLButtonElement).disabled).toBe(false));
        fireEvent.click(apply);
        expect(await screen.findByText("Testing connection")).toBeTruthy();
        await waitFor(() => expect(onClose).toHaveBeenCalled(), { timeout: 4000 });
        expect(confirmChange).toHaveBeenCalledWith("tok");
    });

    it("after a confirmed change the page shows a success toast", async () => {
        render(<StatusView status={status} admin />);
        fireEvent.click(screen.getByRole("button", { name: "Set gateway of eth1 IPv4" }));
        const field = await screen.findByRole("textbox");
        fireEvent.input(field, { target: { value: "10.0.2.1" } });
        const apply = screen.getByRole("button", { name: "Apply" });
        await waitFor(() => expect((apply as HTMLButtonElement).disabled).toBe(false));
        fireEvent.click(apply);
        expect(await screen.findByText("eth1 (IPv4) now answers through 10.0.2.1", {}, { timeout: 4000 })).toBeTruthy();
    });

    it("offers Remove gateway for a static gateway and previews the unset", async () => {
        const row = { ...eth1(), gateway: { family: "inet" as const, address: "10.0.2.1", source: "static" as const, state: "active" as const } };
        await open(row);
        fireEvent.click(screen.getByRole("button", { name: "Remove gateway" }));
        await waitFor(() => expect(previewChange).toHaveBeenCalledWith(["unset", "eth1", "--family", "inet"]));
        expect(screen.queryByRole("textbox")).toBeNull();
        expect(screen.getByRole("button", { name: "Back" })).toBeTruthy();
    });
});

describe("editing actions on the page", () => {
    beforeEach(() => {
        vi.mocked(getRouters).mockReset().mockResolvedValue({ networks: [], routers: [] });
        vi.mocked(previewChange).mockReset().mockResolvedValue(plan);
        vi.mocked(applyWithRollback).mockReset().mockResolvedValue("tok");
    });

    it("hides them without administrative access and says why", () => {
        render(<StatusView status={status} admin={false} />);
        expect(screen.getByText("Administrative access is required to change gateways.")).toBeTruthy();
        expect(screen.queryByRole("button", { name: /gateway of/ })).toBeNull();
    });

    it("shows them with administrative access; the dialog opens with the field focused", async () => {
        render(<StatusView status={status} admin />);
        expect(screen.queryByText("Administrative access is required to change gateways.")).toBeNull();
        fireEvent.click(screen.getByRole("button", { name: "Set gateway of eth1 IPv4" }));
        const dialog = await screen.findByRole("dialog");
        expect(within(dialog).getByText("Set a gateway for eth1 (IPv4)")).toBeTruthy();
        await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole("textbox", { name: /Gateway/ })));
    });

    it("Repair opens a preview of that family's repair; nothing runs before Repair is pressed", async () => {
        const broken: Status = { ...status, interfaces: (status.interfaces ?? []).map(i => i.name !== "eth1" ? i : {
            ...i, gateways: [{ family: "inet", address: "10.0.2.1", source: "static", state: "drift" },
                             { family: "inet6", address: "fd00:2::1", source: "static", state: "missing" }] }) };
        render(<StatusView status={broken} admin />);
        fireEvent.click(screen.getByRole("button", { name: "Repair source routing of eth1 IPv4" }));
        const dialog = await screen.findByRole("dialog");
        expect(within(dialog).getByText("Repair source routing of eth1 (IPv4)")).toBeTruthy();
        await waitFor(() => expect(previewChange).toHaveBeenCalledWith(["reconcile", "eth1", "--family", "inet"]));
        expect(applyWithRollback).not.toHaveBeenCalled();
    });

    it("holds changes back while one is being tested, and says why and until when", () => {
        const deadline = Date.now() / 1000 + 15;
        render(<StatusView status={{ ...status, pending: { deadline, gateways: [
            { interface: "eth1", family: "inet", before: null, after: "10.0.2.1" }] } }} admin />);
        const edit = screen.getByRole("button", { name: "Set gateway of eth1 IPv4" });
        expect(edit.getAttribute("aria-disabled")).toBe("true");
        const reason = new Date(deadline * 1000).toLocaleTimeString();
        expect(edit.getAttribute("title")).toMatch(new RegExp(`rolls back at ${reason}, in 1[45] s`));
        expect(document.getElementById(edit.getAttribute("aria-describedby") ?? "")?.textContent).toBe(edit.getAttribute("title"));
        fireEvent.click(edit);
        expect(screen.queryByRole("dialog")).toBeNull();
    });
});
