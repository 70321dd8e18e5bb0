// Hands a connector its config (with expanded secrets), catalog and state without leaving a file
// behind: the text goes into a file that has no name (Linux O_TMPFILE, in memory on /dev/shm when it
// exists), whose descriptor the child inherits and opens as `/dev/fd/N`. When the last descriptor
// closes (even when the runner is killed with -9) the kernel frees it.
// Elsewhere: a file created exclusively in a private folder and removed before the child starts.
import { closeSync, constants, mkdtempSync, openSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** __O_TMPFILE (the same value on x86, arm and the generic ABI) together with O_DIRECTORY. */
const O_TMPFILE = 0o20000000 | constants.O_DIRECTORY;

export function unnamedFileDirs(): string[] {
  return process.platform === 'linux' ? ['/dev/shm', tmpdir()] : [];
}

/** A read descriptor (offset 0) of a file holding `text` that no path leads to. The caller closes it. */
export function openUnnamedFile(text: string, dirs = unnamedFileDirs()): number {
  const bytes = Buffer.from(text, 'utf8');
  for (const dir of dirs) {
    let fd: number | undefined;
    try {
      fd = openSync(dir, O_TMPFILE | constants.O_RDWR, 0o600);
      writeAll(fd, bytes);
      return fd;
    } catch {
      if (fd !== undefined) closeSync(fd);
    }
  }
  // Fallback: the name exists only for the moment between create and unlink.
  const folder = mkdtempSync(join(tmpdir(), 'cio-sync-'));
  const path = join(folder, 'f');
  try {
    const w = openSync(path, 'wx', 0o600);
    try { writeAll(w, bytes); } finally { closeSync(w); }
    return openSync(path, 'r');
  } finally {
    try { unlinkSync(path); } catch { /* never created */ }
    rmdirSync(folder);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, at);
}

/** Descriptors the child will see as 3, 4, …: the `/dev/fd/N` paths to give it. */
export const fdPath = (index: number): string => `/dev/fd/${3 + index}`;
