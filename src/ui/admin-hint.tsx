// SPDX-License-Identifier: LGPL-2.1-or-later
// Shown instead of the editing actions when the session has no administrative access.

import { Alert } from "./pf";
import { ADMIN_REQUIRED } from "../client/helper-client";

const _ = cockpit.gettext;

export const AdminHint = () => (
    <Alert isInline variant="info" title={ADMIN_REQUIRED} className="gw-admin-hint">
        {_("The page is read-only. Turn on administrative access with the \"Limited access\" button at the top of the window.")}
    </Alert>
);
