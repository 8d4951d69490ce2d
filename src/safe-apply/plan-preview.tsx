// SPDX-License-Identifier: LGPL-2.1-or-later
// A plan in words, with the exact commands one click away.

import { describeChange } from "./plan-text";
import { PlanConnections } from "./plan-connections";
import { PlanConflicts } from "../networks/conflicts-notice";
import { List, ListItem, Spinner } from "../ui/pf";
import type { RoutingTable } from "../types";
import type { PreviewState } from "./use-preview";

const _ = cockpit.gettext;

export const PlanPreview = ({ preview, tables }: { preview: PreviewState; tables: readonly RoutingTable[] }) => {
    if (preview.state === "idle" || preview.state === "error")
        return null;
    if (preview.state === "loading") {
        return (
            <div className="gw-line gw-preview" aria-live="polite">
                <Spinner size="md" aria-label={_("Preparing the preview")} />
                <span className="gw-secondary">{_("Preparing the preview…")}</span>
            </div>
        );
    }
    const changes = preview.plan.changes ?? [];
    if (changes.length === 0) {
        return <p className="gw-preview gw-secondary" aria-live="polite">{_("Nothing to change: the host already routes this way.")}</p>;
    }
    return (
        <section className="gw-preview" aria-labelledby="gw-preview-title" aria-live="polite">
            <h3 id="gw-preview-title" className="gw-preview-title">{_("What will change")}</h3>
            <List className="gw-plan" aria-labelledby="gw-preview-title">
                {changes.map((c, i) => <ListItem key={i}>{describeChange(c, tables)}</ListItem>)}
            </List>
            {/* native disclosure: PatternFly's ExpandableSection costs more than it adds here */}
            <details className="gw-details">
                <summary>{_("Show the exact commands")}</summary>
                <pre className="gw-mono gw-commands">{changes.map(c => c.text).join("\n")}</pre>
            </details>
            <PlanConflicts conflicts={preview.plan.conflicts} />
            <PlanConnections preview={preview} />
        </section>
    );
};
