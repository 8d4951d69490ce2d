// SPDX-License-Identifier: LGPL-2.1-or-later
// Every call to the privileged helper goes through here. The helper ships next to the page as
// helper.py (build.js), is fetched once (same origin: Cockpit serves the package's files) and run
// as `python3 -I - ARGS…` with the script on stdin, so nothing needs to be installed on the host
// beyond Python. It prints one JSON document; we never parse `ip` output. The arguments are
// spelled in helper-args.ts.

import type {
    ExportFormat, ExportResult, Family, LookupQuery, LookupResult, Plan, ReachResult, Routers, RoutesWindow, ServicesStatus, Status,
} from "../types";
import {
    confirmArgs, confirmWithin, dryRun, exportArgs, json, lookupArgs, reachArgs, routersArgs, routesArgs, serviceArgs, statusArgs,
    type RoutesRequest, type ServiceName,
} from "./helper-args";

const _ = cockpit.gettext;

/** A failure of the helper, with a message fit to show to the admin. */
export class HelperError extends Error {
    readonly problem: string | null;
    readonly exitStatus: number | null;

    constructor(message: string, problem: string | null = null, exitStatus: number | null = null) {
        super(message);
        this.name = "HelperError";
        this.problem = problem;
        this.exitStatus = exitStatus;
    }
}

const PROBLEMS: Record<string, string> = {
    "not-found": _("python3 is needed on the host: this page runs its helper with it. Install the python3 package on the host, then retry."),
    "access-denied": _("Not permitted to perform this action."),
    "not-authorized": _("Not permitted to perform this action."),
    disconnected: _("The connection to the host was lost. Reload the page once the host can be reached again."),
    terminated: _("The helper was stopped."),
    timeout: _("The helper did not answer in time."),
};

/** The last readable line of stderr; a Python traceback is reduced to its final line. */
function readable(stderr: string): string {
    const lines = stderr.split("\n").map(l => l.trim()).filter(l => l !== "");
    if (lines.length === 0)
        return "";
    if (lines.some(l => l.startsWith("Traceback (most recent call last)")))
        return lines[lines.length - 1] ?? "";
    // the helper prefixes its messages with its name, like any command line tool
    return lines.map(l => l.replace(/^cockpit-gateways: /, "")).join("\n");
}

export function toHelperError(ex: unknown): HelperError {
    if (ex instanceof HelperError)
        return ex;
    const e = (typeof ex === "object" && ex !== null ? ex : {}) as Partial<cockpit.ProcessError>;
    const problem = typeof e.problem === "string" ? e.problem : null;
    const exitStatus = typeof e.exit_status === "number" ? e.exit_status : null;
    const message = readable(typeof e.message === "string" ? e.message : "");
    if (problem !== null && PROBLEMS[problem] !== undefined && (message === "" || message === problem))
        return new HelperError(PROBLEMS[problem], problem, exitStatus);
    if (message !== "")
        return new HelperError(message, problem, exitStatus);
    if (exitStatus !== null)
        return new HelperError(cockpit.format(_("The helper failed with exit status $0."), exitStatus), problem, exitStatus);
    return new HelperError(problem ?? _("The helper failed."), problem, exitStatus);
}

/** The helper script, relative to the page (index.html): fetched once, kept for the page's life. */
export const HELPER_URL = "helper.py";
let script: Promise<string> | null = null;

/** The helper's source; a failed fetch is not cached, so the next call tries again. */
export function helperScript(): Promise<string> {
    if (script === null) {
        script = fetch(HELPER_URL, { credentials: "same-origin" }).then(res => {
            if (!res.ok)
                throw new HelperError(cockpit.format(_("The page's helper (helper.py) could not be loaded (HTTP $0). Reload the page; if this persists, reinstall cockpit-gateways."), res.status));
            return res.text();
        });
        script.catch(() => { script = null });
    }
    return script;
}

/** Run the helper with ARGS and return its stdout. Rejects with a HelperError. */
export async function runHelper(args: string[], superuser: cockpit.Superuser = "try"): Promise<string> {
    let source: string;
    try {
        source = await helperScript();
    } catch (ex) {
        throw ex instanceof HelperError ? ex : new HelperError(_("The page's helper (helper.py) could not be loaded. Reload the page; if this persists, reinstall cockpit-gateways."));
    }
    try {
        // the script goes in on stdin (`python3 -I -`): as one argument it would exceed the kernel's
        // 128 KiB limit for a single argument (E2BIG)
        return await cockpit.spawn(["python3", "-I", "-", ...args], { superuser, err: "message" }).input(source);
    } catch (ex) {
        throw toHelperError(ex);
    }
}

function parseJson(output: string): unknown {
    try {
        return JSON.parse(output);
    } catch {
        throw new HelperError(_("The helper's answer could not be read."));
    }
}

/** The helper's JSON object, typed as the caller expects it (types.ts: every field optional). */
function parseObject<T extends object>(output: string): T {
    const data = parseJson(output);
    if (typeof data !== "object" || data === null || Array.isArray(data))
        throw new HelperError(_("The helper's answer could not be read."));
    if ("error" in data && typeof data.error === "string")
        throw new HelperError(data.error);
    return data as T;
}

/** `status --json`: interfaces, addresses, gateways, tables, rules; without route counts per table
 * (`routeCounts: false`) its cost does not grow with the routes of other tables. */
// Pending changes this page applied and confirmed (their `pending_id`): a status read before the
// confirmation still shows such a change as pending, and it must not look like someone else's.
const confirmedIds = new Set<string>();
const idOfToken = new Map<string, string>();

export async function getStatus({ routeCounts = true } = {}): Promise<Status> {
    const status = parseObject<Status>(await runHelper(json(statusArgs({ routeCounts }))));
    if (status.pending?.id !== undefined && confirmedIds.has(status.pending.id))
        delete status.pending;
    return status;
}

export const ADMIN_REQUIRED = _("Administrative access is required to change gateways.");

/** A changing command: needs root ("require"); without it, say so in the page's words. */
async function runChange(args: readonly string[]): Promise<Plan> {
    try {
        return parseObject<Plan>(await runHelper(json(args), "require"));
    } catch (ex) {
        const e = toHelperError(ex);
        if (e.problem === "access-denied" || e.problem === "not-authorized")
            throw new HelperError(ADMIN_REQUIRED, e.problem, e.exitStatus);
        throw e;
    }
}

/* Every change (a gateway, or a one-off fix: `route add|del …`, `rule add|del …`) is the helper's
 * arguments without --json; these three run it as a preview, safely, or at once. */

/** The plan, changing nothing (`--dry-run`). */
export function previewChange(args: readonly string[]): Promise<Plan> {
    return runChange(dryRun(args));
}

/** Apply with a rollback armed on the host; resolves with the token that keeps the change. */
export async function applyWithRollback(args: readonly string[], seconds: number): Promise<string> {
    const plan = await runChange(confirmWithin(args, seconds));
    if (typeof plan.token !== "string") {
        if (plan.changed === false)
            return ""; // nothing to keep: the helper armed no rollback
        throw new HelperError(_("The helper did not return a confirmation token."));
    }
    if (typeof plan.pending_id === "string")
        idOfToken.set(plan.token, plan.pending_id);
    return plan.token;
}

/** Apply without a rollback ("Apply anyway"). */
export function applyNow(args: readonly string[]): Promise<Plan> {
    return runChange(args);
}

export async function confirmChange(token: string): Promise<void> {
    if (token === "")
        return;
    await runChange(confirmArgs(token));
    const id = idOfToken.get(token);
    if (id !== undefined)
        confirmedIds.add(id);
    idOfToken.delete(token);
}

/** `routers IFACE --family F --json`: the network(s) and likely routers (gateway candidates). */
export async function getRouters(iface: string, family: Family): Promise<Routers> {
    return parseObject<Routers>(await runHelper(json(routersArgs(iface, family))));
}

/** A fresh round-trip to the host through the bridge, no privileges needed. */
export async function roundTrip(): Promise<void> {
    await cockpit.spawn(["true"], { err: "message" });
}

/* ---------- inspection (read-only) ---------- */

/** `routes TABLE --json`: one window of a table, filtered and sorted on the host. */
export async function getRoutes(table: number, req: RoutesRequest): Promise<RoutesWindow> {
    return parseObject<RoutesWindow>(await runHelper(json(routesArgs(table, req))));
}

/** `lookup TO [--from] [--iif] [--oif] [--fwmark] --json`: where the kernel sends a packet, and why. */
export async function lookupRoute(query: LookupQuery): Promise<LookupResult> {
    return parseObject<LookupResult>(await runHelper(json(lookupArgs(query))));
}

/** `reach IFACE CLIENT --json`: does CLIENT reach this host on IFACE, and do replies go back? */
export async function reach(iface: string, client: string): Promise<ReachResult> {
    return parseObject<ReachResult>(await runHelper(json(reachArgs(iface, client))));
}

/** `service status --json`: whether source routing is restored at boot and self-healing runs. */
export async function getServices(): Promise<ServicesStatus> {
    const status = parseObject<ServicesStatus>(await runHelper(json(serviceArgs("status"))));
    if (!Array.isArray(status.services))
        throw new HelperError(_("The helper's answer could not be read."));
    return status;
}

/** `service enable NAME [--dry-run] --json`: turn one on (systemctl enable --now where systemd runs). */
export async function enableService(name: ServiceName, { preview = false } = {}): Promise<ServicesStatus> {
    const args = serviceArgs("enable", [name]);
    try {
        return parseObject<ServicesStatus>(await runHelper(json(preview ? dryRun(args) : args), "require"));
    } catch (ex) {
        const e = toHelperError(ex);
        if (e.problem === "access-denied" || e.problem === "not-authorized")
            throw new HelperError(ADMIN_REQUIRED, e.problem, e.exitStatus);
        throw e;
    }
}

/** `export --format F [--include-dhcp] --json`: the gateways as a fleet tool's configuration. */
export async function exportGateways(format: ExportFormat, includeDhcp: boolean): Promise<ExportResult> {
    return parseObject<ExportResult>(await runHelper(json(exportArgs(format, includeDhcp))));
}
