// SPDX-License-Identifier: LGPL-2.1-or-later
// The shared validation corpus (test/validation/cases.json) against the page's validators. The
// helper runs the same cases (test/helper/test_validation_corpus.py), so the two cannot drift.

import { describe, expect, it } from "vitest";
import {
    validateDestination, validateDevice, validateFwmark, validateIpproto, validatePorts, validateProto, validateSelector, validateSource, validateTable,
    validateTableName, validateTableNumber, validateU32, validateUidRange, validateVia, DEFAULT_TABLE_RANGE, METRIC_MESSAGES, PRIORITY_MESSAGES, ROUTE_SCOPES,
} from "../../src/fixes/fix-validators";
import { RULE_ACTIONS } from "../../src/rules/rule-form";
import { validateLookup } from "../../src/lookup/lookup-form";
import { validateGateway } from "../../src/networks/gateway-validators";
import type { Address, Family } from "../../src/types";
import corpus from "../validation/cases.json";

const tables = Object.entries(corpus.context.tables).map(([id, name]) => ({ id: Number(id), name }));
const addresses: Address[] = corpus.kinds.gateway.addresses.map(a => {
    const [address = "", prefix = "0"] = a.split("/");
    return { family: address.includes(":") ? "inet6" : "inet", address, prefix: Number(prefix), scope: "global" };
});
const familyOf = (value: string): Family => (value.includes(":") ? "inet6" : "inet");
const links = corpus.context.links.map(name => ({ name }));
/** A choice the page offers: fine when offered, else refused. */
const offered = (choices: readonly string[]) => (v: string) => (choices.includes(v) ? undefined : "not offered");

/** kind → the page's validator for one value: a message, or undefined when it is fine. */
const CHECKS: Record<keyof typeof corpus.kinds, (value: string) => string | undefined> = {
    // the dialog is opened for one family: the one the value is written in (IPv4 for garbage)
    "gateway": v => validateGateway(v, addresses, familyOf(v)),
    "destination": validateDestination,
    "via": v => validateVia(v, familyOf(v)),
    "metric": v => validateU32(v, METRIC_MESSAGES),
    "priority": v => validateU32(v, PRIORITY_MESSAGES, { required: true, min: 1 }),
    "rule-fwmark": validateFwmark,
    "lookup-fwmark": v => validateLookup({ to: "127.0.0.1", from: "", iif: "", fwmark: v }).fwmark,
    "selector": validateSelector,
    "table": v => validateTable(v, tables),
    "route-src": v => validateSource(v, familyOf(v)),
    "route-scope": offered(ROUTE_SCOPES),
    "route-proto": validateProto,
    "rule-device": v => validateDevice(v, links),
    "rule-ipproto": validateIpproto,
    "rule-port": validatePorts,
    "rule-uidrange": validateUidRange,
    "rule-action": offered(RULE_ACTIONS.filter(a => a !== "lookup")),
    "table-name": v => validateTableName(v, tables),
    "table-number": v => validateTableNumber(v, tables, DEFAULT_TABLE_RANGE),
};

describe.each(Object.entries(CHECKS))("%s", (kind, check) => {
    const cases = corpus.kinds[kind as keyof typeof corpus.kinds];
    it.each(cases.valid)("accepts %j", value => {
        expect(check(value)).toBeUndefined();
    });
    it.each(cases.invalid)("refuses %j", value => {
        expect(check(value)).toEqual(expect.any(String));
    });
});
