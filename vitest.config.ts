// SPDX-License-Identifier: LGPL-2.1-or-later
// Unit and component tests: test/unit/**/*.test.ts(x) in happy-dom, with the same preact aliases
// as build.js. cockpit.js is a global provided by test/unit/setup.ts, and so is a fetch of helper.py (a stub).

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
    esbuild: { jsx: "automatic", jsxImportSource: "preact" },
    resolve: {
        alias: [
            { find: /^react$/, replacement: "preact/compat" },
            { find: /^react-dom$/, replacement: "preact/compat" },
            { find: /^react-dom\/client$/, replacement: "preact/compat/client" },
            { find: /^react\/jsx-runtime$/, replacement: "preact/jsx-runtime" },
        ],
    },
    test: {
        environment: "happy-dom",
        include: ["test/unit/**/*.test.ts", "test/unit/**/*.test.tsx"],
        setupFiles: [here("./test/unit/setup.ts")],
        css: false,
        // PatternFly's ESM imports its CSS and "react": let vite transform it so the aliases apply.
        server: { deps: { inline: [/@patternfly\//] } },
        restoreMocks: true,
    },
});
