// SPDX-License-Identifier: LGPL-2.1-or-later
// A virtualized list of routes that scrolls with the page (one scroll area: no box scrolling inside
// the scrolling page): a body whose height stands for every row, rows of a fixed height drawn only
// around the part of the page in view (route-window.ts), windows fetched as they come into view,
// the column headers sticking to the top. Below 40rem the rows take two lines, so nothing needs
// horizontal scrolling. An ARIA table (aria-rowcount, aria-rowindex) so screen readers know where
// they are; it takes the focus, so the keyboard scrolls the page through it.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Button } from "../ui/pf";
import type { Route } from "../types";
import { ROUTE_COLUMNS } from "./route-columns";
import { routeDestination } from "./route-text";
import { contentHeight, NARROW_ROW_HEIGHT, pageScroll, ROW_HEIGHT, rowTop, visibleRows, windowsFor } from "./route-window";
import type { RouteSort, RouteWindows } from "./use-route-windows";

const _ = cockpit.gettext;

/** Narrower than this (px), the rows take two lines. */
const NARROW_PX = 640;

/** The element the page scrolls with (PatternFly's main container), or null: the window. */
function scrollParent(el: HTMLElement): HTMLElement | null {
    for (let p = el.parentElement; p !== null; p = p.parentElement) {
        if (/auto|scroll|overlay/.test(getComputedStyle(p).overflowY))
            return p;
    }
    return null;
}

export interface RouteListProps {
    label: string;
    windows: RouteWindows;
    sort: RouteSort | null;
    reverse: boolean;
    onSort: (sort: RouteSort, reverse: boolean) => void;
    /** Changes when the query changes: the list scrolls back to its top. */
    resetKey: string;
    /** null: no delete action (read-only, or the route cannot be named exactly). */
    canDelete: (route: Route) => boolean;
    onDelete: (route: Route) => void;
    /** With admin access: routes can be selected for one delete of several. */
    selection?: { isSelected: (route: Route) => boolean; canSelect: (route: Route) => boolean; onSelect: (route: Route, on: boolean) => void };
}

export const RouteList = ({ label, windows, sort, reverse, onSort, resetKey, canDelete, onDelete, selection }: RouteListProps) => {
    const listRef = useRef<HTMLDivElement>(null);
    const headerRef = useRef<HTMLDivElement>(null);
    const bodyRef = useRef<HTMLDivElement>(null);
    const [view, setView] = useState({ scrollTop: 0, viewport: 480 });
    const [narrow, setNarrow] = useState(false);
    const { total } = windows;
    const rowHeight = narrow ? NARROW_ROW_HEIGHT : ROW_HEIGHT;
    const geometry = { total, viewport: view.viewport, rowHeight };
    const [first, end] = visibleRows(view.scrollTop, geometry);

    // where the page's view is over the list's body: on every scroll and resize of the page
    const measure = () => {
        const list = listRef.current;
        const body = bodyRef.current;
        if (list === null || body === null)
            return;
        const parent = scrollParent(list);
        const port = parent === null ? { top: 0, bottom: window.innerHeight } : parent.getBoundingClientRect();
        const next = pageScroll(port, headerRef.current?.offsetHeight ?? 0, body.getBoundingClientRect().top, { total, viewport: 0, rowHeight });
        setView(v => (v.scrollTop === next.scrollTop && v.viewport === next.viewport ? v : next));
        setNarrow(list.clientWidth > 0 && list.clientWidth < NARROW_PX);
    };
    const measureRef = useRef(measure);
    useLayoutEffect(() => { measureRef.current = measure });
    useLayoutEffect(() => {
        const list = listRef.current;
        if (list === null)
            return;
        const parent = scrollParent(list);
        const target: HTMLElement | Window = parent ?? window;
        const onChange = () => measureRef.current();
        onChange();
        target.addEventListener("scroll", onChange, { passive: true });
        window.addEventListener("resize", onChange);
        const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(onChange);
        observer?.observe(list);
        if (parent !== null)
            observer?.observe(parent);
        return () => {
            target.removeEventListener("scroll", onChange);
            window.removeEventListener("resize", onChange);
            observer?.disconnect();
        };
    }, []);
    useLayoutEffect(() => measureRef.current(), [total, rowHeight]);
    // a new query: back to the list's first row (when the page had scrolled into the list)
    useEffect(() => {
        const list = listRef.current;
        const body = bodyRef.current;
        if (list === null || body === null)
            return;
        const parent = scrollParent(list);
        const portTop = parent === null ? 0 : parent.getBoundingClientRect().top;
        const into = portTop + (headerRef.current?.offsetHeight ?? 0) - body.getBoundingClientRect().top;
        if (into > 0) {
            if (parent === null)
                window.scrollBy(0, -into);
            else
                parent.scrollTop -= into;
        }
        measureRef.current();
    }, [resetKey]);
    // need() only fetches what is neither cached nor on its way: calling it for every row scrolled is cheap
    const { need } = windows;
    useEffect(() => { need(windowsFor([first, end])) }, [first, end, need]);

    const rows = [];
    for (let i = first; i < end; i++) {
        const route = windows.rowAt(i);
        rows.push(
            <div role="row" aria-rowindex={i + 2} key={i} className="gw-route-row"
                 style={{ top: `${rowTop(i, view.scrollTop, geometry)}px` }}>
                {route === undefined
                    ? <div role="cell" className="gw-route-loading">{_("Loading…")}</div>
                    : ROUTE_COLUMNS.map(c => {
                        const text = c.cell(route);
                        const classes = [c.className, c.mono ? "gw-mono" : "", c.isDefault?.(route) ? "gw-default-value" : ""];
                        return (
                            // the cell is named by its text alone, also with the selection box in it
                            <div role="cell" key={c.id} title={c.hint?.(route) ?? text} data-label={c.title} aria-label={text}
                                 className={classes.filter(Boolean).join(" ")}>
                                {c.id === "dst" && selection?.canSelect(route) === true && (
                                    <input type="checkbox" className="gw-route-select" checked={selection.isSelected(route)}
                                           aria-label={cockpit.format(_("Select route $0"), routeDestination(route))}
                                           onChange={e => selection.onSelect(route, e.currentTarget.checked)} />
                                )}
                                {text}
                            </div>
                        );
                    })}
                {route !== undefined && (
                    <div role="cell" className="gw-route-actions">
                        {canDelete(route) && (
                            <Button variant="link" isInline isDanger size="sm" onClick={() => onDelete(route)}
                                    aria-label={cockpit.format(_("Delete route $0"), routeDestination(route))}>
                                {_("Delete")}
                            </Button>
                        )}
                    </div>
                )}
            </div>,
        );
    }

    return (
        <div ref={listRef} className={narrow ? "gw-route-list gw-route-narrow" : "gw-route-list"} tabIndex={0}
             role="table" aria-label={label} aria-rowcount={total + 1}>
            <div role="rowgroup" className="gw-route-head" ref={headerRef}>
                <div role="row" aria-rowindex={1} className="gw-route-row gw-route-header">
                    {ROUTE_COLUMNS.map(c => {
                        const active = c.sort !== null && c.sort === sort;
                        return (
                            <div role="columnheader" key={c.id} className={c.className}
                                 {...(active ? { "aria-sort": reverse ? "descending" : "ascending" } : {})}>
                                {c.sort === null
                                    ? c.title
                                    : (
                                        <button type="button" className="gw-sort" onClick={() => onSort(c.sort as RouteSort, active && !reverse)}>
                                            {c.title}<span aria-hidden="true">{active ? (reverse ? " ▼" : " ▲") : ""}</span>
                                        </button>
                                    )}
                            </div>
                        );
                    })}
                    <div role="columnheader" className="gw-route-actions"><span className="pf-v6-screen-reader">{_("Actions")}</span></div>
                </div>
            </div>
            <div role="rowgroup" className="gw-route-body" ref={bodyRef} style={{ height: `${contentHeight(geometry)}px` }}>
                {rows}
            </div>
        </div>
    );
};
