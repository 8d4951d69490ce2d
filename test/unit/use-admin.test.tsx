// SPDX-License-Identifier: LGPL-2.1-or-later
// Administrative access as Cockpit defines it (pkg/lib/superuser.js), live, and a read-only hint
// that tells each kind of account the truth.

import { act, render, screen } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { AdminHint } from "../../src/ui/admin-hint";
import { adminFromCurrent, canEscalate, useAccess } from "../../src/cockpit/use-admin";
import { superuser, superuserChanged } from "./setup";

describe("adminFromCurrent", () => {
    it.each([
        ["root", true], ["sudo", true], ["pkexec", true], ["none", false], ["init", null], [undefined, null], [null, null],
    ])("%s → %s", (current, expected) => {
        expect(adminFromCurrent(current)).toBe(expected);
    });
});

describe("canEscalate", () => {
    const user = (groups: string[], id = 1000) => ({ name: "u", id, groups });
    it("needs a configured superuser bridge", () => {
        expect(canEscalate([], user(["sudo"]))).toBe(false);
    });
    it("members of sudo, wheel or admin can switch", () => {
        for (const g of ["sudo", "wheel", "admin"])
            expect(canEscalate(["sudo"], user(["users", g]))).toBe(true);
    });
    it("other accounts cannot", () => {
        expect(canEscalate(["sudo", "pkexec"], user(["users", "adm"]))).toBe(false);
    });
    it("root always can", () => {
        expect(canEscalate(["sudo"], user([], 0))).toBe(true);
    });
    it("unknown while the bridges or the account are not known", () => {
        expect(canEscalate(undefined, user(["sudo"]))).toBe(null);
        expect(canEscalate(["sudo"], null)).toBe(null);
    });
});

const Probe = () => {
    const a = useAccess();
    return <p data-testid="access">{`${a.admin}/${a.canEscalate}/${a.user}`}</p>;
};

describe("useAccess", () => {
    it("follows the shell's switch both ways without a reload", async () => {
        superuser.current = "none";
        render(<Probe />);
        expect(await screen.findByText("false/true/admin")).toBeTruthy();
        superuser.current = "sudo";
        await act(() => superuserChanged());
        expect(await screen.findByText("true/true/admin")).toBeTruthy();
        superuser.current = "none";
        await act(() => superuserChanged());
        expect(await screen.findByText("false/true/admin")).toBeTruthy();
    });

    it("is unknown (read-only) while Current is init", async () => {
        superuser.current = "init";
        render(<Probe />);
        expect(await screen.findByText("null/true/admin")).toBeTruthy();
    });

    it("falls back to cockpit.permission where the bridge has no cockpit.Superuser", async () => {
        superuser.current = undefined; // the proxy is not valid
        const perm = { allowed: true, addEventListener: vi.fn(), removeEventListener: vi.fn(), close: vi.fn() };
        vi.mocked(cockpit.permission).mockReturnValueOnce(perm);
        render(<Probe />);
        expect(await screen.findByText("true/null/admin")).toBeTruthy();
        expect(cockpit.permission).toHaveBeenCalledWith({ admin: true });
    });
});

describe("AdminHint", () => {
    it("tells an account that can switch how", () => {
        render(<AdminHint canEscalate user="anna" />);
        expect(screen.getByText(/"Limited access" button/)).toBeTruthy();
    });
    it("tells an account that cannot switch that it may not, and who can", () => {
        render(<AdminHint canEscalate={false} user="bob" />);
        expect(screen.getByText("This account may not change routing")).toBeTruthy();
        const text = document.querySelector(".gw-admin-hint")?.textContent ?? "";
        expect(text).toContain("bob is not an administrator");
        expect(text).toContain("root");
        expect(text).not.toContain("Limited access");
    });
    it("claims neither while unknown", () => {
        render(<AdminHint canEscalate={null} user={null} />);
        const text = document.querySelector(".gw-admin-hint")?.textContent ?? "";
        expect(text).not.toContain("Limited access");
        expect(text).not.toContain("may not");
    });
});
