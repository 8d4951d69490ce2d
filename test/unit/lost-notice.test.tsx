// SPDX-License-Identifier: LGPL-2.1-or-later
// The page's one notice about a change that missed, or waits for, its confirmation: a remembered
// attempt of this tab (a gateway or a fix), and a change pending on the host that this tab knows
// nothing of. The helper client is mocked.

import { act, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyNow } from "../../src/client/helper-client";
import { attemptLost, forgetAttempt, loadAttempt, rememberAttempt } from "../../src/safe-apply/attempt-store";
import { LostNotice } from "../../src/safe-apply/lost-notice";

vi.mock("../../src/client/helper-client", async importOriginal => ({
    ...await importOriginal<typeof import("../../src/client/helper-client")>(),
    applyNow: vi.fn(),
}));

const fix = { what: "Adding the route 10.123.0.0/16", args: ["route", "add", "10.123.0.0/16", "--table", "300"] };

describe("lost-connection notice", () => {
    beforeEach(() => {
        vi.mocked(applyNow).mockReset().mockResolvedValue({ changed: true });
    });
    afterEach(() => forgetAttempt());

    it("explains a change remembered before a reload, and applies it anyway without a rollback", async () => {
        window.sessionStorage.setItem("cockpit-gateways:attempt", JSON.stringify({ ...fix, deadline: Date.now() - 1000 }));
        const onChanged = vi.fn();
        render(<LostNotice pending={undefined} admin onChanged={onChanged} />);
        expect(screen.getByText("Connection would be lost")).toBeTruthy();
        expect(screen.getByText(/^Adding the route 10.123.0.0\/16 could not be confirmed/)).toBeTruthy();
        expect(screen.getByText(/The host has undone the change/)).toBeTruthy();
        fireEvent.click(screen.getByRole("button", { name: "Apply anyway" }));
        await waitFor(() => expect(onChanged).toHaveBeenCalled());
        expect(applyNow).toHaveBeenCalledWith(fix.args);
        expect(loadAttempt()).toBeNull();
        await waitFor(() => expect(screen.queryByText("Connection would be lost")).toBeNull());
    });

    it("offers no Apply anyway while the host still has the change pending, nor without admin access", () => {
        window.sessionStorage.setItem("cockpit-gateways:attempt", JSON.stringify({ ...fix, deadline: Date.now() - 1000 }));
        const { unmount } = render(<LostNotice pending={{ deadline: Date.now() / 1000 + 5 }} admin onChanged={vi.fn()} />);
        expect(screen.getByText(/The host is undoing the change by itself/)).toBeTruthy();
        expect(screen.queryByRole("button", { name: "Apply anyway" })).toBeNull();
        unmount();
        render(<LostNotice pending={undefined} admin={false} onChanged={vi.fn()} />);
        expect(screen.queryByRole("button", { name: "Apply anyway" })).toBeNull();
        fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
        expect(loadAttempt()).toBeNull();
    });

    it("shows a change pending on the host that this tab did not make (a new tab, the command line)", () => {
        render(<LostNotice pending={{ deadline: Date.now() / 1000 + 15 }} admin onChanged={vi.fn()} />);
        expect(screen.getByText("A change is waiting for its confirmation")).toBeTruthy();
        expect(screen.queryByText("Connection would be lost")).toBeNull();
    });

    it("says nothing about this page's own change while it is being tested; explains it once lost", async () => {
        render(<LostNotice pending={{ deadline: Date.now() / 1000 + 15 }} admin onChanged={vi.fn()} />);
        await act(() => rememberAttempt({ ...fix, deadline: Date.now() + 20_000 }));
        expect(screen.queryByRole("alert")).toBeNull();
        expect(screen.queryByText("A change is waiting for its confirmation")).toBeNull();
        expect(screen.queryByText("Connection would be lost")).toBeNull();
        await act(() => attemptLost());
        expect(screen.getByText("Connection would be lost")).toBeTruthy();
        expect(screen.getByText(/The host is undoing the change by itself/)).toBeTruthy();
    });

    it("shows nothing when nothing is remembered or pending", () => {
        const { container } = render(<LostNotice pending={undefined} admin onChanged={vi.fn()} />);
        expect(container.textContent).toBe("");
    });
});
