// A file that changes while `data add` hashes it is refused, with nothing recorded. The change is
// made by the test at the moment the hashing ends (a real writer racing the hasher could not be
// timed reliably).
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addData } from '../../electron/core/data/track';
import { CACHE_DIR } from '../../electron/core/util/layout';
import { initProject } from '../../electron/core/project/init';
import { tmpDir } from '../support/helpers';

const race = vi.hoisted(() => ({ file: '', replace: false }));

vi.mock('../../electron/core/data/hash-pool', async (original) => {
  const real = await original<typeof import('../../electron/core/data/hash-pool')>();
  class RacedHasher extends real.PooledHasher {
    override async hashFiles(...args: Parameters<InstanceType<typeof real.PooledHasher>['hashFiles']>) {
      const out = await super.hashFiles(...args);
      if (race.file && race.replace) {
        // Same size, new inode: an editor saving by rename, which a size check alone would miss.
        const bytes = readFileSync(race.file);
        writeFileSync(
          `${race.file}.new`,
          bytes.map((b) => (b === 0x31 ? 0x39 : b)),
        );
        renameSync(`${race.file}.new`, race.file);
      } else if (race.file) appendFileSync(race.file, '3,4\n');
      return out;
    }
  }
  return { ...real, PooledHasher: RacedHasher };
});

describe('a file that changes while it is added', () => {
  it('is refused with a clear error, and no pointer is written', async () => {
    const dir = path.join(tmpDir(), 'p');
    const ws = (await initProject(dir, {})).workspace;
    try {
      mkdirSync(path.join(dir, 'data'));
      const file = path.join(dir, 'data', 'log.csv');
      writeFileSync(file, 'a,b\n1,2\n');
      race.file = file;
      await expect(addData(dir, ws.db, ['data/log.csv'])).rejects.toMatchObject({
        code: 'BUSY',
        message: 'data/log.csv changed while it was being added.',
      });
      expect(existsSync(`${file}.bt`)).toBe(false);
      race.file = '';
      expect((await addData(dir, ws.db, ['data/log.csv']))[0]!.status).toBe('added');
    } finally {
      ws.close();
    }
  });

  it('holds for a file inside a folder too: the add fails naming that file, with no pointer, manifest or temp file left', async () => {
    const dir = path.join(tmpDir(), 'p');
    const ws = (await initProject(dir, {})).workspace;
    try {
      mkdirSync(path.join(dir, 'data', 'logs'), { recursive: true });
      writeFileSync(path.join(dir, 'data', 'a.csv'), 'a,b\n1,2\n');
      const file = path.join(dir, 'data', 'logs', 'b.csv');
      writeFileSync(file, 'a,b\n5,6\n');
      const cache = path.join(dir, CACHE_DIR);
      const objects = (): string[] =>
        existsSync(cache)
          ? readdirSync(cache)
              .filter((d) => /^[0-9a-f]{2}$/.test(d))
              .flatMap((d) => readdirSync(path.join(cache, d)).map((f) => d + f))
          : [];
      for (const replace of [false, true]) {
        race.file = file;
        race.replace = replace;
        await expect(addData(dir, ws.db, ['data'])).rejects.toMatchObject({
          code: 'BUSY',
          message: 'data/logs/b.csv changed while it was being added.',
          hint: expect.stringMatching(/add it again/),
        });
        expect(existsSync(path.join(dir, 'data.bt'))).toBe(false);
        // Only the files' own bytes reached the cache (no manifest), each under the hash of what it holds.
        for (const o of objects()) {
          const bytes = readFileSync(path.join(cache, o.slice(0, 2), o.slice(2)));
          expect(createHash('sha256').update(bytes).digest('hex')).toBe(o);
          expect(bytes.toString('utf8')).toMatch(/^a,b\n/);
        }
        expect(readdirSync(path.join(cache, 'tmp'))).toEqual([]);
      }
      race.file = '';
      const [added] = await addData(dir, ws.db, ['data']);
      expect(added).toMatchObject({ status: 'added', pointerData: { kind: 'folder', files: 2 } });
      expect(objects()).toContain(added!.pointerData.hash);
    } finally {
      ws.close();
    }
  });
});
