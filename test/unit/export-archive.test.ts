// SPDX-License-Identifier: LGPL-2.1-or-later
// The download archive of multi-file exports, judged by GNU tar itself: it lists and unpacks
// what was put in (folders included), with the names, modes and owner given.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { archiveName, tarArchive } from "../../src/export/export-archive";

const NETWORKD = [
    { name: "eth0.network.d/50-cockpit-gateways.conf", text: "[Route]\nGateway=10.0.1.1\nTable=10001\n" },
    { name: "eth1.network.d/50-cockpit-gateways.conf", text: "# Source routing für eth1\n\n[Route]\nGateway=10.0.2.1\n" },
];

let dirs: string[] = [];
afterEach(() => {
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
    dirs = [];
});

function unpack(bytes: Uint8Array): { dir: string; listing: string } {
    const dir = mkdtempSync(join(tmpdir(), "gw-archive-"));
    dirs.push(dir);
    const file = join(dir, "a.tar");
    writeFileSync(file, bytes);
    const listing = execFileSync("tar", ["-tvf", file, "--numeric-owner"], { encoding: "utf8" });
    execFileSync("tar", ["-xf", file, "-C", dir, "--no-same-owner"]);
    return { dir, listing };
}

describe("tarArchive", () => {
    it("unpacks with tar into the files and their folders", () => {
        const bytes = tarArchive(NETWORKD, 1700000000);
        expect(bytes.length % 512).toBe(0);
        const { dir, listing } = unpack(bytes);
        const lines = listing.trim().split("\n");
        expect(lines.map(l => l.split(/\s+/).slice(-1)[0])).toEqual([
            "eth0.network.d/", "eth0.network.d/50-cockpit-gateways.conf",
            "eth1.network.d/", "eth1.network.d/50-cockpit-gateways.conf",
        ]);
        expect(lines[0]).toMatch(/^drwxr-xr-x 0\/0 +0 2023-11-1\d/);
        expect(lines[1]).toMatch(/^-rw-r--r-- 0\/0 +37 /);
        for (const f of NETWORKD)
            expect(readFileSync(join(dir, f.name), "utf8")).toBe(f.text);
        expect(statSync(join(dir, "eth1.network.d")).isDirectory()).toBe(true);
    });

    it("holds flat files as they are (ifcfg), also an empty one", () => {
        const files = [{ name: "route-eth1", text: "default via 10.0.2.1 dev eth1 table 10000 proto 248\n" },
            { name: "rule-eth1", text: "" }];
        const { dir, listing } = unpack(tarArchive(files));
        expect(listing.trim().split("\n")).toHaveLength(2);
        expect(readFileSync(join(dir, "route-eth1"), "utf8")).toBe(files[0]?.text);
        expect(readFileSync(join(dir, "rule-eth1"), "utf8")).toBe("");
    });

    it("refuses names that would unpack outside the folder", () => {
        for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a"])
            expect(() => archiveName(bad), bad).toThrow(/not a relative file name/);
        expect(() => archiveName("x".repeat(101))).toThrow(/longer than 100 bytes/);
        expect(() => tarArchive([{ name: "../x", text: "" }])).toThrow();
    });
});
