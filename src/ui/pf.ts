// SPDX-License-Identifier: LGPL-2.1-or-later
// The PatternFly pieces the page uses, from deep imports only: the @patternfly/react-core barrel
// (and the react-table index) would pull in every component's CSS.

export { Alert } from "@patternfly/react-core/dist/esm/components/Alert/Alert.js";
export { Button } from "@patternfly/react-core/dist/esm/components/Button/Button.js";
export { Card } from "@patternfly/react-core/dist/esm/components/Card/Card.js";
export { CardBody } from "@patternfly/react-core/dist/esm/components/Card/CardBody.js";
export { CardTitle } from "@patternfly/react-core/dist/esm/components/Card/CardTitle.js";
export { EmptyState } from "@patternfly/react-core/dist/esm/components/EmptyState/EmptyState.js";
export { EmptyStateActions } from "@patternfly/react-core/dist/esm/components/EmptyState/EmptyStateActions.js";
export { EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/EmptyStateBody.js";
export { EmptyStateFooter } from "@patternfly/react-core/dist/esm/components/EmptyState/EmptyStateFooter.js";
export { Label } from "@patternfly/react-core/dist/esm/components/Label/Label.js";
export { Page } from "@patternfly/react-core/dist/esm/components/Page/Page.js";
export { PageSection } from "@patternfly/react-core/dist/esm/components/Page/PageSection.js";
export { Spinner } from "@patternfly/react-core/dist/esm/components/Spinner/Spinner.js";
export { Title } from "@patternfly/react-core/dist/esm/components/Title/Title.js";
export { AlertActionCloseButton } from "@patternfly/react-core/dist/esm/components/Alert/AlertActionCloseButton.js";
export { AlertGroup } from "@patternfly/react-core/dist/esm/components/Alert/AlertGroup.js";
export { AlertActionLink } from "@patternfly/react-core/dist/esm/components/Alert/AlertActionLink.js";
export { Form } from "@patternfly/react-core/dist/esm/components/Form/Form.js";
export { FormGroup } from "@patternfly/react-core/dist/esm/components/Form/FormGroup.js";
export { FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/FormHelperText.js";
export { HelperText } from "@patternfly/react-core/dist/esm/components/HelperText/HelperText.js";
export { HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/HelperTextItem.js";
export { List } from "@patternfly/react-core/dist/esm/components/List/List.js";
export { ListItem } from "@patternfly/react-core/dist/esm/components/List/ListItem.js";
export { Modal } from "@patternfly/react-core/dist/esm/components/Modal/Modal.js";
export { ModalBody } from "@patternfly/react-core/dist/esm/components/Modal/ModalBody.js";
export { ModalFooter } from "@patternfly/react-core/dist/esm/components/Modal/ModalFooter.js";
export { ModalHeader } from "@patternfly/react-core/dist/esm/components/Modal/ModalHeader.js";
export { TextInputGroup } from "@patternfly/react-core/dist/esm/components/TextInputGroup/TextInputGroup.js";
export { TextInputGroupMain } from "@patternfly/react-core/dist/esm/components/TextInputGroup/TextInputGroupMain.js";
export { TextInputGroupUtilities } from "@patternfly/react-core/dist/esm/components/TextInputGroup/TextInputGroupUtilities.js";
export { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/TextInput.js";
export { Stack, StackItem } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";

export { Table } from "@patternfly/react-table/dist/esm/components/Table/Table.js";
export { Thead } from "@patternfly/react-table/dist/esm/components/Table/Thead.js";
export { Tbody } from "@patternfly/react-table/dist/esm/components/Table/Tbody.js";
export { Tr } from "@patternfly/react-table/dist/esm/components/Table/Tr.js";
export { Th } from "@patternfly/react-table/dist/esm/components/Table/Th.js";
export { Td } from "@patternfly/react-table/dist/esm/components/Table/Td.js";

export { default as ExclamationCircleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-circle-icon.js";
export { default as SearchIcon } from "@patternfly/react-icons/dist/esm/icons/search-icon.js";
export { default as TimesIcon } from "@patternfly/react-icons/dist/esm/icons/times-icon.js";

export { Checkbox } from "@patternfly/react-core/dist/esm/components/Checkbox/Checkbox.js";
export { FormSelect } from "@patternfly/react-core/dist/esm/components/FormSelect/FormSelect.js";
export { FormSelectOption } from "@patternfly/react-core/dist/esm/components/FormSelect/FormSelectOption.js";
export { default as ExclamationTriangleIcon } from "@patternfly/react-icons/dist/esm/icons/exclamation-triangle-icon.js";
export { default as ArrowLeftIcon } from "@patternfly/react-icons/dist/esm/icons/arrow-left-icon.js";
