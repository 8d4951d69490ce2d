// SPDX-License-Identifier: LGPL-2.1-or-later
// The safe-apply state machine with fake timers: confirm only after the settle time and a
// successful round-trip; never when the round-trip fails or hangs.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadAttempt, forgetAttempt, rememberAttempt } from "../../src/safe-apply/attempt-store";
import {
    CONFIRM_WITHIN_S, PROBE_TIMEOUT_MS, SETTLE_MS, safeApply, type Phase, type SafeApplyDeps,
} from "../../src/safe-apply/safe-apply";

const change = { what: "Setting the gateway of eth1 (IPv4) to 10.0.2.1", args: ["set", "eth1", "10.0.2.1"] };

function deps(overrides: Partial<SafeApplyDeps> = {}) {
    const phases: Phase[] = [];
    const d = {
        apply: vi.fn(async () => "token-1"),
        probe: vi.fn(async () => undefined),
        confirm: vi.fn(async () => undefined),
        remember: vi.fn(rememberAttempt),
        forget: vi.fn(forgetAttempt),
        onPhase: (p: Phase) => phases.push(p),
        ...overrides,
    };
    return { d, phases };
}

describe("safeApply", () => {
    beforeEach(() => {
        vi.useFakeTimers();
        vi.setSystemTime(1_000_000);
    });
    afterEach(() => {
        vi.useRealTimers();
    });

    it("remembers, applies, settles, probes, confirms, forgets", async () => {
        const { d, phases } = deps();
        const done = safeApply(change, d);
        await vi.advanceTimersByTimeAsync(0);
        expect(d.apply).toHaveBeenCalledWith(CONFIRM_WITHIN_S);
        expect(loadAttempt()).toEqual({ ...change, deadline: 1_000_000 + CONFIRM_WITHIN_S * 1000 });
        expect(d.probe).not.toHaveBeenCalled(); // still settling
        await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
        expect(d.probe).not.toHaveBeenCalled();
        await vi.advanceTimersByTimeAsync(1);
        expect(d.probe).toHaveBeenCalled();
        await expect(done).resolves.toEqual({ result: "confirmed" });
        expect(d.confirm).toHaveBeenCalledWith("token-1");
        expect(phases).toEqual(["applying", "testing", "confirming"]);
        expect(loadAttempt()).toBeNull();
    });

    it("asks the shell to hold the connection while testing, and lets go after, whatever the outcome", async () => {
        for (const probe of [vi.fn(async () => undefined), vi.fn(async () => { throw new Error("disconnected") })]) {
            const holds: boolean[] = [];
            const { d } = deps({ probe, holdConnection: (h: boolean) => holds.push(h) });
            const done = safeApply(change, d);
            await vi.advanceTimersByTimeAsync(0);
            expect(holds).toEqual([true]);
            await vi.advanceTimersByTimeAsync(SETTLE_MS);
            await done;
            expect(holds).toEqual([true, false]);
        }
    });

    it("holds through Cockpit's transport health check hint by default", async () => {
        vi.mocked(cockpit.hint).mockClear();
        const { d } = deps();
        const done = safeApply(change, d);
        await vi.advanceTimersByTimeAsync(SETTLE_MS);
        await done;
        expect(vi.mocked(cockpit.hint).mock.calls).toEqual([
            ["ignore_transport_health_check", { data: true }],
            ["ignore_transport_health_check", { data: false }],
        ]);
    });

    it("does not confirm when the round-trip fails; the attempt stays remembered", async () => {
        const { d } = deps({ probe: vi.fn(async () => { throw new Error("disconnected") }) });
        const done = safeApply(change, d);
        await vi.advanceTimersByTimeAsync(SETTLE_MS);
        const outcome = await done;
        expect(outcome.result).toBe("lost");
        expect(d.confirm).not.toHaveBeenCalled();
        expect(loadAttempt()?.args).toEqual(["set", "eth1", "10.0.2.1"]);
    });

    it("gives up on a round-trip that hangs, before the host's deadline", async () => {
        const { d } = deps({ probe: vi.fn(() => new Promise<void>(() => {})) });
        let outcome: unknown = null;
        void safeApply(change, d).then(o => { outcome = o });
        await vi.advanceTimersByTimeAsync(SETTLE_MS + PROBE_TIMEOUT_MS - 1);
        expect(outcome).toBeNull();
        await vi.advanceTimersByTimeAsync(1);
        expect(outcome).toMatchObject({ result: "lost" });
        expect(d.confirm).not.toHaveBeenCalled();
        expect(SETTLE_MS + 2 * PROBE_TIMEOUT_MS).toBeLessThan(CONFIRM_WITHIN_S * 1000);
    });

    it("reports a failed confirmation as lost (the host rolls back)", async () => {
        const { d } = deps({ confirm: vi.fn(async () => { throw new Error("no change is waiting") }) });
        const done = safeApply(change, d);
        await vi.advanceTimersByTimeAsync(SETTLE_MS);
        expect((await done).result).toBe("lost");
    });

    it("forgets the attempt when the apply itself fails (nothing changed)", async () => {
        const error = new Error("gateway: bad");
        const { d, phases } = deps({ apply: vi.fn(async () => { throw error }) });
        await expect(safeApply(change, d)).resolves.toEqual({ result: "failed", error });
        expect(d.probe).not.toHaveBeenCalled();
        expect(loadAttempt()).toBeNull();
        expect(phases).toEqual(["applying"]);
    });
});

describe("attempt store", () => {
    it("ignores what is not an attempt", () => {
        window.sessionStorage.setItem("cockpit-gateways:attempt", "{\"iface\": 3}");
        expect(loadAttempt()).toBeNull();
        window.sessionStorage.setItem("cockpit-gateways:attempt", "not json");
        expect(loadAttempt()).toBeNull();
    });
});
