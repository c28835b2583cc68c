// Runs in: main (core) and CLI. Writes that never leave a half-written file behind: the bytes go to
// a temp file, which is then renamed (or, in exclusive-file.ts, linked) to its name. Every such
// writer in the core names its temp file and moves it into place through here, so a crash's
// leftovers always look the same and a failed move never leaves a temp file behind.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * A fresh temp file name for `file`: hidden, random, ending in `.tmp`, in `dir` (by default beside
 * `file`; a store with a temp folder of its own, on the same file system, passes that).
 */
export function tempPathFor(file: string, dir = path.dirname(file)): string {
  return path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * A fsynced temp file beside `file` (same folder, so it can be renamed or linked into place), or
 * in `dir`. `mode` applies from the first byte: a secret is never readable by others, even briefly.
 * `sync` false skips the fsync, for files a crash makes worthless anyway (a lock).
 */
export function writeTempBeside(
  file: string,
  data: string | Uint8Array,
  mode = 0o644,
  sync = true,
  dir = path.dirname(file),
): string {
  mkdirSync(dir, { recursive: true });
  const tmp = tempPathFor(file, dir);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (sync) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  return tmp;
}

/**
 * Renames the finished temp file `tmp` over `file`, making `file`'s folder when it is missing (only
 * then: a checkout moves thousands of files into folders that exist). On failure the temp file is
 * removed and the error thrown. Whether the bytes were fsynced first is the writer's choice.
 */
export function moveIntoPlace(tmp: string, file: string): void {
  try {
    try {
      renameSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(path.dirname(file), { recursive: true });
      renameSync(tmp, file);
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes to a fsynced temp file beside the target (or in `tempDir`), then renames it over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644, tempDir?: string): void {
  moveIntoPlace(writeTempBeside(file, data, mode, true, tempDir), file);
}
