// SPDX-License-Identifier: LGPL-2.1-or-later
// The "Rules" view: policy rules per family in evaluation order, every selector readable, the
// target table by name (a link to its routes), the owner, and what looks broken (empty or missing
// table, gone device).

import { Button, ExclamationTriangleIcon, Table, Tbody, Td, Th, Thead, Title, Tr } from "../ui/pf";
import { useState } from "preact/hooks";
import { ruleActionText, rulesByFamily, selectorText } from "./rule-text";
import { EmptyList } from "../ui/status-states";
import { StatusCard } from "../ui/status-card";
import { byOwner } from "../owners/owner-labels";
import { OwnerFilter, OwnerTag } from "../owners/owner-ui";
import type { Family, Rule, Status } from "../types";
import { familyLabel } from "../view-model";
import type { FixRequest } from "../fixes/fix-host";
import { goTo } from "../cockpit/location";
import { ruleProblems } from "./rule-checks";

const _ = cockpit.gettext;

interface FamilyRulesProps {
    family: Family;
    rules: readonly Rule[];
    status: Status;
    admin: boolean;
    onFix: (request: FixRequest) => void;
    /** The owner filter hides every rule of this family. */
    filtered: boolean;
}

const FamilyRules = ({ family, rules, status, admin, onFix, filtered }: FamilyRulesProps) => {
    const name = family === "inet" ? _("IPv4 rules") : _("IPv6 rules");
    const heading = <Title headingLevel="h3" size="md" className="gw-subtitle">{name}</Title>;
    if (rules.length === 0)
        return (
            <>
                {heading}
                <EmptyList title={family === "inet" ? _("No IPv4 rules") : _("No IPv6 rules")}
                           body={filtered
                               ? _("No rule of this family has the chosen owner.")
                               : _("The kernel reported no rules for this family; it may be turned off on this host.")} />
            </>
        );
    const onDelete = (rule: Rule) => onFix({
        kind: "delete",
        target: { object: "rule", text: `priority ${rule.priority} ${selectorText(rule.selector)} ${ruleActionText(rule)}`,
                  where: "", of: rule },
    });
    return (
        <>
            {heading}
            <Table aria-label={name} variant="compact" role="table" className="gw-rules" gridBreakPoint="grid-md">
                <Thead>
                    <Tr>
                        <Th width={10}>{_("Priority")}</Th>
                        <Th width={35}>{_("Selector")}</Th>
                        <Th width={15}>{_("Action")}</Th>
                        <Th width={15}>{_("Owner")}</Th>
                        <Th width={20}>{_("Problems")}</Th>
                        <Th screenReaderText={_("Actions")} />
                    </Tr>
                </Thead>
                <Tbody>
                    {rules.map((rule, i) => {
                        const problems = ruleProblems(rule, status.tables ?? [], status.interfaces ?? []);
                        const deletable = admin && (rule.delete ?? null) !== null;
                        return (
                            <Tr key={`${rule.priority}-${i}`}>
                                <Td dataLabel={_("Priority")}>{rule.priority}</Td>
                                <Td dataLabel={_("Selector")} className="gw-mono">{selectorText(rule.selector)}</Td>
                                <Td dataLabel={_("Action")} className="gw-mono">
                                    {(rule.action ?? "lookup") === "lookup" && rule.table !== undefined
                                        ? (
                                            <a href={`#/tables?table=${rule.table}`}
                                               onClick={e => { e.preventDefault(); goTo("tables", { table: String(rule.table) }) }}>
                                                {ruleActionText(rule)}
                                            </a>
                                        )
                                        : ruleActionText(rule)}
                                </Td>
                                <Td dataLabel={_("Owner")}><OwnerTag owner={rule.owner} why={rule.owner_why} /></Td>
                                <Td dataLabel={_("Problems")} className={problems.length === 0 ? "gw-empty-cell" : ""}>
                                    {problems.map(p => (
                                        <div className="gw-line gw-problem" key={p}>
                                            <ExclamationTriangleIcon aria-hidden="true" />
                                            <span>{p}</span>
                                        </div>
                                    ))}
                                </Td>
                                <Td dataLabel={_("Actions")} className={deletable ? "gw-actions" : "gw-actions gw-empty-cell"}>
                                    {deletable && (
                                        <Button variant="link" isInline isDanger size="sm" onClick={() => onDelete(rule)}
                                                aria-label={cockpit.format(_("Delete $0 rule $1"), familyLabel(family), rule.priority)}>
                                            {_("Delete")}
                                        </Button>
                                    )}
                                </Td>
                            </Tr>
                        );
                    })}
                </Tbody>
            </Table>
        </>
    );
};

export const RulesView = ({ status, admin, onFix }: { status: Status; admin: boolean; onFix: (request: FixRequest) => void }) => {
    const [owner, setOwner] = useState("");
    const byFamily = rulesByFamily(byOwner(status.rules ?? [], owner));
    return (
        <StatusCard id="rules" title={_("Rules")} help="rules">
            <div className="gw-line gw-toolbar">
                <OwnerFilter id="gw-rules-owner" value={owner} onChange={setOwner} />
                {admin && <Button variant="secondary" size="sm" onClick={() => onFix({ kind: "add-rule" })}>{_("Add rule")}</Button>}
            </div>
            <FamilyRules family="inet" rules={byFamily.inet} status={status} admin={admin} onFix={onFix} filtered={owner !== ""} />
            <FamilyRules family="inet6" rules={byFamily.inet6} status={status} admin={admin} onFix={onFix} filtered={owner !== ""} />
        </StatusCard>
    );
};
