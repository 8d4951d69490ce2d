// SPDX-License-Identifier: LGPL-2.1-or-later
// The host's interfaces: state, addresses and gateways.

import { Table, Tbody, Td, Th, Thead, Tr } from "./pf";
import { EmptyList } from "./status-states";
import { StatusCard } from "./status-card";
import { TagLabel } from "./tag";
import type { Address, DefaultRoute, Interface } from "./types";
import {
    addressOrigin, addressScope, addressText, familyLabel, gatewaySourceLabel, gatewayStateLabel,
    interfaceGateways, interfaceStateLabel, sortAddresses, sortInterfaces, type GatewayView,
} from "./view-model";

const _ = cockpit.gettext;

const AddressLine = ({ address }: { address: Address }) => {
    const scope = addressScope(address);
    return (
        <div className="gw-line gw-address">
            <span className="gw-family">{familyLabel(address.family)}</span>
            <span className="gw-mono">{addressText(address)}</span>
            <TagLabel tag={addressOrigin(address)} />
            {scope !== null && <TagLabel tag={{ text: scope, color: "grey" }} />}
        </div>
    );
};

const GatewayLine = ({ gateway }: { gateway: GatewayView }) => {
    if (gateway.kind === "host-default") {
        return (
            <div className="gw-line">
                <span className="gw-family">{familyLabel(gateway.family)}</span>
                <span className="gw-mono">{gateway.address ?? _("no gateway address")}</span>
                <TagLabel tag={{ text: _("host default gateway"), color: "teal" }} />
            </div>
        );
    }
    const source = gatewaySourceLabel(gateway.source);
    const state = gatewayStateLabel(gateway.state);
    return (
        <div className="gw-line">
            <span className="gw-family">{familyLabel(gateway.family)}</span>
            <span className="gw-mono">{gateway.address}</span>
            {source !== null && <span className="gw-secondary">{source}</span>}
            {state !== null && <TagLabel tag={state} />}
            {gateway.reason !== undefined && <span className="gw-secondary">{gateway.reason}</span>}
        </div>
    );
};

const InterfaceRow = ({ iface, defaultRoutes }: { iface: Interface; defaultRoutes: readonly DefaultRoute[] }) => {
    const addresses = sortAddresses(iface.addresses ?? []);
    const gateways = interfaceGateways(iface, defaultRoutes);
    return (
        <Tr>
            <Th dataLabel={_("Interface")} modifier="nowrap" scope="row">{iface.name}</Th>
            <Td dataLabel={_("State")}><TagLabel tag={interfaceStateLabel(iface.state)} /></Td>
            <Td dataLabel={_("Addresses")}>
                {addresses.length === 0
                    ? <span className="gw-secondary">{_("No addresses")}</span>
                    : addresses.map(a => <AddressLine key={`${a.address}/${a.prefix}`} address={a} />)}
            </Td>
            <Td dataLabel={_("Gateway")}>
                {gateways.length === 0
                    ? <span className="gw-secondary">—</span>
                    : gateways.map(g => <GatewayLine key={`${g.kind}-${g.family}-${g.address}`} gateway={g} />)}
            </Td>
        </Tr>
    );
};

export const NetworksCard = ({ interfaces, defaultRoutes }:
    { interfaces: readonly Interface[]; defaultRoutes: readonly DefaultRoute[] }) => (
    <StatusCard id="networks" title={_("Networks")}>
        {interfaces.length === 0
            ? <EmptyList title={_("No network interfaces")} />
            : (
                <Table aria-label={_("Networks")} variant="compact" role="table">
                    <Thead>
                        <Tr>
                            <Th modifier="nowrap">{_("Interface")}</Th>
                            <Th>{_("State")}</Th>
                            <Th>{_("Addresses")}</Th>
                            <Th>{_("Gateway")}</Th>
                        </Tr>
                    </Thead>
                    <Tbody>
                        {sortInterfaces(interfaces).map(iface =>
                            <InterfaceRow key={iface.name} iface={iface} defaultRoutes={defaultRoutes} />)}
                    </Tbody>
                </Table>
            )}
    </StatusCard>
);
