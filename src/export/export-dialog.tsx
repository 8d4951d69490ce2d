// SPDX-License-Identifier: LGPL-2.1-or-later
// "Export": this host's gateways written out for a fleet tool (the helper's `export`), shown
// read-only, with Copy to clipboard and Download (one file, or a tar archive of a multi-file
// format's files, named as the target host expects). Reading only: no administrative access needed.

import { useEffect, useState } from "preact/hooks";
import { EXPORT_FORMATS, copyText, downloadData, downloadUrl, formatInfo } from "./export-formats";
import { exportGateways, toHelperError } from "../client/helper-client";
import {
    Alert, Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, Modal, ModalBody, ModalFooter, ModalHeader,
    Spinner,
} from "../ui/pf";
import type { ExportFormat, ExportResult } from "../types";

const _ = cockpit.gettext;

type Output = { state: "loading" } | { state: "ready"; result: ExportResult } | { state: "error"; message: string };

export const ExportDialog = ({ onClose }: { onClose: () => void }) => {
    const [format, setFormat] = useState<ExportFormat>("nmstate");
    const [includeDhcp, setIncludeDhcp] = useState(false);
    const [output, setOutput] = useState<Output>({ state: "loading" });
    const [copied, setCopied] = useState<boolean | null>(null);
    const [url, setUrl] = useState<string | null>(null);
    const info = formatInfo(format);
    const text = output.state === "ready" ? output.result.text : null;

    useEffect(() => {
        let current = true;
        setOutput({ state: "loading" });
        setCopied(null);
        exportGateways(format, includeDhcp).then(
            result => { if (current) setOutput({ state: "ready", result }) },
            (ex: unknown) => { if (current) setOutput({ state: "error", message: toHelperError(ex).message }) });
        return () => { current = false };
    }, [format, includeDhcp]);

    // one object URL per shown result (its text, or its files as a tar archive), revoked when the
    // result changes or the dialog closes
    const result = output.state === "ready" ? output.result : null;
    const shown = formatInfo(result?.format ?? format);
    useEffect(() => {
        if (result === null) {
            setUrl(null);
            return;
        }
        const what = formatInfo(result.format);
        const u = downloadUrl(downloadData(result, what), what.mime);
        setUrl(u);
        return () => URL.revokeObjectURL(u);
    }, [result]);

    const copy = () => {
        if (text !== null)
            void copyText(text).then(setCopied); // copyText never rejects
    };
    const exported = output.state === "ready" ? output.result.networks?.length ?? 0 : 0;

    return (
        <Modal isOpen variant="medium" onClose={onClose} aria-labelledby="gw-export-title" aria-describedby="gw-export-intro"
               elementToFocus="#gw-export-format" className="gw-dialog">
            <ModalHeader title={_("Export gateways")} labelId="gw-export-title" />
            <ModalBody>
                <p id="gw-export-intro" className="gw-intro">
                    {_("This host's gateways as configuration for other hosts: apply it with your fleet tool.")}
                </p>
                <Form className="gw-export-form" onSubmit={e => e.preventDefault()}>
                    <FormGroup label={_("Format")} fieldId="gw-export-format">
                        <FormSelect id="gw-export-format" value={format} onChange={(_e, v) => setFormat(v as ExportFormat)}>
                            {EXPORT_FORMATS.map(f => <FormSelectOption key={f.format} value={f.format} label={f.label} />)}
                        </FormSelect>
                    </FormGroup>
                    <Checkbox id="gw-export-dhcp" label={_("Include gateways learned from DHCP")} isChecked={includeDhcp}
                              description={_("Off: only the gateways set by an administrator. A DHCP gateway follows its lease, so other hosts usually should not copy it.")}
                              onChange={(_e, checked) => setIncludeDhcp(checked)} />
                </Form>
                <div className="gw-export-output" aria-live="polite" aria-busy={output.state === "loading"}>
                    {output.state === "loading" && (
                        <div className="gw-line">
                            <Spinner size="md" aria-label={_("Preparing the export")} />
                            <span className="gw-secondary">{_("Preparing the export…")}</span>
                        </div>
                    )}
                    {output.state === "error" &&
                        <Alert isInline variant="danger" title={_("The export failed")}><p className="gw-error-message">{output.message}</p></Alert>}
                    {output.state === "ready" && (
                        <>
                            <p className="gw-secondary">
                                {exported === 0
                                    ? _("No gateway to export: set a gateway on a network first (or include the DHCP ones).")
                                    : cockpit.format(cockpit.ngettext("$0 gateway exported.", "$0 gateways exported.", exported), exported)}
                            </p>
                            {shown.archive && exported > 0 && <ArchiveHint result={output.result} fileName={shown.fileName} />}
                            {/* focusable, so keyboard users can scroll it */}
                            <pre className="gw-mono gw-export-text" tabIndex={0} role="region" aria-label={cockpit.format(_("Export as $0"), info.label)}>
                                <code>{output.result.text}</code>
                            </pre>
                        </>
                    )}
                </div>
            </ModalBody>
            <ModalFooter>
                <Button variant="primary" isDisabled={text === null} onClick={copy}>{_("Copy to clipboard")}</Button>
                {url !== null
                    ? <Button component="a" variant="secondary" href={url} download={shown.fileName}>{_("Download")}</Button>
                    : <Button variant="secondary" isDisabled>{_("Download")}</Button>}
                <Button variant="link" onClick={onClose}>{_("Close")}</Button>
                <span className="gw-secondary gw-copied" role="status">
                    {copied === true && _("Copied")}
                    {copied === false && _("The browser did not allow copying: select the text and copy it.")}
                </span>
            </ModalFooter>
        </Modal>
    );
};

/** How to unpack the download of a multi-file format where the target host expects its files. */
const ArchiveHint = ({ result, fileName }: { result: ExportResult; fileName: string }) => {
    const count = result.files?.length ?? 0;
    const directory = result.directory || ".";
    return (
        <p className="gw-secondary gw-export-archive">
            {cockpit.format(cockpit.ngettext("Download gives a tar archive of $0 file. Unpack it on the target host with:",
                                             "Download gives a tar archive of $0 files. Unpack it on the target host with:", count), count)}
            {" "}<code className="gw-mono">{`tar -xf ${fileName} -C ${directory}`}</code>
            {result.format === "networkd" && <>{" "}{_("Then rename each IFACE.network.d folder after the .network file that configures the interface (e.g. 10-eth1.network.d).")}</>}
        </p>
    );
};
