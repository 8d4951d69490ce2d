// SPDX-License-Identifier: LGPL-2.1-or-later
// The frame shared by the page's cards: a <section> named by its title, with a link to the view's
// section of the help (the README, shipped as help.html next to the page) when it has one.

import type { ComponentChildren } from "preact";
import { Card, CardBody, CardTitle } from "./pf";

const _ = cockpit.gettext;

/** The help page's address for a README section (its anchor), relative to the page. */
export const helpUrl = (section: string) => `help.html#${section}`;

export const StatusCard = ({ id, title, help, children }:
    { id: string; title: string; help?: string; children: ComponentChildren }) => (
    <Card id={id} component="section" aria-labelledby={`${id}-title`} isCompact>
        <div className="gw-card-head">
            <CardTitle component="h2">{title}</CardTitle>
            {help !== undefined && (
                <a className="gw-help" href={helpUrl(help)} target="_blank" rel="noopener noreferrer"
                   aria-label={cockpit.format(_("Help: $0 (opens in a new tab)"), title)}>
                    {_("Help")}
                </a>
            )}
        </div>
        <CardBody>{children}</CardBody>
    </Card>
);
