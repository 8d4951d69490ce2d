// SPDX-License-Identifier: LGPL-2.1-or-later
// The Gateways page: each network's gateway (set, preview, apply safely), then the host's routing
// tables and rules. Refreshes by itself when the host's routing changes.

import { Page, PageSection, Title } from "./pf";
import { StatusView } from "./networks-page";
import { ErrorState, LoadingState } from "./status-states";
import { useAdmin } from "./use-admin";
import { useRoutingMonitor } from "./use-routing-monitor";
import { useStatus } from "./use-status";

export { StatusView } from "./networks-page";

const _ = cockpit.gettext;

export const App = () => {
    const [result, reload, refresh] = useStatus();
    const admin = useAdmin();
    useRoutingMonitor(refresh);
    return (
        <Page>
            <PageSection className="gw-title-section">
                <Title headingLevel="h1" size="xl">{_("Gateways")}</Title>
            </PageSection>
            <PageSection isFilled>
                {result.state === "loading" && <LoadingState />}
                {result.state === "error" && <ErrorState message={result.message} onRetry={reload} />}
                {result.state === "ready" && <StatusView status={result.status} admin={admin} onChanged={refresh} />}
            </PageSection>
        </Page>
    );
};
