// SPDX-License-Identifier: LGPL-2.1-or-later
// Every call to the privileged helper goes through here. The helper is embedded in the page
// (build.js, "helper:script") and run as `python3 -I -c SCRIPT ARGS…`, so nothing needs to be
// installed on the host beyond Python. It prints one JSON document; we never parse `ip` output.

import helperScript from "helper:script";
import type { Status } from "./types";

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
    "not-found": _("Python 3 was not found on this host."),
    "access-denied": _("Not permitted to perform this action."),
    "not-authorized": _("Not permitted to perform this action."),
    disconnected: _("The connection to the host was lost."),
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
    return lines.join("\n");
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

/** Run the helper with ARGS and return its stdout. Rejects with a HelperError. */
export async function runHelper(args: string[], superuser: cockpit.Superuser = "try"): Promise<string> {
    try {
        return await cockpit.spawn(["python3", "-I", "-c", helperScript, ...args], { superuser, err: "message" });
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

/** `status --json`: interfaces, addresses, gateways, tables, rules. */
export async function getStatus(): Promise<Status> {
    const data = parseJson(await runHelper(["status", "--json"]));
    if (typeof data !== "object" || data === null || Array.isArray(data))
        throw new HelperError(_("The helper's answer could not be read."));
    if ("error" in data && typeof data.error === "string")
        throw new HelperError(data.error);
    return data as Status;
}
