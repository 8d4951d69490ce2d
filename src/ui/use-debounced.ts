// SPDX-License-Identifier: LGPL-2.1-or-later

import { useEffect, useState } from "preact/hooks";

/** Typing pause before a filter goes to the helper (each change reads the table on the host). */
export const FILTER_DELAY_MS = 300;

/** `value`, once it has not changed for `ms`. */
export function useDebounced<T>(value: T, ms = FILTER_DELAY_MS): T {
    const [settled, setSettled] = useState(value);
    useEffect(() => {
        const timer = setTimeout(() => setSettled(value), ms);
        return () => clearTimeout(timer);
    }, [value, ms]);
    return settled;
}
