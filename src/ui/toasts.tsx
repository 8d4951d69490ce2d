// SPDX-License-Identifier: LGPL-2.1-or-later
// Background results (e.g. Repair) as toasts, PatternFly style.

import { Alert, AlertActionCloseButton, AlertGroup } from "./pf";

const _ = cockpit.gettext;

export interface Toast {
    key: number;
    variant: "success" | "danger" | "info";
    title: string;
    body?: string;
}

export const Toasts = ({ toasts, onClose }: { toasts: readonly Toast[]; onClose: (key: number) => void }) => (
    <AlertGroup isToast isLiveRegion>
        {toasts.map(t => (
            <Alert key={t.key} variant={t.variant} title={t.title} timeout={t.variant === "success" ? 8000 : false}
                   onTimeout={() => onClose(t.key)}
                   actionClose={<AlertActionCloseButton title={_("Close")} onClose={() => onClose(t.key)} />}>
                {t.body !== undefined && <p className="gw-error-message">{t.body}</p>}
            </Alert>
        ))}
    </AlertGroup>
);
