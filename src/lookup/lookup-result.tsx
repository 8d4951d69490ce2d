// SPDX-License-Identifier: LGPL-2.1-or-later
// The answer of a route lookup: one sentence first, then the rule, the table and the route that
// answered, and what the kernel would do with the packet.

import type { LookupResult } from "../types";
import { tableLabel } from "../view-model";
import { explainLookup } from "./lookup-explain";
import { routeText } from "../tables/route-text";

const _ = cockpit.gettext;

function kernelAnswer(route: Record<string, unknown>): string {
    const words: string[] = [];
    for (const [key, word] of [["dst", ""], ["gateway", "via "], ["dev", "dev "], ["prefsrc", "src "]] as const) {
        const value = route[key];
        if (typeof value === "string" || typeof value === "number")
            words.push(`${word}${value}`);
    }
    return words.join(" ");
}

export const LookupResultView = ({ result }: { result: LookupResult }) => {
    const rule = result.rule ?? null;
    const table = result.table ?? null;
    return (
        <section className="gw-lookup-result" aria-labelledby="gw-lookup-answer">
            <p id="gw-lookup-answer" className="gw-lookup-explanation" role="status">
                {explainLookup(result)}
            </p>
            {!result.route && (
                <p className="gw-secondary gw-intro">
                    {_("The host has no route for this packet and drops it. Add a route to the table that should answer (Routing tables), or set a gateway on the network the packet should leave from (Networks).")}
                </p>
            )}
            <dl className="gw-facts">
                {rule !== null && (
                    <>
                        <dt>{_("Rule")}</dt>
                        <dd className="gw-mono">{rule.text ?? String(rule.priority ?? "")}</dd>
                    </>
                )}
                {table !== null && (
                    <>
                        <dt>{_("Table")}</dt>
                        <dd>{tableLabel(table, result.table_name)}</dd>
                    </>
                )}
                {result.matched_route && (
                    <>
                        <dt>{_("Route")}</dt>
                        <dd className="gw-mono">{routeText(result.matched_route)}</dd>
                    </>
                )}
                {result.route && (
                    <>
                        <dt>{_("Kernel's answer")}</dt>
                        <dd className="gw-mono">{kernelAnswer(result.route)}</dd>
                    </>
                )}
            </dl>
        </section>
    );
};
