// SPDX-License-Identifier: LGPL-2.1-or-later
// The page's views live in the URL (cockpit.location: /gateways#/tables?table=300), so reload and
// the browser's back button return to the same view, the same open table and the same lookup.

import { useEffect, useState } from "preact/hooks";

export type View = "networks" | "tables" | "rules" | "lookup";
export const VIEWS: readonly View[] = ["networks", "tables", "rules", "lookup"];

export interface PageLocation {
    view: View;
    /** The open routing table (tables view), or null for the list. */
    table: number | null;
    /** Other options as strings (lookup's to/from/iif/fwmark). */
    options: Record<string, string>;
}

function text(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

/** Pure: what the URL (path and options) asks for; anything unknown shows the Networks view. */
export function parseLocation(path: readonly string[], options: Record<string, string | string[]>): PageLocation {
    const first = path[0] ?? "";
    const view = (VIEWS as readonly string[]).includes(first) ? first as View : "networks";
    const table = text(options.table);
    const id = table !== undefined && /^[0-9]{1,10}$/.test(table) ? Number(table) : null;
    const rest: Record<string, string> = {};
    for (const [key, value] of Object.entries(options)) {
        const v = text(value);
        if (key !== "table" && v !== undefined)
            rest[key] = v;
    }
    return { view, table: view === "tables" ? id : null, options: rest };
}

/** Go to a view (a new history entry). */
export function goTo(view: View, options: Record<string, string> = {}): void {
    cockpit.location.go(view === "networks" ? [] : [view], options);
}

function current(): PageLocation {
    const loc = cockpit.location;
    return parseLocation(loc.path, loc.options);
}

/** The location, following back/forward and our own goTo(). */
export function usePageLocation(): PageLocation {
    const [location, setLocation] = useState<PageLocation>(current);
    useEffect(() => {
        const update = () => setLocation(current());
        cockpit.addEventListener("locationchanged", update);
        return () => cockpit.removeEventListener("locationchanged", update);
    }, []);
    return location;
}
