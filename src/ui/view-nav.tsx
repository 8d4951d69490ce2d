// SPDX-License-Identifier: LGPL-2.1-or-later
// The page's views as a row of links (a <nav>, the current one marked aria-current): plain
// anchors into the URL's hash, so keyboard, middle-click, reload and back all work. PatternFly's
// Tabs would bring overflow menus and Popper for four fixed entries. In a narrow window (CSS:
// below 576px) the four links would wrap onto two lines: a list to choose the view stands there
// instead.

import { goTo, type View } from "../cockpit/location";
import { FormSelect, FormSelectOption } from "./pf";

const _ = cockpit.gettext;

export const VIEW_LABELS: Record<View, string> = {
    networks: _("Networks"),
    tables: _("Routing tables"),
    rules: _("Rules"),
    lookup: _("Route lookup"),
};

export function viewHref(view: View): string {
    return view === "networks" ? "#/" : `#/${view}`;
}

export const ViewNav = ({ current }: { current: View }) => (
    <nav className="gw-nav" aria-label={_("Views")}>
        <ul>
            {(Object.keys(VIEW_LABELS) as View[]).map(view => (
                <li key={view}>
                    <a href={viewHref(view)} className={view === current ? "gw-nav-current" : ""}
                       {...(view === current ? { "aria-current": "page" } : {})}>
                        {VIEW_LABELS[view]}
                    </a>
                </li>
            ))}
        </ul>
        <FormSelect id="gw-view-select" className="gw-nav-select" aria-label={_("View")} value={current}
                    onChange={(_e, v) => goTo(v as View)}>
            {(Object.keys(VIEW_LABELS) as View[]).map(view => <FormSelectOption key={view} value={view} label={VIEW_LABELS[view]} />)}
        </FormSelect>
    </nav>
);
