// SPDX-License-Identifier: LGPL-2.1-or-later
// Build the page into dist/: `node build.js` once, `node build.js --watch` to rebuild on change.
//
// esbuild bundles src/index.tsx (preact standing in for react, PatternFly from deep imports) into
// dist/index.js + dist/index.css; the PatternFly fonts the CSS references are copied to
// dist/assets/. The Python helper is embedded as a string (`import helperScript from
// "helper:script"`), produced by src/helper/bundle.py. Static files are copied, index.js and
// index.css get gzip -9 copies, and the gzipped sizes are printed and held to budgets.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import * as esbuild from "esbuild";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(ROOT, "dist");
const HELPER_DIR = path.join(ROOT, "src/helper/cockpit_gateways");
// Budgets, gzipped. The page's own JS + CSS, and the embedded helper apart: the helper grows with
// host-side features (it was ~30 KB when the page's budget was set as 160 KB for both together).
const PAGE_BUDGET_KB = 130;
const HELPER_BUDGET_KB = 64;
let helperGzip = 0; // the embedded helper alone, gzipped (set by helperPlugin)
const watch = process.argv.includes("--watch");

// `import helperScript from "helper:script"`: the helper as one self-contained Python script.
const helperPlugin = {
    name: "helper-script",
    setup(build) {
        build.onResolve({ filter: /^helper:script$/ }, args => ({ path: args.path, namespace: "helper" }));
        build.onLoad({ filter: /.*/, namespace: "helper" }, () => {
            const watchFiles = fs.existsSync(HELPER_DIR)
                ? fs.readdirSync(HELPER_DIR).filter(f => f.endsWith(".py")).map(f => path.join(HELPER_DIR, f))
                : [];
            watchFiles.push(path.join(ROOT, "src/helper/bundle.py"));
            try {
                const contents = execFileSync("/usr/bin/python3", [path.join(ROOT, "src/helper/bundle.py")],
                                              { encoding: "utf-8", maxBuffer: 64 * 1024 * 1024 });
                helperGzip = zlib.gzipSync(contents, { level: 9 }).length;
                return { contents, loader: "text", watchFiles, watchDirs: [HELPER_DIR] };
            } catch (e) {
                return { errors: [{ text: `src/helper/bundle.py failed: ${e.message}` }], watchFiles };
            }
        });
    },
};

// Size: CSS the page never uses. PatternFly components import their CSS as a side effect, so the
// JS internals of Page and Table (drawer, action menus, popovers, …) drag in the CSS of components
// this page never renders. Drop exactly those files. If the page starts rendering one of these
// components, remove it from this list, or it will be unstyled.
const UNUSED_CSS = [
    "components/ActionList/", "components/Badge/",
    "components/Breadcrumb/", "components/Check/", "components/Divider/", "components/Drawer/",
    "components/InlineEdit/", "components/Label/label-group.css", "components/Menu/",
    "components/MenuToggle/", "components/Popover/", "components/Radio/",
    "components/Table/table-scrollable.css", "components/Table/table-tree-view.css",
];
// …and, in PatternFly's base.css, the token sets of themes Cockpit never turns on (high contrast,
// glass, felt) and the pficon icon font's classes (the page uses SVG icons).
const UNUSED_BASE = /\.pf-v6-theme-(high-contrast|glass|felt)\b|\.pf-v6-pficon-|^@font-face\s*{[^}]*pficon/;

/** Split a stylesheet into its top-level statements (comments dropped). */
function topLevelBlocks(css) {
    const blocks = [];
    let depth = 0, start = 0;
    for (let i = 0; i < css.length; i++) {
        if (css.startsWith("/*", i)) {
            const end = css.indexOf("*/", i + 2);
            if (depth === 0 && css.slice(start, i).trim() === "")
                start = end + 2;
            i = end + 1;
        } else if (css[i] === "{") {
            depth++;
        } else if (css[i] === "}") {
            if (--depth === 0) {
                blocks.push(css.slice(start, i + 1).trim());
                start = i + 1;
            }
        } else if (css[i] === ";" && depth === 0) {
            blocks.push(css.slice(start, i + 1).trim());
            start = i + 1;
        }
    }
    return blocks;
}

// Size: JS modules the page never runs. react-table's Td always imports the actions-column
// decorator, which brings Dropdown, Menu, MenuToggle and Popper (~9 KB gzipped) although the page
// has no actions column (Td's `actions` prop). If it ever uses one, remove the stub.
const UNUSED_JS = [
    { file: /@patternfly[\\/]react-table[\\/]dist[\\/]esm[\\/]components[\\/]Table[\\/]ActionsColumn\.js$/,
      contents: "export const ActionsColumn = () => null;" },
];

const pruneCssPlugin = {
    name: "prune-css",
    setup(build) {
        for (const { file, contents } of UNUSED_JS)
            build.onLoad({ filter: file }, () => ({ contents, loader: "js" }));
        build.onLoad({ filter: /@patternfly[\\/]react-styles[\\/]css[\\/].*\.css$/ }, args => {
            const rel = args.path.replace(/\\/g, "/");
            return UNUSED_CSS.some(u => rel.includes("/react-styles/css/" + u)) ? { contents: "", loader: "css" } : undefined;
        });
        build.onLoad({ filter: /@patternfly[\\/]react-core[\\/]dist[\\/]styles[\\/]base\.css$/ }, args => ({
            contents: topLevelBlocks(fs.readFileSync(args.path, "utf-8"))
                .filter(block => !UNUSED_BASE.test(block.slice(0, block.indexOf("{") + 200)))
                .join("\n"),
            loader: "css",
            resolveDir: path.dirname(args.path),
        }));
    },
};

function gzip(file) {
    const data = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
    fs.writeFileSync(file + ".gz", data);
    return data.length;
}

// After every (re)build: static files, .gz copies, sizes.
const finishPlugin = {
    name: "finish",
    setup(build) {
        // Not part of the module graph: let the entry point carry them so --watch sees them.
        build.onLoad({ filter: /src[\\/]index\.tsx$/ }, args => ({
            contents: fs.readFileSync(args.path, "utf-8"),
            loader: "tsx",
            watchFiles: [path.join(ROOT, "src/index.html"), path.join(ROOT, "manifest.json")],
        }));
        build.onEnd(result => {
            if (result.errors.length > 0)
                return;
            fs.copyFileSync(path.join(ROOT, "src/index.html"), path.join(OUT, "index.html"));
            fs.copyFileSync(path.join(ROOT, "manifest.json"), path.join(OUT, "manifest.json"));
            const js = gzip(path.join(OUT, "index.js"));
            const css = gzip(path.join(OUT, "index.css"));
            const kb = n => (n / 1024).toFixed(1) + " KB";
            console.log(`dist/index.js.gz  ${kb(js)}`);
            console.log(`dist/index.css.gz ${kb(css)}`);
            if (watch) {
                console.log(`total gzipped     ${kb(js + css)} (not minified: the budget applies to \`node build.js\`)`);
                // A development build: date the Makefile's target in the past so that a later
                // `make` replaces it with a production build.
                fs.utimesSync(path.join(OUT, "manifest.json"), 0, 0);
                return;
            }
            const page = js + css - helperGzip;
            console.log(`total gzipped     ${kb(js + css)}`);
            console.log(`  the page        ${kb(page)} (budget ${PAGE_BUDGET_KB} KB)`);
            console.log(`  the helper      ${kb(helperGzip)} (budget ${HELPER_BUDGET_KB} KB; embedded in index.js)`);
            const errors = [];
            if (page > PAGE_BUDGET_KB * 1024)
                errors.push({ text: `the page's JS+CSS gzipped is over its budget of ${PAGE_BUDGET_KB} KB` });
            if (helperGzip > HELPER_BUDGET_KB * 1024)
                errors.push({ text: `the embedded helper gzipped is over its budget of ${HELPER_BUDGET_KB} KB` });
            if (errors.length > 0)
                return { errors };
        });
    },
};

const options = {
    absWorkingDir: ROOT,
    entryPoints: { index: "src/index.tsx" },
    outdir: OUT,
    bundle: true,
    format: "iife",
    target: ["es2020"],
    minify: !watch,
    sourcemap: watch ? "linked" : false,
    legalComments: "external",
    metafile: false,
    logLevel: "warning",
    jsx: "automatic",
    jsxImportSource: "preact",
    alias: {
        react: "preact/compat",
        "react-dom": "preact/compat",
        "react-dom/client": "preact/compat/client",
        "react/jsx-runtime": "preact/jsx-runtime",
    },
    define: { "process.env.NODE_ENV": watch ? '"development"' : '"production"' },
    loader: { ".woff2": "file", ".svg": "file" },
    assetNames: "assets/[name]-[hash]",
    plugins: [helperPlugin, pruneCssPlugin, finishPlugin],
};

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });

if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log("watching src/ and the helper for changes (Ctrl-C stops)");
} else {
    try {
        await esbuild.build(options);
    } catch {
        process.exit(1); // esbuild has printed the errors
    }
}
