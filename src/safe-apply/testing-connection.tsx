// SPDX-License-Identifier: LGPL-2.1-or-later
// The dialog's curtain while a change is applied and the connection is being proven.

import { EmptyState, EmptyStateBody, Spinner } from "../ui/pf";
import { CONFIRM_WITHIN_S, type Phase } from "./safe-apply";

const _ = cockpit.gettext;

export const TestingConnection = ({ phase }: { phase: Phase | null }) => (
    <EmptyState headingLevel="h3" icon={Spinner} aria-live="polite" className="gw-testing"
                titleText={phase === "applying" ? _("Applying the change") : _("Testing connection")}>
        <EmptyStateBody>
            {cockpit.format(_("If this page cannot reach the host any more, the host undoes the change by itself within $0 seconds."),
                            CONFIRM_WITHIN_S)}
        </EmptyStateBody>
    </EmptyState>
);
