// SPDX-License-Identifier: LGPL-2.1-or-later
// The whole page with the helper client mocked: loading, data, error and retry.

import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../src/app";
import { HelperError, getStatus } from "../../src/client/helper-client";
import type { Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

vi.mock("../../src/client/helper-client", async importOriginal => ({
    ...await importOriginal<typeof import("../../src/client/helper-client")>(),
    getStatus: vi.fn(),
}));

const getStatusMock = vi.mocked(getStatus);

function deferred<T>() {
    let resolve: (value: T) => void = () => {};
    let reject: (reason: unknown) => void = () => {};
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej });
    return { promise, resolve, reject };
}

describe("App", () => {
    beforeEach(() => {
        getStatusMock.mockReset();
    });

    it("shows a spinner while loading, then the status", async () => {
        const answer = deferred<Status>();
        getStatusMock.mockReturnValue(answer.promise);
        render(<App />);
        expect(screen.getByText("Loading network status")).toBeTruthy();
        expect(screen.queryByRole("table", { name: "Networks" })).toBeNull();

        answer.resolve(lab as Status);
        const table = await screen.findByRole("table", { name: "Networks" });
        expect(table.textContent).toContain("10.0.1.10/24");
        expect(table.textContent).toContain("10.0.2.10/24");
        expect(screen.getByRole("navigation", { name: "Views" })).toBeTruthy();
        expect(screen.getByRole("link", { name: "Networks" }).getAttribute("aria-current")).toBe("page");
        expect(screen.queryByText("Loading network status")).toBeNull();
    });

    it("shows the helper's message and retries", async () => {
        getStatusMock.mockRejectedValueOnce(new HelperError("status: ip: command not found", null, 1));
        render(<App />);
        expect(await screen.findByText("status: ip: command not found")).toBeTruthy();
        expect(screen.getByText("The network status could not be read")).toBeTruthy();

        getStatusMock.mockResolvedValueOnce(lab as Status);
        fireEvent.click(screen.getByRole("button", { name: "Retry" }));
        await waitFor(() => expect(screen.getByRole("table", { name: "Networks" })).toBeTruthy());
        expect(screen.queryByText("status: ip: command not found")).toBeNull();
        expect(getStatusMock).toHaveBeenCalledTimes(2);
    });

    it("shows a readable message for an unexpected failure, not a stack trace", async () => {
        getStatusMock.mockRejectedValueOnce({ problem: "not-found", message: "not-found" });
        render(<App />);
        expect(await screen.findByText(/^python3 is needed on the host/)).toBeTruthy();
    });
});
