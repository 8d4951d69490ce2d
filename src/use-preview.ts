// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's plan for a change (`--dry-run`), fetched shortly after the admin stops typing.

import { useEffect, useState } from "preact/hooks";
import { previewChange, toHelperError, type GatewayChange } from "./helper-client";
import type { Plan } from "./types";

/** Typing pause before asking the helper for a plan: each ask runs Python on the host. */
export const PREVIEW_DELAY_MS = 300;

export type PreviewState =
    | { state: "idle" }
    | { state: "loading" }
    | { state: "ready"; plan: Plan }
    | { state: "error"; message: string };

/** `change` null: nothing valid to preview yet. */
export function usePreview(change: GatewayChange | null): PreviewState {
    const [preview, setPreview] = useState<PreviewState>({ state: "idle" });
    const key = change === null ? null : `${change.iface} ${change.family} ${change.gateway ?? ""}`;
    useEffect(() => {
        if (change === null) {
            setPreview({ state: "idle" });
            return;
        }
        let current = true;
        setPreview({ state: "loading" });
        const timer = setTimeout(() => {
            previewChange(change).then(
                plan => { if (current) setPreview({ state: "ready", plan }) },
                (ex: unknown) => { if (current) setPreview({ state: "error", message: toHelperError(ex).message }) });
        }, PREVIEW_DELAY_MS);
        return () => { current = false; clearTimeout(timer) };
    // `key` is the change's identity (a new object with the same values must not re-fetch)
    }, [key]);
    return preview;
}
