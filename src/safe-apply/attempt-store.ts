// SPDX-License-Identifier: LGPL-2.1-or-later
// The safe-apply attempt in the tab's sessionStorage, so that the page loaded after a lost
// connection (a reload in the same tab) can explain what happened.

import type { Attempt } from "./safe-apply";

export const ATTEMPT_KEY = "cockpit-gateways:attempt";

function storage(): Storage | null {
    try {
        return window.sessionStorage;
    } catch {
        return null; // storage can be disabled
    }
}

export function rememberAttempt(attempt: Attempt): void {
    try {
        storage()?.setItem(ATTEMPT_KEY, JSON.stringify(attempt));
    } catch { /* full or disabled: the explanation is a nicety */ }
}

export function forgetAttempt(): void {
    try {
        storage()?.removeItem(ATTEMPT_KEY);
    } catch { /* disabled */ }
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
        if (typeof a.iface === "string" && (a.family === "inet" || a.family === "inet6") &&
            (typeof a.gateway === "string" || a.gateway === null) && typeof a.deadline === "number")
            return { iface: a.iface, family: a.family, gateway: a.gateway, deadline: a.deadline };
    } catch { /* not ours */ }
    return null;
}
