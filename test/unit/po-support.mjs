// SPDX-License-Identifier: LGPL-2.1-or-later
// File access for the po unit tests (the tests are type-checked without Node's types).

import fs from "node:fs";
import zlib from "node:zlib";

/** The host's cockpit.js (Debian: gzipped in /usr/share/cockpit/base1), or null when not installed. */
export function cockpitJs() {
    for (const file of ["/usr/share/cockpit/base1/cockpit.js", "/usr/share/cockpit/base1/cockpit.js.gz"]) {
        if (fs.existsSync(file)) {
            const data = fs.readFileSync(file);
            return (file.endsWith(".gz") ? zlib.gunzipSync(data) : data).toString("utf-8");
        }
    }
    return null;
}

/** A file's text, or null. */
export function readText(file) {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf-8") : null;
}
