// SPDX-License-Identifier: LGPL-2.1-or-later
// README.md → dist/help.html: the page's help, installed with the page, so its "Help" links (and
// the shell's help menu, manifest.json "docs") work on every host, offline, without a project
// website. Only the Markdown the README uses: headings (with GitHub's anchors), paragraphs, lists,
// fenced and indented code, tables, `code`, **bold**, [links](…) and images (as their text).
// Everything is escaped; links other than http(s) and #anchors become plain text (the files they
// name are not installed).

const escape = s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function slug(text) {
    return text.toLowerCase().replace(/[`*]/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(/\s/g, "-");
}

function inline(text) {
    const parts = text.split(/(`[^`]*`)/);
    return parts.map(part => {
        if (part.startsWith("`") && part.endsWith("`") && part.length > 1)
            return `<code>${escape(part.slice(1, -1))}</code>`;
        let out = escape(part);
        out = out.replace(/!\[([^\]]*)\]\([^)]*\)/g, "<em>$1</em>");
        out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label, href) =>
            /^(https?:\/\/|#)/.test(href) ? `<a href="${href}">${label}</a>` : label);
        return out.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
    }).join("");
}

const cells = line => line.trim().replace(/^\||\|$/g, "").split("|").map(c => c.trim());

export function readmeToHtml(markdown, title = "cockpit-gateways") {
    const lines = markdown.split("\n");
    const out = [];
    let para = [];
    let list = null; // { tag, items: [[lines]] }
    const flush = () => {
        if (para.length > 0)
            out.push(`<p>${inline(para.join(" "))}</p>`);
        para = [];
        if (list !== null)
            out.push(`<${list.tag}>${list.items.map(i => `<li>${inline(i.join(" "))}</li>`).join("")}</${list.tag}>`);
        list = null;
    };
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const heading = /^(#{1,6})\s+(.*)$/.exec(line);
        const item = /^\s*(?:([-*])|\d+\.)\s+(.*)$/.exec(line);
        if (line.startsWith("```")) {
            flush();
            const code = [];
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++)
                code.push(lines[i]);
            out.push(`<pre><code>${escape(code.join("\n"))}</code></pre>`);
        } else if (heading) {
            flush();
            const level = heading[1].length;
            out.push(`<h${level} id="${slug(heading[2])}">${inline(heading[2])}</h${level}>`);
        } else if (line.trim() === "") {
            flush();
        } else if (/^ {4}/.test(line) && para.length === 0 && list === null) {
            const code = [];
            for (; i < lines.length && (/^ {4}/.test(lines[i]) || (lines[i].trim() === "" && /^ {4}/.test(lines[i + 1] ?? ""))); i++)
                code.push(lines[i].slice(4));
            i--;
            out.push(`<pre><code>${escape(code.join("\n"))}</code></pre>`);
        } else if (line.startsWith("|") && /^\|?\s*-{3}/.test(lines[i + 1] ?? "")) {
            flush();
            const head = cells(line);
            const rows = [];
            for (i += 2; i < lines.length && lines[i].startsWith("|"); i++)
                rows.push(cells(lines[i]));
            i--;
            out.push(`<table><thead><tr>${head.map(c => `<th>${inline(c)}</th>`).join("")}</tr></thead><tbody>` +
                rows.map(r => `<tr>${r.map(c => `<td>${inline(c)}</td>`).join("")}</tr>`).join("") + "</tbody></table>");
        } else if (item && !/^\s{2,}/.test(line)) {
            if (para.length > 0)
                flush();
            const tag = item[1] ? "ul" : "ol";
            if (list !== null && list.tag !== tag)
                flush();
            list ??= { tag, items: [] };
            list.items.push([item[2]]);
        } else if (list !== null) {
            list.items[list.items.length - 1].push(line.trim());
        } else {
            para.push(line.trim());
        }
    }
    flush();
    return [
        "<!DOCTYPE html>",
        `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
        `<title>${escape(title)}</title><link rel="stylesheet" href="help.css"></head>`,
        `<body><main>${out.join("\n")}</main></body></html>`,
        "",
    ].join("\n");
}
