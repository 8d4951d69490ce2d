// SPDX-License-Identifier: LGPL-2.1-or-later
// The page's one debouncer: coalescer() for events (the ip monitor's refreshes, with a maximum
// wait) and useDebounced() for a value (a filter, the plan preview's key), built on it.

import { useEffect, useState } from "preact/hooks";

/** Typing pause before a filter goes to the helper (each change reads the table on the host). */
export const FILTER_DELAY_MS = 300;

export interface Clock {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A debounce with a maximum wait: `fire` runs `wait` ms after the last event, but at the latest
 * `maxWait` ms after the first one it covers. */
export function coalescer(fire: () => void, wait: number, maxWait: number, clock: Clock = realClock) {
    let first: number | null = null;
    let timer: unknown = null;
    const flush = () => {
        first = null;
        timer = null;
        fire();
    };
    return {
        event(): void {
            const now = clock.now();
            first ??= now;
            if (timer !== null)
                clock.clearTimeout(timer);
            const due = Math.min(now + wait, first + maxWait);
            timer = clock.setTimeout(flush, Math.max(0, due - now));
        },
        cancel(): void {
            if (timer !== null)
                clock.clearTimeout(timer);
            timer = null;
            first = null;
        },
    };
}

/** `value`, once it has not changed for `ms`. */
export function useDebounced<T>(value: T, ms = FILTER_DELAY_MS): T {
    const [settled, setSettled] = useState(value);
    useEffect(() => {
        const c = coalescer(() => setSettled(value), ms, Infinity);
        c.event();
        return () => c.cancel();
    }, [value, ms]);
    return settled;
}
