// SPDX-License-Identifier: LGPL-2.1-or-later
// Issue 17, "Add route / Add rule offer every field the helper supports" and "name a new table":
// each new field is filled in the real page and read back from the lab host's kernel (`ip -j`);
// bad input is refused at its field with nothing changed; a named table shows its name in the list.

import assert from "node:assert/strict";
import fs from "node:fs";

import { goToView, screenshot, setTheme, startSession } from "./harness.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const NAMES = "etc/iproute2/rt_tables.d/cockpit-gateways-names.conf";
let s;
let view;

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}
const ipJson = (...argv) => JSON.parse(lab("host", "ip", "-j", ...argv) || "[]");
/** Every rule and route of the lab host: what a refused change must leave as it was. */
const kernelState = () => ["-4", "-6"].map(f => lab("host", "ip", "-j", f, "rule", "show") + lab("host", "ip", "-j", f, "route", "show", "table", "all")).join("\n");

before(async () => {
    s = await startSession({ prefix: "gwfld" });
    lab("host", "ip", "route", "add", "10.50.0.0/16", "via", "10.0.2.1", "table", "300");
    view = await s.openGateways();
    await view.frame.getByRole("table", { name: "Networks" }).waitFor({ timeout: TIMEOUT });
});

after(async () => {
    await s?.close();
});

/** Go to a view the way a link would (the URL), and wait for `ready` there. */
const go = (path, options, ready) => goToView(view.page, path, options, ready, TIMEOUT);

/** Open a dialog from a button of the current view; returns the dialog. */
async function openDialog(button) {
    await view.frame.getByRole("button", { name: button, exact: true }).click();
    const dialog = view.frame.getByRole("dialog");
    await dialog.waitFor({ timeout: TIMEOUT });
    return dialog;
}

/** Open "More options" in a dialog (once). */
async function more(dialog) {
    const details = dialog.locator("details.gw-more");
    if (await details.getAttribute("open") === null)
        await details.locator("summary").click();
}

/** The exact command of the preview, once it is there. */
async function previewCommand(dialog, pattern) {
    await dialog.getByText("Show the exact commands").click();
    const pre = dialog.locator(".gw-commands");
    await pre.filter({ hasText: pattern }).waitFor({ timeout: TIMEOUT });
    return pre.textContent();
}

async function apply(dialog, label) {
    const button = dialog.getByRole("button", { name: label, exact: true });
    for (let i = 0; i < 300 && !await button.isEnabled(); i++)
        await view.page.waitForTimeout(100);
    await button.click();
    await dialog.waitFor({ state: "detached", timeout: 60000 });
}

test("Add route: device from a list, source, scope, protocol and on-link reach the kernel", async () => {
    const { frame } = view;
    await go(["tables"], { table: "300" }, () => frame.getByRole("button", { name: "Add route" }));
    let dialog = await openDialog("Add route");
    const devices = await dialog.getByRole("combobox", { name: "Device" }).locator("option").evaluateAll(o => o.map(e => e.value));
    assert.equal(devices[0], "", "no device is the first choice");
    assert.ok(devices.includes("eth0") && devices.includes("eth1"), devices.join(","));
    // the rare fields are out of the way until asked for
    assert.equal(await dialog.getByRole("textbox", { name: "Source address" }).isVisible(), false);
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.140.0.0/16");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await dialog.getByRole("combobox", { name: "Device" }).selectOption("eth1");
    await dialog.getByRole("textbox", { name: "Metric" }).fill("42");
    await more(dialog);
    await dialog.getByRole("textbox", { name: "Source address" }).fill("10.0.2.10");
    await dialog.getByRole("textbox", { name: "Protocol" }).fill("bird");
    await screenshot(view.page, "ux-fields-route", { fullPage: false });
    const command = await previewCommand(dialog, /src 10\.0\.2\.10/);
    assert.match(command, /route add 10\.140\.0\.0\/16 via 10\.0\.2\.1 dev eth1 table 300 proto 12 src 10\.0\.2\.10 metric 42/);
    await apply(dialog, "Add route");
    assert.deepEqual(ipJson("route", "show", "table", "300", "10.140.0.0/16").map(r => [r.gateway, r.dev, r.prefsrc, r.protocol, r.metric]),
                     [["10.0.2.1", "eth1", "10.0.2.10", "bird", 42]]);

    // scope: a device route the kernel would otherwise give scope link
    dialog = await openDialog("Add route");
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.141.0.0/16");
    await dialog.getByRole("combobox", { name: "Device" }).selectOption("eth1");
    await more(dialog);
    await dialog.getByRole("combobox", { name: "Scope" }).selectOption("host");
    await previewCommand(dialog, /scope host/);
    await apply(dialog, "Add route");
    assert.deepEqual(ipJson("route", "show", "table", "300", "10.141.0.0/16").map(r => [r.dev, r.scope, r.protocol]),
                     [["eth1", "host", "static"]]);

    // on-link: a gateway off eth1's subnet
    dialog = await openDialog("Add route");
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.142.0.0/16");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.5.1");
    await dialog.getByRole("combobox", { name: "Device" }).selectOption("eth1");
    await dialog.getByRole("checkbox", { name: "On-link" }).check();
    await previewCommand(dialog, /onlink/);
    await apply(dialog, "Add route");
    const onlink = ipJson("route", "show", "table", "300", "10.142.0.0/16");
    assert.equal(onlink.length, 1);
    assert.ok(onlink[0].flags.includes("onlink"), JSON.stringify(onlink));
    for (const dst of ["10.140.0.0/16", "10.141.0.0/16", "10.142.0.0/16"])
        lab("host", "ip", "route", "del", dst, "table", "300");
});

test("Add rule: outgoing device, not, IP protocol, ports, uid range, action and the asked family reach the kernel", async () => {
    const { frame } = view;
    await go(["rules"], {}, () => frame.getByRole("button", { name: "Add rule" }));
    let dialog = await openDialog("Add rule");
    await dialog.getByRole("textbox", { name: "Priority" }).fill("1710");
    await dialog.getByRole("combobox", { name: "Table" }).fill("300");
    // no address: the family is asked
    await dialog.getByText("No address says which: choose.").waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("combobox", { name: "Family" }).selectOption("inet6");
    await more(dialog);
    await dialog.getByRole("combobox", { name: "Outgoing device" }).selectOption("eth1");
    await dialog.getByRole("textbox", { name: "IP protocol" }).fill("tcp");
    await dialog.getByRole("textbox", { name: "Source ports" }).fill("1024-2048");
    await dialog.getByRole("textbox", { name: "Destination ports" }).fill("443");
    await dialog.getByRole("textbox", { name: "User ids" }).fill("1000-1999");
    await dialog.getByRole("checkbox", { name: "Invert the match (not)" }).check();
    await screenshot(view.page, "ux-fields-rule", { fullPage: false });
    await previewCommand(dialog, /uidrange 1000-1999/);
    await apply(dialog, "Add rule");
    const [rule, ...others] = ipJson("-6", "rule", "show", "priority", "1710");
    assert.equal(others.length, 0);
    assert.deepEqual([rule.not, rule.oif, rule.ipproto, rule.sport_start, rule.sport_end, rule.dport, rule.uid_start, rule.uid_end, rule.table],
                     [null, "eth1", "tcp", 1024, 2048, 443, 1000, 1999, "300"]);
    assert.ok("not" in rule, JSON.stringify(rule));
    assert.deepEqual(ipJson("-4", "rule", "show", "priority", "1710"), [], "added for IPv4 too");

    // an action instead of a table
    dialog = await openDialog("Add rule");
    await dialog.getByRole("textbox", { name: "Priority" }).fill("1711");
    await dialog.getByRole("textbox", { name: "From" }).fill("10.0.7.0/24");
    await dialog.getByRole("combobox", { name: "Action" }).selectOption("prohibit");
    assert.equal(await dialog.getByRole("combobox", { name: "Table" }).count(), 0, "a table is asked for an action");
    await previewCommand(dialog, /prohibit/);
    await apply(dialog, "Add rule");
    assert.deepEqual(ipJson("rule", "show", "priority", "1711").map(r => [r.src, r.srclen, r.action]), [["10.0.7.0", 24, "prohibit"]]);
    lab("host", "ip", "-6", "rule", "del", "priority", "1710");
    lab("host", "ip", "rule", "del", "priority", "1711");
});

test("bad input is refused at its field (Add route, Add rule, Name a table) and nothing changes", async () => {
    const { frame } = view;
    const before = kernelState();
    await go(["tables"], { table: "300" }, () => frame.getByRole("button", { name: "Add route" }));
    let dialog = await openDialog("Add route");
    await dialog.getByRole("textbox", { name: "Destination" }).fill("10.143.0.0/16");
    await dialog.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await more(dialog);
    const cases = [
        ["Source address", "10.0.2.99", "#gw-route-src-help", "10.0.2.99 is not an address of this host."],
        ["Source address", "fd00:2::10", "#gw-route-src-help", "The destination is IPv4: enter an IPv4 address."],
        ["Protocol", "248", "#gw-route-proto-help", "248 is cockpit-gateways' own marker; choose another."],
        ["Protocol", "nosuch", "#gw-route-proto-help", "Enter a protocol name such as static, or 0-255."],
    ];
    for (const [label, value, help, message] of cases) {
        const box = dialog.getByRole("textbox", { name: label });
        await box.fill(value);
        await dialog.locator(help).getByText(message).waitFor({ timeout: TIMEOUT });
        assert.equal(await box.getAttribute("aria-invalid"), "true");
        assert.equal(await dialog.getByRole("button", { name: "Add route", exact: true }).isEnabled(), false, `${label} ${value}`);
        await box.fill("");
    }
    assert.equal(await dialog.locator(".gw-dialog-error").count(), 0, "an error at the top of the dialog");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });

    await go(["rules"], {}, () => frame.getByRole("button", { name: "Add rule" }));
    dialog = await openDialog("Add rule");
    await dialog.getByRole("textbox", { name: "Priority" }).fill("1712");
    await dialog.getByRole("combobox", { name: "Table" }).fill("300");
    await more(dialog);
    const ruleCases = [
        ["Destination ports", "65535", "#gw-rule-dport-help", "Enter a port or range such as 8000-8080 (1-65534)."],
        ["Source ports", "2048-1024", "#gw-rule-sport-help", "Enter a port or range such as 8000-8080 (1-65534)."],
        ["User ids", "5-1", "#gw-rule-uidrange-help", "Enter a user id or a range such as 1000-1999."],
        ["IP protocol", "tcpx", "#gw-rule-ipproto-help", "Enter tcp, udp, icmp, icmpv6, sctp or 0-255."],
    ];
    for (const [label, value, help, message] of ruleCases) {
        const box = dialog.getByRole("textbox", { name: label });
        await box.fill(value);
        await dialog.locator(help).getByText(message).waitFor({ timeout: TIMEOUT });
        assert.equal(await dialog.getByRole("button", { name: "Add rule", exact: true }).isEnabled(), false, `${label} ${value}`);
        await box.fill("");
    }
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });

    await go(["tables"], {}, () => frame.getByRole("button", { name: "Name a table…" }));
    dialog = await openDialog("Name a table…");
    const nameCases = [
        ["Table number", "254", "#gw-tname-number-help", /^Table 254 is reserved or named already/],
        ["Table number", "10001", "#gw-tname-number-help", /^Table 10001 is reserved or named already \(ours: 10000-19999\)/],
        ["Name", "gw-x", "#gw-tname-name-help", "gw-x is reserved or in use."],
        ["Name", "main", "#gw-tname-name-help", "main is reserved or in use."],
        ["Name", "a b", "#gw-tname-name-help", "Use 1-32 letters, digits, _ . or -, starting with a letter."],
    ];
    await dialog.getByRole("textbox", { name: "Table number" }).fill("300");
    await dialog.getByRole("textbox", { name: "Name" }).fill("ok");
    for (const [label, value, help, message] of nameCases) {
        const box = dialog.getByRole("textbox", { name: label });
        const good = await box.inputValue();
        await box.fill(value);
        await dialog.locator(help).getByText(message).waitFor({ timeout: TIMEOUT });
        assert.equal(await dialog.getByRole("button", { name: "Name table", exact: true }).isEnabled(), false, `${label} ${value}`);
        await box.fill(good);
    }
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    assert.equal(kernelState(), before, "a refused change changed the kernel");
    assert.equal(fs.existsSync(s.rootFile(NAMES)), false, "a refused name was written");
});

test("Name a table…: previewed, applied safely, and the name shows in the tables list", async () => {
    const { frame } = view;
    await go(["tables"], {}, () => frame.getByRole("button", { name: "Name a table…" }));
    const tables = frame.getByRole("table", { name: "Routing tables" });
    const dialog = await openDialog("Name a table…");
    await dialog.getByRole("textbox", { name: "Table number" }).fill("300");
    await dialog.getByRole("textbox", { name: "Name" }).fill("labnet");
    await dialog.locator(".gw-commands").filter({ hasText: /^# .*\/etc\/iproute2\/rt_tables\.d\/cockpit-gateways-names\.conf\n300\s+labnet$/ })
        .waitFor({ timeout: TIMEOUT });
    assert.equal(fs.existsSync(s.rootFile(NAMES)), false, "the preview wrote the file");
    await screenshot(view.page, "ux-fields-name-table", { fullPage: false });
    for (const [theme, width] of [["dark", 1280], ["light", 360]]) {
        await setTheme(view.page, theme, { media: true });
        await view.page.setViewportSize({ width, height: 800 });
        await screenshot(view.page, `ux-fields-name-table-${theme}-${width}`, { fullPage: false });
    }
    await setTheme(view.page, "light", { media: true });
    await view.page.setViewportSize({ width: 1280, height: 800 });
    await apply(dialog, "Name table");
    assert.match(fs.readFileSync(s.rootFile(NAMES), "utf8"), /^300\tlabnet$/m);
    assert.equal(fs.existsSync(s.rootFile("run/cockpit-gateways/pending.json")), false, "the change was not confirmed");
    await tables.getByText("labnet").waitFor({ timeout: TIMEOUT });
    // the new name is a table name everywhere: Add route takes it
    const add = await openDialog("Add route");
    await add.getByRole("combobox", { name: "Table" }).fill("labnet");
    await add.getByRole("textbox", { name: "Destination" }).fill("10.144.0.0/16");
    await add.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await previewCommand(add, /table 300/);
    await add.getByRole("button", { name: "Cancel" }).click();
    await add.waitFor({ state: "detached", timeout: TIMEOUT });

    // Add route into a new table number: the page offers to name it next
    const fresh = await openDialog("Add route");
    await fresh.getByRole("combobox", { name: "Table" }).fill("778");
    await fresh.getByText("A new table: you can name it next.").waitFor({ timeout: TIMEOUT });
    await fresh.getByRole("textbox", { name: "Destination" }).fill("10.145.0.0/16");
    await fresh.getByRole("textbox", { name: "Gateway" }).fill("10.0.2.1");
    await previewCommand(fresh, /table 778/);
    const naming = frame.getByRole("dialog", { name: "Name a table" });
    await fresh.getByRole("button", { name: "Add route", exact: true }).click();
    await naming.waitFor({ timeout: 60000 });
    assert.equal(await naming.getByRole("textbox", { name: "Table number" }).inputValue(), "778");
    await naming.getByRole("textbox", { name: "Name" }).fill("lab778");
    await naming.locator(".gw-commands").filter({ hasText: /778\s+lab778/ }).waitFor({ timeout: TIMEOUT });
    await apply(naming, "Name table");
    await tables.getByText("lab778").waitFor({ timeout: TIMEOUT });
    assert.match(fs.readFileSync(s.rootFile(NAMES), "utf8"), /^778\tlab778$/m);
    lab("host", "ip", "route", "del", "10.145.0.0/16", "table", "778");
    for (const name of ["labnet", "lab778"])
        lab("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, "table-name", "del", name);
});
