// Runs in: main (core) and CLI. Files created whole and only when their name is free: the lock
// file, server.json and reports. The content goes to a temp file first, which is then hard-linked
// to its name: link() fails when the name exists, so nothing is ever replaced and no reader sees a
// half-written file.
import { closeSync, constants, copyFileSync, linkSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { writeTempBeside } from './atomic-write';

/** Gives the temp file the name `file`; false when that name exists already. */
export function linkExclusive(tmp: string, file: string): boolean {
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links (FAT, some network shares): an exclusive copy still never
    // replaces a file, though a reader could glimpse it half-written.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  try {
    copyFileSync(tmp, file, constants.COPYFILE_EXCL);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Creates `file` with `data`, whole, or returns false when it exists. `sync` as in writeTempBeside. */
export function createExclusive(file: string, data: string | Uint8Array, mode = 0o644, sync = true): boolean {
  const tmp = writeTempBeside(file, data, mode, sync);
  try {
    return linkExclusive(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes `file` if `stillStale()` (called with the guard held) says it is still the very file
 * judged stale, under a `.takeover` guard so that two processes never both take over, and one
 * created meanwhile by another process is never removed. Returns false when another process holds
 * the guard (try again later); a guard older than `abandonedMs` was left by a process that died.
 */
export function removeUnderGuard(file: string, stillStale: () => boolean, abandonedMs: number): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(guard).mtimeMs > abandonedMs) rmSync(guard, { force: true });
    } catch {
      // Gone already.
    }
    return false;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    if (stillStale()) rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}
