// SPDX-License-Identifier: LGPL-2.1-or-later
// Every view at 360 px, 1280x800 and 4K (3840x2160): nothing wider than the window or than its
// card (the Networks table once was at 1280 px), in English and, at 1280 px, in German; axe in
// light and dark on every view (a table open, a lookup with its answer). Screenshots:
// layout-VIEW-WIDTH[-de].png, and the README's (readme-*.png, 1280x800).

import assert from "node:assert/strict";

import { GATEWAYS_FRAME, gatewaysFrame, screenshot, sleep, startSession } from "./harness.mjs";
import { axeLightAndDark, overflow } from "./keyboard.mjs";
import { after, before, test } from "./runner.mjs";

const TIMEOUT = 30000;
const WIDTHS = [[360, 800], [1280, 800], [3840, 2160]];
let s;

function lab(node, ...argv) {
    const r = s.labRun(node, ...argv);
    assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

const helper = (...args) => lab("host", "/usr/bin/python3", "src/helper/cockpit-gateways", "--root", s.root, ...args);

// each view: how to get there (the URL), and what shows it is there, in English and German
const VIEWS = [
    { name: "networks", path: [], options: {}, ready: { en: ["table", "Networks"], de: ["table", "Netzwerke"] } },
    { name: "table", path: ["tables"], options: { table: "300" },
      ready: { en: ["table", "Routes of table 300"], de: ["table", "Routen der Tabelle 300"] } },
    { name: "rules", path: ["rules"], options: {}, ready: { en: ["table", "IPv4 rules"], de: ["table", "IPv4-Regeln"] } },
    { name: "lookup", path: ["lookup"], options: { to: "10.0.9.2", from: "10.0.2.10" },
      ready: { en: ["status", null], de: ["status", null] } },
];

before(async () => {
    s = await startSession({ prefix: "gwlay" });
    for (let i = 1; i <= 40; i++)
        lab("host", "ip", "route", "add", `172.16.${i}.0/24`, "via", "10.0.2.1", "proto", "static", "metric", String(i), "table", "300");
    lab("host", "ip", "rule", "add", "priority", "1500", "from", "10.0.5.0/24", "table", "300");
    helper("set", "eth1", "10.0.2.1");
});

after(async () => {
    await s?.close();
});

async function open(locale) {
    const view = await s.newPage({ locale });
    await view.page.goto(s.url("/gateways"));
    view.frame = view.page.frameLocator(`iframe[name="${GATEWAYS_FRAME}"]`);
    await view.frame.getByRole("table", { name: locale.startsWith("de") ? "Netzwerke" : "Networks" }).waitFor({ timeout: TIMEOUT });
    return view;
}

async function show(view, v, lang) {
    const f = await gatewaysFrame(view.page);
    await f.evaluate(([path, options]) => cockpit.location.go(path, options), [v.path, v.options]);
    const [role, name] = v.ready[lang];
    const target = name === null ? view.frame.getByRole(role).first() : view.frame.getByRole(role, { name });
    await target.waitFor({ timeout: TIMEOUT });
    if (v.name === "table")
        await view.frame.getByRole("cell", { name: "172.16.1.0/24", exact: true }).waitFor({ timeout: TIMEOUT });
    if (v.name === "lookup")
        await view.frame.locator("#gw-lookup-answer")        // translated: "… über 10.0.2.1 auf eth1 …"
            .getByText(lang === "de" ? /10\.0\.2\.1 auf eth1/ : /10\.0\.2\.1 on eth1/).waitFor({ timeout: TIMEOUT });
    await sleep(200); // layout settles (resize observers)
}

async function assertFits(view, what) {
    const o = await overflow(view.page);
    assert.ok(o.page <= 0, `${what}: the page is ${o.page} px wider than the window`);
    assert.ok(o.card <= 0, `${what}: content is ${o.card} px wider than its card`);
}

test("English: every view fits 360 px, 1280 px and 4K; axe light and dark; README screenshots", async () => {
    const view = await open("en-US");
    try {
        for (const [width, height] of WIDTHS) {
            await view.page.setViewportSize({ width, height });
            for (const v of VIEWS) {
                await show(view, v, "en");
                await screenshot(view.page, `layout-${v.name}-${width}`, { fullPage: false });
                await assertFits(view, `${v.name} at ${width} px`);
                if (width === 1280) {
                    await view.page.mouse.move(700, 50); // the shell's empty top bar: no hover anywhere
                    if (v.name === "lookup")
                        await view.frame.locator(".gw-facts").evaluate(el => el.scrollIntoView({ block: "end" }));
                    await screenshot(view.page, `readme-${v.name}`, { fullPage: false });
                    await axeLightAndDark(view.page, view.frame, `the ${v.name} view`, {
                        shoot: v.name === "networks" ? () => screenshot(view.page, "readme-networks-dark", { fullPage: false }) : null,
                    });
                }
            }
        }
        const errors = await view.errors();
        assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
    } finally {
        await view.context.close();
    }
});

test("German: every view fits 1280 px and 360 px (longer words)", async () => {
    const view = await open("de-DE");
    try {
        for (const [width, height] of [[1280, 800], [360, 800]]) {
            await view.page.setViewportSize({ width, height });
            for (const v of VIEWS) {
                await show(view, v, "de");
                await screenshot(view.page, `layout-${v.name}-${width}-de`, { fullPage: false });
                await assertFits(view, `${v.name} at ${width} px in German`);
            }
        }
        const errors = await view.errors();
        assert.deepEqual(errors, [], `errors in the gateways frame:\n${errors.join("\n")}`);
    } finally {
        await view.context.close();
    }
});
