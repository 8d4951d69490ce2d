// SPDX-License-Identifier: LGPL-2.1-or-later
// The Set gateway dialog's context: the network(s) the gateway is for, and the routers the host
// knows of on it (the helper's `routers IFACE`: neighbours, the DHCP lease, main's routes) as
// one-click choices.

import { useEffect, useState } from "preact/hooks";
import { getRouters, toHelperError } from "../client/helper-client";
import { Button, FormGroup } from "../ui/pf";
import type { Address, Family, RouterCandidate } from "../types";

const _ = cockpit.gettext;

const SOURCE_TEXT: Record<string, () => string> = {
    neighbour: () => _("answers on this network"),
    router: () => _("announces itself as a router"),
    dhcp: () => _("the DHCP lease's router"),
    main: () => _("a gateway in the main table"),
};

export const sourcesText = (c: RouterCandidate) =>
    c.sources.map(s => SOURCE_TEXT[s]?.() ?? s).join(", ");

type Found = { state: "loading" } | { state: "ready"; routers: RouterCandidate[] } | { state: "error"; message: string };

/** The likely routers of one interface and family, asked for once. */
export function useRouters(iface: string, family: Family): Found {
    const [found, setFound] = useState<Found>({ state: "loading" });
    useEffect(() => {
        let current = true;
        getRouters(iface, family).then(
            r => { if (current) setFound({ state: "ready", routers: (r.routers ?? []).filter(c => c.family === family) }) },
            (ex: unknown) => { if (current) setFound({ state: "error", message: toHelperError(ex).message }) });
        return () => { current = false };
    }, [iface, family]);
    return found;
}

export const NetworkLine = ({ addresses, family }: { addresses: readonly Address[]; family: Family }) => {
    const nets = addresses.filter(a => a.family === family && a.scope !== "link" && a.scope !== "host");
    return (
        <p className="gw-line gw-network-line" id="gw-gateway-network">
            <span className="gw-secondary">{nets.length > 1 ? _("Networks") : _("Network")}</span>
            {nets.length === 0 && <span>{_("none: the interface has no address in this family")}</span>}
            {nets.map(a => (
                <span key={a.address} className="gw-mono">
                    {cockpit.format(_("$0 (this host: $1)"), a.network ?? `${a.address}/${a.prefix}`, a.address)}
                </span>
            ))}
        </p>
    );
};

export const RouterChoices = ({ found, value, onChoose }:
    { found: Found; value: string; onChoose: (c: RouterCandidate) => void }) => (
    <FormGroup label={_("Routers seen on this network")} fieldId="gw-router-choices" role="group">
        <div id="gw-router-choices" className="gw-router-choices" aria-live="polite">
            {found.state === "loading" && <span className="gw-secondary">{_("Looking for routers…")}</span>}
            {found.state === "error" && <span className="gw-secondary">{found.message}</span>}
            {found.state === "ready" && found.routers.length === 0 &&
                <span className="gw-secondary">{_("None seen yet: type the router's address.")}</span>}
            {found.state === "ready" && found.routers.map(c => (
                <Button key={c.address} variant="secondary" size="sm" isInline className="gw-router-choice"
                        aria-pressed={value.trim() === c.address}
                        aria-label={cockpit.format(_("Use $0 ($1)"), c.address, sourcesText(c))}
                        onClick={() => onChoose(c)}>
                    <span className="gw-mono">{c.address}</span>{" "}
                    <span className="gw-secondary">{sourcesText(c)}{c.onlink ? cockpit.format(" · $0", _("on-link")) : ""}</span>
                </Button>
            ))}
        </div>
    </FormGroup>
);
