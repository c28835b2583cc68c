// The disk filling up while an object is written: the write fails with ENOSPC part-way, and the
// cache keeps no temp file and no half object. The failure is injected into the file handle the
// store writes through (a real full disk cannot be made here without privileges).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ObjectStore } from '../../../electron/core/git/object-store';
import { tmpDir } from '../../support/helpers';

const inject = vi.hoisted(() => ({ fullAfterBytes: -1 }));

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  // Reflinks are refused while the disk is "full", so the store takes its copy-while-hashing path.
  const copyFileSync: typeof real.copyFileSync = (src, dest, mode) => {
    if (inject.fullAfterBytes >= 0 && mode !== undefined && (mode & real.constants.COPYFILE_FICLONE_FORCE) !== 0)
      throw Object.assign(new Error('ENOTSUP'), { code: 'ENOTSUP' });
    return real.copyFileSync(src, dest, mode);
  };
  return { ...real, copyFileSync, default: { ...real, copyFileSync } };
});

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof real.open>): Promise<FileHandle> => {
    const handle = await real.open(...args);
    if (inject.fullAfterBytes < 0 || !String(args[1]).includes('w')) return handle;
    let written = 0;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write') {
          return async (buffer: Buffer, offset = 0, length = buffer.length - offset) => {
            const room = Math.max(0, inject.fullAfterBytes - written);
            if (room === 0)
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            const r = await target.write(buffer, offset, Math.min(length, room));
            written += r.bytesWritten;
            return r;
          };
        }
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  return { ...real, open, default: { ...real, open } };
});

afterEach(() => {
  inject.fullAfterBytes = -1;
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }))
      e.isDirectory() ? walk(path.join(d, e.name)) : out.push(path.join(d, e.name));
  };
  walk(dir);
  return out;
}

describe('a full disk while caching', () => {
  it('fails with ENOSPC and leaves no temp file and no half-written object', async () => {
    const dir = tmpDir();
    const src = path.join(dir, 'big.bin');
    writeFileSync(src, Buffer.alloc(3 * 1024 * 1024, 7));
    const root = path.join(dir, 'cache');
    mkdirSync(root);
    const store = new ObjectStore(root);
    inject.fullAfterBytes = 1024 * 1024 + 17;
    await expect(store.put(src)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(filesUnder(root)).toEqual([]);
    // With room again the same file is stored whole.
    inject.fullAfterBytes = -1;
    const hash = await store.put(src);
    expect(filesUnder(root)).toEqual([store.pathOf(hash)]);
  });
});
