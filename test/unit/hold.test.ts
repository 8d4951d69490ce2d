// SPDX-License-Identifier: LGPL-2.1-or-later
// While a change is tested: why the Networks view holds changes back, until when; the rows learn
// the gateway being tested (old → new).

import { describe, expect, it } from "vitest";
import { holdDeadline, holdReason } from "../../src/safe-apply/hold";
import { networkRows } from "../../src/networks/network-model";
import type { Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

const status = lab as Status;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => new Date(ms).toLocaleTimeString();

describe("holdReason", () => {
    it("nothing pending: nothing held", () => {
        expect(holdReason(undefined, null, NOW)).toBeNull();
    });

    it("the host's pending change: until its deadline, in seconds (rounded up)", () => {
        const pending = { deadline: NOW / 1000 + 14.2 };
        expect(holdDeadline(pending, null)).toBe(NOW + 14200);
        expect(holdReason(pending, null, NOW)).toBe(
            `A change is being tested: wait until it is kept or rolled back (rolls back at ${at(NOW + 14200)}, in 15 s).`);
        expect(holdReason(pending, null, NOW + 20000)).toMatch(/in 0 s\)\.$/);
    });

    it("this tab's unconfirmed change: its own deadline, then: dismiss or apply anyway", () => {
        const lost = { what: "x", args: ["set", "eth1", "10.0.2.1"], deadline: NOW + 5000 };
        expect(holdReason(undefined, lost, NOW)).toMatch(/in 5 s\)\.$/);
        expect(holdReason(undefined, lost, NOW + 6000)).toMatch(/^A change could not be confirmed and was rolled back/);
    });

    it("a pending change without a deadline still says why", () => {
        expect(holdReason({}, null, NOW)).toBe("A change is being tested: wait until it is kept or rolled back.");
    });
});

describe("networkRows with a change being tested", () => {
    it("the row it changes carries before and after; the others none", () => {
        const rows = networkRows(status.interfaces ?? [], status.default_routes ?? [], {
            deadline: 1, gateways: [{ interface: "eth1", family: "inet", before: "10.0.2.1", after: null }],
        });
        expect(rows.find(r => r.key === "eth1/inet")?.testing).toEqual({ before: "10.0.2.1", after: null });
        expect(rows.filter(r => r.testing !== undefined).map(r => r.key)).toEqual(["eth1/inet"]);
    });
});
