// SPDX-License-Identifier: LGPL-2.1-or-later
// The part of cockpit.js (served by the host as ../base1/cockpit.js, a global) that we use.
// Cockpit publishes no types; this is our own, kept to exactly what the page calls.

declare namespace cockpit {
    type Superuser = "require" | "try" | false;

    interface SpawnOptions {
        /** Run with administrative privileges: "require" fails without them, "try" falls back. */
        superuser?: Superuser;
        /** "message": collect stderr into the error's message; "out": merge into stdout. */
        err?: "out" | "ignore" | "message" | "pty";
        /** Extra environment, as "NAME=value" strings. */
        environ?: string[];
        directory?: string;
        binary?: boolean;
    }

    /** What a spawn promise rejects with. */
    interface ProcessError {
        /** e.g. "not-found", "access-denied", "disconnected"; null when the process just failed. */
        problem: string | null;
        message: string;
        /** Set when the process ran and exited with a non-zero status. */
        exit_status?: number | null;
        exit_signal?: number | null;
    }

    interface SpawnPromise extends Promise<string> {
        /** Called with each chunk of stdout as it arrives. */
        stream(callback: (data: string) => void): SpawnPromise;
        /** Write to stdin; the process's stdin is closed unless `stream` is true. */
        input(data?: string, stream?: boolean): SpawnPromise;
        /** Stop the process; `problem` becomes the rejection's problem. */
        close(problem?: string): void;
    }

    interface Location {
        path: string[];
        options: Record<string, string | string[]>;
        href: string;
        go(path: string | string[], options?: Record<string, string>): void;
        replace(path: string | string[], options?: Record<string, string>): void;
    }

    interface Transport {
        host: string;
        origin: string;
        close(problem?: string): void;
    }

    function spawn(args: string[], options?: SpawnOptions): SpawnPromise;

    /** A D-Bus proxy: properties appear on the object once `valid`; "changed" fires on updates. */
    interface DBusProxy {
        valid: boolean;
        wait(): Promise<void>;
        addEventListener(event: "changed", listener: () => void): void;
        removeEventListener(event: "changed", listener: () => void): void;
        [property: string]: unknown;
    }

    interface DBusClient {
        proxy(iface: string, path: string): DBusProxy;
        close(problem?: string): void;
    }

    /** `cockpit.dbus(null, { bus: "internal" })` reaches the bridge's own objects, e.g.
     * cockpit.Superuser at /superuser: `Current` ("none", "init", or the superuser bridge in use:
     * "sudo", "pkexec", "root") and `Bridges` (the configured superuser bridges). */
    function dbus(name: string | null, options?: { bus?: "internal" | "system" | "session" }): DBusClient;

    interface UserInfo {
        name: string;
        full_name?: string;
        id: number;
        groups?: string[];
        home?: string;
    }

    /** The logged-in account, as the bridge sees it. */
    function user(): Promise<UserInfo>;

    /** Cockpit's permission check (the fallback where the bridge has no cockpit.Superuser):
     * `allowed` is null until the first "changed" event. */
    interface Permission {
        allowed: boolean | null;
        addEventListener(event: "changed", listener: () => void): void;
        removeEventListener(event: "changed", listener: () => void): void;
        close(): void;
    }
    function permission(options: { admin?: boolean; group?: string }): Permission;

    /** Hints to the shell, e.g. ("ignore_transport_health_check", { data: true }) while a change
     * may stall the connection for a moment. */
    function hint(name: string, options?: Record<string, unknown>): void;

    function gettext(message: string): string;
    function gettext(context: string, message: string): string;
    function ngettext(singular: string, plural: string, n: number): string;
    /** Replaces $0, $1, … (or ${name} with an object) in the template. */
    function format(template: string, ...args: (string | number)[]): string;
    function format(template: string, args: Record<string, string | number>): string;

    const location: Location;
    const transport: Transport;
    const language: string;

    function addEventListener(event: "locationchanged" | "visibilitychange", listener: () => void): void;
    function removeEventListener(event: "locationchanged" | "visibilitychange", listener: () => void): void;
}
