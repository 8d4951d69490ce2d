// SPDX-License-Identifier: LGPL-2.1-or-later
// The routes of one table, a window of ROUTE_WINDOW at a time, fetched as the list scrolls
// (`routes TABLE --offset --limit --filter --sort`), cached, and dropped again when far from the
// view: the browser never holds a whole big table. A new query (table, filter, sort) starts over;
// a live refresh (`tick`) re-fetches the windows in view and keeps the rest of the state.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { getRoutes, toHelperError } from "../client/helper-client";
import type { Route } from "../types";
import { listTotal, ROUTE_WINDOW, windowsToDrop } from "./route-window";

export type RouteSort = "dst" | "gateway" | "dev" | "metric" | "protocol";

export interface RouteQuery {
    table: number;
    filter: string;
    /** The filter matches whole words only (172.16.0.5, not 172.16.0.50). */
    exact: boolean;
    sort: RouteSort | null;
    reverse: boolean;
    /** Only this owner's routes (filtered by the helper); "" for all. */
    owner: string;
}

export interface RouteWindows {
    /** Rows to scroll through. */
    total: number;
    /** True until the first window of the query has arrived. */
    loading: boolean;
    error: string | null;
    rowAt(index: number): Route | undefined;
    /** Make sure these windows are loaded (and drop the far ones). */
    need: (windows: readonly number[]) => void;
}

export const queryKey = (q: RouteQuery) => JSON.stringify([q.table, q.filter, q.exact, q.sort, q.reverse, q.owner]);

export function useRouteWindows(query: RouteQuery, statusCount: number | undefined, tick: number): RouteWindows {
    const cacheRef = useRef(new Map<number, Route[]>());
    const pendingRef = useRef(new Set<number>());
    const neededRef = useRef<readonly number[]>([0]);
    const generationRef = useRef(0);
    const [, setVersion] = useState(0);
    const [counted, setCounted] = useState<number | null>(null);
    const [end, setEnd] = useState<number | null>(null);
    const [error, setError] = useState<string | null>(null);
    const [loading, setLoading] = useState(true);
    const key = queryKey(query);
    const queryRef = useRef(query);
    // before any effect (the list's effects, which run first, fetch with it too)
    useLayoutEffect(() => { queryRef.current = query });

    const fetchWindow = useCallback((w: number, gen: number) => {
        pendingRef.current.add(w);
        const q = queryRef.current;
        getRoutes(q.table, { offset: w * ROUTE_WINDOW, limit: ROUTE_WINDOW, filter: q.filter, exact: q.exact, sort: q.sort, reverse: q.reverse, owner: q.owner }).then(
            res => {
                if (gen !== generationRef.current)
                    return;
                const routes = res.routes ?? [];
                cacheRef.current.set(w, routes);
                const count = res.matched ?? res.total;
                setCounted(typeof count === "number" ? count : null);
                if (routes.length < ROUTE_WINDOW)
                    setEnd(w * ROUTE_WINDOW + routes.length);
                else
                    setEnd(e => (e !== null && e <= (w + 1) * ROUTE_WINDOW ? null : e));
                setError(null);
                setLoading(false);
            },
            (ex: unknown) => {
                if (gen === generationRef.current) {
                    setError(toHelperError(ex).message);
                    setLoading(false);
                }
            },
        ).finally(() => { if (gen === generationRef.current) { pendingRef.current.delete(w); setVersion(v => v + 1) } });
    }, []);

    const need = useCallback((windows: readonly number[]) => {
        neededRef.current = windows;
        for (const w of windowsToDrop([...cacheRef.current.keys()], windows))
            cacheRef.current.delete(w);
        for (const w of windows) {
            if (!cacheRef.current.has(w) && !pendingRef.current.has(w))
                fetchWindow(w, generationRef.current);
        }
    }, [fetchWindow]);

    // a new query: start over from the first window
    useEffect(() => {
        const gen = ++generationRef.current;
        cacheRef.current = new Map();
        pendingRef.current = new Set();
        neededRef.current = [0];
        setCounted(null);
        setEnd(null);
        setError(null);
        setLoading(true);
        fetchWindow(0, gen);
    }, [key, fetchWindow]);

    // a live refresh: fetch the windows in view again, keep showing the old rows until they arrive
    useEffect(() => {
        if (tick === 0)
            return;
        const gen = ++generationRef.current;
        pendingRef.current = new Set();
        setEnd(null); // the table may have grown or shrunk: the windows in view say again
        const keep = new Set(neededRef.current);
        for (const w of [...cacheRef.current.keys()]) {
            if (!keep.has(w))
                cacheRef.current.delete(w);
        }
        for (const w of neededRef.current)
            fetchWindow(w, gen);
    }, [tick, fetchWindow]);

    const total = listTotal(counted, query.filter === "" && query.owner === "" ? statusCount : undefined, end);
    const rowAt = (index: number) => cacheRef.current.get(Math.floor(index / ROUTE_WINDOW))?.[index % ROUTE_WINDOW];
    return { total, loading, error, rowAt, need };
}
