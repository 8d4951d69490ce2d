// SPDX-License-Identifier: LGPL-2.1-or-later
// A fake of the cockpit.js global (the host serves the real one). Tests replace `spawn` as needed.

import { cleanup } from "@testing-library/preact";
import { afterEach, vi } from "vitest";

function format(template: string, ...args: unknown[]): string {
    const values = args.length === 1 && typeof args[0] === "object" && args[0] !== null
        ? args[0] as Record<string, unknown>
        : args;
    return template.replace(/\$\{([^}]+)\}|\$([0-9]+)/g, (_m, name: string | undefined, index: string | undefined) =>
        String((values as Record<string, string | number | undefined>)[name ?? index ?? ""] ?? ""));
}

/** A cockpit promise-like for spawn: a rejected promise with stream/input/close (monitor, probes). */
export function spawnResult(result: Promise<string>): cockpit.SpawnPromise {
    result.catch(() => {}); // tests that expect a rejection still see it
    const proc = result as cockpit.SpawnPromise;
    return Object.assign(proc, { stream: () => proc, input: () => proc, close: vi.fn() });
}

/** cockpit.Superuser as the fake internal D-Bus reports it: Current ("root": admin), Bridges, and
 * the account cockpit.user() answers with. */
export const superuser = {
    current: "root" as string | undefined,
    bridges: ["sudo"] as string[] | undefined,
    user: { name: "admin", id: 1000, groups: ["admin", "sudo"] } as cockpit.UserInfo,
};

/** Listeners of the fake proxies' "changed": superuserChanged() fires them, as the shell's switch does. */
const superuserListeners = new Set<() => void>();
export function superuserChanged(): void {
    for (const listener of [...superuserListeners])
        listener();
}

function dbus() {
    return {
        proxy: () => ({
            get valid() { return superuser.current !== undefined },
            get Current() { return superuser.current },
            get Bridges() { return superuser.bridges },
            wait: () => Promise.resolve(),
            addEventListener: vi.fn((_event: string, listener: () => void) => { superuserListeners.add(listener) }),
            removeEventListener: vi.fn((_event: string, listener: () => void) => { superuserListeners.delete(listener) }),
        }),
        close: vi.fn(),
    };
}

const fake = {
    gettext: (a: string, b?: string) => b ?? a,
    ngettext: (singular: string, plural: string, n: number) => (n === 1 ? singular : plural),
    format,
    spawn: vi.fn(() => spawnResult(Promise.reject(new Error("cockpit.spawn is not mocked in this test")))),
    dbus: vi.fn(dbus),
    user: vi.fn(() => Promise.resolve(superuser.user)),
    hint: vi.fn(),
    permission: vi.fn(() => ({ allowed: false, addEventListener: vi.fn(), removeEventListener: vi.fn(), close: vi.fn() })),
    location: { path: [], options: {}, href: "", go: vi.fn() },
    transport: { host: "localhost", origin: "http://localhost", close: vi.fn() },
    language: "en",
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
};

Object.assign(globalThis, { cockpit: fake });

/** The helper script as the page fetches it (helper.py next to index.html); the real one is tested elsewhere. */
export const HELPER_STUB = "# cockpit-gateways helper (test stub)\n";
globalThis.fetch = vi.fn((url: string | URL | Request) => Promise.resolve(
    (url instanceof Request ? url.url : url.toString()) === "helper.py" ? new Response(HELPER_STUB) : new Response("", { status: 404 })));

afterEach(() => {
    cleanup();
    superuserListeners.clear();
    superuser.current = "root";
    superuser.bridges = ["sudo"];
    superuser.user = { name: "admin", id: 1000, groups: ["admin", "sudo"] };
    window.sessionStorage.clear();
});
