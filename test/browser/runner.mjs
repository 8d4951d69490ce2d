// SPDX-License-Identifier: LGPL-2.1-or-later
// The tiny test API of the browser tests (run by run.mjs):
//
//   import { test, before, after } from "./runner.mjs";
//   before(async () => { ... });           // per file, in order
//   test("shows eth0", async () => { ... });
//   after(async () => { ... });            // always runs, also after a failure
//
// Assertions: node:assert/strict.

let current = null;

export function test(name, fn) {
    if (!current)
        throw new Error("test() called outside of run.mjs collecting a file");
    current.tests.push({ name, fn });
}

export function before(fn) {
    current.before.push(fn);
}

export function after(fn) {
    current.after.push(fn);
}

/** Run `load` (which imports one test file) and return what it registered. */
export async function collect(load) {
    current = { tests: [], before: [], after: [] };
    try {
        await load();
        return current;
    } finally {
        current = null;
    }
}
