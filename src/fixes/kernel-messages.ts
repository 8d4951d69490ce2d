// SPDX-License-Identifier: LGPL-2.1-or-later
// The kernel's refusal of a one-off fix in the admin's words, with the field it concerns, e.g.
//   "`ip route add … via 10.0.5.1 …` failed: Error: Nexthop has invalid gateway."
//     → at Gateway: "The kernel cannot reach this gateway directly: … (The kernel said: …)"
// The kernel's own words stay in brackets, for whoever searches for them. Pure.

const _ = cockpit.gettext;

interface Known {
    pattern: RegExp;
    /** The form field it concerns (the helper's option name), or null: the whole fix. */
    field: string | null;
    text: () => string;
}

const KNOWN: readonly Known[] = [
    {
        pattern: /invalid gateway|Network is unreachable|local address/i,
        field: "via",
        text: () => _("The kernel cannot reach this gateway directly. Enter a router on the device's network, or tick On-link."),
    },
    { pattern: /(Nexthop device|Device for nexthop) is not up/i, field: "dev", text: () => _("The device is down: bring it up first, or choose another device.") },
];

/** null: not a kernel refusal this page knows (it is then shown as it is). */
export function explainKernelError(message: string | null): { field: string | null; message: string } | null {
    const m = message === null ? null : /failed: (?:Error: |RTNETLINK answers: )?(.+?)\.?\s*$/s.exec(message);
    const kernel = m?.[1];
    const known = kernel === undefined ? undefined : KNOWN.find(k => k.pattern.test(kernel));
    if (known === undefined || kernel === undefined)
        return null;
    return { field: known.field, message: cockpit.format(_("$0 (The kernel said: $1)"), known.text(), kernel) };
}
