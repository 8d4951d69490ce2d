// SPDX-License-Identifier: LGPL-2.1-or-later
// One text field of a dialog: label, input, and either its error or its hint under it.

import { FormGroup, FormHelperText, HelperText, HelperTextItem, TextInput } from "./pf";

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
}

export const TextField = ({ id, label, value, onChange, error, showError = true, hint, isRequired = false, list, mono = true, onBlur }: TextFieldProps) => {
    const invalid = error !== undefined && showError;
    return (
        <FormGroup label={label} fieldId={id} isRequired={isRequired}>
            <TextInput id={id} value={value} className={mono ? "gw-mono" : ""} isRequired={isRequired}
                       validated={invalid ? "error" : "default"} aria-describedby={`${id}-help`}
                       {...(list === undefined ? {} : { list })} {...(onBlur === undefined ? {} : { onBlur })}
                       onChange={(_e, v) => onChange(v)} />
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
