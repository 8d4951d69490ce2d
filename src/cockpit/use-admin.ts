// SPDX-License-Identifier: LGPL-2.1-or-later
// Whether the session has administrative access right now, following Cockpit's superuser switch
// live: the bridge's cockpit.Superuser `Current` is "root" with access, "none" without, "init"
// while it is being decided. null: not known yet (render read-only until it is).

import { useEffect, useState } from "preact/hooks";

export function adminFromCurrent(current: unknown): boolean | null {
    if (current === "root")
        return true;
    if (current === "init" || current === undefined)
        return null;
    return false;
}

export function useAdmin(): boolean | null {
    const [admin, setAdmin] = useState<boolean | null>(null);
    useEffect(() => {
        let client: cockpit.DBusClient;
        try {
            client = cockpit.dbus(null, { bus: "internal" });
        } catch {
            setAdmin(false);
            return;
        }
        const proxy = client.proxy("cockpit.Superuser", "/superuser");
        const update = () => setAdmin(proxy.valid ? adminFromCurrent(proxy.Current) : null);
        proxy.addEventListener("changed", update);
        proxy.wait().then(update, () => setAdmin(false));
        return () => {
            proxy.removeEventListener("changed", update);
            client.close();
        };
    }, []);
    return admin;
}
