// SPDX-License-Identifier: LGPL-2.1-or-later
// Load the helper's status once, and again on demand (Retry).

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { getStatus, toHelperError } from "./helper-client";
import type { Status } from "./types";

export type StatusState =
    | { state: "loading" }
    | { state: "error"; message: string }
    | { state: "ready"; status: Status };

export function useStatus(): [StatusState, () => void] {
    const [result, setResult] = useState<StatusState>({ state: "loading" });
    const generation = useRef(0);

    const load = useCallback(() => {
        const mine = ++generation.current;
        setResult({ state: "loading" });
        getStatus().then(
            status => { if (mine === generation.current) setResult({ state: "ready", status }) },
            (ex: unknown) => { if (mine === generation.current) setResult({ state: "error", message: toHelperError(ex).message }) },
        );
    }, []);

    useEffect(() => {
        load();
        return () => { generation.current++ };
    }, [load]);

    return [result, load];
}
