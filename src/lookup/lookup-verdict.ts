// SPDX-License-Identifier: LGPL-2.1-or-later
// The lookup's verdict, trace and kernel answer in translatable sentences, built from the helper's
// structured result (its own `text` and `why` are English, for the command line).

import { tableLabel } from "../view-model";
import type { KernelAnswer, LookupHop, LookupResult, LookupStep, ReachResult, RpFilterCheck } from "../types";

const _ = cockpit.gettext;

/** "via 10.0.2.1 on eth1", "directly on eth1", or every candidate of a multipath route. */
export function hopsText(hops: readonly LookupHop[] | undefined): string {
    const one = (h: LookupHop) => h.gateway
        ? cockpit.format(_("via $0 on $1"), h.gateway, h.dev ?? "?")
        : cockpit.format(_("directly on $0"), h.dev ?? "?");
    const list = hops ?? [];
    if (list.length === 0)
        return "?";
    if (list.length === 1)
        return one(list[0]);
    return cockpit.format(_("by one of $0 (a hash picks one per connection)"), list.map(one).join(", "));
}

function tableName(name: string | null | undefined, id: number | null | undefined): string {
    return id === null || id === undefined ? name ?? _("main") : tableLabel(id, name);
}

function rpSentence(query: Record<string, string | number>, rp: RpFilterCheck): string {
    const src = String(query.from ?? "");
    const hops = rp.reply?.nexthops ?? [];
    if (hops.length === 0 || rp.code === "martian-source")
        return cockpit.format(_("Dropped on the way in by reverse-path filtering on $0: this host has no usable route back to $1."),
                              rp.interface, src);
    return cockpit.format(_("Dropped on the way in by reverse-path filtering on $0: the reply to $1 would leave $2, not by $0."),
                          rp.interface, src, hopsText(hops));
}

/** The headline: what happens to the packet, and why, in one sentence. */
export function verdictHeadline(result: LookupResult): string | null {
    const verdict = result.verdict;
    if (!verdict)
        return null;
    const q = result.query ?? {};
    const to = String(q.to ?? "");
    const ev = result.evaluation ?? {};
    const table = tableName(ev.table_name, ev.table);
    const rule = ev.priority ?? "?";
    switch (verdict.code) {
    case "local":
        return cockpit.format(_("Rule $0 sends it to table $1, where $2 is one of this host's addresses: it is delivered to this host."),
                              rule, table, to);
    case "forward":
        return cockpit.format(_("Rule $0 sends it to table $1, and this host forwards it $2."), rule, table, hopsText(ev.nexthops));
    case "unicast":
        if (ev.table === null || ev.table === undefined)
            return cockpit.format(_("No route answers, so it leaves directly on $0, the interface it was given."), ev.dev ?? "?");
        return cockpit.format(_("Rule $0 sends it to table $1, and it leaves this host $2."), rule, table, hopsText(ev.nexthops));
    case "broadcast":
        return _("A broadcast: delivered on the local network.");
    case "no-route":
        return cockpit.format(_("No route: no rule leads to a table with a route to $0, so the kernel drops the packet."), to);
    case "rp-filter":
        return result.rp_filter ? rpSentence(q, result.rp_filter) : verdict.text;
    case "forwarding-disabled":
        return cockpit.format(_("Dropped: $0 is not an address of this host, and $1 does not forward packets ($2 is 0)."),
                              to, String(q.iif ?? ""), result.forwarding?.sysctl ?? "forwarding");
    case "source-not-local":
        return cockpit.format(_("$0 is not an address of this host, so this host cannot send from it."), String(q.from ?? ""));
    case "blackhole":
    case "unreachable":
    case "prohibit":
        if (ev.route)
            return cockpit.format(_("Dropped by a $0 route in table $1: $2."), verdict.code, table, ev.route);
        return cockpit.format(_("Refused by rule $0: $1."), rule, ev.rule ?? verdict.code);
    case "martian-source":
        return cockpit.format(_("Dropped: $0 cannot be the source of this packet."), String(q.from ?? "0.0.0.0"));
    case "martian-destination":
        return cockpit.format(_("Dropped: $0 cannot be the destination of this packet."), to);
    case "interface-down":
        return cockpit.format(_("The output interface $0 is down or missing."), String(q.oif ?? ""));
    case "multicast":
        return _("Multicast is routed by the multicast routing tables, which this lookup does not evaluate.");
    default:
        return verdict.text;
    }
}

/** What one rule did with the packet. */
export function stepText(step: LookupStep): string {
    const table = tableName(step.table_name, step.table);
    switch (step.reason) {
    case "mismatch":
        return cockpit.format(_("Skipped: $0 does not match."), step.selector ?? "?");
    case "inverted":
        return _("Skipped: every selector matches, and the rule says “not”.");
    case "goto":
        return cockpit.format(_("Goes on at priority $0."), step.target ?? "?");
    case "goto-unresolved":
        return cockpit.format(_("Skipped: no rule has priority $0."), step.target ?? "?");
    case "nop":
        return _("Does nothing (nop).");
    case "refused":
        return cockpit.format(_("Refuses the packet ($0)."), step.action ?? "?");
    case "suppressed-prefixlength":
        return cockpit.format(_("Table $0 answers with a /$1 route, which this rule suppresses."), table, step.prefixlen ?? "?");
    case "suppressed-ifgroup":
        return cockpit.format(_("Table $0 answers by $1 (group $2), which this rule suppresses."), table, step.dev ?? "?", step.group ?? "?");
    case "answers":
        return cockpit.format(_("Table $0 answers: $1."), table, step.route ?? "");
    case "no-answer":
        return cockpit.format(_("Table $0 has no route for it: the next rule is tried."), table);
    case "refused-by-route":
        return cockpit.format(_("Table $0 answers with a $1 route: the packet is dropped."), table, step.type ?? "?");
    default:
        return step.why ?? "";
    }
}

/** The kernel's own answer (`ip route get`), in words. */
export function kernelText(kernel: KernelAnswer | undefined): string | null {
    if (!kernel)
        return null;
    if (kernel.errno !== 0)
        return cockpit.format(_("No route: $0 ($1)"), kernel.error ?? "?", kernel.errno_name ?? String(kernel.errno));
    const r = kernel.route ?? {};
    const words = [r.type && r.type !== "unicast" ? r.type : "", r.gateway ? `via ${r.gateway}` : "",
        r.dev ? `dev ${r.dev}` : "", r.table !== undefined && r.table !== null ? `table ${r.table}` : ""];
    return words.filter(w => w !== "").join(" ");
}

/** `reach`: one sentence for the client's request in and the reply out. `explain` turns one of
 * the two lookups into its headline (lookup-result.tsx). */
export function reachHeadline(r: ReachResult, explain: (result: LookupResult) => string): string {
    const replyHops = r.reply.evaluation?.nexthops;
    switch (r.verdict.code) {
    case "ok":
        return cockpit.format(_("$0 reaches $1 on $2, and the replies go back the same way, $3."),
                              r.client, r.address, r.interface, hopsText(replyHops));
    case "reply-elsewhere":
        return cockpit.format(_("Requests from $0 arrive on $1, but the replies from $2 leave $3: unless that way also reaches $0, the client gets no answer."),
                              r.client, r.interface, r.address, hopsText(replyHops));
    default:
        if (r.request.verdict?.code !== "local")
            return cockpit.format(_("Requests from $0 to $1 do not arrive. $2"), r.client, r.address, explain(r.request));
        return cockpit.format(_("Requests from $0 arrive, but the replies do not leave. $1"), r.client, explain(r.reply));
    }
}
