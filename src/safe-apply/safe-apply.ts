// SPDX-License-Identifier: LGPL-2.1-or-later
// Safe apply, NetworkManager-checkpoint style but with the rollback living in our helper:
//
//   remember the attempt → apply with --confirm-within → settle → probe (fresh round-trip) → confirm
//
// If the probe or the confirmation fails, we do NOT retry: the host's watchdog undoes the change
// by itself at the deadline, and the remembered attempt lets the page (this one, or the one loaded
// after reconnecting) explain "Connection would be lost" and offer to apply anyway.
//
// Timer values and their trade-offs (all of them live here):
//   CONFIRM_WITHIN_S = 20   The host-side deadline (`set … --confirm-within 20`). It must cover
//                           the apply's own answer + SETTLE_MS + PROBE_TIMEOUT_MS + the confirm's
//                           round-trip (worst case ~2 + 2 + 8 + 2 = 14 s) with margin for a slow
//                           host. Longer: an admin who cut themselves off waits longer for the
//                           rollback. Shorter: a slow but working connection is rolled back.
//   SETTLE_MS = 2000        Wait after the apply before probing, so the kernel's new routes and
//                           rules are in effect and a broken path has had time to break (TCP to
//                           the host keeps working for a moment on a dead path). Longer costs the
//                           admin time on every change; shorter may prove an old path.
//   PROBE_TIMEOUT_MS = 8000 How long the fresh round-trip (`true` through cockpit.spawn: a new
//                           channel over the same WebSocket, answered by the host) may take. A dead
//                           path makes it hang rather than fail, so this is what detects it. Longer
//                           tolerates a slow link; it must stay well below CONFIRM_WITHIN_S.
//   While a change is being tested the shell is told to ignore its transport health check
//   (cockpit.hint "ignore_transport_health_check", as Cockpit's networking page does around its
//   checkpoints): a connection that stalls for a moment must not make the shell declare it dead
//   and reload the page mid-test, which would lose the confirmation.
//   (The ip monitor's refresh timing is in cockpit/use-routing-monitor.ts, debounced by ui/debounce.ts:
//   it only affects refreshes.)

export const CONFIRM_WITHIN_S = 20;
export const SETTLE_MS = 2000;
export const PROBE_TIMEOUT_MS = 8000;

/** What the page remembers (sessionStorage) before it applies: enough to explain a rollback and
 * to apply the same change again without one. */
export interface Attempt {
    /** The change in words: "Setting the gateway of eth1 (IPv4) to 10.0.2.1". */
    what: string;
    /** The helper's arguments that make it (without --confirm-within). */
    args: string[];
    /** ms since the epoch after which the host has certainly rolled back. */
    deadline: number;
}

export type Phase = "applying" | "testing" | "confirming";

export type Outcome =
    | { result: "confirmed" }
    /** The page could not prove the connection; the host rolls back at the deadline. */
    | { result: "lost"; attempt: Attempt }
    /** The apply itself failed (the helper's message); nothing changed. */
    | { result: "failed"; error: unknown };

export interface SafeApplyDeps {
    /** `… --confirm-within N --json` → the token. */
    apply: (confirmWithin: number) => Promise<string>;
    /** A fresh round-trip to the host; rejects or hangs when the host is not reachable. */
    probe: () => Promise<unknown>;
    confirm: (token: string) => Promise<unknown>;
    remember: (attempt: Attempt) => void;
    forget: () => void;
    onPhase?: (phase: Phase) => void;
    /** Tell the shell to hold on to the connection while the change is tested (default: the
     * transport health check hint). */
    holdConnection?: (hold: boolean) => void;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>(resolve => { setTimeout(resolve, ms) });

/** Resolves like `promise`, or rejects with "timeout" after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, wait = sleep): Promise<T> {
    return Promise.race([promise, wait(ms).then(() => Promise.reject(new Error("timeout")))]);
}

/** Cockpit's shell declares its WebSocket dead after a missed health check and reloads; this asks it
 * to ignore those checks (true) or to resume them (false). */
export function holdTransport(hold: boolean): void {
    cockpit.hint("ignore_transport_health_check", { data: hold });
}

export async function safeApply(change: Omit<Attempt, "deadline">, deps: SafeApplyDeps): Promise<Outcome> {
    const now = deps.now ?? (() => Date.now());
    const attempt: Attempt = { ...change, deadline: now() + CONFIRM_WITHIN_S * 1000 };
    const hold = deps.holdConnection ?? holdTransport;
    hold(true);
    try {
        return await applyAndConfirm(attempt, deps);
    } finally {
        hold(false);
    }
}

async function applyAndConfirm(attempt: Attempt, deps: SafeApplyDeps): Promise<Outcome> {
    const wait = deps.sleep ?? sleep;
    deps.remember(attempt);
    deps.onPhase?.("applying");
    let token: string;
    try {
        token = await deps.apply(CONFIRM_WITHIN_S);
    } catch (error) {
        deps.forget(); // exit 2 or 1: the helper left the owned state as it was
        return { result: "failed", error };
    }
    deps.onPhase?.("testing");
    try {
        await wait(SETTLE_MS);
        await withTimeout(Promise.resolve(deps.probe()), PROBE_TIMEOUT_MS, wait);
        deps.onPhase?.("confirming");
        await withTimeout(Promise.resolve(deps.confirm(token)), PROBE_TIMEOUT_MS, wait);
    } catch {
        return { result: "lost", attempt };
    }
    deps.forget();
    return { result: "confirmed" };
}
