// SPDX-License-Identifier: LGPL-2.1-or-later
// One row of the Networks view: an interface in one address family.

import { Button, Td, Th, Tr } from "../ui/pf";
import { TagLabel } from "../ui/tag";
import type { NetworkRow } from "./network-model";
import { methodLabel, routingDescription, routingLabel } from "./network-labels";
import { addressScope, addressText, familyLabel, interfaceStateLabel } from "../view-model";

const _ = cockpit.gettext;

export const editButtonId = (row: NetworkRow) => `gw-edit-${row.iface}-${row.family}`;
export const reachButtonId = (row: NetworkRow) => `gw-reach-${row.iface}-${row.family}`;
export const repairButtonId = (row: NetworkRow) => `gw-repair-${row.iface}-${row.family}`;

export interface RowActions {
    onEdit: (row: NetworkRow) => void;
    onRepair: (row: NetworkRow) => void;
    /** "Where do replies go?": the reachability doctor for this network. */
    onLookup?: (row: NetworkRow, address: string) => void;
}

/** The address replies leave from: the first global (or any) address of the row. */
export function replyAddress(row: NetworkRow): string | undefined {
    return (row.addresses.find(a => a.scope === undefined || a.scope === "global") ?? row.addresses[0])?.address;
}

/** The gateway a change being tested sets: the confirmed one → the new one, once. */
const TestingGateway = ({ testing }: { testing: NonNullable<NetworkRow["testing"]> }) => (
    <div className="gw-line gw-testing-gateway">
        <span className="gw-mono">{testing.before ?? _("none")}</span>
        <span aria-hidden="true">→</span>
        <span className="pf-v6-screen-reader">{_("changes to")}</span>
        <span className="gw-mono">{testing.after ?? _("none")}</span>
        <TagLabel tag={{ text: _("Being tested"), color: "orange" }} />
    </div>
);

const GatewayCell = ({ row }: { row: NetworkRow }) => {
    // the management network's own gateway is usually the host's default too: one line, both tags
    const same = row.gateway !== undefined && row.hostDefault?.address === row.gateway.address;
    return (
        <>
            {row.testing !== undefined && <TestingGateway testing={row.testing} />}
            {row.gateway !== undefined && row.testing === undefined && (
                <div className="gw-line">
                    <span className="gw-mono">{row.gateway.address}</span>
                    {row.gateway.source === "dhcp" && <span className="gw-secondary">{_("from DHCP")}</span>}
                    {same && <TagLabel tag={{ text: _("Host default gateway"), color: "teal" }} />}
                </div>
            )}
            {row.hostDefault !== undefined && !same && (
                <div className="gw-line">
                    <span className="gw-mono">{row.hostDefault.address ?? _("no gateway address")}</span>
                    <TagLabel tag={{ text: _("Host default gateway"), color: "teal" }} />
                </div>
            )}
            {row.gateway === undefined && row.hostDefault === undefined && row.testing === undefined &&
                <span className="gw-secondary">—</span>}
        </>
    );
};

/** Why changes are held back (a change is being tested): the id of the sentence the table shows. */
export const HELD_REASON_ID = "gw-held-reason";

/** A disabled action that still says why: focusable (aria-disabled), with the reason as its
 * description and tooltip. */
const held = (reason: string | null) => reason === null
    ? {}
    : { isAriaDisabled: true, title: reason, "aria-describedby": HELD_REASON_ID };

export const NetworkRowView = ({ row, admin, heldBy, actions }:
    { row: NetworkRow; admin: boolean; heldBy: string | null; actions: RowActions }) => {
    const name = cockpit.format("$0 $1", row.iface, familyLabel(row.family));
    return (
        <Tr>
            <Th dataLabel={_("Interface")} scope="row" className="gw-nowrap">
                {row.iface} <span className="gw-family">{familyLabel(row.family)}</span>
            </Th>
            <Td dataLabel={_("State")}><TagLabel tag={interfaceStateLabel(row.ifaceState)} /></Td>
            <Td dataLabel={_("Addresses")}>
                {row.addresses.length === 0
                    ? <span className="gw-secondary">{_("No addresses")}</span>
                    : row.addresses.map(a => (
                        <div className="gw-line" key={addressText(a)}>
                            <span className="gw-mono gw-address">{addressText(a)}</span>
                            {addressScope(a) !== null && <span className="gw-secondary">{addressScope(a)}</span>}
                        </div>
                    ))}
            </Td>
            <Td dataLabel={_("Method")}>{methodLabel(row.method)}</Td>
            <Td dataLabel={_("Gateway")}><GatewayCell row={row} /></Td>
            <Td dataLabel={_("Source routing")}>
                <span title={row.gateway?.reason ?? routingDescription(row.routing)}><TagLabel tag={routingLabel(row.routing)} /></span>
                {row.routing === "conflict" && row.gateway?.reason !== undefined
                    ? <div className="gw-secondary gw-reason">{row.gateway.reason}</div>
                    : <span className="pf-v6-screen-reader">{routingDescription(row.routing)}</span>}
            </Td>
            <Td dataLabel={_("Actions")} className="gw-actions">
                <div className="gw-row-actions">
                    {admin && row.editable && (
                        <Button variant="secondary" size="sm" id={editButtonId(row)} {...held(heldBy)}
                                aria-label={cockpit.format(row.gateway ? _("Edit gateway of $0") : _("Set gateway of $0"), name)}
                                onClick={() => actions.onEdit(row)}>
                            {row.gateway ? _("Edit") : _("Set gateway")}
                        </Button>
                    )}
                    {actions.onLookup !== undefined && replyAddress(row) !== undefined && (
                        <Button variant="link" size="sm" id={reachButtonId(row)}
                                aria-label={cockpit.format(_("Where do replies from $0 go?"), name)}
                                onClick={() => actions.onLookup?.(row, replyAddress(row) ?? "")}>
                            {_("Where do replies go?")}
                        </Button>
                    )}
                    {admin && row.repairable && (
                        <Button variant="link" size="sm" id={repairButtonId(row)} {...held(heldBy)}
                                aria-label={cockpit.format(_("Repair source routing of $0"), name)}
                                onClick={() => actions.onRepair(row)}>
                            {_("Repair")}
                        </Button>
                    )}
                </div>
            </Td>
        </Tr>
    );
};
