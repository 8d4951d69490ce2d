// SPDX-License-Identifier: LGPL-2.1-or-later
// Whether the session has administrative access right now, as Cockpit itself defines it
// (pkg/lib/superuser.js): the bridge's cockpit.Superuser `Current` is "none" without access, "init"
// while the shell is still deciding, and otherwise the name of the superuser bridge in use: "sudo"
// or "pkexec" after the admin switched to administrative access in the shell, "root" when the
// bridge itself runs as root. Switching in the shell's top bar flips the page live, both ways,
// without a reload. A bridge without that interface (an older Cockpit) falls back to
// cockpit.permission({ admin: true }), as superuser.js does.
//
// And whether the account could switch, for a read-only page that tells the truth: the shell
// offers its "Limited access" button only where a superuser bridge is configured (`Bridges`), and
// sudo and polkit grant administration to members of the admin groups.

import { useEffect, useState } from "preact/hooks";

/** true: administrative access; false: none; null: not known yet (render read-only, no flicker). */
export function adminFromCurrent(current: unknown): boolean | null {
    if (typeof current !== "string" || current === "init")
        return null;
    return current !== "none";
}

/** The groups that sudo (Debian, Ubuntu: sudo, admin) and polkit (Fedora, RHEL: wheel) make
 * administrators by default. */
export const ADMIN_GROUPS: readonly string[] = ["sudo", "wheel", "admin"];

/** Can this account switch to administrative access? true: yes, through the shell's button;
 * false: no; null: not known (yet). */
export function canEscalate(bridges: unknown, user: { id?: number; groups?: string[] } | null): boolean | null {
    if (!Array.isArray(bridges) || user === null)
        return null;
    if (bridges.length === 0)
        return false; // no superuser bridge at all: the shell shows no switch
    if (user.id === 0)
        return true;
    return (user.groups ?? []).some(g => ADMIN_GROUPS.includes(g));
}

export interface Access {
    /** Administrative access now (see adminFromCurrent). */
    admin: boolean | null;
    /** Whether the account could switch to it (see canEscalate). */
    canEscalate: boolean | null;
    /** The login name, once known. */
    user: string | null;
}

export function useAccess(): Access {
    const [access, setAccess] = useState<Access>({ admin: null, canEscalate: null, user: null });
    useEffect(() => {
        let closed = false;
        const set = (change: Partial<Access>) => { if (!closed) setAccess(a => ({ ...a, ...change })) };
        let client: cockpit.DBusClient;
        try {
            client = cockpit.dbus(null, { bus: "internal" });
        } catch {
            set({ admin: false, canEscalate: null });
            return;
        }
        let user: cockpit.UserInfo | null = null;
        let permission: cockpit.Permission | null = null;
        const proxy = client.proxy("cockpit.Superuser", "/superuser");
        const update = () => {
            if (!proxy.valid)
                return;
            set({ admin: adminFromCurrent(proxy.Current), canEscalate: canEscalate(proxy.Bridges, user) });
        };
        proxy.addEventListener("changed", update);
        proxy.wait().then(() => {
            if (proxy.valid) {
                update();
                return;
            }
            // no cockpit.Superuser on this bridge: ask Cockpit's permission API instead
            permission = cockpit.permission({ admin: true });
            const fromPermission = () => set({ admin: permission?.allowed ?? null });
            permission.addEventListener("changed", fromPermission);
            fromPermission();
        }, () => set({ admin: false }));
        cockpit.user().then(u => {
            user = u;
            set({ user: u.name });
            update();
        }, () => { /* stays unknown: the hint then does not claim either way */ });
        return () => {
            closed = true;
            proxy.removeEventListener("changed", update);
            permission?.close();
            client.close();
        };
    }, []);
    return access;
}

/** Just the administrative access (see Access.admin). */
export function useAdmin(): boolean | null {
    return useAccess().admin;
}
