// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's warnings, and a note when the kernel differs from the saved configuration.

import { Alert, Stack, StackItem } from "../ui/pf";
import type { Drift } from "../types";

export const StatusAlerts = ({ warnings, drift }: { warnings: readonly string[]; drift: Drift | undefined }) => {
    const differences = (drift?.missing?.length ?? 0) + (drift?.extra?.length ?? 0);
    if (warnings.length === 0 && differences === 0)
        return null;
    return (
        <Stack hasGutter className="gw-alerts">
            {warnings.map((w, i) => (
                <StackItem key={i}><Alert isInline isPlain variant="warning" title={w} /></StackItem>
            ))}
            {differences > 0 && (
                <StackItem>
                    <Alert isInline isPlain variant="info"
                           title={cockpit.format(cockpit.ngettext("$0 routing object differs from the saved configuration",
                                                                  "$0 routing objects differ from the saved configuration",
                                                                  differences), differences)} />
                </StackItem>
            )}
        </Stack>
    );
};
