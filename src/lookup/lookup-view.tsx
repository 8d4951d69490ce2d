// SPDX-License-Identifier: LGPL-2.1-or-later
// The "Route lookup" view: where does a packet go? The query lives in the URL (reload and back
// show the same answer); it runs again when the host's routing changes.

import { useEffect, useState } from "preact/hooks";
import { TextField } from "../ui/form-field";
import { lookupRoute, toHelperError } from "../client/helper-client";
import { Alert, Button, Form, FormGroup, FormSelect, FormSelectOption, Spinner } from "../ui/pf";
import { StatusCard } from "../ui/status-card";
import type { Interface, LookupFix, LookupQuery, LookupResult } from "../types";
import { goTo } from "../cockpit/location";
import { lookupFormFrom, lookupOptions, lookupQuery, validateLookup, type LookupForm } from "./lookup-form";
import { LookupResultView } from "./lookup-result";

const _ = cockpit.gettext;

type Answer = { state: "idle" } | { state: "loading" } | { state: "ready"; result: LookupResult } | { state: "error"; message: string };

export interface LookupViewProps {
    options: Record<string, string>;
    interfaces: readonly Interface[];
    tick: number;
    /** Administrative access: the fix's button (set a gateway) is offered. */
    admin?: boolean;
}

/** The Networks view with the gateway dialog of that network open. */
export function openGatewayDialog(fix: LookupFix): void {
    goTo("networks", { gateway: fix.interface, ...(fix.family ? { family: fix.family } : {}) });
}

export const LookupView = ({ options, interfaces, tick, admin = false }: LookupViewProps) => {
    const [form, setForm] = useState<LookupForm>(() => lookupFormFrom(options));
    const [submitted, setSubmitted] = useState(false);
    const [answer, setAnswer] = useState<Answer>({ state: "idle" });
    const errors = validateLookup(form);
    // the URL's form and query as text: what the effects below follow (a new options object
    // with the same values changes nothing)
    const formKey = JSON.stringify(lookupFormFrom(options));
    const queryKey = JSON.stringify(lookupQuery(options));

    // from a network's "Where do replies go?": the source is set, the admin types the destination
    const startEmpty = options.to === undefined;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on opening only: a later URL change must not move the focus
    useEffect(() => { if (startEmpty) document.getElementById("gw-lookup-to")?.focus() }, []);
    // the URL changed (submit, back, a network's "Where do replies go?"): show its query
    useEffect(() => { setForm(JSON.parse(formKey) as LookupForm) }, [formKey]);
    useEffect(() => {
        const query = JSON.parse(queryKey) as LookupQuery | null;
        if (query === null) {
            setAnswer({ state: "idle" });
            return;
        }
        let current = true;
        setAnswer(a => (a.state === "ready" ? a : { state: "loading" }));
        lookupRoute(query).then(
            result => {
                if (!current)
                    return;
                setAnswer({ state: "ready", result });
                // the answer may be below the fold on a small window
                setTimeout(() => document.getElementById("gw-lookup-answer")?.scrollIntoView?.({ block: "nearest" }), 0);
            },
            (ex: unknown) => { if (current) setAnswer({ state: "error", message: toHelperError(ex).message }) });
        return () => { current = false };
    }, [queryKey, tick]);

    const set = (key: keyof LookupForm) => (value: string) => setForm(f => ({ ...f, [key]: value }));
    // an invalid field clears the old answer: it would answer another question
    const invalid = submitted && Object.keys(errors).length > 0;
    const submit = () => {
        setSubmitted(true);
        if (Object.keys(errors).length === 0)
            goTo("lookup", lookupOptions(form));
    };
    const show = (key: keyof LookupForm) => submitted || form[key] !== "";

    return (
        <StatusCard id="lookup" title={_("Route lookup")} help="route-lookup">
            <p className="gw-secondary gw-intro">{_("Where does a packet go, and why? The rules and tables the kernel consults, and its own answer.")}</p>
            <Form className="gw-lookup-form" onSubmit={e => { e.preventDefault(); submit() }}>
                <TextField id="gw-lookup-to" label={_("To")} value={form.to} onChange={set("to")} isRequired
                           error={errors.to} showError={show("to")} hint={_("The destination address, e.g. 10.0.9.2.")} />
                <TextField id="gw-lookup-from" label={_("From")} value={form.from} onChange={set("from")}
                           error={errors.from} showError={show("from")} hint={_("Optional: the source address (a reply leaves from the address it answers).")} />
                <FormGroup label={_("Incoming device")} fieldId="gw-lookup-iif">
                    <FormSelect id="gw-lookup-iif" value={form.iif} onChange={(_e, v) => set("iif")(v)}>
                        <FormSelectOption value="" label={_("None: sent by this host")} />
                        {interfaces.map(i => <FormSelectOption key={i.name} value={i.name} label={i.name} />)}
                    </FormSelect>
                </FormGroup>
                <TextField id="gw-lookup-fwmark" label={_("Firewall mark")} value={form.fwmark} onChange={set("fwmark")}
                           error={errors.fwmark} showError={show("fwmark")} />
                <div><Button type="submit" variant="primary">{_("Look up")}</Button></div>
            </Form>
            <div aria-live="polite">
                {!invalid && answer.state === "loading" && <Spinner size="lg" aria-label={_("Looking up the route")} />}
                {!invalid && answer.state === "error" && <Alert isInline variant="danger" title={_("The lookup failed")}>{answer.message}</Alert>}
                {!invalid && answer.state === "ready" &&
                    <LookupResultView result={answer.result} {...(admin ? { onFix: openGatewayDialog } : {})} />}
            </div>
        </StatusCard>
    );
};
