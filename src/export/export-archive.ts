// SPDX-License-Identifier: LGPL-2.1-or-later
// One download for an export that is several files (ifcfg, networkd): a POSIX ustar archive,
// built here from the helper's {name, text} files, that `tar -xf NAME -C DIR` unpacks where the
// target host expects them (subfolders such as eth1.network.d/ included). Pure: files in, bytes out.

export interface ArchiveFile {
    name: string;
    text: string;
}

const BLOCK = 512;
const encoder = new TextEncoder();

/** A name the archive can hold and that unpacks inside the target folder: relative, no "..",
 * at most 100 bytes (ustar's name field; the helper's names are far shorter). */
export function archiveName(name: string): string {
    const parts = name.split("/");
    if (name === "" || name.startsWith("/") || parts.some(p => p === "" || p === "." || p === ".."))
        throw new Error(`not a relative file name: ${JSON.stringify(name)}`);
    if (encoder.encode(name).length > 100)
        throw new Error(`file name longer than 100 bytes: ${name}`);
    return name;
}

function put(header: Uint8Array, offset: number, length: number, value: string): void {
    const bytes = encoder.encode(value);
    header.set(bytes.subarray(0, length), offset);
}

/** An octal number in a field of `length` bytes: digits, then a NUL. */
function octal(value: number, length: number): string {
    return value.toString(8).padStart(length - 1, "0") + "\0";
}

function header(name: string, size: number, type: "0" | "5", mtime: number): Uint8Array {
    const h = new Uint8Array(BLOCK);
    put(h, 0, 100, name);
    put(h, 100, 8, octal(type === "5" ? 0o755 : 0o644, 8));
    put(h, 108, 8, octal(0, 8));           // uid
    put(h, 116, 8, octal(0, 8));           // gid
    put(h, 124, 12, octal(size, 12));
    put(h, 136, 12, octal(mtime, 12));
    put(h, 148, 8, "        ");            // the checksum counts its own field as spaces
    put(h, 156, 1, type);
    put(h, 257, 6, "ustar\0");
    put(h, 263, 2, "00");
    put(h, 265, 32, "root");
    put(h, 297, 32, "root");
    const sum = h.reduce((a, b) => a + b, 0);
    put(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
    return h;
}

/** The files (and the folders they are in) as a tar archive, owner root, files 0644, folders
 * 0755, modified at `mtime` (seconds since 1970). */
export function tarArchive(files: readonly ArchiveFile[], mtime: number = Math.floor(Date.now() / 1000)): Uint8Array<ArrayBuffer> {
    const blocks: Uint8Array[] = [];
    const folders = new Set<string>();
    for (const file of files) {
        const name = archiveName(file.name);
        const parts = name.split("/");
        for (let i = 1; i < parts.length; i++) {
            const folder = parts.slice(0, i).join("/") + "/";
            if (!folders.has(folder)) {
                folders.add(folder);
                blocks.push(header(archiveName(folder.slice(0, -1)) + "/", 0, "5", mtime));
            }
        }
        const data = encoder.encode(file.text);
        blocks.push(header(name, data.length, "0", mtime));
        const padded = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
        padded.set(data);
        blocks.push(padded);
    }
    blocks.push(new Uint8Array(2 * BLOCK));  // the end: two empty blocks
    const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const b of blocks) {
        out.set(b, offset);
        offset += b.length;
    }
    return out;
}
