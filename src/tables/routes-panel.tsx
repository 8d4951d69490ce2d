// SPDX-License-Identifier: LGPL-2.1-or-later
// One open routing table: its name and owner, a filter (sent to the helper, debounced), the
// virtualized route list with sortable columns, and (with admin access) Add route and Delete.

import { useState } from "preact/hooks";
import { FilterInput } from "../ui/filter-input";
import { Alert, ArrowLeftIcon, Button, Checkbox, Title } from "../ui/pf";
import { EmptyList } from "../ui/status-states";
import { TagLabel } from "../ui/tag";
import type { Route, RoutingTable } from "../types";
import { tableKind, tableKindLabel, tableLabel } from "../view-model";
import { RouteList } from "./route-list";
import { statusRouteCount } from "./tables-sort";
import { useDebounced } from "../ui/debounce";
import { OwnerFilter } from "../owners/owner-ui";
import { queryKey, useRouteWindows, type RouteSort } from "./use-route-windows";

const _ = cockpit.gettext;

export interface RoutesPanelProps {
    id: number;
    table: RoutingTable | undefined;
    admin: boolean;
    tick: number;
    onBack: () => void;
    onAdd: () => void;
    onDelete: (route: Route) => void;
    /** Several selected routes, deleted as one change. */
    onDeleteMany: (routes: Route[]) => void;
}

/** A route the admin may select for a delete of several: the helper can name it, and it is not a
 * part of a gateway (that is removed with its gateway, as the single delete says). */
const selectable = (r: Route) => (r.delete ?? null) !== null && !(r.owner === "cockpit-gateways" && (r.networks?.length ?? 0) > 0);

export const RoutesPanel = ({ id, table, admin, tick, onBack, onAdd, onDelete, onDeleteMany }: RoutesPanelProps) => {
    const [filterText, setFilterText] = useState("");
    const [exact, setExact] = useState(false);
    const [sort, setSort] = useState<{ sort: RouteSort | null; reverse: boolean }>({ sort: null, reverse: false });
    const [owner, setOwner] = useState("");
    const filter = useDebounced(filterText.trim());
    const query = { table: id, filter, exact, sort: sort.sort, reverse: sort.reverse, owner };
    const windows = useRouteWindows(query, statusRouteCount(table), tick);
    // selected routes by their delete arguments (exact and unique); a new query starts afresh
    const [selection, setSelection] = useState<{ key: string; routes: Map<string, Route> }>({ key: "", routes: new Map() });
    const selected = selection.key === queryKey(query) ? selection.routes : new Map<string, Route>();
    const onSelect = (route: Route, on: boolean) => {
        const next = new Map(selected);
        if (on)
            next.set((route.delete ?? []).join(" "), route);
        else
            next.delete((route.delete ?? []).join(" "));
        setSelection({ key: queryKey(query), routes: next });
    };
    const name = tableLabel(id, table?.name);
    const count = windows.loading
        ? _("Loading routes…")
        : filter === "" && owner === ""
            ? cockpit.format(cockpit.ngettext("$0 route", "$0 routes", windows.total), windows.total)
            : cockpit.format(cockpit.ngettext("$0 route matches", "$0 routes match", windows.total), windows.total);

    return (
        <section className="gw-routes-panel" aria-labelledby="gw-routes-title">
            <div className="gw-line gw-panel-head">
                <Button variant="link" isInline icon={<ArrowLeftIcon />} onClick={onBack}>{_("All tables")}</Button>
            </div>
            <div className="gw-line gw-panel-head">
                <Title headingLevel="h3" size="lg" id="gw-routes-title">
                    {cockpit.format(_("Table $0"), name)}
                </Title>
                {table !== undefined && <TagLabel tag={tableKindLabel(tableKind(table))} />}
            </div>
            <div className="gw-line gw-toolbar" role="search">
                <FilterInput label={_("Filter routes")} placeholder={_("Filter by address, device, protocol…")}
                             value={filterText} onChange={setFilterText} />
                <Checkbox id="gw-routes-exact" label={_("Exact match")} isChecked={exact}
                          onChange={(_e, checked) => setExact(checked)} />
                <OwnerFilter id="gw-routes-owner" value={owner} onChange={setOwner} />
                <span className="gw-secondary" aria-live="polite">{count}</span>
                {admin && <Button variant="secondary" size="sm" onClick={onAdd}>{_("Add route")}</Button>}
                {admin && selected.size > 0 && (
                    <Button variant="secondary" isDanger size="sm"
                            onClick={() => { onDeleteMany([...selected.values()]); setSelection({ key: "", routes: new Map() }) }}>
                        {cockpit.format(cockpit.ngettext("Delete $0 selected route", "Delete $0 selected routes", selected.size), selected.size)}
                    </Button>
                )}
            </div>
            {windows.error !== null && <Alert isInline variant="danger" title={_("The routes could not be read")}>{windows.error}</Alert>}
            {!windows.loading && windows.error === null && windows.total === 0 && (
                filter === "" && owner === ""
                    ? <EmptyList title={_("No routes")} body={admin ? _("This table is empty. Add a route to use it.") : _("This table is empty.")} />
                    : <EmptyList title={_("No matching routes")} body={_("Clear the filters to see all routes.")} />
            )}
            {(windows.loading || windows.total > 0) && (
                <RouteList label={cockpit.format(_("Routes of table $0"), name)} windows={windows}
                           sort={sort.sort} reverse={sort.reverse} onSort={(s, reverse) => setSort({ sort: s, reverse })}
                           resetKey={queryKey(query)} canDelete={r => admin && (r.delete ?? null) !== null}
                           onDelete={onDelete}
                           {...(admin ? { selection: { isSelected: (r: Route) => selected.has((r.delete ?? []).join(" ")), canSelect: selectable, onSelect } } : {})} />
            )}
        </section>
    );
};
