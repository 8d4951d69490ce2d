// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's plan for a change (`--dry-run`), fetched shortly after the admin stops typing.

import { useEffect, useState } from "preact/hooks";
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
 * values must not fetch again. */
export function useDebouncedPlan(key: string | null, fetch: () => Promise<Plan>): PreviewState {
    const [preview, setPreview] = useState<PreviewState>({ state: "idle" });
    useEffect(() => {
        if (key === null) {
            setPreview({ state: "idle" });
            return;
        }
        let current = true;
        setPreview({ state: "loading" });
        const timer = setTimeout(() => {
            fetch().then(
                plan => { if (current) setPreview({ state: "ready", plan }) },
                (ex: unknown) => { if (current) setPreview({ state: "error", message: toHelperError(ex).message }) });
        }, PREVIEW_DELAY_MS);
        return () => { current = false; clearTimeout(timer) };
    // `fetch` follows `key`
    }, [key]);
    return preview;
}

/** `change` null: nothing valid to preview yet. */
export function usePreview(change: GatewayChange | null): PreviewState {
    const key = change === null ? null : `${change.iface} ${change.family} ${change.gateway ?? ""}`;
    return useDebouncedPlan(key, () => previewChange(change as GatewayChange));
}
