// SPDX-License-Identifier: LGPL-2.1-or-later
// A one-off fix's preview (`--dry-run`, shortly after the admin stops typing) and its safe apply
// (safe-apply.ts: --confirm-within, settle, a fresh round-trip, confirm), shared by the dialogs.

import { useState } from "preact/hooks";
import { applyFixWithRollback, confirmChange, previewFix, roundTrip, toHelperError } from "../client/helper-client";
import { safeApply, type Phase } from "./safe-apply";
import { useDebouncedPlan, type PreviewState } from "./use-preview";

/** `args` null: nothing valid to preview yet. */
export function useFixPreview(args: readonly string[] | null): PreviewState {
    return useDebouncedPlan(args === null ? null : args.join("\u0000"), () => previewFix(args ?? []));
}

/** What a fix is, for the notice when its connection test fails (the host then undoes it). */
export interface FixAttempt {
    what: string;
    deadline: number;
}

export interface SafeFix {
    phase: Phase | null;
    error: string | null;
    setError: (error: string | null) => void;
    /** Resolves true when confirmed; false when it failed (error set) or was lost (onLost called). */
    apply(args: readonly string[], what: string): Promise<boolean>;
}

export function useSafeFix(onLost: (attempt: FixAttempt) => void): SafeFix {
    const [phase, setPhase] = useState<Phase | null>(null);
    const [error, setError] = useState<string | null>(null);
    const apply = async (args: readonly string[], what: string) => {
        setError(null);
        const outcome = await safeApply({ what }, {
            apply: seconds => applyFixWithRollback(args, seconds),
            probe: roundTrip,
            confirm: confirmChange,
            remember: () => {},
            forget: () => {},
            onPhase: setPhase,
        });
        if (outcome.result === "confirmed")
            return true;
        if (outcome.result === "lost") {
            onLost(outcome.attempt);
        } else {
            setPhase(null);
            setError(toHelperError(outcome.error).message);
        }
        return false;
    };
    return { phase, error, setError, apply };
}
