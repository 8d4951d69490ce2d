// SPDX-License-Identifier: LGPL-2.1-or-later
// One field of a dialog: label, input (or a select, given `options`), and either its error or its
// hint under it.

import { FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, TextInput } from "./pf";

export interface TextFieldProps {
    id: string;
    label: string;
    value: string;
    onChange: (value: string) => void;
    error?: string | undefined;
    /** Show the error only once the admin typed something or left the field. */
    showError?: boolean;
    hint?: string;
    isRequired?: boolean;
    /** A <datalist> id with suggestions (tables, devices). */
    list?: string;
    mono?: boolean;
    onBlur?: () => void;
    /** A select of these [value, label] choices instead of a text input. */
    options?: readonly (readonly [string, string])[];
    isDisabled?: boolean;
}

export const TextField = ({ id, label, value, onChange, error, showError = true, hint, isRequired = false, list, mono = true, onBlur, options, isDisabled = false }: TextFieldProps) => {
    const invalid = error !== undefined && showError;
    const validated = invalid ? "error" : "default";
    return (
        <FormGroup label={label} fieldId={id} isRequired={isRequired}>
            {options === undefined
                ? (
                    <TextInput id={id} value={value} className={mono ? "gw-mono" : ""} isRequired={isRequired}
                               validated={validated} aria-describedby={`${id}-help`}
                               {...(list === undefined ? {} : { list })} {...(onBlur === undefined ? {} : { onBlur })}
                               onChange={(_e, v) => onChange(v)} />
                )
                : (
                    <FormSelect id={id} value={value} validated={validated} aria-describedby={`${id}-help`} isDisabled={isDisabled}
                                onChange={(_e, v) => onChange(v)}>
                        {options.map(([v, l]) => <FormSelectOption key={v} value={v} label={l} />)}
                    </FormSelect>
                )}
            {(invalid || hint !== undefined) && (
                <FormHelperText>
                    <HelperText id={`${id}-help`} aria-live="polite">
                        {invalid
                            ? <HelperTextItem variant="error">{error}</HelperTextItem>
                            : <HelperTextItem>{hint}</HelperTextItem>}
                    </HelperText>
                </FormHelperText>
            )}
        </FormGroup>
    );
};
