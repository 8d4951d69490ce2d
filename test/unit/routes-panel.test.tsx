// SPDX-License-Identifier: LGPL-2.1-or-later
// One open table with the helper mocked: windows fetched on demand, the total from status when
// the helper does not count, the filter and sort sent to the helper, far windows not kept,
// Delete only with admin access.

import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RoutesRequest } from "../../src/client/helper-args";
import { getRoutes } from "../../src/client/helper-client";
import { ROUTE_WINDOW, ROW_HEIGHT } from "../../src/tables/route-window";
import { RoutesPanel } from "../../src/tables/routes-panel";
import type { Route, RoutesWindow } from "../../src/types";

vi.mock("../../src/client/helper-client", async importOriginal => ({
    ...await importOriginal<typeof import("../../src/client/helper-client")>(),
    getRoutes: vi.fn(),
}));

const TOTAL = 5000;
const route = (i: number): Route => ({
    type: "unicast", dst: `172.16.${Math.floor(i / 250)}.${i % 250 + 1}`, gateway: "10.0.2.1", dev: "eth1", flags: [],
    delete: ["route", "del", `172.16.${Math.floor(i / 250)}.${i % 250 + 1}`],
    ...(i % 10 === 0 ? { owner: "dhcp", owner_why: "proto dhcp" } : { owner: "cockpit-gateways", owner_why: "protocol 248" }),
    ...(i === 1 ? { networks: [{ interface: "eth1", family: "inet" as const }] } : {}),  // a gateway's own route
});

/** A fake helper over TOTAL routes: counts only when filtering, like the real one. */
function fakeRoutes(_table: number, req: RoutesRequest): Promise<RoutesWindow> {
    let all = Array.from({ length: TOTAL }, (_x, i) => route(i));
    if (req.filter)
        all = all.filter(r => r.dst?.includes(req.filter ?? ""));
    if (req.owner)
        all = all.filter(r => r.owner === req.owner);
    if (req.reverse)
        all.reverse();
    const routes = all.slice(req.offset, req.offset + req.limit);
    const more = req.offset + req.limit < all.length;
    const counted = Boolean(req.filter || req.owner) || !more;
    return Promise.resolve({ routes, total: counted ? all.length : null, matched: counted ? all.length : null });
}

const table = { id: 300, name: "300", kind: "foreign" as const, routes: { inet: TOTAL, inet6: 0 } };

function open(admin = true) {
    const onDelete = vi.fn();
    const onDeleteMany = vi.fn();
    render(<RoutesPanel id={300} table={table} admin={admin} tick={0} onBack={vi.fn()} onAdd={vi.fn()} onDelete={onDelete}
                        onDeleteMany={onDeleteMany} />);
    return { onDelete, onDeleteMany, list: () => screen.getByRole("table", { name: "Routes of table 300" }) };
}

describe("routes panel", () => {
    beforeEach(() => {
        vi.mocked(getRoutes).mockReset().mockImplementation(fakeRoutes);
    });

    it("shows the first window and the status' count, rendering only rows near the view", async () => {
        const { list } = open();
        await screen.findByText(`${TOTAL} routes`);
        expect(await within(list()).findByText("172.16.0.1")).toBeTruthy();
        expect(getRoutes).toHaveBeenCalledWith(300, { offset: 0, limit: ROUTE_WINDOW, filter: "", exact: false, sort: null, reverse: false, owner: "" });
        expect(list().getAttribute("aria-rowcount")).toBe(String(TOTAL + 1));
        expect(within(list()).getAllByRole("row").length).toBeLessThan(40);
    });

    it("fetches the window at the scroll position, and only that one", async () => {
        const { list } = open();
        await within(list()).findByText("172.16.0.1");
        vi.mocked(getRoutes).mockClear();
        // the list scrolls with the page (the window here): its body's top is far above the view
        const body = list().querySelector<HTMLElement>(".gw-route-body")!;
        vi.spyOn(body, "getBoundingClientRect").mockReturnValue({ top: -4990 * ROW_HEIGHT } as DOMRect);
        await act(() => {
            fireEvent.scroll(window);
        });
        expect(await within(list()).findByText(route(4995).dst!)).toBeTruthy();
        const offsets = vi.mocked(getRoutes).mock.calls.map(c => c[1].offset);
        expect(offsets).toEqual([4800]);
    });

    it("sends the filter (after a pause) and the sort to the helper", async () => {
        const { list } = open();
        await within(list()).findByText("172.16.0.1");
        fireEvent.input(screen.getByRole("searchbox", { name: "Filter routes" }), { target: { value: "172.16.3.33" } });
        expect(await screen.findByText("1 route matches", {}, { timeout: 2000 })).toBeTruthy();
        expect(getRoutes).toHaveBeenLastCalledWith(300, { offset: 0, limit: ROUTE_WINDOW, filter: "172.16.3.33", exact: false, sort: null, reverse: false, owner: "" });
        fireEvent.click(screen.getByRole("checkbox", { name: "Exact match" }));
        await waitFor(() => expect(getRoutes).toHaveBeenLastCalledWith(300, expect.objectContaining({ filter: "172.16.3.33", exact: true })));
        fireEvent.click(screen.getByRole("button", { name: "Gateway" }));
        await waitFor(() => expect(getRoutes).toHaveBeenLastCalledWith(300, expect.objectContaining({ sort: "gateway", reverse: false })));
        fireEvent.click(screen.getByRole("button", { name: "Gateway" }));
        await waitFor(() => expect(getRoutes).toHaveBeenLastCalledWith(300, expect.objectContaining({ sort: "gateway", reverse: true })));
        expect(screen.getByRole("columnheader", { name: /Gateway/ }).getAttribute("aria-sort")).toBe("descending");
    });

    it("offers Delete per route with admin access only", async () => {
        const { list, onDelete } = open(true);
        fireEvent.click(await within(list()).findByRole("button", { name: "Delete route 172.16.0.1" }));
        expect(onDelete).toHaveBeenCalledWith(route(0));
    });

    it("selects several routes for one delete; a gateway's own route is not offered", async () => {
        const { list, onDeleteMany } = open(true);
        const box = async (dst: string) => within(list()).findByRole<HTMLInputElement>("checkbox", { name: `Select route ${dst}` });
        fireEvent.click(await box("172.16.0.1"));
        fireEvent.click(await box("172.16.0.3"));
        fireEvent.click(await box("172.16.0.4"));
        fireEvent.click(await box("172.16.0.4"));             // and unselected again
        expect(within(list()).queryByRole("checkbox", { name: "Select route 172.16.0.2" })).toBeNull();
        fireEvent.click(screen.getByRole("button", { name: "Delete 2 selected routes" }));
        expect(onDeleteMany).toHaveBeenCalledWith([route(0), route(2)]);
        expect(screen.queryByRole("button", { name: /selected route/ })).toBeNull();
    });

    it("read-only: no Delete, no Add route", async () => {
        const { list } = open(false);
        await within(list()).findByText("172.16.0.1");
        expect(within(list()).queryByRole("button", { name: /^Delete/ })).toBeNull();
        expect(within(list()).queryByRole("checkbox")).toBeNull();
        expect(screen.queryByRole("button", { name: "Add route" })).toBeNull();
    });

    it("shows each route's owner, and sends the owner filter to the helper", async () => {
        const { list } = open();
        const first = (await within(list()).findByText("172.16.0.1")).closest("[role=row]") as HTMLElement;
        expect(within(first).getByText("DHCP").getAttribute("title")).toBe("proto dhcp");
        expect(screen.getByRole("columnheader", { name: "Owner" })).toBeTruthy();
        const select = screen.getByRole<HTMLSelectElement>("combobox", { name: "Filter by owner" });
        await act(() => {
            select.value = "dhcp";
            select.dispatchEvent(new Event("change", { bubbles: true }));
        });
        expect(await screen.findByText(`${TOTAL / 10} routes match`)).toBeTruthy();
        expect(getRoutes).toHaveBeenLastCalledWith(300, expect.objectContaining({ offset: 0, owner: "dhcp" }));
        expect(within(list()).getByText("172.16.0.11")).toBeTruthy();
        expect(within(list()).queryByText("Gateways")).toBeNull();
    });

    it("shows the helper's error", async () => {
        vi.mocked(getRoutes).mockRejectedValue(new Error("x"));
        open();
        expect(await screen.findByText("The routes could not be read")).toBeTruthy();
    });
});
