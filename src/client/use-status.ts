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
    const generation = useRef(0);
    const counts = useRef(withCounts);
    counts.current = withCounts;
    const running = useRef(false);
    const again = useRef(false);

    const fetch = useCallback((quiet: boolean) => {
        if (quiet && running.current) {
            again.current = true;
            return;
        }
        const mine = ++generation.current;
        running.current = true;
        if (!quiet)
            setResult({ state: "loading" });
        getStatus({ routeCounts: counts.current }).then(
            status => { if (mine === generation.current) setResult({ state: "ready", status }) },
            (ex: unknown) => {
                // a failed background refresh keeps showing the last good status
                if (mine === generation.current)
                    setResult(prev => (quiet && prev.state === "ready" ? prev : { state: "error", message: toHelperError(ex).message }));
            },
        ).finally(() => {
            if (mine !== generation.current)
                return; // a newer fetch (Retry) runs and owns the flags
            running.current = false;
            if (again.current) {
                again.current = false;
                fetch(true);
            }
        });
    }, []);
    const load = useCallback(() => fetch(false), [fetch]);
    const refresh = useCallback(() => fetch(true), [fetch]);

    useEffect(() => {
        load();
        return () => { generation.current++ };
    }, [load]);

    // a view that shows route counts came up: read them now
    useEffect(() => {
        if (withCounts)
            refresh();
    }, [withCounts, refresh]);

    return [result, load, refresh];
}
