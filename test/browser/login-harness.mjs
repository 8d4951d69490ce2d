// SPDX-License-Identifier: LGPL-2.1-or-later
// Real logins, the way admins use Cockpit: a normal cockpit-ws (no --local-session) takes password
// logins through PAM (cockpit-session), the bridge runs as the account that logged in, and the
// shell's "Administrative access" switch starts the superuser bridge through sudo.
//
//   const s = await startLoginSession({ prefix: "gwlog" });
//   s.addUser("anna", "pw", { groups: ["sudo"] });           // a sudo admin
//   const { page, frame } = await s.login("anna", "pw");     // the shell at /gateways
//   await s.switchAccess(page, "admin", "pw");                // the shell's own dialog
//   await s.close();
//
// Everything runs inside the lab's host namespace: cockpit-ws (and so every session, bridge, sudo
// and the helper they start) and Chromium, which reaches 127.0.0.1 there. cockpit-ws starts in a
// mount namespace of its own with overlays on /etc and /run whose upper layers live in this
// session's temp dir (and on /root, root's home), so the test accounts (useradd, chpasswd, sudo's group), root's password, and
// everything the root helper writes (/etc/cockpit-gateways, /etc/iproute2, /run/cockpit-gateways)
// exist only there: under sudo the environment is reset, so no COCKPIT_GATEWAYS_ROOT reaches the
// helper, and the machine's own files must not be the ones it writes. The overlays and the accounts
// vanish with the session's processes. `installed: true` serves the page from the machine's
// /usr/share/cockpit/gateways (the installed package) instead of a copy in the account's home.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import assert from "node:assert/strict";

import { chromium } from "playwright-core";

import {
    CHROMIUM, CHROMIUM_ARGS, COCKPIT_WS, DIST, GATEWAYS_FRAME, gwlab, isAlive, recordFrameErrors, sh, sleep,
    track, trackFrameErrors, untrack,
} from "./harness.mjs";

const PORT = 9090; // the lab's host namespace is ours alone: its loopback has every port free
const TIMEOUT = 30000;

export async function startLoginSession(opts = {}) {
    const s = new LoginSession(opts);
    track(s);
    try {
        await s.start();
    } catch (e) {
        await s.close();
        throw e;
    }
    return s;
}

export class LoginSession {
    constructor({ prefix, installed = false, dist = DIST } = {}) {
        this.prefix = prefix + (process.env.GW_LAB_TAG ?? "");
        this.installed = installed;
        this.dist = path.resolve(dist);
        this.tmpdir = null;
        this.ws = null;
        this.wsLog = [];
        this.browser = null;
        this.labUp = false;
        this.closed = false;
    }

    ns(node) {
        return `${this.prefix}-${node}`;
    }

    get baseUrl() {
        return `http://127.0.0.1:${PORT}`;
    }

    async start() {
        gwlab("up", this.prefix);
        this.labUp = true;
        this.tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-login-"));
        fs.chmodSync(this.tmpdir, 0o755); // the accounts' homes are under it
        const ov = path.join(this.tmpdir, "overlay");
        for (const d of ["etc", "etc.work", "run", "run.work", "root", "root.work"])
            fs.mkdirSync(path.join(ov, d), { recursive: true });
        fs.mkdirSync(path.join(this.tmpdir, "home"), { mode: 0o755 });

        const start = path.join(this.tmpdir, "start-ws");
        fs.writeFileSync(start, [
            "#!/bin/sh",
            "# inside the lab's host namespace and a private mount namespace: overlays, then cockpit-ws",
            "set -e",
            `mount -t overlay gw-etc -o lowerdir=/etc,upperdir=${sh(ov + "/etc")},workdir=${sh(ov + "/etc.work")} /etc`,
            `mount -t overlay gw-run -o lowerdir=/run,upperdir=${sh(ov + "/run")},workdir=${sh(ov + "/run.work")} /run`,
            `mount -t overlay gw-root -o lowerdir=/root,upperdir=${sh(ov + "/root")},workdir=${sh(ov + "/root.work")} /root`,
            `exec ${COCKPIT_WS} --no-tls --address 127.0.0.1 --port ${PORT}`,
            "",
        ].join("\n"), { mode: 0o755 });
        this.ws = spawn("ip", ["netns", "exec", this.ns("host"), "unshare", "-m", "--propagation", "private", start],
                        { stdio: ["ignore", "pipe", "pipe"] });
        for (const stream of [this.ws.stdout, this.ws.stderr])
            stream.on("data", chunk => this.wsLog.push(chunk.toString()));
        const deadline = Date.now() + 10000;
        while (!this.listening()) {
            if (this.ws.exitCode !== null || Date.now() > deadline)
                throw new Error(`cockpit-ws did not start (exit ${this.ws.exitCode}): ${this.wsLog.join("")}`);
            await sleep(50);
        }

        const chromiumInNs = path.join(this.tmpdir, "chromium");
        fs.writeFileSync(chromiumInNs,
                         `#!/bin/sh\nexec ip netns exec ${sh(this.ns("host"))} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
        this.browser = await chromium.launch({
            executablePath: chromiumInNs,
            headless: true,
            args: CHROMIUM_ARGS,
            handleSIGINT: false,
            handleSIGTERM: false,
            handleSIGHUP: false,
        });
        return this;
    }

    listening() {
        return this.labRun("host", "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${PORT}`).status === 0;
    }

    /** Run a command where cockpit-ws runs: the lab's host namespace and the overlays. */
    inSession(...argv) {
        const r = spawnSync("nsenter", ["-t", String(this.ws.pid), "-m", "-n", "--", ...argv],
                            { encoding: "utf8", timeout: 60000 });
        if (r.status !== 0)
            throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
        return r.stdout;
    }

    /** Run a command inside a lab namespace (synchronously). */
    labRun(node, ...argv) {
        return spawnSync("ip", ["netns", "exec", this.ns(node), ...argv], { encoding: "utf8", timeout: 60000 });
    }

    /** True if `node` gets an echo reply from `address`. */
    ping(node, address) {
        const r = this.labRun(node, "ping", address.includes(":") ? "-6" : "-4", "-n", "-q", "-c", "1", "-W", "1", address);
        return /\b1 (?:packets )?received/.test(r.stdout || "");
    }

    /**
     * An account that exists only in this session's /etc overlay, with its home in the temp dir and,
     * unless the page comes from the installed package, its own copy of the build in
     * ~/.local/share/cockpit/gateways (where Cockpit finds a user's packages).
     */
    addUser(name, password, { groups = [] } = {}) {
        const home = path.join(this.tmpdir, "home", name);
        this.inSession("useradd", "--no-create-home", "--home-dir", home, "--shell", "/bin/bash",
                       ...(groups.length ? ["--groups", groups.join(",")] : []), name);
        this.inSession("sh", "-c", `echo ${sh(`${name}:${password}`)} | chpasswd`);
        fs.mkdirSync(home, { mode: 0o700 });
        if (!this.installed) {
            const pkg = path.join(home, ".local", "share", "cockpit", "gateways");
            fs.cpSync(this.dist, pkg, { recursive: true, dereference: true });
        }
        this.inSession("chown", "-R", `${name}:`, home);
        return home;
    }

    /** Let root log in with a password (Cockpit refuses root by default: disallowed-users); its copy
     * of the build goes to /root, overlaid like /etc. */
    allowRoot(password) {
        this.inSession("sh", "-c", `sed -i '/^root$/d' /etc/cockpit/disallowed-users && echo ${sh(`root:${password}`)} | chpasswd`);
        if (!this.installed)
            this.inSession("sh", "-c", `mkdir -p /root/.local/share/cockpit && cp -rL ${sh(this.dist)} /root/.local/share/cockpit/gateways`);
    }

    /** A fresh browser context logged in as `user`, at /gateways. */
    async login(user, password, { viewport = { width: 1280, height: 800 } } = {}) {
        const context = await this.browser.newContext({ viewport, locale: "en-US" });
        await context.addInitScript(recordFrameErrors);
        const page = await context.newPage();
        const errors = trackFrameErrors(page);
        await page.goto(this.baseUrl + "/");
        await page.locator("#login-user-input").fill(user);
        await page.locator("#login-password-input").fill(password);
        await page.locator("#login-button").click();
        await page.locator(`iframe[name^="cockpit1:"]`).first().waitFor({ state: "attached", timeout: TIMEOUT }); // the shell, logged in
        await page.goto(this.baseUrl + "/gateways");
        const frame = page.frameLocator(`iframe[name="${GATEWAYS_FRAME}"]`);
        await frame.locator("body").waitFor({ state: "attached", timeout: TIMEOUT });
        return { context, page, frame, errors };
    }

    /** The shell's own superuser switch: "admin" (with the password in its dialog) or "limited". */
    async switchAccess(page, to, password) {
        if (to === "admin") {
            await page.getByRole("button", { name: "Limited access" }).click();
            const field = page.locator("#switch-to-admin-access-password");
            await field.waitFor({ timeout: TIMEOUT });
            await field.fill(password);
            await page.getByRole("button", { name: "Authenticate" }).click();
            await field.waitFor({ state: "detached", timeout: TIMEOUT });
            await page.locator("button.ct-unlocked").waitFor({ timeout: TIMEOUT });
        } else {
            await page.locator("button.ct-unlocked").click();
            await page.getByRole("button", { name: "Limit access" }).click();
            await page.locator("button.ct-locked").waitFor({ timeout: TIMEOUT });
        }
    }

    async close() {
        if (this.closed)
            return;
        this.closed = true;
        try {
            if (this.browser)
                await Promise.race([this.browser.close().catch(() => {}), sleep(10000)]);
        } finally {
            this.browser = null;
            this.closeSync();
        }
    }

    closeSync() {
        this.closed = true;
        const ws = this.ws;
        this.ws = null;
        if (ws && ws.exitCode === null && ws.signalCode === null) {
            try { process.kill(ws.pid, "SIGTERM") } catch { /* gone */ }
            const deadline = Date.now() + 3000;
            while (isAlive(ws.pid) && Date.now() < deadline)
                spawnSync("sleep", ["0.05"]);
            if (isAlive(ws.pid))
                try { process.kill(ws.pid, "SIGKILL") } catch { /* gone */ }
        }
        if (this.labUp) {
            // also ends what the sessions left in the namespace: bridges, sudo, session buses
            this.labUp = false;
            try { gwlab("down", this.prefix) } catch (e) { console.error(String(e)) }
        }
        if (this.tmpdir) {
            fs.rmSync(this.tmpdir, { recursive: true, force: true });
            this.tmpdir = null;
        }
        untrack(this);
    }
}

// --- the story every admin login must get through ------------------------------------------------
/** `node` pings `address` until the answer is `expected` (routing settles), a few tries. */
export async function pingsUntil(s, node, address, expected) {
    let ok = null;
    for (let i = 0; i < 10; i++) {
        ok = s.ping(node, address);
        if (ok === expected)
            return ok;
        await sleep(300);
    }
    return ok;
}

/**
 * From a limited session of a sudo admin: switch to administrative access in the shell's own
 * dialog, set eth1's gateway in the page, see the success toast, and prove it by packets: the
 * client behind R2 (outside the host's subnets) reaches eth1's address, the management path holds.
 */
export async function sudoAdminSetsGateway(s, { page, frame }, password) {
    await s.switchAccess(page, "admin", password);
    const set = frame.getByRole("button", { name: "Set gateway of eth1 IPv4" });
    await set.waitFor({ timeout: TIMEOUT });
    assert.equal(await pingsUntil(s, "c2", "10.0.2.10", false), false, "the client behind R2 reaches 10.0.2.10 before the change");
    await set.click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await dialog.getByText("Add route: default via 10.0.2.1 on eth1 in table").waitFor({ timeout: TIMEOUT });
    // what the shell is told while the change is tested (its own cockpit.hint, which the frame's
    // hints reach): hold the connection (ignore the transport health check), then let go
    await page.evaluate(() => {
        const shell = window.cockpit;
        const hint = shell.hint;
        window.__gwHints = [];
        shell.hint = function (name, options) {
            if (name === "ignore_transport_health_check")
                window.__gwHints.push(options?.data);
            return hint.apply(this, arguments);
        };
    });
    await dialog.getByRole("button", { name: "Apply" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    await frame.getByText("eth1 (IPv4) now answers through 10.0.2.1").waitFor({ timeout: TIMEOUT });
    assert.deepEqual(await page.evaluate(() => window.__gwHints), [true, false],
                     "the shell was not asked to hold the connection during the test");
    const row = frame.getByRole("row").filter({ has: frame.getByRole("rowheader", { name: "eth1 IPv4", exact: true }) });
    await row.getByText("Active").waitFor({ timeout: TIMEOUT });
    assert.equal(await pingsUntil(s, "c2", "10.0.2.10", true), true, "the client behind R2 does not reach 10.0.2.10 after the change");
    assert.equal(s.ping("c1", "10.0.1.10"), true, "the management path broke");
}
