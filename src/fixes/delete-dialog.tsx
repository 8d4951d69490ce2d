// SPDX-License-Identifier: LGPL-2.1-or-later
// Delete one route or rule, with the arguments the helper gave for exactly that object (its
// `delete`, with --foreign when it is not ours). What the dialog says follows who made it:
// - a gateway's own object: deleting it would break that network, so the dialog offers removing
//   the network's gateway instead (or shows the network when its gateway comes from DHCP);
// - a one-off fix made here (kept or not): said so, no warning;
// - anyone else's: a warning that someone else made it and may expect it to stay.

import { Alert, Button, Modal, ModalBody, ModalFooter, ModalHeader } from "../ui/pf";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import { goTo } from "../cockpit/location";
import { familyLabel } from "../view-model";
import type { Family, Interface, Ownership } from "../types";

const _ = cockpit.gettext;

export interface DeleteTarget {
    object: "route" | "rule";
    /** The object in `ip` words, e.g. "10.77.0.0/16 via 10.0.2.1 dev eth1 proto static". */
    text: string;
    /** "table 300 (vpn)" for a route, "" for a rule. */
    where: string;
    /** What the helper says of it: owner, owned, delete, networks. */
    of: Ownership;
}

export interface DeleteDialogProps {
    target: DeleteTarget;
    /** To tell whether a gateway's network can be removed here (a static gateway) or follows DHCP. */
    interfaces: readonly Interface[];
    /** Closed; `changed`: the object was deleted (confirmed or not). */
    onClose: (changed: boolean) => void;
}

/** A gateway's route or rule: not deleted alone; removing the gateway removes all of them. */
const GatewayPart = ({ target, network, interfaces, onClose }: DeleteDialogProps & { network: { interface: string; family: Family } }) => {
    const isRoute = target.object === "route";
    const iface = network.interface;
    const gateway = interfaces.find(i => i.name === iface)?.gateways?.find(g => g.family === network.family);
    const removable = gateway?.source === "static";
    const go = () => {
        onClose(false);
        goTo("networks", removable ? { gateway: iface, family: network.family, remove: "1" } : {});
    };
    return (
        <Modal isOpen variant="small" onClose={() => onClose(false)} aria-labelledby="gw-delete-dialog-title"
               aria-describedby="gw-delete-dialog-body" className="gw-dialog" id="gw-delete-dialog">
            <ModalHeader title={cockpit.format(isRoute ? _("Route of $0's gateway") : _("Rule of $0's gateway"), iface)}
                         labelId="gw-delete-dialog-title" />
            <ModalBody id="gw-delete-dialog-body">
                <p>
                    {isRoute
                        ? cockpit.format(_("This route in $0 is part of the gateway of $1 ($2):"), target.where, iface, familyLabel(network.family))
                        : cockpit.format(_("This rule is part of the gateway of $0 ($1):"), iface, familyLabel(network.family))}
                </p>
                <pre className="gw-mono gw-commands gw-delete-object">{target.text}</pre>
                <Alert isInline isPlain variant="warning" className="gw-preview"
                       title={cockpit.format(_("Deleting it alone would break the source routing of $0"), iface)}>
                    {_("Replies from that network would leave by the wrong gateway, and the network would show as incomplete until it is repaired. To stop its source routing, remove its gateway: that takes away all of its routes and rules.")}
                </Alert>
            </ModalBody>
            <ModalFooter>
                <Button variant={removable ? "danger" : "primary"} onClick={go}>
                    {cockpit.format(removable ? _("Remove $0's gateway") : _("Show $0's network"), iface)}
                </Button>
                <Button variant="link" onClick={() => onClose(false)}>{_("Cancel")}</Button>
            </ModalFooter>
        </Modal>
    );
};

const DeleteObject = ({ target, onClose }: DeleteDialogProps) => {
    const isRoute = target.object === "route";
    const { owner, owned, delete: args } = target.of;
    const safe = useSafeApply({
        args: args ?? null,
        what: cockpit.format(isRoute ? _("Deleting the route $0") : _("Deleting the rule $0"), target.text),
        onDone: () => onClose(true),
        preview: false,
    });
    return (
        <SafeApplyDialog id="gw-delete-dialog" title={isRoute ? _("Delete route?") : _("Delete rule?")} applyLabel={_("Delete")}
                         danger safe={safe} onClose={() => onClose(false)}>
            <p>
                {isRoute
                    ? cockpit.format(_("This deletes the route in $0:"), target.where)
                    : _("This deletes the rule:")}
            </p>
            <pre className="gw-mono gw-commands gw-delete-object">{target.text}</pre>
            {(owner === "kept" || owner === "fix") && (
                <Alert isInline isPlain variant="info" className="gw-preview"
                       title={isRoute ? _("This route was added with cockpit-gateways (a one-off fix)") : _("This rule was added with cockpit-gateways (a one-off fix)")}>
                    {owner === "kept"
                        ? _("It is kept across reboots; deleting it also stops keeping it.")
                        : _("It is not kept across reboots.")}
                </Alert>
            )}
            {owned !== true && (
                <Alert isInline isPlain variant="warning" className="gw-preview"
                       title={isRoute ? _("This route is not owned by cockpit-gateways") : _("This rule is not owned by cockpit-gateways")}>
                    {_("Someone else made it (an administrator, NetworkManager, a VPN or a routing daemon) and may expect it to stay. Only this exact object is deleted.")}
                </Alert>
            )}
        </SafeApplyDialog>
    );
};

export const DeleteDialog = (props: DeleteDialogProps) => {
    const network = props.target.of.owner === "cockpit-gateways" ? props.target.of.networks?.[0] : undefined;
    return network === undefined ? <DeleteObject {...props} /> : <GatewayPart {...props} network={network} />;
};
