// SPDX-License-Identifier: LGPL-2.1-or-later
// The export's formats (labels, download names) and the two ways out of the dialog: the
// clipboard (with a fallback where navigator.clipboard is missing: plain http, older browsers)
// and a download (Blob + object URL): one file, or a tar archive for the formats that are
// several files. Pure but for the DOM calls it is given.

import type { ExportFormat, ExportResult } from "../types";
import { tarArchive } from "./export-archive";

const _ = cockpit.gettext;

export interface FormatInfo {
    format: ExportFormat;
    label: string;
    /** The downloaded file's name: the file itself, or a tar archive of a multi-file format's files. */
    fileName: string;
    mime: string;
    /** Several files (named as the target expects, folders included): downloaded as one archive. */
    archive: boolean;
}

const TAR = "application/x-tar";

export const EXPORT_FORMATS: readonly FormatInfo[] = [
    { format: "nmstate", label: _("nmstate (nmstatectl apply)"), fileName: "gateways-nmstate.yml", mime: "application/yaml", archive: false },
    { format: "ansible", label: _("Ansible network role variables"), fileName: "gateways-ansible.yml", mime: "application/yaml", archive: false },
    { format: "netplan", label: _("netplan file (/etc/netplan)"), fileName: "90-cockpit-gateways.yaml", mime: "application/yaml", archive: false },
    { format: "ifcfg", label: _("ifcfg files (network-scripts)"), fileName: "gateways-ifcfg.tar", mime: TAR, archive: true },
    { format: "networkd", label: _("systemd-networkd drop-ins"), fileName: "gateways-networkd.tar", mime: TAR, archive: true },
];

export function formatInfo(format: ExportFormat): FormatInfo {
    return EXPORT_FORMATS.find(f => f.format === format) ?? EXPORT_FORMATS[0];
}

/** Put `text` on the clipboard. Resolves true when it got there. */
export async function copyText(text: string, doc: Document = document): Promise<boolean> {
    const clipboard = doc.defaultView?.navigator.clipboard;
    if (clipboard !== undefined && typeof clipboard.writeText === "function") {
        try {
            await clipboard.writeText(text);
            return true;
        } catch { /* not allowed here (e.g. no secure context): the fallback may be */ }
    }
    // the old way: select a hidden textarea and ask the browser to copy the selection
    const active = doc.activeElement as HTMLElement | null;
    const area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.insetBlockStart = "-1000px";
    doc.body.appendChild(area);
    area.focus();
    area.select();
    let ok = false;
    try {
        ok = doc.execCommand("copy");
    } catch {
        ok = false;
    }
    area.remove();
    active?.focus();
    return ok;
}

/** An object URL for downloading `text` (or bytes); revoke it with URL.revokeObjectURL when done. */
export function downloadUrl(data: string | Uint8Array<ArrayBuffer>, mime: string): string {
    const type = typeof data === "string" ? `${mime};charset=utf-8` : mime;
    return URL.createObjectURL(new Blob([data], { type }));
}

/** What the Download link gives for an export: the text, or the files as one tar archive. */
export function downloadData(result: ExportResult, info: FormatInfo): string | Uint8Array<ArrayBuffer> {
    return info.archive ? tarArchive(result.files ?? []) : result.text;
}
