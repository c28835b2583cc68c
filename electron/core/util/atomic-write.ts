// Runs in: main (core) and CLI. Writes that never leave a half-written file behind.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * A fsynced temp file beside `file` (same folder, so it can be renamed or linked into place).
 * `mode` applies from the first byte: a secret is never readable by others, even briefly. `sync`
 * false skips the fsync, for files a crash makes worthless anyway (a lock).
 */
export function writeTempBeside(file: string, data: string | Uint8Array, mode = 0o644, sync = true): string {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
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

/** Writes to a temp file beside the target, fsyncs, then renames over it. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = writeTempBeside(file, data, mode);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
