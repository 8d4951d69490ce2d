// SPDX-License-Identifier: LGPL-2.1-or-later
// Pieces the add-route and add-rule dialogs share: the devices to choose from (the host's
// interfaces in status), and the "More options" disclosure for the rarely used fields, open by
// itself while one of them says what is wrong.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Interface } from "../types";

const _ = cockpit.gettext;

/** What a route of another type, or a rule's action, does to a packet. */
export const REJECT_LABELS = {
    blackhole: _("Blackhole: drop silently"),
    unreachable: _("Unreachable: reject (host unreachable)"),
    prohibit: _("Prohibit: reject (administratively prohibited)"),
};

/** The host's interfaces as select options, after `none` (any device / no device). */
export const deviceOptions = (interfaces: readonly Interface[], none: string): [string, string][] =>
    [["", none], ...interfaces.map(i => [i.name, i.name] as [string, string])];

/** "More options": closed until the admin opens it, or while a field inside has an error. */
export const MoreOptions = ({ id, hasError, children }: { id: string; hasError: boolean; children: ComponentChildren }) => {
    const [open, setOpen] = useState(false);
    return (
        <details id={id} className="gw-details gw-more" open={open || hasError}
                 onToggle={e => setOpen(e.currentTarget.open)}>
            <summary>{_("More options")}</summary>
            {/* the form's own grid spaces the fields; gw-preview sets them off the summary */}
            <div className="pf-v6-c-form gw-preview">{children}</div>
        </details>
    );
};
