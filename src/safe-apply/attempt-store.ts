// SPDX-License-Identifier: LGPL-2.1-or-later
// The safe-apply attempt of this tab: in sessionStorage, so that the page loaded after a lost
// connection (a reload in the same tab) can explain what happened, and in memory whether it is
// still being applied here (then it is no news). Gateway changes and one-off fixes alike.

import { useEffect, useState } from "preact/hooks";
import type { Attempt } from "./safe-apply";

export const ATTEMPT_KEY = "cockpit-gateways:attempt";

/** True while this page itself applies and tests the remembered attempt. */
let inFlight = false;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach(l => l());

function storage(): Storage | null {
    try {
        return window.sessionStorage;
    } catch {
        return null; // storage can be disabled
    }
}

/** Before the apply: the attempt is remembered, and in flight. */
export function rememberAttempt(attempt: Attempt): void {
    inFlight = true;
    try {
        storage()?.setItem(ATTEMPT_KEY, JSON.stringify(attempt));
    } catch { /* full or disabled: the explanation is a nicety */ }
    changed();
}

/** Confirmed, failed (nothing changed), or dismissed. */
export function forgetAttempt(): void {
    inFlight = false;
    try {
        storage()?.removeItem(ATTEMPT_KEY);
    } catch { /* disabled */ }
    changed();
}

/** The connection could not be proven: the remembered attempt is now one to explain. */
export function attemptLost(): void {
    inFlight = false;
    changed();
}

export function loadAttempt(): Attempt | null {
    let raw: string | null = null;
    try {
        raw = storage()?.getItem(ATTEMPT_KEY) ?? null;
    } catch {
        return null;
    }
    if (raw === null)
        return null;
    try {
        const a = JSON.parse(raw) as Partial<Attempt>;
        if (typeof a.what === "string" && Array.isArray(a.args) && a.args.every(x => typeof x === "string") &&
            typeof a.deadline === "number")
            return { what: a.what, args: a.args, deadline: a.deadline };
    } catch { /* not ours */ }
    return null;
}

export interface AttemptState {
    /** The remembered attempt that is not being applied right now (lost here, or before a reload). */
    lost: Attempt | null;
    /** This page is applying and testing a change right now. */
    inFlight: boolean;
}

const current = (): AttemptState => ({ lost: inFlight ? null : loadAttempt(), inFlight });

export function useAttempt(): AttemptState {
    const [state, setState] = useState(current);
    useEffect(() => {
        const update = () => setState(current());
        listeners.add(update);
        update();
        return () => { listeners.delete(update) };
    }, []);
    return state;
}
