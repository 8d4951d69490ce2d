// SPDX-License-Identifier: LGPL-2.1-or-later
// The answer of a route lookup: the verdict first (what happens to the packet, and why), the fix
// when there is one, then the rule, the table and the route that answered, the reverse-path check,
// the kernel's own answer (and a warning when it differs from ours), and every rule considered.

import { tableLabel } from "../view-model";
import type { LookupFix, LookupResult, LookupStep } from "../types";
import { hopsText, kernelText, stepText, verdictHeadline } from "./lookup-verdict";
import { routeText } from "../tables/route-text";
import { goTo } from "../cockpit/location";
import { Alert, Button } from "../ui/pf";

const _ = cockpit.gettext;

/** What happens to the packet, and why, in one sentence (the helper's English one if it has no verdict). */
export function headline(result: LookupResult): string {
    return verdictHeadline(result) ?? result.explanation ?? "";
}

export function fixText(fix: LookupFix): string {
    if (fix.kind === "set")
        return cockpit.format(_("Give $0's network its own gateway: replies from its addresses then leave by $0, and this packet passes."),
                              fix.interface);
    return cockpit.format(_("$0 already has a gateway of its own, but the reply does not use it: check the rules the reply meets."),
                          fix.interface);
}

const TableLink = ({ id, name }: { id: number | null | undefined; name: string | null | undefined }) => {
    if (id === null || id === undefined)
        return null;
    const label = tableLabel(id, name);
    return (
        <Button variant="link" isInline className="gw-table-link"
                aria-label={cockpit.format(_("Open table $0"), label)}
                onClick={() => goTo("tables", { table: String(id) })}>
            {label}
        </Button>
    );
};

const Step = ({ step }: { step: LookupStep }) => (
    <li className={step.matched ? "gw-step gw-step-matched" : "gw-step"}>
        <span className="gw-mono">{step.rule}</span>
        <span className="gw-step-why"> — {stepText(step)}</span>
        {step.table !== undefined && (
            <span className="gw-secondary"> {_("Table:")} <TableLink id={step.table} name={step.table_name} /></span>
        )}
    </li>
);

export interface LookupResultProps {
    result: LookupResult;
    /** The fix's button: set a gateway on that network (admins only). */
    onFix?: (fix: LookupFix) => void;
}

export const LookupResultView = ({ result, onFix }: LookupResultProps) => {
    const ev = result.evaluation;
    const rp = result.rp_filter;
    const fix = result.fix;
    const trace = result.trace ?? [];
    const ruleText = ev?.rule ?? result.rule?.text ?? null;
    const tableId = ev?.table ?? result.table ?? null;
    const kernel = kernelText(result.kernel);
    const routeLine = ev?.route ?? (result.matched_route ? routeText(result.matched_route) : null);
    return (
        <section className="gw-lookup-result" aria-labelledby="gw-lookup-answer">
            <p id="gw-lookup-answer" className="gw-lookup-explanation" role="status">{headline(result)}</p>
            {result.agree === false && (
                <Alert isInline variant="warning" className="gw-lookup-disagree"
                       title={_("This explanation differs from the kernel's own answer")}>
                    <p>{_("What the kernel answers is what happens; the explanation above may miss something.")}</p>
                    <p className="gw-mono">{(result.disagreement ?? []).join("; ")}</p>
                </Alert>
            )}
            {fix && (
                <div className="gw-lookup-fix">
                    <p>{fixText(fix)}</p>
                    {fix.kind === "set" && onFix && (
                        <Button variant="primary" onClick={() => onFix(fix)}>
                            {cockpit.format(_("Set a gateway for $0"), fix.interface)}
                        </Button>
                    )}
                </div>
            )}
            <dl className="gw-facts">
                {ruleText !== null && ev?.priority !== null && (
                    <>
                        <dt>{_("Rule")}</dt>
                        <dd className="gw-mono">{ruleText}</dd>
                    </>
                )}
                {tableId !== null && (
                    <>
                        <dt>{_("Table")}</dt>
                        <dd><TableLink id={tableId} name={ev?.table_name ?? result.table_name} /></dd>
                    </>
                )}
                {routeLine !== null && (
                    <>
                        <dt>{_("Route")}</dt>
                        <dd className="gw-mono">{routeLine}</dd>
                    </>
                )}
                {rp && (
                    <>
                        <dt>{_("Reverse-path check")}</dt>
                        <dd>
                            {cockpit.format(rp.ok ? _("$0 checks the source ($1): passed.") : _("$0 checks the source ($1): failed."),
                                            rp.interface, rp.mode)}
                            {rp.reply?.nexthops && rp.reply.nexthops.length > 0 && (
                                <div>{cockpit.format(_("The reply would leave $0 (rule $1, table $2)."),
                                                     hopsText(rp.reply.nexthops), rp.reply.priority ?? "?",
                                                     rp.reply.table_name ?? String(rp.reply.table ?? ""))}</div>
                            )}
                            <div className="gw-mono gw-secondary">
                                {Object.entries(rp.sysctls ?? {}).map(([k, v]) => `${k} = ${v}`).join(", ")}
                            </div>
                        </dd>
                    </>
                )}
                {result.forwarding && (
                    <>
                        <dt>{_("Forwarding")}</dt>
                        <dd className="gw-mono">{`${result.forwarding.sysctl} = ${result.forwarding.value}`}</dd>
                    </>
                )}
                {kernel !== null && (
                    <>
                        <dt>{_("Kernel's answer")}</dt>
                        <dd className="gw-mono">{kernel}</dd>
                    </>
                )}
            </dl>
            {trace.length > 0 && (
                // native disclosure, as in the plan preview
                <details className="gw-details gw-lookup-trace">
                    <summary>{cockpit.format(cockpit.ngettext("The rule considered ($0)", "Every rule considered, in order ($0)", trace.length), trace.length)}</summary>
                    <ol className="gw-trace">
                        {trace.map((step, i) => <Step key={i} step={step} />)}
                    </ol>
                </details>
            )}
        </section>
    );
};
