// SPDX-License-Identifier: LGPL-2.1-or-later

import { beforeEach, describe, expect, it, vi } from "vitest";
import { HelperError, applyWithRollback, confirmChange, getStatus, runHelper, toHelperError } from "../../src/client/helper-client";
import lab from "./fixtures/status-lab.json";
import { spawnResult } from "./setup";

type Spawn = typeof cockpit.spawn;
const spawnMock = () => vi.mocked<Spawn>(cockpit.spawn);

/** The next spawn answers `result`; returns the spawn's input() spy (the script it was given). */
function answer(result: Promise<string>) {
    const proc = spawnResult(result);
    const input = vi.spyOn(proc, "input");
    spawnMock().mockImplementation(() => proc);
    return input;
}

describe("helper client", () => {
    beforeEach(() => {
        spawnMock().mockReset();
    });

    it("runs the embedded helper with python3 -I - (script on stdin) and parses status --json", async () => {
        const input = answer(Promise.resolve(JSON.stringify(lab)));
        const status = await getStatus();
        expect(status.interfaces?.map(i => i.name)).toEqual(["lo", "eth0", "eth1"]);
        expect(spawnMock()).toHaveBeenCalledWith(["python3", "-I", "-", "status", "--json"], { superuser: "try", err: "message" });
        // the script goes in on stdin: as an argument it would hit the kernel's 128 KiB limit
        expect(input).toHaveBeenCalledWith("# cockpit-gateways helper (test stub)\n");
    });

    it("a change this page confirmed is not pending in a status read before its confirmation", async () => {
        const mine = { deadline: 1767225620, id: "aaaaaaaaaaaaaaaa", gateways: [] };
        const other = { deadline: 1767225999, id: "bbbbbbbbbbbbbbbb", gateways: [] };
        answer(Promise.resolve(JSON.stringify({ ...lab, pending: mine })));
        expect((await getStatus()).pending).toEqual(mine);      // not confirmed yet: it is pending
        answer(Promise.resolve(JSON.stringify({ changed: true, token: "t".repeat(32), pending_id: mine.id })));
        const token = await applyWithRollback(["set", "eth1", "10.0.2.1"], 20);
        answer(Promise.resolve(JSON.stringify({ changed: true })));
        await confirmChange(token);
        answer(Promise.resolve(JSON.stringify({ ...lab, pending: mine })));
        expect((await getStatus()).pending).toBeUndefined();
        answer(Promise.resolve(JSON.stringify({ ...lab, pending: other })));
        expect((await getStatus()).pending).toEqual(other);     // someone else's change still shows
    });

    it("passes the helper's stderr message on", async () => {
        answer(Promise.reject({ problem: null, message: "status: cannot read /etc/cockpit-gateways/config.json", exit_status: 1 }));
        await expect(getStatus()).rejects.toThrow(new HelperError("status: cannot read /etc/cockpit-gateways/config.json", null, 1));
    });

    it("never shows a traceback, only its last line", async () => {
        answer(Promise.reject({
            problem: null, exit_status: 1,
            message: "Traceback (most recent call last):\n  File \"x\", line 1, in <module>\nValueError: bad table\n",
        }));
        await expect(runHelper(["status"])).rejects.toThrow(/^ValueError: bad table$/);
    });

    it("explains cockpit problems", () => {
        expect(toHelperError({ problem: "not-found", message: "not-found" }).message).toMatch(/^python3 is needed on the host/);
        expect(toHelperError({ problem: "access-denied", message: "" }).problem).toBe("access-denied");
        expect(toHelperError({ problem: null, message: "", exit_status: 3 }).message).toBe("The helper failed with exit status 3.");
        expect(toHelperError("weird").message).toBe("The helper failed.");
        expect(toHelperError({ problem: "internal-error", message: "" }).message).toBe("internal-error");
    });

    it("rejects output that is not a JSON object", async () => {
        answer(Promise.resolve("inet 10.0.1.10/24"));
        await expect(getStatus()).rejects.toThrow("The helper's answer could not be read.");
        answer(Promise.resolve("[]"));
        await expect(getStatus()).rejects.toThrow("The helper's answer could not be read.");
    });

    it("turns an {error} document into an error", async () => {
        answer(Promise.resolve(JSON.stringify({ error: "gateway: 10.0.9.1 is not on eth1's network", field: "gateway" })));
        await expect(getStatus()).rejects.toThrow("gateway: 10.0.9.1 is not on eth1's network");
    });

    it("fetches helper.py once (relative to the page) and retries a failed fetch", async () => {
        vi.resetModules();
        const client = await import("../../src/client/helper-client");
        const fetchMock = vi.mocked(globalThis.fetch);
        fetchMock.mockClear();
        fetchMock.mockResolvedValueOnce(new Response("", { status: 404 }));
        answer(Promise.resolve("{}"));
        await expect(client.runHelper(["status"])).rejects.toThrow("could not be loaded (HTTP 404)");
        const input = answer(Promise.resolve("{}"));
        await client.runHelper(["status"]);
        await client.runHelper(["status"]);
        expect(fetchMock.mock.calls.map(c => c[0])).toEqual(["helper.py", "helper.py"]);
        expect(input).toHaveBeenCalledWith("# cockpit-gateways helper (test stub)\n");
    });
});
