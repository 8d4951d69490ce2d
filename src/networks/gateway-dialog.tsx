// SPDX-License-Identifier: LGPL-2.1-or-later
// Set, change or remove one network's gateway: validate while typing, preview the helper's plan,
// then apply safely (safe-apply/). Helper errors appear at the top; the dialog stays open.

import { useState } from "preact/hooks";
import { gatewayArgs } from "../client/helper-args";
import type { NetworkRow } from "./network-model";
import { Checkbox, Form } from "../ui/pf";
import { TextField } from "../ui/form-field";
import { PlanPreview } from "../safe-apply/plan-preview";
import { SafeApplyDialog } from "../safe-apply/safe-apply-dialog";
import { useSafeApply } from "../safe-apply/use-safe-apply";
import type { RoutingTable } from "../types";
import { outsideSubnets, validateGateway } from "./gateway-validators";
import { NetworkLine, RouterChoices, useRouters } from "./router-choices";
import { familyLabel } from "../view-model";

const _ = cockpit.gettext;

export interface GatewayDialogProps {
    row: NetworkRow;
    tables: readonly RoutingTable[];
    /** Open on the "Remove gateway" step (a static gateway only). */
    removing?: boolean;
    /** Closed: cancelled, confirmed, or not confirmed (the page's notice explains). */
    onClose: () => void;
    /** The change was confirmed: `message` says what now holds (shown as a toast). */
    onApplied?: (message: string) => void;
}

export const GatewayDialog = ({ row, tables, removing: startRemoving = false, onClose, onApplied }: GatewayDialogProps) => {
    const current = row.gateway?.source === "static" ? row.gateway.address : "";
    const [value, setValue] = useState(current);
    const [touched, setTouched] = useState(false);
    const [removing, setRemoving] = useState(startRemoving && row.gateway?.source === "static");
    const [onlink, setOnlink] = useState(row.gateway?.source === "static" && row.gateway.onlink === true);
    const routers = useRouters(row.iface, row.family);

    const outside = outsideSubnets(value, row.addresses, row.family);
    const invalid = removing ? undefined : validateGateway(value, row.addresses, row.family, onlink);
    const gateway = removing ? null : value.trim();
    const family = familyLabel(row.family);
    const safe = useSafeApply({
        args: invalid === undefined
            ? gatewayArgs({ iface: row.iface, family: row.family, gateway, onlink: onlink && outside })
            : null,
        what: gateway === null
            ? cockpit.format(_("Removing the gateway of $0 ($1)"), row.iface, family)
            : cockpit.format(_("Setting the gateway of $0 ($1) to $2"), row.iface, family, gateway),
        onDone: confirmed => {
            if (confirmed) {
                onApplied?.(gateway === null
                    ? cockpit.format(_("The gateway of $0 ($1) was removed"), row.iface, family)
                    : cockpit.format(_("$0 ($1) now answers through $2"), row.iface, family, gateway));
            }
            onClose();
        },
    });
    const title = removing
        ? cockpit.format(_("Remove the gateway of $0 ($1)"), row.iface, family)
        : cockpit.format(row.gateway ? _("Gateway of $0 ($1)") : _("Set a gateway for $0 ($1)"), row.iface, family);

    return (
        <SafeApplyDialog id="gw-gateway-dialog" title={title} safe={safe} danger={removing} {...(removing ? {} : { focus: "#gw-gateway-input" })}
                         applyLabel={removing ? _("Remove gateway") : _("Apply")} onClose={onClose}
                         // one button that toggles, so the focused element is never removed under the focus trap
                         {...(row.gateway?.source === "static"
                             ? { action: { label: removing ? _("Back") : _("Remove gateway"), danger: !removing,
                                           onClick: () => { setRemoving(!removing); safe.clearError() } } }
                             : {})}>
            <Form onSubmit={e => { e.preventDefault(); safe.apply() }}>
                {!removing && <NetworkLine addresses={row.addresses} family={row.family} />}
                {!removing && (
                    <TextField id="gw-gateway-input" label={_("Gateway")} value={value} isRequired
                               onChange={v => { setValue(v); safe.clearError() }} onBlur={() => setTouched(true)}
                               error={invalid} showError={touched || value !== ""}
                               hint={_("The router's address on this network.")} />
                )}
                {!removing && (outside || onlink) && (
                    <Checkbox id="gw-gateway-onlink" label={_("The gateway is on this link (on-link)")} isChecked={onlink}
                              description={_("Outside the interface's network, but reachable directly on its link (e.g. a provider's router with an address of its own network).")}
                              onChange={(_e, checked) => { setOnlink(checked); safe.clearError() }} />
                )}
                {!removing && (
                    <RouterChoices found={routers} value={value}
                                   onChoose={c => { setValue(c.address); setOnlink(c.onlink); setTouched(true); safe.clearError() }} />
                )}
                <PlanPreview preview={safe.preview} tables={tables} />
            </Form>
        </SafeApplyDialog>
    );
};
