// SPDX-License-Identifier: LGPL-2.1-or-later
// Whether source routing comes back by itself: restored at boot (cockpit-gateways.service) and
// repaired when it goes missing (self-healing: cockpit-gateways-watch.service), from the helper's
// `service status`. An admin can turn each on; the dialog previews the exact systemctl command
// (`service enable NAME --dry-run`) before it runs. Where systemd does not run or is absent, the
// helper's message says what that means.

import { useEffect, useState } from "preact/hooks";
import { enableService, getServices, toHelperError } from "../client/helper-client";
import type { ServiceName } from "../client/helper-args";
import type { ServiceInfo, ServicesStatus } from "../types";
import {
    Alert, Button, Card, CardBody, CardTitle, List, ListItem, Modal, ModalBody, ModalFooter, ModalHeader,
} from "../ui/pf";

const _ = cockpit.gettext;

const LABELS: Record<ServiceName, string> = {
    boot: _("Restore source routing at boot"),
    watch: _("Repair source routing when it goes missing (self-healing)"),
};

/** The state of one service in words. */
export function serviceState(info: ServiceInfo, systemd: ServicesStatus["systemd"]): string {
    if (info.state === "not-found")
        return _("not installed");
    if (info.enabled === null)
        return _("unknown: systemd is absent");
    if (!info.enabled)
        return info.state === "masked" ? _("off (masked)") : _("off");
    if (systemd === "running")
        return info.active === false ? _("on, not running now") : _("on");
    return _("on (from the next boot)");
}

/** What the state of systemd means for these, in the page's language (null: it runs). */
export function systemdNote(systemd: ServicesStatus["systemd"]): string | null {
    if (systemd === "offline")
        return _("systemd is not running here: turning these on or off changes the unit links only, and takes effect at the next boot.");
    if (systemd === "absent")
        return _("This host has no systemd: neither can be turned on here. Run `cockpit-gateways reconcile` at boot and `cockpit-gateways watch` as a service by the host's own means.");
    return null;
}

function canTurnOn(info: ServiceInfo, systemd: ServicesStatus["systemd"]): boolean {
    return systemd !== "absent" && info.enabled === false && info.state !== "not-found" && info.state !== "masked";
}

const TurnOnDialog = ({ name, onClose, onDone }: { name: ServiceName; onClose: () => void; onDone: (title: string) => void }) => {
    const [plan, setPlan] = useState<ServicesStatus | null>(null);
    const [error, setError] = useState<string | null>(null);
    const [busy, setBusy] = useState(false);
    useEffect(() => {
        enableService(name, { preview: true }).then(setPlan, (ex: unknown) => setError(toHelperError(ex).message));
    }, [name]);
    const apply = () => {
        setBusy(true);
        setError(null);
        enableService(name).then(
            () => onDone(cockpit.format(_("$0: on"), LABELS[name])),
            (ex: unknown) => { setBusy(false); setError(toHelperError(ex).message) },
        );
    };
    const title = name === "boot" ? _("Turn on restore at boot") : _("Turn on self-healing");
    return (
        <Modal isOpen variant="small" onClose={busy ? () => {} : onClose} aria-labelledby="gw-service-title" className="gw-dialog">
            <ModalHeader title={title} labelId="gw-service-title" />
            <ModalBody>
                {error !== null && <Alert isInline variant="danger" title={error} className="gw-dialog-error" />}
                {plan !== null && (
                    <>
                        <p>{_("This runs:")}</p>
                        <pre className="gw-mono gw-service-commands">{(plan.commands ?? []).join("\n") || _("(nothing: it is on already)")}</pre>
                        {systemdNote(plan.systemd) !== null && <p className="gw-secondary">{systemdNote(plan.systemd)}</p>}
                    </>
                )}
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" isDisabled={plan === null || busy} isLoading={busy} onClick={apply}>{_("Turn on")}</Button>
                <Button variant="link" isDisabled={busy} onClick={onClose}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};

export const ServicesCard = ({ admin, onApplied }: { admin: boolean; onApplied: (title: string) => void }) => {
    const [status, setStatus] = useState<ServicesStatus | null>(null);
    const [error, setError] = useState<string | null>(null);
    const [turningOn, setTurningOn] = useState<ServiceName | null>(null);
    const [generation, setGeneration] = useState(0);
    useEffect(() => {
        getServices().then(s => { setStatus(s); setError(null) }, (ex: unknown) => setError(toHelperError(ex).message));
    }, [generation]);
    if (status === null && error === null)
        return null;
    return (
        <Card isCompact className="gw-services">
            <CardTitle component="h2">{_("Boot and self-healing")}</CardTitle>
            <CardBody>
                {error !== null && <p className="gw-secondary">{error}</p>}
                {status !== null && (
                    <>
                        <List isPlain>
                            {status.services.map(info => (
                                <ListItem key={info.name}>
                                    <span>{LABELS[info.name]}: </span>
                                    <strong className="gw-service-state">{serviceState(info, status.systemd)}</strong>
                                    {admin && canTurnOn(info, status.systemd) && (
                                        <Button variant="link" isInline className="gw-service-on"
                                                aria-label={cockpit.format(_("Turn on: $0"), LABELS[info.name])}
                                                onClick={() => setTurningOn(info.name)}>
                                            {_("Turn on")}
                                        </Button>
                                    )}
                                </ListItem>
                            ))}
                        </List>
                        {systemdNote(status.systemd) !== null && <p className="gw-secondary">{systemdNote(status.systemd)}</p>}
                    </>
                )}
            </CardBody>
            {turningOn !== null && (
                <TurnOnDialog name={turningOn} onClose={() => setTurningOn(null)}
                              onDone={title => { setTurningOn(null); setGeneration(g => g + 1); onApplied(title) }} />
            )}
        </Card>
    );
};
