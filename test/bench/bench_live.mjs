#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// Live refresh under churn (issue 14), the page open in Chromium through cockpit-ws with the
// bridge in the lab's host namespace, and FOREIGN foreign routes in table 100:
//   latency  `set eth1 10.0.2.1` on the command line returned → the page shows eth1 "Active" (and
//            `unset` → "Off"), while table
//            100 changes RATE times a second (0, 10, 50, 200); median of --repeat (target ≤ 1 s)
//   cpu      what the page costs the host over --seconds at 50 events/s: the bridge, the helper
//            runs it waited for and the ip monitor it keeps (utime+stime, incl. reaped children,
//            from /proc) as a share of one core (target ≤ 10 %)
// Figures, not assertions: prints each with its target and PASS/MISS, and one JSON line last.
//
//   node test/bench/bench_live.mjs [--routes 200000] [--repeat 3] [--seconds 60]

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

import { REPO_ROOT, sleep, startSession } from "../browser/harness.mjs";

function option(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROUTES = option("routes", 200000);
const REPEAT = option("repeat", 3);
const SECONDS = option("seconds", 60);
const TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const s = await startSession({ prefix: "gwbliv" });
let churn = null;
try {
    // the foreign routes: one ip -batch
    const lines = [];
    for (let i = 0; i < ROUTES; i++)
        lines.push(`route add 30.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 via 10.0.1.1 table 101`);
    const add = spawnSync("ip", ["netns", "exec", s.ns("host"), "ip", "-batch", "-"], { input: lines.join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 26 });
    if (add.status !== 0)
        throw new Error(`adding ${ROUTES} routes failed: ${add.stderr}`);

    const view = await s.openGateways();
    const { frame } = view;
    const row = frame.getByRole("row").filter({ has: frame.getByRole("rowheader", { name: "eth1 IPv4", exact: true }) });
    await row.waitFor({ timeout: 60000 });

    const helper = (...args) => {
        const r = s.labRun("host", "/usr/bin/python3", `${REPO_ROOT}/src/helper/cockpit-gateways`, "--root", s.root, ...args);
        if (r.status !== 0)
            throw new Error(`helper ${args.join(" ")}: ${r.stderr}`);
    };

    const startChurn = rate => {
        if (rate === 0)
            return { stop() {} };
        const proc = spawn("ip", ["netns", "exec", s.ns("host"), "ip", "-batch", "-"], { stdio: ["pipe", "ignore", "ignore"] });
        let i = 0;
        const per = Math.max(1, Math.round(rate / 100)); // timers fire at most ~every 10 ms
        const timer = setInterval(() => {
            let text = "";
            for (let k = 0; k < per; k++, i++) {
                const net = `10.77.${i % 200}.0/24`;
                text += i % 400 < 200 ? `route replace ${net} via 10.0.1.1 table 100\n` : `route del ${net} table 100\n`;
            }
            proc.stdin.write(text);
        }, 1000 * per / rate);
        return { stop() { clearInterval(timer); proc.stdin.end(); proc.kill() } };
    };

    const latency = {};
    for (const rate of [0, 10, 50, 200]) {
        churn = startChurn(rate);
        await sleep(2000);
        const samples = [];
        for (let k = 0; k < REPEAT; k++) {
            // from the moment the command returned (the change is in the kernel) to the page showing it
            helper("set", "eth1", "10.0.2.1");
            let t0 = Date.now();
            await row.getByText("Active").waitFor({ timeout: 60000 });
            samples.push((Date.now() - t0) / 1000);
            helper("unset", "eth1");
            t0 = Date.now();
            await row.getByText("Off").waitFor({ timeout: 60000 });
            samples.push((Date.now() - t0) / 1000);
        }
        churn.stop();
        churn = null;
        latency[rate] = median(samples);
    }

    // CPU at 50 events/s: the bridge's own time and that of the children it reaped (helper runs),
    // plus its live children (ip monitor)
    const pids = () => spawnSync("ip", ["netns", "pids", s.ns("host")], { encoding: "utf8" }).stdout.split(/\s+/).filter(Boolean);
    const stat = pid => {
        try {
            const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
            return { comm: text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")), ppid: f[1], ticks: +f[11] + +f[12], children: +f[13] + +f[14] };
        } catch {
            return null;
        }
    };
    const bridge = pids().find(p => stat(p)?.comm === "cockpit-bridge");
    const usage = () => {
        let total = stat(bridge).ticks + stat(bridge).children;
        for (const p of pids()) {
            const st = stat(p);
            if (st && st.ppid === bridge)
                total += st.ticks;
        }
        return total;
    };
    churn = startChurn(50);
    await sleep(2000);
    const u0 = usage();
    const t0 = Date.now();
    await sleep(SECONDS * 1000);
    const cpu = (usage() - u0) / TICKS / ((Date.now() - t0) / 1000);
    churn.stop();
    churn = null;

    console.log(`cockpit-gateways live benchmark: ${ROUTES.toLocaleString()} foreign routes in table 101, churn in table 100`);
    for (const rate of Object.keys(latency))
        console.log(`  ${latency[rate] <= 1 ? "PASS" : "MISS"}  command-line set/unset → page, at ${rate} events/s: ${latency[rate].toFixed(2)} s (median of ${2 * REPEAT}; target ≤ 1 s)`);
    console.log(`  ${cpu <= 0.1 ? "PASS" : "MISS"}  page's bridge + helper runs + ip monitor at 50 events/s over ${SECONDS} s: ${(cpu * 100).toFixed(1)} % of one core (target ≤ 10 %)`);
    console.log("load average:", fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "));
    console.log(JSON.stringify({ routes: ROUTES, latency_s: latency, cpu_share: cpu }));
} finally {
    churn?.stop();
    await s.close();
}
