// SPDX-License-Identifier: LGPL-2.1-or-later
// The Gateways page: what the host's routing looks like now (read-only).

import { NetworksCard } from "./networks-card";
import { Page, PageSection, Stack, StackItem } from "./pf";
import { RulesCard } from "./rules-card";
import { StatusAlerts } from "./status-alerts";
import { ErrorState, LoadingState } from "./status-states";
import { TablesCard } from "./tables-card";
import type { Status } from "./types";
import { useStatus } from "./use-status";

export const StatusView = ({ status }: { status: Status }) => (
    <Stack hasGutter>
        <StackItem><StatusAlerts warnings={status.warnings ?? []} drift={status.drift} /></StackItem>
        <StackItem>
            <NetworksCard interfaces={status.interfaces ?? []} defaultRoutes={status.default_routes ?? []} />
        </StackItem>
        <StackItem><TablesCard tables={status.tables ?? []} /></StackItem>
        <StackItem><RulesCard rules={status.rules ?? []} /></StackItem>
    </Stack>
);

export const App = () => {
    const [result, reload] = useStatus();
    return (
        <Page>
            <PageSection isFilled>
                {result.state === "loading" && <LoadingState />}
                {result.state === "error" && <ErrorState message={result.message} onRetry={reload} />}
                {result.state === "ready" && <StatusView status={result.status} />}
            </PageSection>
        </Page>
    );
};
