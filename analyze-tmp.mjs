import * as esbuild from "esbuild";
const r = await esbuild.build({ absWorkingDir: process.cwd(), entryPoints: { index: "src/index.tsx" }, bundle: true, format: "iife", target: ["es2020"], minify: true, write: false, outdir: "/tmp/an", metafile: true, jsx: "automatic", jsxImportSource: "preact",
 alias: { react: "preact/compat", "react-dom": "preact/compat", "react-dom/client": "preact/compat/client", "react/jsx-runtime": "preact/jsx-runtime" },
 define: { "process.env.NODE_ENV": '"production"' }, loader: { ".woff2": "file", ".svg": "file", ".css": "empty" } });
const ins = r.metafile.inputs;
const want = process.argv[2];
for (const [f, v] of Object.entries(ins)) for (const i of v.imports) if (i.path.includes(want) && !f.includes(want)) console.log(f, "->", i.path);
const out = Object.values(r.metafile.outputs).find(o => o.inputs && Object.keys(o.inputs).length > 10);
for (const [f, v] of Object.entries(out.inputs)) if (f.includes(process.argv[3] || want)) console.log(v.bytesInOutput, f);
