// SPDX-License-Identifier: LGPL-2.1-or-later
// One change in a dialog, from preview to confirmation: the helper's plan (`--dry-run`, shortly
// after the admin stops typing) and the safe apply (safe-apply.ts: --confirm-within, settle, a
// fresh round-trip, confirm). The gateway dialog and every fix dialog use it, with the frame in
// safe-apply-dialog.tsx. A change that cannot be confirmed stays remembered (attempt-store.ts)
// and the page's one lost-connection notice (lost-notice.tsx) explains it.

import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { applyWithRollback, confirmChange, roundTrip, toHelperError } from "../client/helper-client";
import { attemptLost, forgetAttempt, rememberAttempt } from "./attempt-store";
import { useOwnConnectionGuard } from "./plan-connections";
import { safeApply, type Phase } from "./safe-apply";
import { usePreview, type PreviewState } from "./use-preview";

export interface SafeApply {
    /** The plan; idle when the change is not previewed (or not valid yet). */
    preview: PreviewState;
    /** Non-null while applying and testing: the dialog shows its curtain. */
    phase: Phase | null;
    /** The helper's message (the apply's, else the preview's), for the top of the dialog. */
    error: string | null;
    canApply: boolean;
    /** When the plan would move or cut this web console's own connection: the warning with its
     * "Apply anyway" box (Apply waits for it); else null. */
    guard: JSX.Element | null;
    clearError: () => void;
    apply: () => void;
}

export interface SafeApplyOptions {
    /** The helper's arguments (no --json); null: the form is not valid yet. */
    args: readonly string[] | null;
    /** The change in words, for the notice if it cannot be confirmed. */
    what: string;
    /** Closes the dialog: confirmed (true), or lost (false: the page's notice takes over). */
    onDone: (confirmed: boolean) => void;
    /** Ask the helper for the plan first (default); without, Apply is possible at once. */
    preview?: boolean;
}

export function useSafeApply({ args, what, onDone, preview: withPreview = true }: SafeApplyOptions): SafeApply {
    const [phase, setPhase] = useState<Phase | null>(null);
    const [applyError, setApplyError] = useState<string | null>(null);
    const preview = usePreview(withPreview ? args : null);
    const guard = useOwnConnectionGuard(preview);
    const canApply = args !== null && phase === null && !guard.blocked &&
        (!withPreview || (preview.state === "ready" && preview.plan.changed !== false));
    const apply = () => {
        if (!canApply)
            return;
        setApplyError(null);
        const change = { what, args: [...args] };
        void safeApply(change, {
            apply: seconds => applyWithRollback(change.args, seconds),
            probe: roundTrip,
            confirm: confirmChange,
            remember: rememberAttempt,
            forget: forgetAttempt,
            onPhase: setPhase,
        }).then(outcome => {
            if (outcome.result === "failed") {
                setPhase(null);
                setApplyError(toHelperError(outcome.error).message);
                return;
            }
            if (outcome.result === "lost")
                attemptLost();
            onDone(outcome.result === "confirmed");
        });
    };
    return {
        preview,
        phase,
        error: applyError ?? (preview.state === "error" ? preview.message : null),
        canApply,
        guard: guard.element,
        clearError: () => setApplyError(null),
        apply,
    };
}
