// SPDX-License-Identifier: LGPL-2.1-or-later
// The virtual list's arithmetic: visible rows, windows to fetch and drop, huge tables, totals.

import { describe, expect, it } from "vitest";
import {
    contentHeight, listTotal, MAX_SCROLL_PX, NARROW_ROW_HEIGHT, pageScroll, ROUTE_WINDOW, ROW_HEIGHT, rowTop, topIndex, visibleRows, windowsFor, windowsToDrop,
} from "../../src/tables/route-window";

describe("route window math", () => {
    const g = { total: 5000, viewport: 10 * ROW_HEIGHT };

    it("maps a scroll position to rows one to one for a small table", () => {
        expect(contentHeight(g)).toBe(5000 * ROW_HEIGHT);
        expect(topIndex(0, g)).toBe(0);
        expect(topIndex(100 * ROW_HEIGHT, g)).toBe(100);
        expect(rowTop(100, 100 * ROW_HEIGHT, g)).toBe(100 * ROW_HEIGHT);
        expect(visibleRows(0, g, 0)).toEqual([0, 10]);
        expect(visibleRows(100 * ROW_HEIGHT, g, 8)).toEqual([92, 118]);
    });

    it("clamps to the table at both ends", () => {
        const end = contentHeight(g) - g.viewport;
        expect(visibleRows(end, g, 8)).toEqual([4982, 5000]);
        expect(visibleRows(0, { total: 3, viewport: 480 })).toEqual([0, 3]);
        expect(visibleRows(0, { total: 0, viewport: 480 })).toEqual([0, 0]);
    });

    it("fits a million rows into a bounded scroll height and still reaches the last row", () => {
        const big = { total: 1_000_000, viewport: 480 };
        expect(contentHeight(big)).toBe(MAX_SCROLL_PX);
        const max = MAX_SCROLL_PX - big.viewport;
        const [first, end] = visibleRows(max, big, 0);
        expect(end).toBe(1_000_000);
        expect(end - first).toBeLessThanOrEqual(Math.ceil(480 / ROW_HEIGHT) + 1);
        // the last row sits at the bottom of the viewport
        expect(rowTop(999_999, max, big) + ROW_HEIGHT).toBeCloseTo(max + big.viewport, 5);
        expect(visibleRows(max / 2, big, 0)[0]).toBeGreaterThan(499_000);
        expect(visibleRows(max / 2, big, 0)[0]).toBeLessThan(501_000);
    });

    it("lists the windows holding a range and the far ones to drop", () => {
        expect(windowsFor([0, 30])).toEqual([0]);
        expect(windowsFor([190, 230])).toEqual([0, 1]);
        expect(windowsFor([ROUTE_WINDOW * 5, ROUTE_WINDOW * 5 + 1])).toEqual([5]);
        expect(windowsFor([10, 10])).toEqual([]);
        expect(windowsToDrop([0, 1, 2, 3, 9, 10, 11], [10], 2)).toEqual([0, 1, 2, 3]);
        expect(windowsToDrop([0, 1], [], 2)).toEqual([]);
    });

    it("takes the total from the helper, else from status, and a short window marks the end", () => {
        expect(listTotal(42, 5000, null)).toBe(42);
        expect(listTotal(null, 5000, null)).toBe(5000);
        expect(listTotal(undefined, undefined, null)).toBe(0);
        expect(listTotal(null, 5000, 4990)).toBe(4990);
    });
});

describe("one scroll area: the list scrolls with the page", () => {
    const port = { top: 0, bottom: 800 };
    it("is at its top while its body is below the top of the page's view", () => {
        expect(pageScroll(port, 40, 300, { total: 5000, viewport: 0 })).toEqual({ scrollTop: 0, viewport: 760 });
    });
    it("is as far into its body as the page scrolled past the body's top (under the sticky header)", () => {
        expect(pageScroll(port, 40, -1000, { total: 5000, viewport: 0 }).scrollTop).toBe(1040);
        expect(pageScroll({ top: 50, bottom: 850 }, 40, -1000, { total: 5000, viewport: 0 }).scrollTop).toBe(1090);
    });
    it("stops at its last row when the page scrolled past the list", () => {
        const g = { total: 100, viewport: 0, rowHeight: NARROW_ROW_HEIGHT };
        expect(pageScroll(port, 40, -99999, g)).toEqual({ scrollTop: 100 * NARROW_ROW_HEIGHT - 760, viewport: 760 });
        expect(pageScroll(port, 40, -99999, { total: 3, viewport: 0 }).scrollTop).toBe(0);
    });
});
