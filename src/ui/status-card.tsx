// SPDX-License-Identifier: LGPL-2.1-or-later
// The frame shared by the page's cards: a <section> named by its title.

import type { ComponentChildren } from "preact";
import { Card, CardBody, CardTitle } from "./pf";

export const StatusCard = ({ id, title, children }: { id: string; title: string; children: ComponentChildren }) => (
    <Card id={id} component="section" aria-labelledby={`${id}-title`} isCompact>
        <CardTitle component="h2">{title}</CardTitle>
        <CardBody>{children}</CardBody>
    </Card>
);
