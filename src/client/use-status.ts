// SPDX-License-Identifier: LGPL-2.1-or-later
// Load the helper's status once, again on demand (Retry), and quietly in the background when the
// routing changes (refresh: the view stays as it is until the new status arrives).
//
// Route counts per table cost a dump of every route: they are read only while a view shows them
// (`withCounts`). Background refreshes never overlap: one asked for while another runs is done
// once, right after it, however many were asked for.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { getStatus, toHelperError } from "./helper-client";
import type { Status } from "../types";

export type StatusState =
    | { state: "loading" }
    | { state: "error"; message: string }
    | { state: "ready"; status: Status };

export function useStatus(withCounts = true): [StatusState, () => void, () => void] {
    const [result, setResult] = useState<StatusState>({ state: "loading" });
    const generationRef = useRef(0);
    const countsRef = useRef(withCounts);
    const runningRef = useRef(false);
    const againRef = useRef(false);
    useEffect(() => { countsRef.current = withCounts });

    const fetch = useCallback(function fetch(quiet: boolean) {
        if (quiet && runningRef.current) {
            againRef.current = true;
            return;
        }
        const mine = ++generationRef.current;
        runningRef.current = true;
        if (!quiet)
            setResult({ state: "loading" });
        getStatus({ routeCounts: countsRef.current }).then(
            status => { if (mine === generationRef.current) setResult({ state: "ready", status }) },
            (ex: unknown) => {
                // a failed background refresh keeps showing the last good status
                if (mine === generationRef.current)
                    setResult(prev => (quiet && prev.state === "ready" ? prev : { state: "error", message: toHelperError(ex).message }));
            },
        ).finally(() => {
            if (mine !== generationRef.current)
                return; // a newer fetch (Retry) runs and owns the flags
            runningRef.current = false;
            if (againRef.current) {
                againRef.current = false;
                fetch(true);
            }
        });
    }, []);
    const load = useCallback(() => fetch(false), [fetch]);
    const refresh = useCallback(() => fetch(true), [fetch]);

    useEffect(() => {
        load();
        const ref = generationRef;
        return () => { ref.current++ };
    }, [load]);

    // a view that shows route counts came up: read them now
    useEffect(() => {
        countsRef.current = withCounts;
        if (withCounts)
            refresh();
    }, [withCounts, refresh]);

    return [result, load, refresh];
}
