// SPDX-License-Identifier: LGPL-2.1-or-later
// Browser-test harness: one lab + one real cockpit-ws (local session, bridge inside the lab's host
// namespace) + one headless Chromium per test file, all torn down again also on failure, SIGINT
// and SIGTERM.
//
//   const s = await startSession({ prefix: "gwb1" });   // lab up, cockpit-ws, Chromium
//   const { page, frame, errors } = await s.openGateways();
//   ...
//   await s.close();                                      // browser, cockpit-ws (by PID), lab, temp dir
//
// Session options: { prefix, unprivileged (bridge as `nobody` via runuser: superuser "require"
// then fails with problem "access-denied"), dist (serve another build, e.g. a broken one), browser }.
// In frame.evaluate(), await cockpit's promises inside an async function (they are not native
// Promises, so returning one directly yields undefined):
//   await frame.evaluate(async () => await cockpit.spawn(["id", "-un"]))
//
// A local session is single-use: ~15 s after its last page closes the bridge exits and cockpit-ws
// answers 401 from then on, so start one session per test file (or per test that needs a fresh one).

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = path.join(REPO_ROOT, "dist");
export const ARTIFACTS = path.join(REPO_ROOT, "test", "artifacts");
export const GWLAB = path.join(REPO_ROOT, "test", "lab", "gwlab.py");
export const COCKPIT_WS = "/usr/lib/cockpit/cockpit-ws";
export const CHROMIUM = "/usr/lib/chromium/chromium";
export const GATEWAYS_FRAME = "cockpit1:localhost/gateways";
const PYTHON = process.env.PYTHON || "/usr/bin/python3";

export const CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// --- cleanup on any exit ------------------------------------------------------------------------
// Every live session is registered here. SIGINT/SIGTERM run the async teardown (browser, cockpit-ws,
// lab, temp dir) and exit; the synchronous 'exit' hook is the last resort (cockpit-ws by PID, lab
// down, temp dir) for paths where async code can no longer run.
const liveSessions = new Set();
let handlersInstalled = false;
let interruptCode = null;

/** The exit code (130/143/129) if SIGINT/SIGTERM/SIGHUP arrived, else null: stop running tests. */
export function interrupted() {
    return interruptCode;
}

function installHandlers() {
    if (handlersInstalled)
        return;
    handlersInstalled = true;
    for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
        process.on(sig, () => {
            if (interruptCode !== null)
                return; // teardown already under way
            interruptCode = code;
            console.error(`\n${sig}: tearing down ${liveSessions.size} browser session(s)`);
            const all = Promise.allSettled([...liveSessions].map(s => s.close()));
            const timer = setTimeout(() => process.exit(code), 15000);
            all.finally(() => { clearTimeout(timer); process.exit(code) });
        });
    }
    process.on("exit", () => {
        for (const s of liveSessions)
            s.closeSync();
    });
}

/** Register another kind of session (with close() and closeSync()) for the teardown on any exit. */
export function track(session) {
    installHandlers();
    liveSessions.add(session);
}

export function untrack(session) {
    liveSessions.delete(session);
}

// --- small helpers ------------------------------------------------------------------------------
export function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/** A TCP port on 127.0.0.1 that is free right now (the kernel picks it). */
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

function canConnect(port) {
    return new Promise(resolve => {
        const sock = net.connect({ port, host: "127.0.0.1" });
        sock.once("connect", () => { sock.destroy(); resolve(true) });
        sock.once("error", () => resolve(false));
    });
}

export function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

export function gwlab(command, prefix) {
    const r = spawnSync(PYTHON, [GWLAB, command, "--prefix", prefix], { encoding: "utf8", timeout: 60000 });
    if (r.status !== 0)
        throw new Error(`gwlab ${command} --prefix ${prefix} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
}

/** Default lab prefix for this process: "gwb" + up to 5 digits of the PID (≤ 8 characters). */
export function defaultPrefix() {
    return `gwb${process.pid % 100000}`;
}

// --- the session --------------------------------------------------------------------------------
/**
 * Start lab + cockpit-ws + Chromium.
 * @param {object} [opts]
 * @param {string} [opts.prefix]  lab namespace prefix (starts with "gw", ≤ 15 chars with GW_LAB_TAG)
 * @param {boolean} [opts.unprivileged]  run the bridge as `nobody` (runuser) instead of root
 * @param {string} [opts.dist]  the package directory to serve as "gateways" (default: dist/)
 * @param {boolean} [opts.browser]  launch Chromium (default true)
 */
export async function startSession(opts = {}) {
    const s = new Session(opts);
    installHandlers();
    liveSessions.add(s);
    try {
        await s.start();
    } catch (e) {
        await s.close();
        throw e;
    }
    return s;
}

export class Session {
    constructor({ prefix = defaultPrefix(), unprivileged = false, dist = DIST, browser = true } = {}) {
        this.prefix = prefix + (process.env.GW_LAB_TAG ?? "");
        this.unprivileged = unprivileged;
        this.dist = path.resolve(dist);
        this.wantBrowser = browser;
        this.tmpdir = null;
        this.ws = null; // ChildProcess of cockpit-ws
        this.wsLog = [];
        this.port = null;
        this.browser = null;
        this.labUp = false;
        this.closed = false;
    }

    get baseUrl() {
        return `http://127.0.0.1:${this.port}`;
    }

    url(p = "/") {
        return this.baseUrl + (p.startsWith("/") ? p : "/" + p);
    }

    /** Files the helper reads/writes (its --root), inside the temp dir. */
    get root() {
        return path.join(this.tmpdir, "root");
    }

    ns(node) {
        return `${this.prefix}-${node}`;
    }

    async start() {
        gwlab("up", this.prefix);
        this.labUp = true;

        this.tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-browser-"));
        fs.chmodSync(this.tmpdir, 0o755); // the unprivileged bridge must reach data/ and root/
        const data = path.join(this.tmpdir, "data");
        fs.mkdirSync(path.join(data, "cockpit"), { recursive: true, mode: 0o755 });
        if (this.unprivileged) {
            // `nobody` may not enter the checkout (a clone in a 0700 directory, as CI may make):
            // give that bridge its own readable copy of the build
            fs.cpSync(this.dist, path.join(data, "cockpit", "gateways"), { recursive: true, dereference: true });
            spawnSync("chmod", ["-R", "a+rX", path.join(data, "cockpit", "gateways")]);
        } else {
            fs.symlinkSync(this.dist, path.join(data, "cockpit", "gateways"));
        }
        fs.mkdirSync(this.root, { mode: 0o755 });

        this.wrapper = path.join(this.tmpdir, "session");
        const bridge = this.unprivileged ? "runuser -u nobody -- cockpit-bridge" : "cockpit-bridge";
        fs.writeFileSync(this.wrapper, [
            "#!/bin/sh",
            "# cockpit-ws --local-session runs this: the bridge inside the lab's host namespace",
            `exec ip netns exec ${sh(this.ns("host"))} env XDG_DATA_HOME=${sh(data)} ` +
                `COCKPIT_GATEWAYS_ROOT=${sh(this.root)} ${bridge}`,
            "",
        ].join("\n"), { mode: 0o755 });

        await this.startWs();

        if (this.wantBrowser) {
            this.browser = await chromium.launch({
                executablePath: CHROMIUM,
                headless: true,
                args: CHROMIUM_ARGS,
                handleSIGINT: false, // our handlers close it in order
                handleSIGTERM: false,
                handleSIGHUP: false,
            });
        }
        return this;
    }

    async startWs() {
        for (let attempt = 0; attempt < 5; attempt++) {
            this.port = await freePort();
            this.wsLog = [];
            const ws = spawn(COCKPIT_WS, ["--no-tls", "--address", "127.0.0.1", "--port", String(this.port),
                `--local-session=${this.wrapper}`], { stdio: ["ignore", "pipe", "pipe"] });
            this.ws = ws;
            for (const stream of [ws.stdout, ws.stderr])
                stream.on("data", chunk => this.wsLog.push(chunk.toString()));
            let exited = false;
            ws.once("exit", () => { exited = true });
            const deadline = Date.now() + 10000;
            while (!exited && Date.now() < deadline) {
                if (await canConnect(this.port))
                    return;
                await sleep(20);
            }
            await this.stopWs();
            if (!exited)
                throw new Error(`cockpit-ws did not listen on ${this.port} within 10 s: ${this.wsLog.join("")}`);
            // exited early (port taken between our check and its bind?): try another port
        }
        throw new Error(`cockpit-ws kept failing to start: ${this.wsLog.join("")}`);
    }

    async stopWs() {
        const ws = this.ws;
        this.ws = null;
        if (!ws || ws.exitCode !== null || ws.signalCode !== null)
            return;
        const gone = new Promise(resolve => ws.once("exit", resolve));
        ws.kill("SIGTERM");
        const timer = setTimeout(() => { if (isAlive(ws.pid)) ws.kill("SIGKILL") }, 3000);
        await gone;
        clearTimeout(timer);
    }

    /** A new page (own browser context) that records errors of the gateways frame. */
    async newPage({ colorScheme = "light", viewport = { width: 1280, height: 800 }, locale = "en-US" } = {}) {
        if (!this.browser)
            throw new Error("session started without a browser");
        const context = await this.browser.newContext({ viewport, colorScheme, locale });
        await context.addInitScript(recordFrameErrors);
        const page = await context.newPage();
        const errors = trackFrameErrors(page);
        return { context, page, errors };
    }

    /**
     * Open the shell at /gateways and wait for our iframe to have loaded.
     * Returns { context, page, frame (FrameLocator), errors } — errors() lists the gateways frame's
     * console errors and uncaught exceptions so far.
     */
    async openGateways(pageOpts = {}) {
        const p = await this.newPage(pageOpts);
        await p.page.goto(this.url("/gateways"));
        const frame = p.page.frameLocator(`iframe[name="${GATEWAYS_FRAME}"]`);
        await frame.locator("body").waitFor({ state: "attached", timeout: 30000 });
        return { ...p, frame };
    }

    /** Run a command inside a lab namespace (synchronously): { status, stdout, stderr }. */
    labRun(node, ...argv) {
        return spawnSync("ip", ["netns", "exec", this.ns(node), ...argv], { encoding: "utf8", timeout: 60000 });
    }

    /** True if `node` gets any echo reply from `address` (ping -4/-6 by family). */
    ping(node, address, { count = 1, timeout = 1 } = {}) {
        const argv = ["ping", net.isIPv6(address) ? "-6" : "-4", "-n", "-q", "-c", String(count), "-W", String(timeout)];
        if (count > 1)
            argv.push("-i", "0.2");
        const r = this.labRun(node, ...argv, address);
        const m = /(\d+) (?:packets )?received/.exec(r.stdout || "");
        return Boolean(m && Number(m[1]) > 0);
    }

    /** The helper's files under --root, e.g. s.rootFile("etc/cockpit-gateways/config.json"). */
    rootFile(rel) {
        return path.join(this.root, rel);
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
            await this.stopWs();
            this.closeSync();
        }
    }

    /** Synchronous part of the teardown, safe to call more than once and from process 'exit'. */
    closeSync() {
        this.closed = true;
        if (this.ws && this.ws.exitCode === null && this.ws.signalCode === null) {
            try { process.kill(this.ws.pid, "SIGKILL") } catch { /* gone already */ }
        }
        if (this.labUp) {
            this.labUp = false;
            try { gwlab("down", this.prefix) } catch (e) { console.error(String(e)) }
        }
        if (this.tmpdir) {
            fs.rmSync(this.tmpdir, { recursive: true, force: true });
            this.tmpdir = null;
        }
        liveSessions.delete(this);
    }
}

export function sh(s) {
    return "'" + String(s).replace(/'/g, "'\\''") + "'";
}

// --- error tracking for the gateways frame -------------------------------------------------------
// Cockpit's own shell logs unrelated errors in this environment (no systemd, no system bus), so only
// errors that come from our frame count: (1) an init script in every frame whose URL is under
// /gateways/ records console.error, uncaught errors and unhandled rejections into the frame itself,
// whatever script they come from (cockpit.js included); (2) console errors and page errors whose
// source URL is under /gateways/ (e.g. "Failed to load resource" for a missing index.js, which happens
// before any script runs).
const OUR_URL = /\/gateways\//;

export function trackFrameErrors(page) {
    const seen = [];
    page.on("console", msg => {
        if (msg.type() === "error" && OUR_URL.test(msg.location().url || ""))
            seen.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", err => {
        if (OUR_URL.test(err.stack || ""))
            seen.push(`pageerror: ${err.stack || err.message}`);
    });
    page.on("requestfailed", req => {
        if (OUR_URL.test(req.frame()?.url() || "") || OUR_URL.test(req.url()))
            seen.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`);
    });
    page.on("response", res => {
        if (res.status() >= 400 && OUR_URL.test(res.url()))
            seen.push(`http ${res.status()}: ${res.url()}`);
    });
    return async () => {
        const inFrame = [];
        for (const f of page.frames()) {
            if (OUR_URL.test(f.url())) {
                try {
                    inFrame.push(...await f.evaluate(() => window.__gwErrors || []));
                } catch { /* frame navigating */ }
            }
        }
        return [...new Set([...seen, ...inFrame])];
    };
}

// Runs in every frame of the context before its scripts (CDP init script: not subject to the CSP).
// No URL check here: the shell creates its iframes as about:blank and then navigates them to the
// same origin, which keeps the Window object, and Chromium runs the init script only for the
// about:blank document. Only frames under /gateways/ are read back.
export function recordFrameErrors() {
    if (window.__gwErrors)
        return;
    const errs = [];
    Object.defineProperty(window, "__gwErrors", { value: errs });
    const orig = console.error.bind(console);
    console.error = (...args) => { errs.push("console.error: " + args.map(String).join(" ")); orig(...args) };
    window.addEventListener("error", ev => errs.push("error: " + (ev.error?.stack || ev.message)));
    window.addEventListener("unhandledrejection", ev =>
        errs.push("unhandledrejection: " + (ev.reason?.stack || ev.reason?.message || String(ev.reason))));
}

/** Go to a view of the page the way a link would (the URL), and wait for `ready()` there if given. */
export async function goToView(page, path, options = {}, ready = null, timeout = 30000) {
    const f = await gatewaysFrame(page, timeout);
    await f.evaluate(([p, o]) => cockpit.location.go(p, o), [path, options]);
    if (ready !== null)
        await ready().waitFor({ timeout });
}

/** The gateways frame as a Frame (for evaluate()), once attached. */
export async function gatewaysFrame(page, timeout = 30000) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const f = page.frame({ name: GATEWAYS_FRAME });
        if (f)
            return f;
        if (Date.now() > deadline)
            throw new Error(`no frame ${GATEWAYS_FRAME} after ${timeout} ms`);
        await sleep(50);
    }
}

/** Save a screenshot under test/artifacts/NAME.png and return the path. */
export async function screenshot(page, name, opts = {}) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true, ...opts });
    return file;
}

/**
 * Screenshot of the shell with the gateways frame grown to its whole content: PatternFly pages scroll
 * inside their own container, so a plain fullPage shot of the shell shows only the first screenful.
 * The viewport is made tall enough for the tallest scrolling element of the frame, then restored.
 */
export async function fullFrameScreenshot(page, name) {
    const f = await gatewaysFrame(page);
    const viewport = page.viewportSize();
    // grow by the largest hidden overflow of any element until nothing is hidden (margins and
    // nested scroll containers make one measurement not enough)
    let height = viewport.height;
    for (let i = 0; i < 5; i++) {
        const hidden = await f.evaluate(() =>
            Math.max(0, ...Array.from(document.querySelectorAll("*"), e => e.scrollHeight - e.clientHeight)));
        if (hidden <= 1 || height >= 8000)
            break;
        height = Math.min(height + hidden, 8000);
        await page.setViewportSize({ width: viewport.width, height });
        await sleep(100); // relayout
    }
    try {
        return await screenshot(page, name);
    } finally {
        await page.setViewportSize(viewport);
    }
}

/**
 * Switch the theme as Cockpit's shell menu does: localStorage "shell:style" (auto|light|dark), which
 * reaches our frame as a `storage` event. With { media: true } also emulate prefers-color-scheme.
 */
export async function setTheme(page, style, { media = false } = {}) {
    if (media)
        await page.emulateMedia({ colorScheme: style === "dark" ? "dark" : "light" });
// the storage event reaches every other same-origin document, our iframe included
    await page.evaluate(st => window.localStorage.setItem("shell:style", st), style);
}

// --- accessibility ------------------------------------------------------------------------------
const AXE_SOURCE = path.join(REPO_ROOT, "node_modules", "axe-core", "axe.min.js");

/**
 * Run axe-core inside the gateways frame (injected through the debugger protocol, so the page's
 * CSP does not apply) and return its serious and critical violations as readable lines.
 * `exclude`: CSS selectors of parts not to check, e.g. what an open modal hides.
 */
export async function axeViolations(page, { impacts = ["serious", "critical"], exclude = [] } = {}) {
    const f = await gatewaysFrame(page);
    if (!await f.evaluate(() => typeof window.axe === "object"))
        await f.evaluate(fs.readFileSync(AXE_SOURCE, "utf8"));
    return await f.evaluate(async ([wanted, without]) => {
        // colours measured half-way through a transition (a theme switch, a dialog fading in) are
        // wrong: let running animations finish first (bounded: a spinner never does)
        const settled = Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
        await Promise.race([settled, new Promise(resolve => setTimeout(resolve, 2000))]);
        const context = without.length === 0 ? document : { include: [document], exclude: without.map(s => [s]) };
        const result = await window.axe.run(context, { resultTypes: ["violations"] });
        return result.violations.filter(v => wanted.includes(v.impact)).map(v =>
            `${v.impact}: ${v.id} (${v.help}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
    }, [impacts, exclude]);
}
