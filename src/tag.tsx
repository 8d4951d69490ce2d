// SPDX-License-Identifier: LGPL-2.1-or-later

import { Label } from "./pf";
import type { Tag } from "./view-model";

/** A small coloured label for a Tag from the view model. */
export const TagLabel = ({ tag }: { tag: Tag }) => (
    <Label isCompact color={tag.color}>{tag.text}</Label>
);
