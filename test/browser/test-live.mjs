// SPDX-License-Identifier: LGPL-2.1-or-later
// Live refresh under churn: with an unrelated table changing 50 times a second (a BGP feed, a busy
// container host), a gateway set on the command line still shows in the page (the refresh cannot
// be postponed by a steady trickle of events), and the churn makes a bounded number of helper runs.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";

import { REPO_ROOT, gatewaysFrame, sleep, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
let s;
let view;
let churn = null;

before(async () => {
    s = await startSession({ prefix: "gwlive" });
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    churn?.kill();
    await s?.close();
});

/** Route events in table 100 at `rate` per second, through one `ip -batch -` fed line by line. */
function startChurn(rate) {
    const proc = spawn("ip", ["netns", "exec", s.ns("host"), "ip", "-batch", "-"], { stdio: ["pipe", "ignore", "ignore"] });
    let i = 0;
    const timer = setInterval(() => {
        const net = `10.77.${i % 200}.0/24`;
        proc.stdin.write(i % 400 < 200 ? `route replace ${net} via 10.0.1.1 table 100\n` : `route del ${net} table 100\n`);
        i++;
    }, 1000 / rate);
    return { kill: () => { clearInterval(timer); proc.stdin.end(); proc.kill() }, count: () => i };
}

/** Count the page's helper runs by command (cockpit.spawn inside the gateways frame). */
async function countSpawns() {
    const f = await gatewaysFrame(view.page);
    await f.evaluate(() => {
        const spawn = cockpit.spawn;
        window.__gwSpawns = [];
        cockpit.spawn = function (args, options) {
            window.__gwSpawns.push(args.slice(3, 6).join(" "));
            return spawn.call(this, args, options);
        };
    });
    return async () => await f.evaluate(() => window.__gwSpawns.slice());
}

test("50 route events/s in another table: a gateway set on the command line shows; the churn runs no status", async () => {
    const runs = await countSpawns();
    churn = startChurn(50);
    await sleep(3000);
    const during = (await runs()).filter(r => r.startsWith("status"));
    assert.deepEqual(during, [], "another table's churn made the Networks view re-read the host");

    const r = s.labRun("host", "/usr/bin/python3", `${REPO_ROOT}/src/helper/cockpit-gateways`, "--root", s.root, "set", "eth1", "10.0.2.1");
    assert.equal(r.status, 0, r.stderr);
    const row = view.frame.getByRole("row").filter({ has: view.frame.getByRole("rowheader", { name: "eth1 IPv4", exact: true }) });
    // a debounce that restarts on every event would wait for a pause that never comes
    await row.getByText("Active").waitFor({ timeout: 10000 });
    const statusRuns = (await runs()).filter(x => x.startsWith("status")).length;
    assert.ok(statusRuns >= 1 && statusRuns <= 4, `${statusRuns} status runs for one change under churn`);
    assert.ok(churn.count() > 100, "the churn did not run");
    churn.kill();
    churn = null;
});

test("the Routing tables view follows the churn with bounded reads", async () => {
    await view.frame.getByRole("link", { name: "Routing tables" }).click();
    await view.frame.getByRole("table", { name: "Routing tables" }).waitFor({ timeout: TIMEOUT });
    const runs = await countSpawns();
    churn = startChurn(50);
    await sleep(6000);
    churn.kill();
    churn = null;
    const statusRuns = (await runs()).filter(x => x.startsWith("status")).length;
    // route-only changes wait up to 2 s: 6 s of churn is a handful of reads, not 300
    assert.ok(statusRuns >= 1 && statusRuns <= 6, `${statusRuns} status runs for 6 s of churn`);
});
