// SPDX-License-Identifier: LGPL-2.1-or-later
// Export: the helper call, the formats' file names, copying (clipboard and its fallback), the
// download link (a tar archive for multi-file formats), and the dialog with the helper faked.

import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ExportDialog } from "../../src/export/export-dialog";
import { EXPORT_FORMATS, copyText, downloadData, downloadUrl, formatInfo } from "../../src/export/export-formats";
import { exportGateways } from "../../src/client/helper-client";
import { spawnResult } from "./setup";

const NMSTATE = "# cockpit-gateways export\n---\nroutes:\n  config:\n  - destination: 0.0.0.0/0\n    next-hop-address: 10.0.2.1\n";

/** Pick a format as a user does (testing-library's change event does not reach preact's listener
 * on a <select> in happy-dom; a plain DOM event does). */
function choose(value: string) {
    const select = screen.getByLabelText<HTMLSelectElement>("Format");
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
}

const DIRECTORIES: Record<string, string> = { ifcfg: "/etc/sysconfig/network-scripts", networkd: "/etc/systemd/network" };

function result(format: string, text: string, networks = 1) {
    const files = format in DIRECTORIES
        ? [{ name: `${format}-a`, text: "x\n" }, { name: `${format}-b`, text: "y\n" }]
        : [{ name: `cockpit-gateways.${format}`, text }];
    return {
        format, text, files, directory: DIRECTORIES[format] ?? "",
        networks: Array.from({ length: networks }, () => ({ interface: "eth1", family: "inet", gateway: "10.0.2.1", source: "static", table: 10000 })),
        skipped: [],
    };
}

describe("exportGateways", () => {
    afterEach(() => { vi.mocked(cockpit.spawn).mockReset() });

    it("runs `export --format F --json`, with --include-dhcp when asked", async () => {
        vi.mocked(cockpit.spawn).mockImplementation(() => spawnResult(Promise.resolve(JSON.stringify(result("nmstate", NMSTATE)))));
        expect((await exportGateways("nmstate", false)).text).toBe(NMSTATE);
        expect(cockpit.spawn).toHaveBeenLastCalledWith(["python3", "-I", "-", "export", "--format", "nmstate", "--json"],
                                                      { superuser: "try", err: "message" });
        await exportGateways("networkd", true);
        expect(cockpit.spawn).toHaveBeenLastCalledWith(
            ["python3", "-I", "-", "export", "--format", "networkd", "--include-dhcp", "--json"], { superuser: "try", err: "message" });
    });
});

describe("export formats", () => {
    it("names each download after its format", () => {
        expect(EXPORT_FORMATS.map(f => f.format)).toEqual(["nmstate", "ansible", "netplan", "ifcfg", "networkd"]);
        expect(formatInfo("nmstate").fileName).toBe("gateways-nmstate.yml");
        expect(formatInfo("ansible").fileName).toBe("gateways-ansible.yml");
        expect(formatInfo("netplan").fileName).toBe("90-cockpit-gateways.yaml");
        expect(formatInfo("ifcfg").fileName).toBe("gateways-ifcfg.tar");
        expect(formatInfo("networkd").fileName).toBe("gateways-networkd.tar");
        expect(EXPORT_FORMATS.filter(f => f.archive).map(f => f.format)).toEqual(["ifcfg", "networkd"]);
    });

    it("copies with navigator.clipboard", async () => {
        const writeText = vi.fn(async () => {});
        vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
        Object.defineProperty(window.navigator, "clipboard", { value: { writeText }, configurable: true });
        expect(await copyText("abc")).toBe(true);
        expect(writeText).toHaveBeenCalledWith("abc");
        vi.unstubAllGlobals();
    });

    it("falls back to a selected textarea and execCommand when the clipboard API refuses", async () => {
        Object.defineProperty(window.navigator, "clipboard", { value: { writeText: vi.fn(async () => { throw new Error("denied") }) }, configurable: true });
        let copied: string | null = null;
        const exec = vi.fn(() => { copied = (document.activeElement as HTMLTextAreaElement | null)?.value ?? null; return true });
        Object.defineProperty(document, "execCommand", { value: exec, configurable: true });
        expect(await copyText("route add default via 10.0.2.1")).toBe(true);
        expect(exec).toHaveBeenCalledWith("copy");
        expect(copied).toBe("route add default via 10.0.2.1");
        expect(document.querySelector("textarea")).toBeNull();
    });

    it("makes an object URL of the text", async () => {
        const create = vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:x");
        expect(downloadUrl("a: 1\n", "application/yaml")).toBe("blob:x");
        const blob = create.mock.calls[0]?.[0] as Blob;
        expect(blob.type).toBe("application/yaml;charset=utf-8");
        expect(await blob.text()).toBe("a: 1\n");
        create.mockRestore();
    });

    it("downloads a single-file format as its text and a multi-file format as a tar of its files", () => {
        const single = result("netplan", "network:\n");
        expect(downloadData(single as never, formatInfo("netplan"))).toBe("network:\n");
        const tar = downloadData(result("networkd", "# FILE: networkd-a\nx\n") as never, formatInfo("networkd"));
        expect(tar).toBeInstanceOf(Uint8Array);
        const bytes = tar as Uint8Array;
        expect(bytes.length).toBe(4 * 512 + 2 * 512);
        expect(new TextDecoder().decode(bytes.subarray(0, 10))).toBe("networkd-a");
        expect(new TextDecoder().decode(bytes.subarray(512, 514))).toBe("x\n");
        expect(new TextDecoder().decode(bytes.subarray(1024, 1034))).toBe("networkd-b");
    });
});

describe("export dialog", () => {
    let createUrl: { mock: { calls: unknown[][] } };
    beforeEach(() => {
        createUrl = vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:export");
        vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
        vi.mocked(cockpit.spawn).mockReset().mockImplementation(args => {
            const format = args[args.indexOf("--format") + 1] ?? "";
            const text = format === "nmstate" ? NMSTATE : `# FILE: ${format}-a\nx\n# FILE: ${format}-b\ny\n`;
            return spawnResult(Promise.resolve(JSON.stringify(result(format, text, args.includes("--include-dhcp") ? 2 : 1))));
        });
    });
    afterEach(() => { vi.restoreAllMocks() });

    it("shows the nmstate text, a download named after the format, and follows format and DHCP choices", async () => {
        render(<ExportDialog onClose={vi.fn()} />);
        const output = await screen.findByLabelText("Export as nmstate (nmstatectl apply)");
        expect(output.textContent).toBe(NMSTATE);
        expect(screen.getByText("1 gateway exported.")).toBeTruthy();
        const download = await screen.findByRole("link", { name: "Download" });
        expect(download.getAttribute("download")).toBe("gateways-nmstate.yml");
        expect(download.getAttribute("href")).toBe("blob:export");

        choose("ifcfg");
        await screen.findByText(/# FILE: ifcfg-a/);
        await waitFor(() => expect(screen.getByRole("link", { name: "Download" }).getAttribute("download")).toBe("gateways-ifcfg.tar"));
        expect(screen.getByText(/^Download gives a tar archive of 2 files/)).toBeTruthy();
        expect(screen.getByText("tar -xf gateways-ifcfg.tar -C /etc/sysconfig/network-scripts")).toBeTruthy();
        const blob = createUrl.mock.calls.at(-1)?.[0] as Blob;
        expect(blob.type).toBe("application/x-tar");
        expect(new TextDecoder().decode(new Uint8Array(await blob.arrayBuffer()).subarray(0, 7))).toBe("ifcfg-a");

        choose("networkd");
        await waitFor(() => expect(screen.getByText("tar -xf gateways-networkd.tar -C /etc/systemd/network")).toBeTruthy());
        expect(screen.getByText(/Then rename each IFACE.network.d folder/)).toBeTruthy();

        fireEvent.click(screen.getByLabelText("Include gateways learned from DHCP"));
        expect(await screen.findByText("2 gateways exported.")).toBeTruthy();
        expect(cockpit.spawn).toHaveBeenLastCalledWith(
            ["python3", "-I", "-", "export", "--format", "networkd", "--include-dhcp", "--json"], { superuser: "try", err: "message" });
    });

    it("copies the text and says so", async () => {
        const writeText = vi.fn(async () => {});
        Object.defineProperty(window.navigator, "clipboard", { value: { writeText }, configurable: true });
        render(<ExportDialog onClose={vi.fn()} />);
        await screen.findByLabelText("Export as nmstate (nmstatectl apply)");
        fireEvent.click(screen.getByRole("button", { name: "Copy to clipboard" }));
        expect(await screen.findByText("Copied")).toBeTruthy();
        expect(writeText).toHaveBeenCalledWith(NMSTATE);
    });

    it("shows the helper's error and what to do when there is nothing to export", async () => {
        vi.mocked(cockpit.spawn).mockImplementationOnce(() => spawnResult(Promise.resolve(JSON.stringify(result("nmstate", "# none\n", 0)))));
        render(<ExportDialog onClose={vi.fn()} />);
        expect(await screen.findByText(/^No gateway to export: set a gateway on a network first/)).toBeTruthy();
        vi.mocked(cockpit.spawn).mockImplementation(() => spawnResult(Promise.reject({ problem: null, message: "export: cannot read config.json", exit_status: 1 })));
        choose("networkd");
        expect(await screen.findByText("export: cannot read config.json")).toBeTruthy();
        await waitFor(() => expect(screen.getByRole<HTMLButtonElement>("button", { name: "Copy to clipboard" }).disabled).toBe(true));
    });

    it("closes with Escape", async () => {
        const onClose = vi.fn();
        render(<ExportDialog onClose={onClose} />);
        await screen.findByLabelText("Export as nmstate (nmstatectl apply)");
        fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
        await waitFor(() => expect(onClose).toHaveBeenCalled());
    });
});
