// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's plan for a change (`--dry-run`), fetched shortly after the admin stops typing.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { useDebounced } from "../ui/use-debounced";
import { previewChange, toHelperError, type GatewayChange } from "../client/helper-client";
import type { Plan } from "../types";

/** Typing pause before asking the helper for a plan: each ask runs Python on the host. */
export const PREVIEW_DELAY_MS = 300;

export type PreviewState =
    | { state: "idle" }
    | { state: "loading" }
    | { state: "ready"; plan: Plan }
    | { state: "error"; message: string };

/** The plan `fetch` returns, asked for PREVIEW_DELAY_MS after `key` last changed; `key` null:
 * nothing valid to preview yet.  `key` is the request's identity: a new object with the same
 * values must not fetch again (`fetch` is the one of the render that settled the key). */
export function useDebouncedPlan(key: string | null, fetch: () => Promise<Plan>): PreviewState {
    const settled = useDebounced(key, PREVIEW_DELAY_MS);
    const fetchRef = useRef(fetch);
    useLayoutEffect(() => { fetchRef.current = fetch });
    const [answer, setAnswer] = useState<{ key: string; preview: PreviewState } | null>(null);
    useEffect(() => {
        if (settled === null)
            return;
        let current = true;
        fetchRef.current().then(
            plan => { if (current) setAnswer({ key: settled, preview: { state: "ready", plan } }) },
            (ex: unknown) => {
                if (current)
                    setAnswer({ key: settled, preview: { state: "error", message: toHelperError(ex).message } });
            });
        return () => { current = false };
    }, [settled]);
    if (key === null)
        return { state: "idle" };
    return answer !== null && answer.key === key && settled === key ? answer.preview : { state: "loading" };
}

/** `change` null: nothing valid to preview yet. */
export function usePreview(change: GatewayChange | null): PreviewState {
    const key = change === null ? null : `${change.iface} ${change.family} ${change.gateway ?? ""}`;
    return useDebouncedPlan(key, () => previewChange(change as GatewayChange));
}
