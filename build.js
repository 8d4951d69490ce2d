// SPDX-License-Identifier: LGPL-2.1-or-later
// Build the page into dist/: `node build.js` once, `node build.js --watch` to rebuild on change.
//
// esbuild bundles src/index.tsx (preact standing in for react, PatternFly from deep imports) into
// dist/index.js + dist/index.css; the PatternFly fonts the CSS references are copied to
// dist/assets/. The Python helper, as one self-contained script from tools/bundle-helper.py, is
// written next to the page as dist/helper.py: the page fetches it once at run time (same origin,
// served by Cockpit) and runs it as `python3 -I -` with the script on stdin. Static files are
// copied, index.js, index.css and helper.py get gzip -9 copies, and the gzipped sizes are printed
// and held to budgets.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import * as esbuild from "esbuild";

import { pruneBaseCss, pruneCss } from "./tools/prune-css.mjs";
import { buildMetainfo, buildTranslations, describe as describeTranslations } from "./tools/po-build.mjs";
import { readmeToHtml } from "./tools/readme-html.mjs";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(ROOT, "dist");
const HELPER_DIR = path.join(ROOT, "src/helper/cockpit_gateways");
// Budgets, gzipped. The page's own JS + CSS: at most half of what Cockpit 287's networking page
// ships (242 KB), and the helper apart: it grows with host-side features and is fetched only when
// the page first runs it, not before the page shows. (128 since the lookup's verdict and trace,
// the live-connection preview, the export archive, boot/self-healing and the UX pass came in;
// issues 13, 15, 17, 18: a little over half now. 132 since issue 17's second half: every field of
// Add route/Add rule, naming tables, deleting several routes at once, the routers a network's
// gateway dialog suggests, Repair's preview and the help links.)
const PAGE_BUDGET_KB = 132;
// (88 since the route lookup evaluates rules and tables itself and dry runs look at live
// connections: fib.py, policy.py, lookup.py, whatif.py, doctor.py, about 20 KB of it; issue 13)
// (96: owners, conflicts and the layout of issue 12 came in too; 100: routers, table names and
// deleting several routes of issue 17, after the bundle stopped carrying comments)
const HELPER_BUDGET_KB = 100;
const watch = process.argv.includes("--watch");
const HELPER_SOURCES = () => [
    path.join(ROOT, "tools/bundle-helper.py"),
    ...(fs.existsSync(HELPER_DIR)
        ? fs.readdirSync(HELPER_DIR).filter(f => f.endsWith(".py")).map(f => path.join(HELPER_DIR, f))
        : []),
];

/** dist/helper.py (+ .gz): the helper as one script. Returns its gzipped size, or throws. */
function writeHelper() {
    const script = execFileSync("/usr/bin/python3", [path.join(ROOT, "tools/bundle-helper.py")],
                                { encoding: "utf-8", maxBuffer: 64 * 1024 * 1024 });
    fs.writeFileSync(path.join(OUT, "helper.py"), script);
    return gzip(path.join(OUT, "helper.py"));
}

// The helper is no module of the page: rebuild dist/helper.py with every build, and let the entry
// point carry the helper's sources as watch files so --watch rebuilds when they change.
const helperPlugin = {
    name: "helper-script",
    setup(build) {
        build.onLoad({ filter: /src[/\\]index\.tsx$/ }, args => ({
            contents: fs.readFileSync(args.path, "utf-8"),
            loader: "tsx",
            watchFiles: [path.join(ROOT, "src/index.html"), path.join(ROOT, "manifest.json"), ...HELPER_SOURCES()],
        }));
    },
};

// Size: CSS the page never uses. PatternFly components import their CSS as a side effect, so the
// JS internals of Page and Table (drawer, action menus, popovers, …) drag in the CSS of components
// this page never renders. Drop exactly those files. If the page starts rendering one of these
// components, remove it from this list, or it will be unstyled.
const UNUSED_CSS = [
    "components/ActionList/", "components/Badge/",
    "components/Breadcrumb/", "components/Divider/", "components/Drawer/",
    "components/InlineEdit/", "components/Label/label-group.css", "components/Menu/",
    "components/MenuToggle/", "components/Popover/", "components/Radio/",
    "components/Table/table-scrollable.css", "components/Table/table-tree-view.css",
];
// …and, in PatternFly's base.css, what tools/prune-css.mjs pruneBaseCss() drops (themes Cockpit
// never turns on, the pficon font).

// Size: JS modules the page never runs. react-table's Td always imports the actions-column
// decorator, which brings Dropdown, Menu, MenuToggle and Popper (~9 KB gzipped) although the page
// has no actions column (Td's `actions` prop). If it ever uses one, remove the stub.
//   The same for what only props the page never passes would render:
// - Tooltip (Alert, Label, Modal title and Th/Td show one only for a truncated title or text, and
//   the page truncates none): its Popper positioning engine is ~7 KB gzipped. The stub renders the
//   trigger alone. If the page wants a tooltip, remove this stub.
// - The table header's info popover (Th's `info` prop), the Page's notification drawer
//   (`notificationDrawer` prop).
// - lodash's mergeWith (~5 KB gzipped) in react-table's mergeProps: a few lines do (TABLE_MERGE).
// react-table's mergeProps without lodash: plain objects merged deeply, later wins, `children`
// composed and `className` joined as the original does; elements (preact vnodes) are kept as they are.
const TABLE_MERGE = `
import { cloneElement } from "react";
import { css } from "@patternfly/react-styles";
const isPlain = v => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype &&
    !Object.prototype.hasOwnProperty.call(v, "constructor");
function merge(target, source, custom) {
    for (const key of Object.keys(source ?? {})) {
        const a = target[key], b = source[key];
        const c = custom?.(a, b, key);
        if (c !== undefined) target[key] = c;
        else if (isPlain(b)) target[key] = merge(isPlain(a) ? a : {}, b, custom);
        else if (b !== undefined || !(key in target)) target[key] = b;
    }
    return target;
}
const custom = (a, b, key) => {
    if (key === "children")
        return a && b ? cloneElement(a, { children: b }) : Object.assign(Object.assign({}, b), a);
    if (key === "className")
        return css(a, b);
    return undefined;
};
export function mergeProps(...props) {
    const out = merge({}, props[0]);
    for (const p of props.slice(1))
        merge(out, p, custom);
    return out;
}
`;
const PF_JS = "@patternfly[\\\\/]react-(core|table)[\\\\/]dist[\\\\/]esm[\\\\/]components[\\\\/]";
const UNUSED_JS = [
    { file: new RegExp(PF_JS + "Table[\\\\/]ActionsColumn\\.js$"),
      contents: "export const ActionsColumn = () => null;" },
    { file: new RegExp(PF_JS + "Tooltip[\\\\/]Tooltip\\.js$"),
      contents: "export const TooltipPosition = {}; export const Tooltip = ({ children }) => children;" },
    { file: new RegExp(PF_JS + "Table[\\\\/]HeaderCellInfoWrapper\\.js$"),
      contents: "export const HeaderCellInfoWrapper = ({ children }) => children;" },
    { file: new RegExp(PF_JS + "Drawer[\\\\/]index\\.js$"),
      contents: "export const Drawer = () => null, DrawerContent = () => null, DrawerPanelContent = () => null;" },
    { file: new RegExp(PF_JS + "Table[\\\\/]base[\\\\/]merge-props\\.js$"),
      contents: TABLE_MERGE },
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
            contents: pruneBaseCss(fs.readFileSync(args.path, "utf-8")),
            loader: "css",
            resolveDir: path.dirname(args.path),
        }));
    },
};

/** dist/index.css without the rules, custom properties and keyframes the page never uses
 * (tools/prune-css.mjs), minified again. */
async function pruneBuiltCss() {
    const cssFile = path.join(OUT, "index.css");
    const scripts = ["index.js", "index.html"].map(f => fs.readFileSync(path.join(OUT, f), "utf-8"));
    const { css, stats } = pruneCss(fs.readFileSync(cssFile, "utf-8"), scripts);
    const { code } = await esbuild.transform(css, { loader: "css", minify: !watch, legalComments: "none" });
    fs.writeFileSync(cssFile, code);
    return stats;
}

function gzip(file) {
    const data = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
    fs.writeFileSync(file + ".gz", data);
    return data.length;
}

// After every (re)build: static files, .gz copies, sizes.
const finishPlugin = {
    name: "finish",
    setup(build) {
        build.onEnd(async result => {
            if (result.errors.length > 0)
                return;
            fs.copyFileSync(path.join(ROOT, "src/index.html"), path.join(OUT, "index.html"));
            fs.copyFileSync(path.join(ROOT, "manifest.json"), path.join(OUT, "manifest.json"));
            // the help the views link to: the README as a page of the package (tools/readme-html.mjs)
            fs.writeFileSync(path.join(OUT, "help.html"), readmeToHtml(fs.readFileSync(path.join(ROOT, "README.md"), "utf-8")));
            fs.copyFileSync(path.join(ROOT, "src/help.css"), path.join(OUT, "help.css"));
            let pruned;
            try {
                pruned = await pruneBuiltCss();
            } catch (e) {
                return { errors: [{ text: `pruning dist/index.css failed: ${e.stack ?? e.message}` }] };
            }
            try { // translations: po/LANG.po → dist/po.LANG.js (+ .gz), see po/README.md
                for (const line of describeTranslations(buildTranslations(OUT)))
                    console.log(line);
                console.log(buildMetainfo(OUT)); // installed by `make install` to share/metainfo/
            } catch (e) {
                return { errors: [{ text: e.message }] };
            }
            const js = gzip(path.join(OUT, "index.js"));
            const css = gzip(path.join(OUT, "index.css"));
            let helper;
            try {
                helper = writeHelper();
            } catch (e) {
                return { errors: [{ text: `tools/bundle-helper.py failed: ${e.message}` }] };
            }
            const kb = n => (n / 1024).toFixed(1) + " KB";
            console.log(`dist/index.js.gz  ${kb(js)}`);
            console.log(`dist/index.css.gz ${kb(css)} (unused CSS dropped: ${pruned.rulesDropped} of ${pruned.rules} rules, ${pruned.propertiesDropped} of ${pruned.properties} custom properties, ${pruned.keyframesDropped} keyframes)`);
            console.log(`dist/helper.py.gz ${kb(helper)}`);
            if (watch) {
                console.log(`page gzipped      ${kb(js + css)} (not minified: the budget applies to \`node build.js\`)`);
                // A development build: date the Makefile's target in the past so that a later
                // `make` replaces it with a production build.
                fs.utimesSync(path.join(OUT, "manifest.json"), 0, 0);
                return;
            }
            const page = js + css;
            console.log(`the page          ${kb(page)} (JS + CSS; budget ${PAGE_BUDGET_KB} KB)`);
            console.log(`the helper        ${kb(helper)} (dist/helper.py, fetched at run time; budget ${HELPER_BUDGET_KB} KB)`);
            const errors = [];
            if (page > PAGE_BUDGET_KB * 1024)
                errors.push({ text: `the page's JS+CSS gzipped is over its budget of ${PAGE_BUDGET_KB} KB` });
            if (helper > HELPER_BUDGET_KB * 1024)
                errors.push({ text: `dist/helper.py gzipped is over its budget of ${HELPER_BUDGET_KB} KB` });
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
