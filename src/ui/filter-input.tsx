// SPDX-License-Identifier: LGPL-2.1-or-later
// A filter box that looks like PatternFly's SearchInput, built from its TextInputGroup parts:
// SearchInput itself pulls its advanced-search menu and Popper (~8 KB gzipped) into the bundle.

import { Button, SearchIcon, TextInputGroup, TextInputGroupMain, TextInputGroupUtilities, TimesIcon } from "./pf";

const _ = cockpit.gettext;

export interface FilterInputProps {
    value: string;
    label: string;
    placeholder: string;
    onChange: (value: string) => void;
}

export const FilterInput = ({ value, label, placeholder, onChange }: FilterInputProps) => (
    <TextInputGroup className="gw-filter">
        {/* a text field in the searchbox role: type="search" would add the browser's own clear button next to ours */}
        <TextInputGroupMain icon={<SearchIcon />} value={value} placeholder={placeholder} role="searchbox"
                            aria-label={label} onChange={(_e, v) => onChange(v)} />
        {value !== "" && (
            <TextInputGroupUtilities>
                <Button variant="plain" aria-label={_("Clear the filter")} onClick={() => onChange("")} icon={<TimesIcon />} />
            </TextInputGroupUtilities>
        )}
    </TextInputGroup>
);
