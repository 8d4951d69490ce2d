// SPDX-License-Identifier: LGPL-2.1-or-later
// Tell the page when the host's links, addresses, routes or rules change: follow `ip monitor`
// through cockpit.spawn (one long-running process, no polling), and sort what it reports:
//   status  a link, an address, a rule, or a route in main or in one of our tables: the Networks
//           view (and everything status shows) may have changed;
//   routes  a route in any table: route lists and route counts may have changed.
// A steady trickle of route events in an unrelated table (a BGP feed, a busy container host) is
// only `routes`: it never makes the Networks view re-read the host.
//
// Timing: events are coalesced, a refresh happens once the events pause for MONITOR_WAIT_MS, but
// never later than MONITOR_MAX_WAIT_MS after the first event it covers, however fast events keep
// coming. So a change shows within about MAX_WAIT plus one status read, and the page refreshes at
// most 1000 / MAX_WAIT times a second under any event rate. Route-only events (counts, lists) use
// the longer ROUTES_WAIT_MS / ROUTES_MAX_WAIT_MS: counting a big table is the dearest read.

import { useEffect, useRef } from "preact/hooks";
import { coalescer } from "../ui/debounce";

export const MONITOR_WAIT_MS = 150;
export const MONITOR_MAX_WAIT_MS = 600;
export const ROUTES_WAIT_MS = 500;
export const ROUTES_MAX_WAIT_MS = 2000;

export const MONITOR_COMMAND = ["ip", "-o", "monitor", "label", "link", "address", "route", "rule"];

export interface Changes {
    /** Something that status shows changed (see above). */
    status: boolean;
    /** A route changed somewhere. */
    routes: boolean;
}

/** Which of our tables (by number and by name, as `ip monitor` prints them) a route event is in. */
export type IsOurTable = (table: string) => boolean;

/** Sort one line of `ip -o monitor label …`. Unknown lines count as status changes (safe side). */
export function classify(line: string, isOurTable: IsOurTable): Changes {
    const m = /^\[(\w+)\]/.exec(line);
    if (m?.[1] !== "ROUTE")
        return { status: true, routes: false };
    const table = /\btable (\S+)/.exec(line)?.[1];
    // no table: main; local routes follow addresses, which are events of their own
    const status = table === undefined || table === "main" || table === "254" || isOurTable(table);
    return { status, routes: true };
}

/** Split a stream into lines; a line cut between two chunks waits for its end. */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
    let rest = "";
    return chunk => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines)
            if (line !== "")
                onLine(line);
    };
}

export function useRoutingMonitor(onChange: (changes: Changes) => void, isOurTable: IsOurTable, enabled = true): void {
    const callbackRef = useRef(onChange);
    const oursRef = useRef(isOurTable);
    useEffect(() => {
        callbackRef.current = onChange;
        oursRef.current = isOurTable;
    });

    useEffect(() => {
        if (!enabled)
            return;
        const status = coalescer(() => callbackRef.current({ status: true, routes: true }), MONITOR_WAIT_MS, MONITOR_MAX_WAIT_MS);
        const routes = coalescer(() => callbackRef.current({ status: false, routes: true }), ROUTES_WAIT_MS, ROUTES_MAX_WAIT_MS);
        const proc = cockpit.spawn(MONITOR_COMMAND, { err: "message" });
        // ip monitor only ends when we stop it (or the host goes away): nothing to report then;
        // the page keeps working, just not live
        proc.stream(lineSplitter(line => {
            const c = classify(line, oursRef.current);
            if (c.status) {
                status.event();
                routes.cancel(); // the status refresh covers the routes too
            } else if (c.routes) {
                routes.event();
            }
        })).then(() => {}, () => {});
        return () => {
            status.cancel();
            routes.cancel();
            proc.close();
        };
    }, [enabled]);
}
