// SPDX-License-Identifier: LGPL-2.1-or-later
// A virtualized list of routes: a scroll container whose height stands for every row, rows of a
// fixed height drawn only around the viewport (route-window.ts), windows fetched as they come
// into view. An ARIA table (aria-rowcount, aria-rowindex) so screen readers know where they are.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { Button } from "../ui/pf";
import type { Route } from "../types";
import { ROUTE_COLUMNS } from "./route-columns";
import { routeDestination } from "./route-text";
import { contentHeight, ROW_HEIGHT, rowTop, visibleRows, windowsFor } from "./route-window";
import type { RouteSort, RouteWindows } from "./use-route-windows";

const _ = cockpit.gettext;

export interface RouteListProps {
    label: string;
    windows: RouteWindows;
    sort: RouteSort | null;
    reverse: boolean;
    onSort: (sort: RouteSort, reverse: boolean) => void;
    /** Changes when the query changes: the list scrolls back to the top. */
    resetKey: string;
    /** null: no delete action (read-only, or the route cannot be named exactly). */
    canDelete: (route: Route) => boolean;
    onDelete: (route: Route) => void;
}

export const RouteList = ({ label, windows, sort, reverse, onSort, resetKey, canDelete, onDelete }: RouteListProps) => {
    const scrollerRef = useRef<HTMLDivElement>(null);
    const headerRef = useRef<HTMLDivElement>(null);
    const [scrollTop, setScrollTop] = useState(0);
    const [viewport, setViewport] = useState(480);
    const { total } = windows;
    const geometry = { total, viewport };
    const [first, end] = visibleRows(scrollTop, geometry);

    useLayoutEffect(() => {
        const el = scrollerRef.current;
        if (el === null)
            return;
        const measure = () => setViewport(Math.max(ROW_HEIGHT, el.clientHeight - (headerRef.current?.offsetHeight ?? 0)));
        measure();
        const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
        observer?.observe(el);
        return () => observer?.disconnect();
    }, []);
    useEffect(() => {
        if (scrollerRef.current !== null)
            scrollerRef.current.scrollTop = 0;
        setScrollTop(0);
    }, [resetKey]);
    // need() only fetches what is neither cached nor on its way: calling it for every row scrolled is cheap
    const { need } = windows;
    useEffect(() => { need(windowsFor([first, end])) }, [first, end, need]);

    const rows = [];
    for (let i = first; i < end; i++) {
        const route = windows.rowAt(i);
        rows.push(
            <div role="row" aria-rowindex={i + 2} key={i} className="gw-route-row"
                 style={{ top: `${rowTop(i, scrollTop, geometry)}px` }}>
                {route === undefined
                    ? <div role="cell" className="gw-route-loading">{_("Loading…")}</div>
                    : ROUTE_COLUMNS.map(c => {
                        const text = c.cell(route);
                        return <div role="cell" key={c.id} title={c.hint?.(route) ?? text} className={c.mono ? "gw-mono" : ""}>{text}</div>;
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
        <div ref={scrollerRef} className="gw-route-scroll" tabIndex={0} role="table" aria-label={label}
             style={{ maxBlockSize: `${(total + 1) * ROW_HEIGHT + 20}px` }}
             aria-rowcount={total + 1} onScroll={e => setScrollTop(e.currentTarget.scrollTop)}>
            <div role="rowgroup" className="gw-route-head" ref={headerRef}>
                <div role="row" aria-rowindex={1} className="gw-route-row gw-route-header">
                    {ROUTE_COLUMNS.map(c => {
                        const active = c.sort !== null && c.sort === sort;
                        return (
                            <div role="columnheader" key={c.id}
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
                    <div role="columnheader"><span className="pf-v6-screen-reader">{_("Actions")}</span></div>
                </div>
            </div>
            <div role="rowgroup" className="gw-route-body" style={{ height: `${contentHeight(geometry)}px` }}>
                {rows}
            </div>
        </div>
    );
};
