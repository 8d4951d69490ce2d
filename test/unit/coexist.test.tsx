// SPDX-License-Identifier: LGPL-2.1-or-later
// Coexisting with other tools on the page (issue 12): owner labels and the owner filter's pure
// part, the Networks view's conflicts notice, the `conflict` gateway state with its reason, and
// the conflicts a preview would create.

import { render, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { StatusView } from "../../src/app";
import { conflictTitle } from "../../src/networks/conflicts-notice";
import { routingDescription, routingLabel } from "../../src/networks/network-labels";
import { byOwner, OWNERS, ownerLabel } from "../../src/owners/owner-labels";
import { PlanPreview } from "../../src/safe-apply/plan-preview";
import type { Conflict, Status } from "../../src/types";
import lab from "./fixtures/status-lab.json";

const labStatus = lab as Status;

const PRIORITY: Conflict = { kind: "priority", message: "Rule 31001 (from 10.0.9.0/24 table 200) is not ours but sits at priority 31001, one of ours. Move ours with `cockpit-gateways layout --priority N`." };
const OVERLAP: Conflict = { kind: "overlap", message: "eth1 and eth2 are both managed and their networks 10.0.2.0/24 and 10.0.2.0/24 overlap." };

describe("owners", () => {
    it("labels every owner word of the helper, unknown words as themselves", () => {
        const texts = OWNERS.map(o => ownerLabel(o).text);
        expect(new Set(texts).size).toBe(OWNERS.length);
        expect(ownerLabel("cockpit-gateways")).toEqual({ text: "Gateways", color: "blue" });
        expect(ownerLabel("containers").text).toBe("Containers and VMs");
        expect(ownerLabel(undefined).text).toBe("Unknown");
        expect(ownerLabel("bird-daemon")).toEqual({ text: "bird-daemon", color: "grey" });
    });

    it("filters by owner; an object without one counts as unknown", () => {
        const objects = [{ owner: "dhcp", n: 1 }, { n: 2 }, { owner: "kernel", n: 3 }];
        expect(byOwner(objects, "").map(o => o.n)).toEqual([1, 2, 3]);
        expect(byOwner(objects, "kernel").map(o => o.n)).toEqual([3]);
        expect(byOwner(objects, "unknown").map(o => o.n)).toEqual([2]);
    });
});

describe("conflicts", () => {
    it("the Networks view shows each conflict's message under its kind", () => {
        render(<StatusView status={{ ...labStatus, conflicts: [PRIORITY, OVERLAP] }} />);
        const notice = screen.getByLabelText("Conflicts with other tools");
        expect(within(notice).getByText("Another rule uses one of our priorities")).toBeTruthy();
        expect(within(notice).getByText(PRIORITY.message)).toBeTruthy();
        expect(within(notice).getByText("Managed networks overlap")).toBeTruthy();
        expect(within(notice).getByText(OVERLAP.message)).toBeTruthy();
    });

    it("no notice without conflicts", () => {
        render(<StatusView status={labStatus} />);
        expect(screen.queryByLabelText("Conflicts with other tools")).toBeNull();
    });

    it("names every kind the helper documents, and a new kind by its word", () => {
        const titles = ["priority", "shadowed", "overlap", "range", "networkd"].map(conflictTitle);
        expect(new Set(titles).size).toBe(5);
        expect(conflictTitle("vrf")).toBe("Conflict: vrf");
    });

    it("a preview warns of the conflicts the change would create", () => {
        render(<PlanPreview tables={[]} preview={{ state: "ready", plan: {
            dry_run: true, conflicts: [PRIORITY],
            changes: [{ op: "add", object: "rule", text: "rule add priority 31001 from 10.0.2.0/24 table 10000 protocol 248",
                        fields: { priority: 31001, from: "10.0.2.0/24", action: "lookup", table: 10000, protocol: 248 } }],
        } }} />);
        expect(screen.getByText("This change creates a conflict")).toBeTruthy();
        expect(screen.getByText("Another rule uses one of our priorities:")).toBeTruthy();
        expect(screen.getByText(PRIORITY.message, { exact: false })).toBeTruthy();
    });

    it("a preview without conflicts shows no warning", () => {
        render(<PlanPreview tables={[]} preview={{ state: "ready", plan: {
            changes: [{ op: "add", object: "rule", text: "rule add priority 31001 from 10.0.2.0/24 table 10000 protocol 248",
                        fields: { priority: 31001, from: "10.0.2.0/24", action: "lookup", table: 10000, protocol: 248 } }],
        } }} />);
        expect(screen.queryByText(/creates a conflict/)).toBeNull();
    });
});

describe("the conflict gateway state", () => {
    it("has its own label, colour and sentence", () => {
        expect(routingLabel("conflict")).toEqual({ text: "Conflict", color: "red" });
        expect(routingDescription("conflict")).not.toBe("");
    });

    it("shows the helper's reason in the Networks table", () => {
        const reason = "10.0.2.10 is on eth1 and on eth2: replies from it leave by eth1 only.";
        const interfaces = (labStatus.interfaces ?? []).map(i => i.name !== "eth1" ? i : {
            ...i, gateways: [{ family: "inet" as const, address: "10.0.2.1", source: "static" as const, state: "conflict" as const, table: 10000, reason }],
        });
        render(<StatusView status={{ ...labStatus, interfaces }} />);
        const cell = screen.getByText(reason).closest("td") as HTMLElement;
        expect(within(cell).getByText("Conflict")).toBeTruthy();
        expect(cell.querySelector("[title]")?.getAttribute("title")).toBe(reason);
    });
});
