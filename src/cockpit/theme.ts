// SPDX-License-Identifier: LGPL-2.1-or-later
// Follow Cockpit's theme choice: the shell keeps "auto" | "light" | "dark" in localStorage under
// "shell:style"; "auto" (or nothing) follows the browser's prefers-color-scheme. PatternFly 6
// switches to dark with the class pf-v6-theme-dark on <html>.

export const STYLE_KEY = "shell:style";
export const DARK_CLASS = "pf-v6-theme-dark";
const DARK_QUERY = "(prefers-color-scheme: dark)";

export function isDark(style: string | null, prefersDark: boolean): boolean {
    if (style === "dark")
        return true;
    if (style === "light")
        return false;
    return prefersDark; // "auto", unset or unknown
}

function storedStyle(win: Window): string | null {
    try {
        return win.localStorage.getItem(STYLE_KEY);
    } catch {
        return null; // storage can be disabled
    }
}

/** Apply the theme now and keep following it; returns a function that stops following. */
export function followCockpitTheme(win: Window = window): () => void {
    const query = typeof win.matchMedia === "function" ? win.matchMedia(DARK_QUERY) : null;

    const apply = (style: string | null) => {
        win.document.documentElement.classList.toggle(DARK_CLASS, isDark(style, query?.matches ?? false));
    };
    const onStorage = (event: StorageEvent) => {
        if (event.key === STYLE_KEY)
            apply(event.newValue);
        else if (event.key === null) // storage.clear()
            apply(storedStyle(win));
    };
    const onSchemeChange = () => apply(storedStyle(win));

    apply(storedStyle(win));
    win.addEventListener("storage", onStorage);
    query?.addEventListener("change", onSchemeChange);
    return () => {
        win.removeEventListener("storage", onStorage);
        query?.removeEventListener("change", onSchemeChange);
    };
}
