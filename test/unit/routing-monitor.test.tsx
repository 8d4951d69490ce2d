// SPDX-License-Identifier: LGPL-2.1-or-later
// Live refresh that cannot starve: ip monitor lines sorted by what they can change, a debounce with
// a maximum wait, and background status reads that never overlap (a burst is a bounded number of
// helper runs).

import { act, render } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getStatus } from "../../src/client/helper-client";
import { useStatus } from "../../src/client/use-status";
import {
    MONITOR_MAX_WAIT_MS, MONITOR_WAIT_MS, classify, lineSplitter, useRoutingMonitor, type Changes,
} from "../../src/cockpit/use-routing-monitor";
import { coalescer } from "../../src/ui/debounce";
import type { Status } from "../../src/types";
import { spawnResult } from "./setup";

vi.mock("../../src/client/helper-client", async importOriginal => ({
    ...await importOriginal<typeof import("../../src/client/helper-client")>(),
    getStatus: vi.fn(),
}));

const ours = (t: string) => t === "10000" || t === "gw-eth1";

describe("classify", () => {
    it.each([
        ["[LINK]3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", true, false],
        ["[ADDR]3: eth1    inet 10.0.2.10/24 scope global eth1", true, false],
        ["[RULE]31001:\tfrom 10.0.2.0/24 lookup gw-eth1 proto 248", true, false],
        ["[ROUTE]default via 10.0.1.1 dev eth0", true, true],
        ["[ROUTE]Deleted default via 10.0.2.1 dev eth1 table gw-eth1 proto 248", true, true],
        ["[ROUTE]default via 10.0.2.1 dev eth1 table 10000 proto 248", true, true],
        ["[ROUTE]10.77.3.0/24 via 10.0.1.1 dev eth0 table 100 proto bgp", false, true],
        ["[ROUTE]Deleted 10.77.3.0/24 via 10.0.1.1 dev eth0 table bgpfeed", false, true],
        ["something new", true, false],
    ])("%s", (line, status, routes) => {
        expect(classify(line, ours)).toEqual({ status, routes });
    });
});

describe("lineSplitter", () => {
    it("joins a line cut between chunks", () => {
        const lines: string[] = [];
        const feed = lineSplitter(l => lines.push(l));
        feed("[LINK]a\n[ROU");
        feed("TE]b\n\n");
        expect(lines).toEqual(["[LINK]a", "[ROUTE]b"]);
    });
});

describe("coalescer", () => {
    beforeEach(() => { vi.useFakeTimers() });
    afterEach(() => { vi.useRealTimers() });

    it("fires once after a pause", () => {
        const fire = vi.fn();
        const c = coalescer(fire, 250, 700);
        c.event(); c.event(); c.event();
        vi.advanceTimersByTime(249);
        expect(fire).not.toHaveBeenCalled();
        vi.advanceTimersByTime(1);
        expect(fire).toHaveBeenCalledTimes(1);
    });

    it("a steady trickle cannot postpone it past the maximum wait", () => {
        const fire = vi.fn();
        const c = coalescer(fire, 250, 700);
        // an event every 100 ms for 10 s (10 events/s, never a 250 ms pause)
        for (let t = 0; t < 10000; t += 100) {
            c.event();
            vi.advanceTimersByTime(100);
        }
        // one fire per 700 ms at most, and never more than 700 ms without one
        expect(fire.mock.calls.length).toBeGreaterThanOrEqual(Math.floor(10000 / 800));
        expect(fire.mock.calls.length).toBeLessThanOrEqual(Math.ceil(10000 / 700));
    });
});

const Monitor = ({ onChange }: { onChange: (c: Changes) => void }) => {
    useRoutingMonitor(onChange, ours);
    return null;
};

describe("useRoutingMonitor", () => {
    beforeEach(() => { vi.useFakeTimers() });
    afterEach(() => { vi.useRealTimers() });

    it("a foreign table's churn never refreshes status; a change in main does, within the maximum wait", async () => {
        let feed: (data: string) => void = () => {};
        const proc = spawnResult(new Promise<string>(() => {}));
        proc.stream = cb => { feed = cb; return proc };
        vi.mocked(cockpit.spawn).mockReturnValueOnce(proc);
        const onChange = vi.fn();
        render(<Monitor onChange={onChange} />);
        // 200 events/s in table 100 for 3 s
        for (let i = 0; i < 600; i++) {
            feed(`[ROUTE]10.77.${i % 250}.0/24 via 10.0.1.1 dev eth0 table 100\n`);
            if (i === 300)
                feed("[ROUTE]default via 10.0.1.254 dev eth0\n"); // the main default route changed
            await act(() => { vi.advanceTimersByTime(5) });
        }
        const statusCalls = (onChange.mock.calls as [Changes][]).filter(([c]) => c.status);
        expect(statusCalls.length).toBe(1);
        // the route-only refreshes are bounded too
        expect(onChange.mock.calls.length).toBeLessThanOrEqual(4);
        expect(MONITOR_MAX_WAIT_MS).toBeLessThan(1000);
        expect(MONITOR_WAIT_MS).toBeLessThan(MONITOR_MAX_WAIT_MS);
    });
});

const StatusProbe = ({ withCounts, expose }: { withCounts: boolean; expose: (refresh: () => void) => void }) => {
    const [, , refresh] = useStatus(withCounts);
    expose(refresh);
    return null;
};

describe("useStatus", () => {
    it("a burst of refreshes while one runs is one more helper run, not one each", async () => {
        const answers: ((s: Status) => void)[] = [];
        vi.mocked(getStatus).mockReset();
        vi.mocked(getStatus).mockImplementation(() => new Promise(resolve => answers.push(resolve)));
        let refresh: () => void = () => {};
        render(<StatusProbe withCounts={false} expose={r => { refresh = r }} />);
        expect(getStatus).toHaveBeenCalledTimes(1);
        expect(getStatus).toHaveBeenLastCalledWith({ routeCounts: false });
        for (let i = 0; i < 50; i++)
            refresh();
        expect(getStatus).toHaveBeenCalledTimes(1);
        await act(async () => { answers[0]({ interfaces: [] }) });
        expect(getStatus).toHaveBeenCalledTimes(2);
        await act(async () => { answers[1]({ interfaces: [] }) });
        expect(getStatus).toHaveBeenCalledTimes(2);
    });
});
