#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// The browser part of the scale benchmark (bench_scale.py --browser): with the big lab up, start
// cockpit-ws (local session, bridge inside NAMESPACE) and headless Chromium as the browser tests
// do, open the page and measure
//   tables   navigation to /gateways#/tables → the tables list with the big table's count shown
//   window   "Open table" clicked → the first route of the big table shown
//   heap     JS heap after that: the whole tab (shell + page, CDP Performance.getMetrics after a
//            GC), and the page alone, loaded directly (/cockpit/@localhost/gateways/index.html)
// Prints one JSON document on stdout. Processes it starts are stopped by PID.
//
//   node test/bench/bench_browser.mjs --ns gwscale-host --root DIR --table 2000 --count 1000000 --first 20.0.0.0

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";

import { chromium } from "playwright-core";
import { CHROMIUM, COCKPIT_WS, DIST, GATEWAYS_FRAME, freePort, sleep } from "../browser/harness.mjs";

const TIMEOUT = 120000;

function option(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
}

const ns = option("ns", "gwscale-host");
const table = option("table", "2000");
const count = option("count", "1000000");
const first = option("first", "20.0.0.0");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-browser-"));
const root = option("root", path.join(tmp, "root"));
let ws = null;
let browser = null;

async function startWs() {
    const data = path.join(tmp, "data");
    fs.mkdirSync(path.join(data, "cockpit"), { recursive: true });
    fs.symlinkSync(DIST, path.join(data, "cockpit", "gateways"));
    fs.mkdirSync(root, { recursive: true });
    const wrapper = path.join(tmp, "session");
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${ns}' env XDG_DATA_HOME='${data}' COCKPIT_GATEWAYS_ROOT='${root}' cockpit-bridge\n`,
                     { mode: 0o755 });
    const port = await freePort();
    ws = spawn(COCKPIT_WS, ["--no-tls", "--address", "127.0.0.1", "--port", String(port), `--local-session=${wrapper}`],
               { stdio: "ignore" });
    await sleep(300);
    return `http://127.0.0.1:${port}`;
}

async function heapMB(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.enable");
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const used = metrics.find(m => m.name === "JSHeapUsedSize")?.value ?? NaN;
    await cdp.detach();
    return used / 1024 / 1024;
}

async function main() {
    const base = await startWs();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
    const result = { table: Number(table), count: Number(count) };

    // through the shell, as an admin opens it
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${base}/gateways#/tables`);
    const frame = page.frameLocator(`iframe[name="${GATEWAYS_FRAME}"]`);
    const link = frame.getByRole("link", { name: `Open table ${table}` });
    const row = frame.getByRole("row").filter({ has: link });
    await row.getByText(count, { exact: true }).waitFor({ timeout: TIMEOUT });
    result.tables_list_s = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    await link.click();
    await frame.getByRole("cell", { name: first, exact: true }).waitFor({ timeout: TIMEOUT });
    result.first_window_s = (Date.now() - t1) / 1000;
    await sleep(500);
    result.heap_tab_mb = await heapMB(page);
    await context.close();

    // the page alone (its own document, own WebSocket): its heap without the shell's
    const direct = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const solo = await direct.newPage();
    await solo.goto(`${base}/cockpit/@localhost/gateways/index.html#/tables?table=${table}`);
    await solo.getByRole("cell", { name: first, exact: true }).waitFor({ timeout: TIMEOUT });
    await sleep(500);
    result.heap_page_mb = await heapMB(solo);
    await direct.close();
    return result;
}

function cleanup() {
    if (ws !== null && ws.exitCode === null) {
        try { process.kill(ws.pid, "SIGTERM") } catch { /* gone */ }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
}

for (const sig of ["SIGINT", "SIGTERM"])
    process.on(sig, () => { cleanup(); process.exit(130) });

main().then(async result => {
    await browser?.close();
    cleanup();
    console.log(JSON.stringify(result));
}, async e => {
    await browser?.close().catch(() => {});
    cleanup();
    console.error(`bench_browser: ${e.stack || e}`);
    process.exit(1);
});
