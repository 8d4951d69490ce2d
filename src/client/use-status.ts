// SPDX-License-Identifier: LGPL-2.1-or-later
// Load the helper's status once, again on demand (Retry), and quietly in the background when the
// routing changes (refresh: the view stays as it is until the new status arrives).

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { getStatus, toHelperError } from "./helper-client";
import type { Status } from "../types";

export type StatusState =
    | { state: "loading" }
    | { state: "error"; message: string }
    | { state: "ready"; status: Status };

export function useStatus(): [StatusState, () => void, () => void] {
    const [result, setResult] = useState<StatusState>({ state: "loading" });
    const generation = useRef(0);

    const fetch = useCallback((quiet: boolean) => {
        const mine = ++generation.current;
        if (!quiet)
            setResult({ state: "loading" });
        getStatus().then(
            status => { if (mine === generation.current) setResult({ state: "ready", status }) },
            (ex: unknown) => {
                // a failed background refresh keeps showing the last good status
                if (mine === generation.current)
                    setResult(prev => (quiet && prev.state === "ready" ? prev : { state: "error", message: toHelperError(ex).message }));
            },
        );
    }, []);
    const load = useCallback(() => fetch(false), [fetch]);
    const refresh = useCallback(() => fetch(true), [fetch]);

    useEffect(() => {
        load();
        return () => { generation.current++ };
    }, [load]);

    return [result, load, refresh];
}
