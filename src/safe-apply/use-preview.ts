// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's plan for a change (`--dry-run`), fetched shortly after the admin stops typing.

import { useEffect, useState } from "preact/hooks";
import { previewChange, toHelperError } from "../client/helper-client";
import type { Plan } from "../types";
import { useDebounced } from "../ui/debounce";

/** Typing pause before asking the helper for a plan: each ask runs Python on the host. */
export const PREVIEW_DELAY_MS = 300;

export type PreviewState =
    | { state: "idle" }
    | { state: "loading" }
    | { state: "ready"; plan: Plan }
    | { state: "error"; message: string };

/** The plan of the change `args` (the helper's arguments), asked for PREVIEW_DELAY_MS after they
 * last changed; null: nothing valid to preview yet. New arrays with the same values ask nothing. */
export function usePreview(args: readonly string[] | null): PreviewState {
    const key = args === null ? null : JSON.stringify(args);
    const settled = useDebounced(key, PREVIEW_DELAY_MS);
    const [answer, setAnswer] = useState<{ key: string; preview: PreviewState } | null>(null);
    useEffect(() => {
        if (settled === null)
            return;
        let current = true;
        previewChange(JSON.parse(settled) as string[]).then(
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
