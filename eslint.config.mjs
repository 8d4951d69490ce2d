// SPDX-License-Identifier: LGPL-2.1-or-later
// Lint (`make check-lint`): ESLint's recommended rules, typescript-eslint's type-aware ones, the
// rules of hooks (with exhaustive dependency lists) and jsx-a11y, for the page, its unit tests and
// the build tooling. A rule switched off below, or for one line in the code, says why.

import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", "tmp/", "test/artifacts/"] },
    js.configs.recommended,
    {
        files: ["**/*.mjs", "**/*.js"],
        languageOptions: { globals: globals.node },
    },
    {
        // Browser tests: the functions given to page.evaluate() run in the page, with cockpit.js.
        files: ["test/browser/**", "test/bench/**"],
        languageOptions: { globals: { ...globals.node, ...globals.browser, cockpit: "readonly" } },
    },
    {
        files: ["src/**/*.{ts,tsx}", "test/unit/**/*.{ts,tsx}", "vitest.config.ts"],
        extends: [tseslint.configs.recommendedTypeChecked],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
            globals: globals.browser,
        },
    },
    {
        files: ["test/unit/**"],
        rules: {
            // cockpit.spawn rejects with plain {problem, message} objects: the fakes do the same
            "@typescript-eslint/prefer-promise-reject-errors": "off",
            // fakes of async functions are async to keep their signatures, awaiting nothing
            "@typescript-eslint/require-await": "off",
        },
    },
    {
        files: ["src/**/*.tsx", "test/unit/**/*.tsx"],
        extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
        rules: {
            // A scroll container must be reachable by keyboard (axe: scrollable-region-focusable);
            // ours take focus as a named region (the export's text) or table (the route list).
            "jsx-a11y/no-noninteractive-tabindex": ["error", { roles: ["tabpanel", "region", "table"] }],
        },
    },
    {
        files: ["src/**/*.ts"],
        extends: [reactHooks.configs.flat.recommended],
    },
);
