// SPDX-License-Identifier: LGPL-2.1-or-later
// The lookup's verdict, trace, fix and the reachability doctor, on the helper's real answers
// (fixtures/lookup-lab.json: recorded in the seed's lab before and after `set eth1 10.0.2.1`),
// and what a dry run says about live connections.

import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import fixtures from "./fixtures/lookup-lab.json";
import { hopsText, reachHeadline, stepText, verdictHeadline } from "../../src/lookup/lookup-verdict";
import { LookupResultView, headline } from "../../src/lookup/lookup-result";
import { ReachDialog, validateClient } from "../../src/lookup/reach-dialog";
import { PlanConnections, connectionText, useOwnConnectionGuard } from "../../src/safe-apply/plan-connections";
import type { LookupResult, PlanConnection, ReachResult } from "../../src/types";
import type { PreviewState } from "../../src/safe-apply/use-preview";
import { spawnResult } from "./setup";

const rpFilter = fixtures.rp_filter as unknown as LookupResult;
// the fake cockpit.location's spies, as plain functions
const go = vi.fn();
const replace = vi.fn();
Object.assign(cockpit.location, { go, replace });
const reachBefore = fixtures.reach_before as unknown as ReachResult;
const reachAfter = fixtures.reach_after as unknown as ReachResult;
const forwardAfter = fixtures.forward_after as unknown as LookupResult;

describe("the verdict", () => {
    it("the seed's packet: dropped by reverse-path filtering, with the reply's way and eth1's fix", () => {
        expect(verdictHeadline(rpFilter)).toBe(
            "Dropped on the way in by reverse-path filtering on eth1: the reply to 10.0.9.2 would leave via 10.0.1.1 on eth0, not by eth1.");
        expect(headline(rpFilter)).toBe(verdictHeadline(rpFilter));
        expect(rpFilter.fix?.interface).toBe("eth1");
    });

    it("a routed packet: the rule, the table and the way out", () => {
        expect(headline(forwardAfter)).toBe("Rule 31001 sends it to table gw-eth1 (10000), and it leaves this host via 10.0.2.1 on eth1.");
        expect(headline({ query: { to: "10.0.2.10" }, verdict: { code: "local", text: "" },
            evaluation: { priority: 0, table: 255, table_name: "local" } }))
            .toBe("Rule 0 sends it to table local, where 10.0.2.10 is one of this host's addresses: it is delivered to this host.");
        expect(headline({ verdict: { code: "forward", text: "" },
            evaluation: { priority: 100, table: 300, nexthops: [{ dev: "eth0", gateway: "10.0.1.1" }] } }))
            .toBe("Rule 100 sends it to table 300, and this host forwards it via 10.0.1.1 on eth0.");
        expect(headline({ explanation: "from an older helper" })).toBe("from an older helper");
    });

    it("the codes the kernel's errno cannot tell apart get sentences of their own", () => {
        const base = { query: { to: "10.0.8.2", from: "10.0.9.2", iif: "eth1" }, route: null };
        expect(verdictHeadline({ ...base, verdict: { code: "forwarding-disabled", text: "" },
            forwarding: { sysctl: "net.ipv4.conf.eth1.forwarding", value: 0 } }))
            .toBe("Dropped: 10.0.8.2 is not an address of this host, and eth1 does not forward packets (net.ipv4.conf.eth1.forwarding is 0).");
        expect(verdictHeadline({ ...base, verdict: { code: "blackhole", text: "" },
            evaluation: { table: 254, table_name: "main", route: "blackhole 10.0.66.0/24 table main" } }))
            .toBe("Dropped by a blackhole route in table main: blackhole 10.0.66.0/24 table main.");
        expect(verdictHeadline({ ...base, verdict: { code: "prohibit", text: "" },
            evaluation: { priority: 100, rule: "priority 100 to 10.0.8.0/24 prohibit" } }))
            .toBe("Refused by rule 100: priority 100 to 10.0.8.0/24 prohibit.");
        expect(verdictHeadline({ query: { to: "10.0.9.2", from: "10.0.99.1" }, verdict: { code: "source-not-local", text: "" } }))
            .toBe("10.0.99.1 is not an address of this host, so this host cannot send from it.");
    });

    it("multipath names every candidate", () => {
        expect(hopsText([{ dev: "eth0", gateway: "10.0.1.1" }, { dev: "eth1", gateway: null }]))
            .toBe("by one of via 10.0.1.1 on eth0, directly on eth1 (a hash picks one per connection)");
    });
});

describe("the trace", () => {
    it("says what each rule did", () => {
        const steps = rpFilter.trace ?? [];
        expect(steps[0]?.rule).toBe("priority 0 from all lookup local");
        expect(steps.map(stepText)[0]).toBe("Table local answers: local 10.0.2.10 dev eth1 table local.");
        expect(stepText({ priority: 160, rule: "priority 160 from all iif lo goto 190", reason: "mismatch", selector: "iif" }))
            .toBe("Skipped: iif does not match.");
        expect(stepText({ priority: 160, rule: "…", reason: "goto", target: 190 })).toBe("Goes on at priority 190.");
        expect(stepText({ priority: 200, rule: "…", reason: "suppressed-prefixlength", table: 254, table_name: "main", prefixlen: 0 }))
            .toBe("Table main answers with a /0 route, which this rule suppresses.");
        expect(stepText({ priority: 210, rule: "…", reason: "suppressed-ifgroup", table: 200, dev: "br7", group: 5 }))
            .toBe("Table 200 answers by br7 (group 5), which this rule suppresses.");
        expect(stepText({ priority: 190, rule: "…", reason: "no-answer", table: 100 })).toBe("Table 100 has no route for it: the next rule is tried.");
    });

    it("renders the verdict, the fix as a button, the full rule, a table link and every rule considered", () => {
        const onFix = vi.fn();
        render(<LookupResultView result={rpFilter} onFix={onFix} />);
        expect(screen.getByRole("status").textContent).toContain("reverse-path filtering on eth1");
        fireEvent.click(screen.getByRole("button", { name: "Set a gateway for eth1" }));
        expect(onFix).toHaveBeenCalledWith(expect.objectContaining({ kind: "set", interface: "eth1" }));
        expect(screen.getByText("priority 0 from all lookup local", { selector: "dd" })).toBeTruthy();
        expect(screen.getByText(/The reply would leave via 10\.0\.1\.1 on eth0 \(rule 32766, table main\)/)).toBeTruthy();
        expect(screen.getByText("No route: Invalid argument (EINVAL)")).toBeTruthy();
        const trace = screen.getByText(/rule considered/).closest("details");
        expect(trace?.querySelectorAll("li").length).toBe(rpFilter.trace?.length);
        const [tableLink] = screen.getAllByRole("button", { name: "Open table local" });
        if (tableLink === undefined)
            throw new Error("no link to table local");
        fireEvent.click(tableLink);
        expect(go).toHaveBeenCalledWith(["tables"], { table: "255" });
    });

    it("no fix button without administrative access, and a warning when the kernel disagrees", () => {
        render(<LookupResultView result={{ ...rpFilter, agree: false, disagreement: ["table: ours 255, the kernel's 254"] }} />);
        expect(screen.queryByRole("button", { name: "Set a gateway for eth1" })).toBeNull();
        expect(screen.getByText("This explanation differs from the kernel's own answer")).toBeTruthy();
        expect(screen.getByText("table: ours 255, the kernel's 254")).toBeTruthy();
    });
});

describe("the reachability doctor", () => {
    it("one sentence for request and reply, before and after eth1's gateway", () => {
        expect(reachHeadline(reachBefore, headline)).toBe(
            "Requests from 10.0.9.2 to 10.0.2.10 do not arrive. Dropped on the way in by reverse-path filtering on eth1: " +
            "the reply to 10.0.9.2 would leave via 10.0.1.1 on eth0, not by eth1.");
        expect(reachHeadline(reachAfter, headline)).toBe(
            "10.0.9.2 reaches 10.0.2.10 on eth1, and the replies go back the same way, via 10.0.2.1 on eth1.");
        const elsewhere = { ...reachAfter, verdict: { code: "reply-elsewhere", text: "" },
            reply: { ...reachAfter.reply, evaluation: { nexthops: [{ dev: "eth0", gateway: "10.0.1.1" }] } } };
        expect(reachHeadline(elsewhere, headline)).toBe(
            "Requests from 10.0.9.2 arrive on eth1, but the replies from 10.0.2.10 leave via 10.0.1.1 on eth0: " +
            "unless that way also reaches 10.0.9.2, the client gets no answer.");
    });

    it("validates the client's address for the row's family", () => {
        expect(validateClient("", "inet")).toBe("Enter the client's address.");
        expect(validateClient("fd00:9::2", "inet")).toBe("Enter an IPv4 address: this is the IPv4 network.");
        expect(validateClient("10.0.9.2", "inet")).toBeUndefined();
    });

    it("asks the helper, shows the verdict and the fix, and remembers the client", async () => {
        const spawn = vi.mocked(cockpit.spawn).mockImplementation(argv => spawnResult(Promise.resolve(
            argv.includes("reach") ? JSON.stringify(reachBefore) : "")));
        const onFix = vi.fn();
        const { unmount } = render(<ReachDialog iface="eth1" family="inet" onClose={() => {}} onFix={onFix} />);
        fireEvent.input(screen.getByRole("textbox", { name: /Client address/ }), { target: { value: "10.0.9.2" } });
        fireEvent.click(screen.getByRole("button", { name: "Check" }));
        await waitFor(() => expect(document.getElementById("gw-reach-verdict")?.textContent).toContain("do not arrive"));
        expect(spawn.mock.calls.some(([argv]) => argv.join(" ").includes("reach eth1 10.0.9.2 --json"))).toBe(true);
        fireEvent.click(screen.getByRole("button", { name: "Set a gateway for eth1" }));
        expect(onFix).toHaveBeenCalled();
        unmount();
        render(<ReachDialog iface="eth1" family="inet" onClose={() => {}} />);
        expect(screen.getByRole<HTMLInputElement>("textbox", { name: /Client address/ }).value).toBe("10.0.9.2");
    });
});

const consoleConnection: PlanConnection = {
    family: "inet", local: "10.0.2.10", local_port: 9090, remote: "10.0.8.2", remote_port: 40000, cockpit: true,
    before: { code: "unicast", dropped: false, nexthops: [{ dev: "eth0", gateway: "10.0.1.1" }] },
    after: { code: "unicast", dropped: false, nexthops: [{ dev: "eth1", gateway: "10.0.2.1" }] },
    incoming: { interface: "eth0", before: { code: "local", dropped: false, nexthops: [] },
        after: { code: "rp-filter", dropped: true, nexthops: [] } },
};
const other: PlanConnection = {
    family: "inet", local: "10.0.1.10", local_port: 22, remote: "10.0.8.2", remote_port: 40000, cockpit: false,
    before: consoleConnection.before, after: consoleConnection.after,
};

describe("live connections in a preview", () => {
    it("each in words: cut on the way in, moved", () => {
        expect(connectionText(consoleConnection)).toBe(
            "Your web console connection (10.0.2.10:9090 with 10.0.8.2:40000) would be cut: its packets arriving on eth0 would be dropped (rp-filter).");
        expect(connectionText(other)).toBe(
            "The connection 10.0.1.10:22 with 10.0.8.2:40000 would move: replies to 10.0.8.2 would leave via 10.0.2.1 on eth1 instead of via 10.0.1.1 on eth0.");
    });

    const Guarded = ({ preview }: { preview: PreviewState }) => {
        const guard = useOwnConnectionGuard(preview);
        return <div><PlanConnections preview={preview} />{guard.element}<button disabled={guard.blocked}>Apply</button></div>;
    };

    it("the console's own connection needs an explicit confirmation; others do not", () => {
        const { unmount } = render(<Guarded preview={{ state: "ready", plan: { changed: true, changes: [], connections: [other] } }} />);
        expect(screen.getByRole<HTMLButtonElement>("button", { name: "Apply" }).disabled).toBe(false);
        unmount();
        render(<Guarded preview={{ state: "ready", plan: { changed: true, changes: [], connections: [consoleConnection, other] } }} />);
        expect(screen.getByText("This change would cut your connection to this web console")).toBeTruthy();
        expect(screen.getAllByRole("listitem").length).toBe(2);
        expect(screen.getByRole<HTMLButtonElement>("button", { name: "Apply" }).disabled).toBe(true);
        fireEvent.click(screen.getByRole("checkbox", { name: "Apply anyway" }));
        expect(screen.getByRole<HTMLButtonElement>("button", { name: "Apply" }).disabled).toBe(false);
    });
});

describe("from a fix to the gateway dialog", () => {
    it("the Networks view opens the named network's gateway dialog once and drops the request from the URL", async () => {
        const { StatusView } = await import("../../src/app");
        const lab = (await import("./fixtures/status-lab.json")).default;
        vi.mocked(cockpit.spawn).mockImplementation(() => spawnResult(Promise.resolve(JSON.stringify({ changed: true, changes: [] }))));
        render(<StatusView status={lab as never} admin openGateway={{ iface: "eth1", family: "inet" }} />);
        await screen.findByRole("dialog", { name: "Set a gateway for eth1 (IPv4)" });
        expect(replace).toHaveBeenCalledWith([], {});
    });

    it("'Where do replies go?' opens the reachability doctor for that network", async () => {
        const { StatusView } = await import("../../src/app");
        const lab = (await import("./fixtures/status-lab.json")).default;
        render(<StatusView status={lab as never} admin />);
        fireEvent.click(screen.getByRole("button", { name: "Where do replies from eth1 IPv4 go?" }));
        expect(await screen.findByRole("dialog", { name: "Can a client reach eth1 (IPv4)?" })).toBeTruthy();
    });
});

describe("the lookup view", () => {
    it("an invalid field clears the old answer; the fix button only with administrative access", async () => {
        const { LookupView } = await import("../../src/lookup/lookup-view");
        vi.mocked(cockpit.spawn).mockImplementation(() => spawnResult(Promise.resolve(JSON.stringify(rpFilter))));
        const { unmount } = render(<LookupView options={{ to: "10.0.2.10", from: "10.0.9.2", iif: "eth1" }} interfaces={[]} tick={0} admin />);
        await waitFor(() => expect(document.getElementById("gw-lookup-answer")?.textContent).toContain("reverse-path filtering"));
        fireEvent.click(screen.getByRole("button", { name: "Set a gateway for eth1" }));
        expect(go).toHaveBeenCalledWith([], { gateway: "eth1", family: "inet" });
        fireEvent.input(screen.getByRole("textbox", { name: /^To/ }), { target: { value: "10.0.2.300" } });
        fireEvent.click(screen.getByRole("button", { name: "Look up" }));
        await waitFor(() => expect(document.getElementById("gw-lookup-answer")).toBeNull());
        unmount();
        render(<LookupView options={{ to: "10.0.2.10", from: "10.0.9.2", iif: "eth1" }} interfaces={[]} tick={0} />);
        await waitFor(() => expect(document.getElementById("gw-lookup-answer")).not.toBeNull());
        expect(screen.queryByRole("button", { name: "Set a gateway for eth1" })).toBeNull();
    });
});
