// SPDX-License-Identifier: LGPL-2.1-or-later
// Boot restore and self-healing in the Networks view: the states in words, and Turn on with the
// exact systemctl command previewed before it runs.

import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { ServicesCard, serviceState, systemdNote } from "../../src/networks/services-card";
import type { ServiceInfo, ServicesStatus } from "../../src/types";
import { spawnResult } from "./setup";

const svc = (name: "boot" | "watch", over: Partial<ServiceInfo> = {}): ServiceInfo =>
    ({ name, unit: `${name}.service`, state: "disabled", enabled: false, active: null, ...over });

describe("serviceState", () => {
    it.each([
        [svc("boot", { state: "not-found" }), "offline", "not installed"],
        [svc("boot", { state: "unknown", enabled: null }), "absent", "unknown: systemd is absent"],
        [svc("boot"), "running", "off"],
        [svc("boot", { state: "masked" }), "running", "off (masked)"],
        [svc("boot", { state: "enabled", enabled: true, active: true }), "running", "on"],
        [svc("watch", { state: "enabled", enabled: true, active: false }), "running", "on, not running now"],
        [svc("watch", { state: "enabled", enabled: true }), "offline", "on (from the next boot)"],
    ] as const)("%o under %s → %s", (info, systemd, words) => {
        expect(serviceState(info, systemd)).toBe(words);
    });
    it("explains an offline or absent systemd, says nothing when it runs", () => {
        expect(systemdNote("running")).toBeNull();
        expect(systemdNote("offline")).toMatch(/next boot/);
        expect(systemdNote("absent")).toMatch(/no systemd/);
    });
});

describe("ServicesCard", () => {
    it("previews the systemctl command, then turns self-healing on", async () => {
        const off: ServicesStatus = { systemd: "running", services: [svc("boot"), svc("watch")] };
        const calls: string[][] = [];
        vi.mocked(cockpit.spawn).mockImplementation(args => {
            const argv = args.slice(3);
            calls.push(argv);
            if (argv[0] === "service" && argv[1] === "enable") {
                const preview = argv.includes("--dry-run");
                return spawnResult(Promise.resolve(JSON.stringify({ ...off, changed: true, dry_run: preview,
                    commands: ["systemctl enable --now cockpit-gateways-watch.service"] })));
            }
            return spawnResult(Promise.resolve(JSON.stringify(off)));
        });
        const applied = vi.fn();
        render(<ServicesCard admin onApplied={applied} />);
        fireEvent.click(await screen.findByRole("button", { name: "Turn on: Repair source routing when it goes missing (self-healing)" }));
        expect(await screen.findByText("systemctl enable --now cockpit-gateways-watch.service")).toBeTruthy();
        expect(calls).toContainEqual(["service", "enable", "watch", "--dry-run", "--json"]);
        expect(calls).not.toContainEqual(["service", "enable", "watch", "--json"]);
        const dialog = screen.getByRole("dialog");
        fireEvent.click(Array.from(dialog.querySelectorAll("button")).filter(b => b.textContent === "Turn on")[0]);
        await waitFor(() => expect(applied).toHaveBeenCalledWith("Repair source routing when it goes missing (self-healing): on"));
        expect(calls).toContainEqual(["service", "enable", "watch", "--json"]);
    });

    it("offers nothing to change without administrative access", async () => {
        vi.mocked(cockpit.spawn).mockImplementation(() =>
            spawnResult(Promise.resolve(JSON.stringify({ systemd: "running", services: [svc("boot"), svc("watch")] }))));
        render(<ServicesCard admin={false} onApplied={() => {}} />);
        expect(await screen.findByText("Boot and self-healing")).toBeTruthy();
        expect(screen.queryByRole("button", { name: /Turn on/ })).toBeNull();
    });
});
