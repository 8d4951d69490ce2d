// SPDX-License-Identifier: LGPL-2.1-or-later
// While a change is being tested (the host's pending change, or this tab's unconfirmed one) every
// view holds changes back: why, and until when, in one sentence; and a clock that ticks until then.

import { useEffect, useState } from "preact/hooks";
import type { Attempt } from "./safe-apply";
import type { Pending } from "../types";

const _ = cockpit.gettext;

/** The moment the host rolls back (ms since the epoch), or null when it is not known. */
export function holdDeadline(pending: Pending | undefined, lost: Attempt | null): number | null {
    if (typeof pending?.deadline === "number")
        return pending.deadline * 1000;
    return lost?.deadline ?? null;
}

/** null: nothing holds changes back. */
export function holdReason(pending: Pending | undefined, lost: Attempt | null, now: number): string | null {
    if (pending === undefined && lost === null)
        return null;
    const deadline = holdDeadline(pending, lost);
    if (deadline === null)
        return _("A change is being tested: wait until it is kept or rolled back.");
    if (pending === undefined && now >= deadline)
        return _("A change could not be confirmed and was rolled back: dismiss the notice above (or apply the change anyway) first.");
    const seconds = Math.max(0, Math.ceil((deadline - now) / 1000));
    return cockpit.format(_("A change is being tested: wait until it is kept or rolled back (rolls back at $0, in $1 s)."),
                          new Date(deadline).toLocaleTimeString(), seconds);
}

/** The time now, again every second until a second after `deadline` (null: no clock). */
export function useClock(deadline: number | null): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        if (deadline === null || now > deadline + 1000)
            return;
        const timer = setTimeout(() => setNow(Date.now()), 1000);
        return () => clearTimeout(timer);
    }, [deadline, now]);
    return now;
}
