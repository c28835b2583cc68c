// Runs in: main (core). The content-addressed cache: objects named by the sha256 of their bytes,
// written to a temp file and renamed into place, and verified again before they are trusted.
import { createHash, randomBytes } from 'node:crypto';
import { constants, copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { moveIntoPlace, tempPathFor, writeFileAtomic } from '../util/atomic-write';

const CHUNK = 1 << 20;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  // 1 MiB reads: with the default 64 KiB the syscalls, not sha256, set the pace.
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Copies `src` to the new file `dest` in one read, returning the sha256 of the bytes written. */
async function copyHashing(src: string, dest: string): Promise<string> {
  const hash = createHash('sha256');
  const input = await open(src, 'r');
  try {
    const output = await open(dest, 'wx', 0o644);
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await input.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        const bytes = buf.subarray(0, bytesRead);
        hash.update(bytes);
        for (let off = 0; off < bytesRead; ) off += (await output.write(bytes, off, bytesRead - off)).bytesWritten;
      }
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
  return hash.digest('hex');
}

export class ObjectStore {
  constructor(readonly root: string) {}

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new BenchtopError('INTERNAL', `not an object id: ${hash}`);
    return path.join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  /** A fresh path in the store's temp folder (same filesystem as the objects, so renames are atomic). */
  tempPath(): string {
    const tmpDir = path.join(this.root, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    return path.join(tmpDir, randomBytes(8).toString('hex'));
  }

  /**
   * Moves a temp file whose bytes were hashed as they were written to it into place as object
   * `hash`; an object already there is kept and the temp file dropped.
   */
  adopt(tmp: string, hash: string): void {
    const dest = this.pathOf(hash);
    if (existsSync(dest)) {
      rmSync(tmp, { force: true });
      return;
    }
    moveIntoPlace(tmp, dest);
  }

  /**
   * Copies a file into the store; returns its hash. An object already there is not rewritten.
   * One read of the source: a reflink clone (where the filesystem can) is hashed, otherwise the
   * bytes are hashed as they are written to the temp file. Either way the hash is of what is kept.
   */
  async put(file: string, knownHash?: string): Promise<string> {
    const tmp = this.tempPath();
    try {
      let hash: string;
      try {
        copyFileSync(file, tmp, constants.COPYFILE_FICLONE_FORCE);
        hash = await sha256File(tmp);
      } catch (err) {
        if (err instanceof BenchtopError) throw err;
        rmSync(tmp, { force: true });
        hash = await copyHashing(file, tmp);
      }
      if (knownHash && knownHash !== hash)
        throw new BenchtopError('INTERNAL', `${file} changed while it was being cached.`);
      this.adopt(tmp, hash);
      return hash;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /**
   * Replaces object `hash`, whose bytes were found not to match it, with `file`'s, checked on the
   * way in: written to a temp file and renamed over the damaged one, so it is never half-written.
   */
  async replace(file: string, hash: string): Promise<void> {
    const tmp = this.tempPath();
    try {
      const actual = await copyHashing(file, tmp);
      if (actual !== hash)
        throw new BenchtopError('BUSY', `${file} changed while it was being cached.`, {
          hint: 'Wait until whatever writes it has finished, then try again.',
        });
      moveIntoPlace(tmp, this.pathOf(hash));
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Stores bytes already in memory (a folder manifest) under their hash; returns whether a damaged copy was replaced. */
  async putBytes(bytes: Buffer, hash: string): Promise<boolean> {
    if (createHash('sha256').update(bytes).digest('hex') !== hash)
      throw new BenchtopError('INTERNAL', `bytes do not hash to ${hash}`);
    const dest = this.pathOf(hash);
    // A manifest is small: compared whole, so a damaged one is rewritten rather than trusted.
    let repaired = false;
    if (existsSync(dest)) {
      let same = false;
      try {
        same = readFileSync(dest).equals(bytes);
      } catch {
        same = false;
      }
      if (same) return false;
      repaired = true;
    }
    // The store's temp folder, where a killed write's leftover is swept (workspace/temp-files.ts).
    writeFileAtomic(dest, bytes, 0o644, path.join(this.root, 'tmp'));
    return repaired;
  }

  /** An object's bytes, after checking they still hash to its id. */
  readBytes(hash: string): Buffer {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.pathOf(hash));
    } catch {
      throw new BenchtopError('NOT_FOUND', `Object ${hash.slice(0, 12)}… is not in the cache.`, {
        hint: 'Fetch it with `benchtop data pull`, or add the data again.',
      });
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash)
      throw new BenchtopError(
        'BAD_FILE',
        `The cached object ${hash.slice(0, 12)}… is corrupt (its bytes hash to ${actual.slice(0, 12)}…).`,
        { hint: 'Run `benchtop data verify`, then restore it with `benchtop data pull` or add the data again.' },
      );
    return bytes;
  }

  /** Writes object `hash` to `dest` (temp file + rename), after checking its bytes still match. */
  async get(hash: string, dest: string): Promise<void> {
    const src = this.pathOf(hash);
    mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = tempPathFor(dest);
    try {
      copyFileSync(src, tmp);
      const actual = await sha256File(tmp);
      if (actual !== hash) {
        throw new BenchtopError(
          'BAD_FILE',
          `The cached object ${hash.slice(0, 12)}… is corrupt (its bytes hash to ${actual.slice(0, 12)}…).`,
          { hint: 'Delete it from .benchtop/cache; the stage will run again.' },
        );
      }
      moveIntoPlace(tmp, dest);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}
