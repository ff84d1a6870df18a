import * as fs from 'node:fs';

/** Reads a file as text for analysis: size-capped, BOM stripped, undecodable files refused. */
export function readTextFile(filePath: string, maxFileSize: number): { text?: string; skipped?: string } {
  let fd: number | undefined;
  try {
    const stat = fs.statSync(filePath);
    if (!stat.isFile()) return { skipped: 'not a regular file' };
    if (stat.size > maxFileSize) return { skipped: `larger than the ${Math.round(maxFileSize / 1024)} KiB limit (maxFileSize)` };
    const buf = fs.readFileSync(filePath);
    if (buf.subarray(0, 8192).includes(0)) return { skipped: 'binary content' };
    // UTF-16 with a BOM is text, but rare in these file kinds; decode it rather than skip.
    if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.toString('utf16le').replace(/^\uFEFF/, '') };
    const text = buf.toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    return { skipped: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
