// SPDX-License-Identifier: LGPL-2.1-or-later
// The owner of a rule or route as a label (the helper's clue as its title), and the select that
// filters a list by owner.

import { FormSelect, FormSelectOption } from "../ui/pf";
import { TagLabel } from "../ui/tag";
import { OWNERS, ownerLabel } from "./owner-labels";

const _ = cockpit.gettext;

/** Nothing when the helper named no owner (an older helper). */
export const OwnerTag = ({ owner, why }: { owner: string | undefined; why: string | undefined }) => (owner === undefined
    ? null
    : (
        <span title={why} className="gw-owner">
            <TagLabel tag={ownerLabel(owner)} />
            {why !== undefined && <span className="pf-v6-screen-reader">{why}</span>}
        </span>
    ));

export const OwnerFilter = ({ id, value, onChange }: { id: string; value: string; onChange: (owner: string) => void }) => (
    <FormSelect id={id} className="gw-owner-filter" value={value} aria-label={_("Filter by owner")}
                onChange={(_event, v) => onChange(v)}>
        <FormSelectOption value="" label={_("All owners")} />
        {OWNERS.map(o => <FormSelectOption key={o} value={o} label={ownerLabel(o).text} />)}
    </FormSelect>
);
