// SPDX-License-Identifier: LGPL-2.1-or-later
// The route lookup's form, pure: its fields from the URL options, validation, and the query.

import { parseAddress } from "../ip-address";
import type { LookupQuery } from "../types";
import { validateMark } from "../fixes/fix-validators";

const _ = cockpit.gettext;

export interface LookupForm {
    to: string;
    from: string;
    iif: string;
    fwmark: string;
}

export const LOOKUP_FIELDS = ["to", "from", "iif", "fwmark"] as const;

export function lookupFormFrom(options: Record<string, string>): LookupForm {
    return { to: options.to ?? "", from: options.from ?? "", iif: options.iif ?? "", fwmark: options.fwmark ?? "" };
}

function validateAddress(value: string, required: boolean): string | undefined {
    const text = value.trim();
    if (text === "")
        return required ? _("Enter the destination address.") : undefined;
    return parseAddress(text) === null ? _("Enter an IPv4 or IPv6 address, e.g. 10.0.9.2.") : undefined;
}

export function validateLookup(f: LookupForm): Partial<Record<keyof LookupForm, string>> {
    const errors: Partial<Record<keyof LookupForm, string>> = {};
    const to = validateAddress(f.to, true);
    const from = validateAddress(f.from, false);
    const mark = validateMark(f.fwmark);
    if (to !== undefined)
        errors.to = to;
    if (from !== undefined)
        errors.from = from;
    if (mark !== undefined)
        errors.fwmark = mark;
    if (to === undefined && from === undefined && f.from.trim() !== "" &&
        parseAddress(f.to.trim())?.family !== parseAddress(f.from.trim())?.family)
        errors.from = _("The source must be of the same family as the destination.");
    return errors;
}

/** The URL options (and the helper query) for a valid form; empty fields are left out. */
export function lookupOptions(f: LookupForm): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of LOOKUP_FIELDS) {
        if (f[key].trim() !== "")
            out[key] = f[key].trim();
    }
    return out;
}

export function lookupQuery(options: Record<string, string>): LookupQuery | null {
    const f = lookupFormFrom(options);
    if (Object.keys(validateLookup(f)).length > 0)
        return null;
    const q: LookupQuery = { to: f.to.trim() };
    for (const key of ["from", "iif", "fwmark"] as const) {
        if (f[key].trim() !== "")
            q[key] = f[key].trim();
    }
    return q;
}
