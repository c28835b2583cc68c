// A file that changes while `data add` hashes it is refused, with nothing recorded. The change is
// made by the test at the moment the hashing ends (a real writer racing the hasher could not be
// timed reliably).
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addData } from '../../electron/core/datasets/track';
import { initProject } from '../../electron/core/workspace/init';
import { tmpDir } from '../support/helpers';

const race = vi.hoisted(() => ({ file: '' }));

vi.mock('../../electron/core/datasets/hash-pool', async (original) => {
  const real = await original<typeof import('../../electron/core/datasets/hash-pool')>();
  class RacedHasher extends real.PooledHasher {
    override async hashFiles(...args: Parameters<InstanceType<typeof real.PooledHasher>['hashFiles']>) {
      const out = await super.hashFiles(...args);
      if (race.file) appendFileSync(race.file, '3,4\n');
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
      await expect(addData(dir, ws.db, ['data/log.csv'])).rejects.toMatchObject({ code: 'BUSY', message: 'data/log.csv changed while it was being added.' });
      expect(existsSync(`${file}.bt`)).toBe(false);
      race.file = '';
      expect((await addData(dir, ws.db, ['data/log.csv']))[0]!.status).toBe('added');
    } finally {
      ws.close();
    }
  });
});
