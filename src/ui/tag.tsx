// SPDX-License-Identifier: LGPL-2.1-or-later

import { Label } from "./pf";
import type { Tag } from "../view-model";

/** A small coloured label for a Tag from the view model. The wrapper keeps it at its natural
 * width when a narrow window stacks the table (grid cells stretch their children). */
export const TagLabel = ({ tag }: { tag: Tag }) => (
    <span className="gw-tag"><Label isCompact color={tag.color}>{tag.text}</Label></span>
);
