// Runs in: main (core). A data remote's objects, whatever the remote is: one interface, two
// implementations. A folder copies through verified temp files in the destination's tmp/ (the
// name `transfer.ts`'s sweep of stale temp files recognises); an S3-compatible bucket goes through
// `data/s3-remote.ts`. Push and pull (`transfer.ts`) and gc of a remote (`remote-gc.ts`) use it.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { moveIntoPlace } from '../util/atomic-write';
import { objectsIn } from './gc';
import { CHUNK } from './hash-job';
import type { Remote } from './remotes';
import { type RemoteObject, S3Objects, s3TuningFromEnv } from './s3-remote';

export interface RemoteObjects {
  /** Objects moved at once. */
  readonly concurrency: number;
  /** Every object on the remote, with its size and when it was written. */
  list(): Promise<RemoteObject[]>;
  /** Of these objects, those the remote has (for a push: with the size they have in the cache). */
  has(hashes: readonly string[], sizeOf?: (hash: string) => number): Promise<Set<string>>;
  /** Sends a cache object; returns its size. */
  send(hash: string): Promise<number>;
  /** Fetches an object into the cache, verified before it is renamed there; returns its size. */
  fetch(hash: string, size?: number): Promise<number>;
  delete(hashes: readonly string[]): Promise<void>;
  /** An object's bytes when it is there and hashes to its name, else null. */
  readBytes(hash: string): Promise<Buffer | null>;
}

const CONCURRENCY = 4;
/** A bucket's latency, not its disk, limits a transfer: more requests in flight. */
const S3_CONCURRENCY = 8;
const TMP = 'tmp';

export function objectPath(root: string, hash: string): string {
  return path.join(root, hash.slice(0, 2), hash.slice(2));
}

/** host and pid in the name: a sweep removes only temp files whose transfer is gone. */
export function tempName(hash: string): string {
  return `${hash}.${os.hostname()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** An object whose bytes do not hash to its name; reported before other failures. */
export class CorruptObject extends BenchtopError {}

interface Copier {
  copy(hash: string): Promise<number>;
}

/** Copies objects from one object folder to another through verified temp files. */
function copier(fromRoot: string, toRoot: string, describeSource: string, killAfter: number | undefined): Copier {
  let completed = 0;
  return {
    async copy(hash: string): Promise<number> {
      const src = objectPath(fromRoot, hash);
      const dest = objectPath(toRoot, hash);
      mkdirSync(path.join(toRoot, TMP), { recursive: true });
      const tmp = path.join(toRoot, TMP, tempName(hash));
      const out = await fsp.open(tmp, 'wx');
      let closed = false;
      try {
        const digest = createHash('sha256');
        let size = 0;
        // 1 MiB reads, as the hashing pool reads: the stream's default 64 KiB costs 16 times the calls.
        for await (const chunk of createReadStream(src, { highWaterMark: CHUNK })) {
          const bytes = chunk as Buffer;
          if (killAfter !== undefined && completed >= killAfter) {
            await out.write(bytes.subarray(0, bytes.length >> 1));
            await out.sync();
            process.kill(process.pid, 'SIGKILL');
          }
          digest.update(bytes);
          await out.write(bytes);
          size += bytes.length;
        }
        await out.sync();
        await out.close();
        closed = true;
        const actual = digest.digest('hex');
        if (actual !== hash) {
          throw new CorruptObject(
            'BAD_FILE',
            `Object ${hash} in ${describeSource} is corrupt: its bytes hash to ${actual}. It was not copied.`,
            {
              hint: `Delete ${src} and push it again from a cache that has it intact (\`benchtop data verify\` checks a cache).`,
            },
          );
        }
        moveIntoPlace(tmp, dest);
        completed++;
        return size;
      } finally {
        if (!closed) await out.close().catch(() => undefined);
        rmSync(tmp, { force: true });
      }
    },
  };
}

function folderObjects(remote: Remote, cacheRoot: string, killAfter: number | undefined): RemoteObjects {
  const up = copier(cacheRoot, remote.path, 'the local cache', killAfter);
  const down = copier(remote.path, cacheRoot, `remote ${remote.name} (${remote.path})`, killAfter);
  return {
    concurrency: CONCURRENCY,
    list: async () => objectsIn(remote.path).map((o) => ({ hash: o.hash, size: o.size, mtimeMs: o.mtimeMs })),
    has: async (hashes) => new Set(hashes.filter((h) => existsSync(objectPath(remote.path, h)))),
    send: (hash) => up.copy(hash),
    fetch: (hash) => down.copy(hash),
    delete: async (hashes) => {
      for (const h of hashes) rmSync(objectPath(remote.path, h), { force: true });
    },
    readBytes: async (hash) => {
      const file = objectPath(remote.path, hash);
      if (!existsSync(file)) return null;
      const bytes = readFileSync(file);
      return createHash('sha256').update(bytes).digest('hex') === hash ? bytes : null;
    },
  };
}

function s3Objects(remote: Remote, cacheRoot: string): RemoteObjects {
  const bucket = new S3Objects(remote, s3TuningFromEnv());
  let listed: Promise<RemoteObject[]> | null = null;
  // One listing answers for every object: a HEAD per object would cost a request each.
  const list = (): Promise<RemoteObject[]> => {
    listed ??= bucket.list();
    return listed;
  };
  return {
    concurrency: S3_CONCURRENCY,
    list,
    async has(hashes, sizeOf) {
      const there = new Map((await list()).map((o) => [o.hash, o.size]));
      return new Set(hashes.filter((h) => there.has(h) && (!sizeOf || there.get(h) === sizeOf(h))));
    },
    send: (hash) => bucket.put(hash, objectPath(cacheRoot, hash)),
    fetch: (hash, size) => bucket.get(hash, cacheRoot, size),
    delete: (hashes) => bucket.delete(hashes),
    readBytes: (hash) => bucket.readBytes(hash),
  };
}

/** The objects of a remote, folder or bucket; `killAfter` is the folder copier's fault injection for tests. */
export function remoteObjects(remote: Remote, cacheRoot: string, killAfter?: number): RemoteObjects {
  return remote.kind === 's3' ? s3Objects(remote, cacheRoot) : folderObjects(remote, cacheRoot, killAfter);
}
