// SPDX-License-Identifier: LGPL-2.1-or-later
// The virtualized route list's arithmetic, pure: which rows a scroll position shows, which windows
// of ROUTE_WINDOW routes to fetch, which cached windows are far enough to drop, and how a table
// of a million rows fits a scroll container (browsers cap an element's height at ~16-33 million
// pixels: past MAX_SCROLL_PX the scroll position is mapped proportionally onto the row index).

/** One row's fixed height in px (CSS .gw-route-row says the same). */
export const ROW_HEIGHT = 36;
/** Routes per helper call. Smaller: more calls while scrolling; larger: slower first window. */
export const ROUTE_WINDOW = 200;
/** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
export const OVERSCAN = 8;
/** Windows kept around the visible ones; the rest are dropped (bounded memory for any table). */
export const KEEP_WINDOWS = 2;
/** The scroll content's maximum height; beyond it the mapping is proportional. */
export const MAX_SCROLL_PX = 8_000_000;

export interface Geometry {
    total: number;
    viewport: number;
    rowHeight?: number;
    maxHeight?: number;
}

export function contentHeight({ total, rowHeight = ROW_HEIGHT, maxHeight = MAX_SCROLL_PX }: Geometry): number {
    return Math.min(total * rowHeight, maxHeight);
}

/** The (fractional) row index at the top of the viewport for a scroll position. */
export function topIndex(scrollTop: number, g: Geometry): number {
    const rowHeight = g.rowHeight ?? ROW_HEIGHT;
    const height = contentHeight(g);
    if (height === g.total * rowHeight)
        return Math.max(0, scrollTop / rowHeight);
    const scrollable = Math.max(1, height - g.viewport);
    const rows = Math.max(0, g.total - g.viewport / rowHeight);
    return Math.min(1, Math.max(0, scrollTop / scrollable)) * rows;
}

/** Where row `index` is drawn (px from the top of the scroll content). */
export function rowTop(index: number, scrollTop: number, g: Geometry): number {
    const rowHeight = g.rowHeight ?? ROW_HEIGHT;
    return scrollTop + (index - topIndex(scrollTop, g)) * rowHeight;
}

/** Rows to render: [first, end) with overscan, clamped to the table. */
export function visibleRows(scrollTop: number, g: Geometry, overscan = OVERSCAN): [number, number] {
    const rowHeight = g.rowHeight ?? ROW_HEIGHT;
    const top = topIndex(scrollTop, g);
    const first = Math.max(0, Math.floor(top) - overscan);
    const end = Math.min(g.total, Math.ceil(top + g.viewport / rowHeight) + overscan);
    return [first, Math.max(first, end)];
}

/** The windows (by number: offset / size) that hold rows [first, end). */
export function windowsFor([first, end]: [number, number], size = ROUTE_WINDOW): number[] {
    if (end <= first)
        return [];
    const out: number[] = [];
    for (let w = Math.floor(first / size); w <= Math.floor((end - 1) / size); w++)
        out.push(w);
    return out;
}

/** Cached windows farther than `keep` windows from every needed one. */
export function windowsToDrop(cached: readonly number[], needed: readonly number[], keep = KEEP_WINDOWS): number[] {
    if (needed.length === 0)
        return [];
    const lo = Math.min(...needed) - keep;
    const hi = Math.max(...needed) + keep;
    return cached.filter(w => w < lo || w > hi);
}

/**
 * The row count to scroll through. The helper's `matched` (or `total`) when it counted; without
 * a filter it may say null (it stopped reading after the window): then the status' count of the
 * table. A window that came back short marks the real end, whatever the counts said.
 */
export function listTotal(counted: number | null | undefined, statusCount: number | undefined,
                          end: number | null): number {
    if (end !== null)
        return end;
    if (typeof counted === "number")
        return counted;
    return statusCount ?? 0;
}

/** Row height in px of the narrow layout (two lines: CSS .gw-route-narrow says the same). */
export const NARROW_ROW_HEIGHT = 60;

/**
 * The list scrolls with the page (one scroll area): from where the list's body and the page's
 * scrolling viewport are on screen (px, as getBoundingClientRect says; the column headers stick to
 * the viewport's top), how far into the body the view is, and how tall the view is.
 */
export function pageScroll(port: { top: number; bottom: number }, headerHeight: number, bodyTop: number,
                           g: Geometry): { scrollTop: number; viewport: number } {
    const rowHeight = g.rowHeight ?? ROW_HEIGHT;
    const top = port.top + headerHeight;
    const viewport = Math.max(rowHeight, port.bottom - top);
    const max = Math.max(0, contentHeight({ ...g, viewport }) - viewport);
    return { scrollTop: Math.min(max, Math.max(0, top - bodyTop)), viewport };
}
