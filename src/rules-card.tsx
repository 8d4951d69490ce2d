// SPDX-License-Identifier: LGPL-2.1-or-later
// Policy routing rules, per family, in the order the kernel evaluates them.

import { Table, Tbody, Td, Th, Thead, Title, Tr } from "./pf";
import { EmptyList } from "./status-states";
import { StatusCard } from "./status-card";
import { TagLabel } from "./tag";
import type { Family, Rule } from "./types";
import { ruleActionText, ruleOwner, ruleOwnerLabel, rulesByFamily, selectorText } from "./rule-view";
import { familyLabel } from "./view-model";

const _ = cockpit.gettext;

const FamilyRules = ({ family, rules }: { family: Family; rules: readonly Rule[] }) => {
    const name = family === "inet" ? _("IPv4 rules") : _("IPv6 rules");
    if (rules.length === 0)
        return <EmptyList title={cockpit.format(_("No $0 rules"), familyLabel(family))} />;
    return (
        <>
            <Title headingLevel="h3" size="md" className="gw-subtitle">{name}</Title>
            <Table aria-label={name} variant="compact" role="table">
                <Thead>
                    <Tr>
                        <Th width={15}>{_("Priority")}</Th>
                        <Th width={40}>{_("Selector")}</Th>
                        <Th width={25}>{_("Action")}</Th>
                        <Th width={20}>{_("Owner")}</Th>
                    </Tr>
                </Thead>
                <Tbody>
                    {rules.map((rule, i) => (
                        <Tr key={`${rule.priority}-${i}`}>
                            <Td dataLabel={_("Priority")}>{rule.priority}</Td>
                            <Td dataLabel={_("Selector")} className="gw-mono">{selectorText(rule.selector)}</Td>
                            <Td dataLabel={_("Action")} className="gw-mono">{ruleActionText(rule)}</Td>
                            <Td dataLabel={_("Owner")}><TagLabel tag={ruleOwnerLabel(ruleOwner(rule))} /></Td>
                        </Tr>
                    ))}
                </Tbody>
            </Table>
        </>
    );
};

export const RulesCard = ({ rules }: { rules: readonly Rule[] }) => {
    const byFamily = rulesByFamily(rules);
    return (
        <StatusCard id="rules" title={_("Rules")}>
            {rules.length === 0
                ? <EmptyList title={_("No rules")} />
                : (
                    <>
                        <FamilyRules family="inet" rules={byFamily.inet} />
                        <FamilyRules family="inet6" rules={byFamily.inet6} />
                    </>
                )}
        </StatusCard>
    );
};
