// SPDX-License-Identifier: LGPL-2.1-or-later
// Whole-page states: loading, and a failure of the helper (its message, and a way to retry).

import {
    Button, EmptyState, EmptyStateActions, EmptyStateBody, EmptyStateFooter, ExclamationCircleIcon, Spinner,
} from "./pf";

const _ = cockpit.gettext;

export const LoadingState = () => (
    <EmptyState titleText={_("Loading network status")} headingLevel="h2" icon={Spinner}
                aria-busy="true" aria-label={_("Loading")} />
);

export const ErrorState = ({ message, onRetry }: { message: string; onRetry: () => void }) => (
    <EmptyState titleText={_("The network status could not be read")} headingLevel="h2"
                icon={ExclamationCircleIcon} status="danger">
        <EmptyStateBody className="gw-error-message">{message}</EmptyStateBody>
        <EmptyStateFooter>
            <EmptyStateActions>
                <Button variant="primary" onClick={onRetry}>{_("Retry")}</Button>
            </EmptyStateActions>
        </EmptyStateFooter>
    </EmptyState>
);

/** Inside a card, when its list is empty. */
export const EmptyList = ({ title, body }: { title: string; body?: string }) => (
    <EmptyState titleText={title} headingLevel="h3" variant="xs">
        {body !== undefined && <EmptyStateBody>{body}</EmptyStateBody>}
    </EmptyState>
);
