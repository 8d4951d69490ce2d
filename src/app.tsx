// SPDX-License-Identifier: LGPL-2.1-or-later
// The Gateways page: a view per task (Networks, Routing tables, Rules, Route lookup), the active
// one in the URL, under the page's one notice about a change that waits for its confirmation.
// Every view refreshes by itself when the host's routing changes.

import { useMemo, useState } from "preact/hooks";
import { useFixes } from "./fixes/fix-host";
import { usePageLocation, type PageLocation } from "./cockpit/location";
import { LookupView } from "./lookup/lookup-view";
import { RulesView } from "./rules/rules-view";
import { TablesView } from "./tables/tables-view";
import { ViewNav } from "./ui/view-nav";
import { StatusView } from "./networks/networks-page";
import { Page, PageSection, Stack, Title } from "./ui/pf";
import { ErrorState, LoadingState } from "./ui/status-states";
import type { Status } from "./types";
import { useAccess } from "./cockpit/use-admin";
import { useRoutingMonitor, type Changes } from "./cockpit/use-routing-monitor";
import { useStatus } from "./client/use-status";
import { LostNotice } from "./safe-apply/lost-notice";

export { StatusView } from "./networks/networks-page";

const _ = cockpit.gettext;

interface ViewsProps {
    location: PageLocation;
    status: Status;
    admin: boolean | null;
    tick: number;
    onChanged: () => void;
}

/** The inspection views; `tick` counts the host's routing changes (a live refresh). */
const InspectViews = ({ location, status, admin, tick, onChanged }: ViewsProps) => {
    const canEdit = admin === true;
    const fixes = useFixes(status, canEdit, onChanged);
    return (
        <>
            {fixes.element}
            {location.view === "tables" &&
                <TablesView status={status} open={location.table} admin={canEdit} tick={tick} onFix={fixes.open} />}
            {location.view === "rules" && <RulesView status={status} admin={canEdit} onFix={fixes.open} />}
            {location.view === "lookup" &&
                <LookupView options={location.options} interfaces={status.interfaces ?? []} tick={tick} admin={canEdit} />}
        </>
    );
};

export const App = () => {
    const location = usePageLocation();
    // only Routing tables and Rules (empty tables) show route counts
    const withCounts = location.view === "tables" || location.view === "rules";
    const [result, reload, refresh] = useStatus(withCounts);
    const access = useAccess();
    const admin = access.admin;
    const [tick, setTick] = useState(0);
    const changed = () => { refresh(); setTick(t => t + 1) };
    // our tables, by number and by name, as `ip monitor` prints them
    const tables = result.state === "ready" ? result.status.tables : undefined;
    const ours = useMemo(() => new Set((tables ?? []).filter(t => t.owned).flatMap(t => [String(t.id), t.name ?? ""])), [tables]);
    useRoutingMonitor((c: Changes) => {
        if (c.status || withCounts)
            refresh();
        setTick(t => t + 1);
    }, table => ours.has(table));
    return (
        <Page>
            <PageSection className="gw-title-section">
                <Title headingLevel="h1" size="xl">{_("Gateways")}</Title>
                <ViewNav current={location.view} />
            </PageSection>
            <PageSection isFilled>
                {result.state === "loading" && <LoadingState />}
                {result.state === "error" && <ErrorState message={result.message} onRetry={reload} />}
                {result.state === "ready" && (
                    <Stack hasGutter>
                        <LostNotice pending={result.status.pending} admin={admin === true} onChanged={changed} />
                        {location.view === "networks"
                            ? <StatusView status={result.status} admin={admin} access={access} onChanged={refresh}
                                          openGateway={location.options.gateway
                                              ? { iface: location.options.gateway, remove: location.options.remove === "1",
                                                    ...(location.options.family ? { family: location.options.family } : {}) }
                                              : null} />
                            : <InspectViews location={location} status={result.status} admin={admin} tick={tick} onChanged={changed} />}
                    </Stack>
                )}
            </PageSection>
        </Page>
    );
};
