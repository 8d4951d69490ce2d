// SPDX-License-Identifier: LGPL-2.1-or-later
// "Where do replies go?" on a network's row: a small reachability doctor. It asks for a client's
// address (the last one is remembered), has the helper evaluate the client's request coming in and
// this host's reply going out (`reach IFACE CLIENT`), and gives one verdict with the fix.

import { useState } from "preact/hooks";
import { reach, toHelperError } from "../client/helper-client";
import { parseAddress } from "../ip-address";
import { Alert, Button, Form, Modal, ModalBody, ModalFooter, ModalHeader, Spinner } from "../ui/pf";
import { TextField } from "../ui/form-field";
import type { Family, LookupFix, ReachResult } from "../types";
import { familyLabel } from "../view-model";
import { fixText, headline } from "./lookup-result";
import { reachHeadline } from "./lookup-verdict";
import { goTo } from "../cockpit/location";

const _ = cockpit.gettext;

const STORE = "cockpit-gateways:reach-client:";

function remembered(family: Family): string {
    try {
        return window.localStorage.getItem(STORE + family) ?? "";
    } catch {
        return "";
    }
}

function remember(family: Family, client: string): void {
    try {
        window.localStorage.setItem(STORE + family, client);
    } catch { /* private mode: not remembered */ }
}

export function validateClient(value: string, family: Family): string | undefined {
    const text = value.trim();
    if (text === "")
        return _("Enter the client's address.");
    const parsed = parseAddress(text);
    if (parsed === null)
        return _("Enter an IPv4 or IPv6 address, e.g. 10.0.9.2.");
    if (parsed.family !== family)
        return family === "inet" ? _("Enter an IPv4 address: this is the IPv4 network.")
            : _("Enter an IPv6 address: this is the IPv6 network.");
    return undefined;
}

type Check = { state: "idle" } | { state: "loading" } | { state: "ready"; result: ReachResult } | { state: "error"; message: string };

export interface ReachDialogProps {
    iface: string;
    family: Family;
    onClose: () => void;
    /** The fix's button (admins): set this network's gateway. */
    onFix?: (fix: LookupFix) => void;
}

export const ReachDialog = ({ iface, family, onClose, onFix }: ReachDialogProps) => {
    const [client, setClient] = useState(() => remembered(family));
    const [submitted, setSubmitted] = useState(false);
    const [check, setCheck] = useState<Check>({ state: "idle" });
    const error = validateClient(client, family);
    const title = cockpit.format(_("Can a client reach $0 ($1)?"), iface, familyLabel(family));

    const run = () => {
        setSubmitted(true);
        if (error !== undefined) {
            setCheck({ state: "idle" });
            return;
        }
        const address = client.trim();
        remember(family, address);
        setCheck({ state: "loading" });
        reach(iface, address).then(
            result => setCheck({ state: "ready", result }),
            (ex: unknown) => setCheck({ state: "error", message: toHelperError(ex).message }));
    };

    const result = check.state === "ready" ? check.result : null;
    return (
        <Modal isOpen variant="small" onClose={onClose} aria-labelledby="gw-reach-title" elementToFocus="#gw-reach-client"
               className="gw-dialog">
            <ModalHeader title={title} labelId="gw-reach-title" />
            <ModalBody>
                <p className="gw-secondary gw-intro">
                    {_("A client's request comes in, this host replies: both are checked as the kernel routes them.")}
                </p>
                <Form onSubmit={e => { e.preventDefault(); run() }}>
                    <TextField id="gw-reach-client" label={_("Client address")} value={client} isRequired
                               onChange={v => { setClient(v); setCheck({ state: "idle" }) }}
                               error={error} showError={submitted} />
                </Form>
                <div aria-live="polite" className="gw-reach-answer">
                    {check.state === "loading" && <Spinner size="md" aria-label={_("Checking")} />}
                    {check.state === "error" && <Alert isInline variant="danger" title={_("The check failed")}>{check.message}</Alert>}
                    {result !== null && (
                        <>
                            <p id="gw-reach-verdict" role="status" className="gw-lookup-explanation">
                                {reachHeadline(result, headline)}
                            </p>
                            {result.agree === false && (
                                <Alert isInline variant="warning" title={_("This explanation differs from the kernel's own answer")} />
                            )}
                            {result.fix && (
                                <div className="gw-lookup-fix">
                                    <p>{fixText(result.fix)}</p>
                                    {result.fix.kind === "set" && onFix && (
                                        <Button variant="primary" onClick={() => onFix(result.fix as LookupFix)}>
                                            {cockpit.format(_("Set a gateway for $0"), result.fix.interface)}
                                        </Button>
                                    )}
                                </div>
                            )}
                            <Button variant="link" isInline
                                    onClick={() => goTo("lookup", { to: result.address, from: result.client, iif: result.interface })}>
                                {_("Show the request in Route lookup")}
                            </Button>
                        </>
                    )}
                </div>
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" onClick={run} isDisabled={check.state === "loading"}>{_("Check")}</Button>
                <Button variant="link" onClick={onClose}>{_("Close")}</Button>
            </ModalFooter>
        </Modal>
    );
};
