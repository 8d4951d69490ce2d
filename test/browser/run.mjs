#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// Runs the browser tests: every test/browser/test-*.mjs (or the files given), one after another.
// A test file registers its tests with test(name, fn) and its per-file setup/teardown with
// before(fn)/after(fn) from "./runner.mjs"; after() always runs, also when before() or a test failed.
// The last line of output is "N passed, N failed"; the exit status is 1 if anything failed. A file
// with a failure runs once more (GW_RETRIES=0: not); it passes only if all of it passes then, and
// is listed under "flaky:".
//
//   node test/browser/run.mjs                              all files
//   node test/browser/run.mjs test/browser/test-overview.mjs [--grep TEXT]

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { interrupted } from "./harness.mjs";
import { collect } from "./runner.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const TEST_TIMEOUT = Number(process.env.GW_TEST_TIMEOUT || 180) * 1000;
// GW_RETRIES=0: a failed file is not run again
const RETRIES = Number(process.env.GW_RETRIES ?? 1);

function withTimeout(promise, ms, what) {
    let timer;
    const t = new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms);
    });
    return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

function fmtError(e) {
    return (e && (e.stack || e.message)) || String(e);
}

/** One file's tests: its before(), each test, its after(). Returns the counts and failures. */
async function runFile(file, grep, attempt) {
    const name = path.basename(file);
    const out = { passed: 0, failures: [] };
    console.log(`# ${name}`);
    let suite;
    try {
        // a query makes a second attempt import a fresh instance of the file
        suite = await collect(() => import(pathToFileURL(file).href + (attempt ? `?attempt=${attempt}` : "")));
    } catch (e) {
        out.failures.push(`${name}: import`);
        console.log(`FAIL - ${name}: cannot load\n    ${fmtError(e)}`);
        return out;
    }
    const tests = suite.tests.filter(t => !grep || t.name.includes(grep));
    if (tests.length === 0)
        return out;

    let setupError = null;
    for (const fn of suite.before) {
        try {
            await withTimeout(fn(), TEST_TIMEOUT, `${name} before()`);
        } catch (e) {
            setupError = e;
            break;
        }
    }
    for (const t of tests) {
        if (interrupted())
            break;
        const start = Date.now();
        try {
            if (setupError)
                throw setupError;
            await withTimeout(t.fn(), TEST_TIMEOUT, t.name);
            out.passed++;
            console.log(`ok - ${t.name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
        } catch (e) {
            out.failures.push(`${name}: ${t.name}`);
            console.log(`FAIL - ${t.name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
            console.log(fmtError(e).split("\n").map(l => "    " + l).join("\n"));
        }
    }
    for (const fn of suite.after) {
        try {
            await withTimeout(fn(), 60000, `${name} after()`);
        } catch (e) {
            out.failures.push(`${name}: after()`);
            console.log(`FAIL - ${name} after(): ${fmtError(e)}`);
        }
    }
    return out;
}

async function main(argv) {
    let grep = null;
    const files = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--grep")
            grep = argv[++i];
        else
            files.push(path.resolve(argv[i]));
    }
    if (files.length === 0) {
        files.push(...fs.readdirSync(here).filter(f => /^test-.*\.mjs$/.test(f)).sort()
            .map(f => path.join(here, f)));
    }

    let passed = 0;
    let failed = 0;
    const failures = [];
    const flaky = [];
    for (const file of files) {
        if (interrupted())
            break;
        let run = await runFile(file, grep, 0);
        // As Cockpit's own test runner does: a file that failed runs once more, fresh (a new module
        // instance, its before() and after() again); it counts as passed only if all of it passes
        // then, and the summary names it as flaky.
        if (run.failures.length > 0 && RETRIES > 0 && !interrupted()) {
            const first = run.failures;
            console.log(`# ${path.basename(file)}: failed (${first.length}), running it once more`);
            run = await runFile(file, grep, 1);
            if (run.failures.length === 0)
                flaky.push(...first.map(f => `${f} (passed on the second run)`));
        }
        passed += run.passed;
        failed += run.failures.length;
        failures.push(...run.failures);
    }
    if (flaky.length)
        console.log(`flaky:\n${flaky.map(f => "  " + f).join("\n")}`);
    if (failures.length)
        console.log(`failed:\n${failures.map(f => "  " + f).join("\n")}`);
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(code => {
    // on SIGINT/SIGTERM the harness tears the sessions down and exits by itself with 130/143
    if (interrupted() === null)
        process.exit(code);
}, e => {
    console.error(fmtError(e));
    console.log("0 passed, 1 failed");
    process.exit(1);
});
