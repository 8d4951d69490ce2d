// SPDX-License-Identifier: LGPL-2.1-or-later
// Call `onChange` when the host's links, addresses, routes or rules change: follow `ip monitor`
// through cockpit.spawn (one long-running process, no polling), debounced so that a burst of
// events (one `set` is four or more) causes one refresh.

import { useEffect, useRef } from "preact/hooks";

/** A burst of netlink events within this time is one change. Shorter: more status reloads per
 * change; longer: the page lags behind the terminal. */
export const MONITOR_DEBOUNCE_MS = 500;

export const MONITOR_COMMAND = ["ip", "-o", "monitor", "link", "address", "route", "rule"];

export function useRoutingMonitor(onChange: () => void, enabled = true): void {
    const callback = useRef(onChange);
    callback.current = onChange;

    useEffect(() => {
        if (!enabled)
            return;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const proc = cockpit.spawn(MONITOR_COMMAND, { err: "message" });
        proc.stream(() => {
            if (timer !== undefined)
                clearTimeout(timer);
            timer = setTimeout(() => { timer = undefined; callback.current() }, MONITOR_DEBOUNCE_MS);
        });
        // ip monitor only ends when we stop it (or the host goes away): nothing to report then
        proc.then(() => {}, () => {}); // the page keeps working, just not live
        return () => {
            if (timer !== undefined)
                clearTimeout(timer);
            proc.close();
        };
    }, [enabled]);
}
