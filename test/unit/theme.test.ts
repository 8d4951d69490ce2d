// SPDX-License-Identifier: LGPL-2.1-or-later

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DARK_CLASS, STYLE_KEY, followCockpitTheme, isDark } from "../../src/cockpit/theme";

describe("isDark", () => {
    it.each([
        ["dark", false, true], ["dark", true, true],
        ["light", true, false], ["light", false, false],
        ["auto", true, true], ["auto", false, false],
        [null, true, true], [null, false, false], ["bogus", true, true],
    ])("shell:style=%s, prefers dark=%s → %s", (style, prefers, dark) => {
        expect(isDark(style, prefers)).toBe(dark);
    });
});

describe("followCockpitTheme", () => {
    let prefersDark = false;
    let mediaListeners: (() => void)[] = [];
    let stop: () => void = () => {};
    const html = () => document.documentElement;

    beforeEach(() => {
        prefersDark = false;
        mediaListeners = [];
        localStorage.clear();
        html().classList.remove(DARK_CLASS);
        vi.spyOn(window, "matchMedia").mockImplementation(query => ({
            get matches() { return query === "(prefers-color-scheme: dark)" && prefersDark },
            media: query,
            addEventListener: (_: string, l: () => void) => { mediaListeners.push(l) },
            removeEventListener: (_: string, l: () => void) => { mediaListeners = mediaListeners.filter(x => x !== l) },
        }) as unknown as MediaQueryList);
    });

    afterEach(() => stop());

    const storageEvent = (key: string | null, newValue: string | null) => {
        if (key !== null && newValue !== null)
            localStorage.setItem(key, newValue);
        window.dispatchEvent(new StorageEvent("storage", { key, newValue }));
    };

    it("applies the stored style at start", () => {
        localStorage.setItem(STYLE_KEY, "dark");
        stop = followCockpitTheme(window);
        expect(html().classList.contains(DARK_CLASS)).toBe(true);
    });

    it("follows the shell's style changes", () => {
        stop = followCockpitTheme(window);
        expect(html().classList.contains(DARK_CLASS)).toBe(false);
        storageEvent(STYLE_KEY, "dark");
        expect(html().classList.contains(DARK_CLASS)).toBe(true);
        storageEvent(STYLE_KEY, "light");
        expect(html().classList.contains(DARK_CLASS)).toBe(false);
        storageEvent("some-other-key", "dark");
        expect(html().classList.contains(DARK_CLASS)).toBe(false);
    });

    it("follows prefers-color-scheme in auto mode only", () => {
        localStorage.setItem(STYLE_KEY, "auto");
        stop = followCockpitTheme(window);
        prefersDark = true;
        mediaListeners.forEach(l => l());
        expect(html().classList.contains(DARK_CLASS)).toBe(true);

        storageEvent(STYLE_KEY, "light");
        mediaListeners.forEach(l => l());
        expect(html().classList.contains(DARK_CLASS)).toBe(false);
    });

    it("stops following when asked", () => {
        stop = followCockpitTheme(window);
        stop();
        expect(mediaListeners).toEqual([]);
        storageEvent(STYLE_KEY, "dark");
        expect(html().classList.contains(DARK_CLASS)).toBe(false);
    });
});
