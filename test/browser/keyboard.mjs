// SPDX-License-Identifier: LGPL-2.1-or-later
// Keyboard and layout helpers shared by the browser tests.

import assert from "node:assert/strict";

import { axeViolations, gatewaysFrame, setTheme, sleep } from "./harness.mjs";

/** Is `locator`'s element the focused one of its document? */
export function isFocused(locator) {
    return locator.evaluate(el => el === document.activeElement).catch(() => false);
}

/** Press Tab (or Shift+Tab) until `locator` has the focus; fails after `max` presses. */
export async function tabTo(page, locator, { max = 60, back = false, what = "the control" } = {}) {
    for (let i = 0; i < max; i++) {
        if (await isFocused(locator))
            return i;
        await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    }
    throw new Error(`${what} was not reached with ${max} presses of ${back ? "Shift+Tab" : "Tab"}`);
}

/** Wait until `locator` has the focus (a dialog gives it back once it is gone; an opening dialog
 * focuses its first field once its focus trap is active). */
export async function assertFocusReturns(locator, what, timeout = 3000) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
        if (await isFocused(locator))
            return;
        await sleep(50);
    }
    const active = await (await gatewaysFrame(locator.page())).evaluate(() =>
        `${document.activeElement?.tagName} ${document.activeElement?.id ?? ""} ${document.activeElement?.textContent?.slice(0, 40) ?? ""}`);
    assert.fail(`the focus did not return to ${what} (it is on: ${active})`);
}

// With a modal open, the page behind it is inert, hidden from assistive technology (aria-hidden)
// and dimmed by the backdrop on purpose: axe would measure the contrast of that dimmed text.
export const BEHIND_MODAL = '[aria-hidden="true"]';

export async function assertNoAxe(page, what, exclude = []) {
    const violations = await axeViolations(page, { exclude });
    assert.deepEqual(violations, [], `axe on ${what}:\n${violations.join("\n")}`);
}

// PatternFly's colours change with a transition: axe must not measure one half-way
const THEME_SETTLE_MS = 600;

/** axe in light and dark (the shell's switch), back to light after. */
export async function axeLightAndDark(page, frame, what, { shoot = null, exclude = [] } = {}) {
    await sleep(THEME_SETTLE_MS);   // a dialog or message that just appeared fades in, like a theme switch
    await assertNoAxe(page, `${what} (light)`, exclude);
    await setTheme(page, "dark");
    await frame.locator("html.pf-v6-theme-dark").waitFor({ state: "attached", timeout: 5000 });
    await sleep(THEME_SETTLE_MS);
    if (shoot)
        await shoot("dark");
    await assertNoAxe(page, `${what} (dark)`, exclude);
    await setTheme(page, "light");
    await frame.locator("html:not(.pf-v6-theme-dark)").waitFor({ state: "attached", timeout: 5000 });
    await sleep(THEME_SETTLE_MS);
}

/** Horizontal overflow in the gateways frame: of the document, and the worst of any card. */
export async function overflow(page) {
    const f = await gatewaysFrame(page);
    return f.evaluate(() => {
        const doc = document.documentElement;
        const cards = [...document.querySelectorAll(".pf-v6-c-card")].map(c => c.scrollWidth - c.clientWidth);
        return { page: doc.scrollWidth - doc.clientWidth, card: Math.max(0, ...cards) };
    });
}
