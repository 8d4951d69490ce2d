// SPDX-License-Identifier: LGPL-2.1-or-later
// The route lookup tells the truth, through the real Cockpit shell and the lab (issue 13):
// the seed's packet (10.0.9.2 → 10.0.2.10 arriving on eth1) is dropped by reverse-path filtering,
// the page says so and offers eth1's gateway as the fix; the fix's button opens the gateway
// dialog, whose preview lists a real TCP connection the change would cut (a second, real
// cockpit-ws on the lab host, reached from the management client c1 at 10.0.2.10: the web
// console's own kind of connection) and waits for an explicit confirmation; once applied the
// lookup says "delivered", the client behind R2 gets its pings answered, and the kernel itself
// now drops c1's packets on eth0 as the preview said.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";

import { gatewaysFrame, sleep, startSession } from "./harness.mjs";
import { axeLightAndDark } from "./keyboard.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const WS_PORT = 19190 + process.pid % 400;
const CLIENT = `
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
print(s.getsockname()[1], flush=True)
time.sleep(300)
`;
let s;
let view;
const procs = [];

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

function start(node, ...argv) {
    const proc = spawn("ip", ["netns", "exec", s.ns(node), ...argv], { stdio: ["ignore", "pipe", "ignore"] });
    procs.push(proc);
    return proc;
}

function firstLine(proc) {
    return new Promise((resolve, reject) => {
        let text = "";
        const timer = setTimeout(() => reject(new Error("no output in time")), TIMEOUT);
        proc.stdout.on("data", chunk => {
            text += chunk;
            if (text.includes("\n")) {
                clearTimeout(timer);
                resolve(text.split("\n")[0].trim());
            }
        });
        proc.on("exit", () => reject(new Error("the process ended")));
    });
}

async function waitListening(port) {
    for (let i = 0; i < 200; i++) {
        if (s.labRun("host", "ss", "-Htln", `sport = :${port}`).stdout.trim() !== "")
            return;
        await sleep(100);
    }
    throw new Error(`nothing listens on ${port}`);
}

before(async () => {
    s = await startSession({ prefix: "gwlkb" });
    // the management router knows the display network behind the host: the admin's way in
    lab("r1", "ip", "route", "add", "10.0.2.0/24", "via", "10.0.1.10");
    start("host", "/usr/lib/cockpit/cockpit-ws", "--no-tls", "--address", "0.0.0.0", "--port", String(WS_PORT));
    await waitListening(WS_PORT);
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    for (const proc of procs) {
        if (proc.exitCode === null && proc.signalCode === null)
            process.kill(proc.pid, "SIGTERM");
    }
    await s?.close();
});

async function lookup(options) {
    const f = await gatewaysFrame(view.page);
    await f.evaluate(o => cockpit.location.go(["lookup"], o), options);
}

test("the seed's packet: reverse-path filtering on eth1, the trace, the kernel's answer, the fix", async () => {
    const { page, frame } = view;
    await lookup({ to: "10.0.2.10", from: "10.0.9.2", iif: "eth1" });
    const answer = frame.locator("#gw-lookup-answer");
    await answer.getByText("Dropped on the way in by reverse-path filtering on eth1: the reply to 10.0.9.2 would leave via 10.0.1.1 on eth0, not by eth1.")
        .waitFor({ timeout: TIMEOUT });
    await frame.getByText("No route: Invalid argument (EINVAL)").waitFor({ timeout: 5000 });
    // the local table answers at once: the trace has that one rule
    await frame.getByText("The rule considered (1)").click();
    const steps = frame.locator(".gw-trace li");
    assert.equal(await steps.count(), 1);
    assert.match(await steps.nth(0).textContent(), /priority 0 from all lookup local — Table local answers: local 10\.0\.2\.10 dev eth1 table local\./);
    await frame.getByText(/The reply would leave via 10\.0\.1\.1 on eth0 \(rule 32766, table main\)/).waitFor({ timeout: 5000 });
    await axeLightAndDark(page, frame, "the lookup's verdict and trace");
    await lookup({ to: "10.0.9.2", from: "10.0.2.10" });
    await frame.getByText("Every rule considered, in order (2)").click();
    assert.match(await frame.locator(".gw-trace li").nth(0).textContent(), /Table local has no route for it: the next rule is tried\./);
    assert.match(await frame.locator(".gw-trace li").nth(1).textContent(), /priority 32766 from all lookup main — Table main answers: default via 10\.0\.1\.1 dev eth0 table main\./);
    await frame.getByRole("button", { name: "Open table main" }).first().click();
    await frame.getByRole("cell", { name: "10.0.1.0/24", exact: true }).waitFor({ timeout: TIMEOUT });
    await lookup({ to: "10.0.2.10", from: "10.0.9.2", iif: "eth1" });
    await answer.getByText(/reverse-path filtering on eth1/).waitFor({ timeout: TIMEOUT });
    // an invalid field clears the old answer
    await frame.getByRole("textbox", { name: "To" }).fill("10.0.2.300");
    await frame.getByRole("button", { name: "Look up" }).click();
    await answer.waitFor({ state: "detached", timeout: 5000 });
    await frame.getByRole("textbox", { name: "To" }).fill("10.0.2.10");
    await frame.getByRole("button", { name: "Look up" }).click();
    await answer.getByText(/reverse-path filtering on eth1/).waitFor({ timeout: TIMEOUT });
});

test("the fix opens eth1's gateway dialog; its preview lists the console-like connection it would cut and asks first", async () => {
    const { page, frame } = view;
    const client = start("c1", "/usr/bin/python3", "-c", CLIENT, "10.0.2.10", String(WS_PORT));
    const clientPort = await firstLine(client);
    assert.match(clientPort, /^\d+$/);

    await frame.getByRole("button", { name: "Set a gateway for eth1" }).click();
    const dialog = frame.getByRole("dialog", { name: "Set a gateway for eth1 (IPv4)" });
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await dialog.getByText("Live connections this change affects").waitFor({ timeout: TIMEOUT });
    await dialog.getByText(`Your web console connection (10.0.2.10:${WS_PORT} with 10.0.8.2:${clientPort}) would be cut: ` +
        "its packets arriving on eth0 would be dropped (rp-filter).").waitFor({ timeout: 5000 });
    await dialog.getByText("This change would cut your connection to this web console").waitFor({ timeout: 5000 });
    const apply = dialog.getByRole("button", { name: "Apply" });
    assert.ok(await apply.isDisabled(), "Apply is enabled before the admin confirmed");
    await axeLightAndDark(page, frame, "the gateway dialog with a connection at risk");
    await dialog.getByRole("checkbox", { name: "Apply anyway" }).check();
    assert.ok(!(await apply.isDisabled()), "Apply stays disabled after the confirmation");
    await apply.click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });

    // the prediction holds: the kernel drops c1's packets on eth0 now; the seed's client gets in
    const proof = s.labRun("host", "ip", "route", "get", "10.0.2.10", "from", "10.0.8.2", "iif", "eth0");
    assert.notEqual(proof.status, 0);
    assert.match(proof.stderr, /Invalid argument/);
    assert.equal(s.ping("c2", "10.0.2.10", { count: 3 }), true, "the client behind R2 does not reach 10.0.2.10");

    await lookup({ to: "10.0.2.10", from: "10.0.9.2", iif: "eth1" });
    await frame.locator("#gw-lookup-answer").getByText(/it is delivered to this host/).waitFor({ timeout: TIMEOUT });
    await frame.getByText(/checks the source \(strict\): passed/).waitFor({ timeout: 5000 });
    assert.equal(await frame.getByRole("button", { name: "Set a gateway for eth1" }).count(), 0);
});

test("the gateways frame logged no errors", async () => {
    const errors = await view.errors();
    assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
});
