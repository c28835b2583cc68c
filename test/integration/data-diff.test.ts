// `benchtop data diff` through the built CLI on a real project (git, cache, workspace), and the
// data.diff contract method through the core with its output validated.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { dispatch } from '../../shared/contract/dispatch';
import { git, runCli, tmpDir } from '../support/helpers';

function cli(dir: string, ...args: string[]) {
  const r = runCli(args, { cwd: dir });
  return r;
}

function json<T = Record<string, any>>(dir: string, ...args: string[]): T {
  const r = cli(dir, '--json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** A project with two committed versions of a table and of a folder (v1 tagged). */
function project(): string {
  const dir = path.join(tmpDir(), 'p');
  expect(cli(tmpDir(), 'init', '--dir', dir).code).toBe(0);
  mkdirSync(path.join(dir, 'data', 'imgs'), { recursive: true });
  writeFileSync(path.join(dir, 'data', 'rows.csv'), 'id,name,age\n1,ann,30\n2,bob,40\n3,cy,50\n4,dee,60\n');
  writeFileSync(path.join(dir, 'data', 'imgs', 'a.txt'), 'aaa');
  writeFileSync(path.join(dir, 'data', 'imgs', 'b.txt'), 'bbb');
  writeFileSync(path.join(dir, 'data', 'imgs', 'c.txt'), 'ccc');
  expect(cli(dir, 'data', 'add', 'data/rows.csv', 'data/imgs').code).toBe(0);
  expect(cli(dir, 'data', 'commit', '-m', 'v1').code).toBe(0);
  git(dir, 'tag', '-a', 'v1', '-m', 'first version'); // annotated: its commit is one object away
  // v2: bob's age changes, cy leaves, eve arrives, a score column appears; in the folder a file
  // is renamed, one modified, one added.
  writeFileSync(
    path.join(dir, 'data', 'rows.csv'),
    'id,name,age,score\n1,ann,30,0.5\n2,bob,41,0.25\n4,dee,60,1\n5,eve,70,0.75\n',
  );
  renameSync(path.join(dir, 'data', 'imgs', 'a.txt'), path.join(dir, 'data', 'imgs', 'z.txt'));
  writeFileSync(path.join(dir, 'data', 'imgs', 'b.txt'), 'bbbb');
  writeFileSync(path.join(dir, 'data', 'imgs', 'd.txt'), 'd');
  expect(cli(dir, 'data', 'add', 'data/rows.csv', 'data/imgs').code).toBe(0);
  expect(cli(dir, 'data', 'commit', '-m', 'v2').code).toBe(0);
  return dir;
}

describe('benchtop data diff (CLI)', () => {
  it('diffs a table by key and by content, a folder by its manifest, as JSON and as text', () => {
    const dir = project();
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const byKey = json(dir, 'data', 'diff', 'v1', head.slice(0, 7), 'data/rows.csv', '--key', 'id');
    expect(byKey.from).toMatchObject({ rev: 'v1', commit: git(dir, 'rev-parse', 'v1^{commit}').trim() });
    expect(byKey.to).toMatchObject({ commit: head, kind: 'file' });
    expect(byKey.identical).toBe(false);
    expect(byKey.table).toMatchObject({
      format: 'csv',
      matchedBy: 'key:id',
      rowsBefore: 4,
      rowsAfter: 4,
      rowsAdded: 1,
      rowsRemoved: 1,
      rowsChanged: 1,
      rowsUnchanged: 2,
      columnsAdded: [{ name: 'score', type: 'number' }],
      columnsRemoved: [],
      header: ['id', 'name', 'age', 'score'],
      sampleAdded: [['5', 'eve', '70', '0.75']],
      sampleRemoved: [['3', 'cy', '50', '']],
      sampleChanged: [
        { key: '2', before: ['2', 'bob', '40', ''], after: ['2', 'bob', '41', '0.25'], columns: ['age'] },
      ],
    });
    const age = byKey.table.stats.find((s: { column: string }) => s.column === 'age');
    expect(age.before).toMatchObject({ count: 4, nulls: 0, distinct: 4, mean: 45, min: 30, max: 60 });
    expect(age.after).toMatchObject({ mean: 50.25, min: 30, max: 70 });
    expect(byKey.table.stats.find((s: { column: string }) => s.column === 'score').before).toBeNull();

    const byContent = json(dir, 'data', 'diff', 'HEAD~1', 'HEAD', 'data/rows.csv');
    expect(byContent.table).toMatchObject({
      matchedBy: 'content',
      rowsAdded: 2,
      rowsRemoved: 2,
      rowsChanged: 0,
      rowsUnchanged: 2,
    });

    const folder = json(dir, 'data', 'diff', 'v1', 'HEAD', 'data/imgs');
    expect(folder.table).toBeNull();
    expect(folder.files).toEqual({
      added: [{ path: 'd.txt', size: 1 }],
      removed: [],
      modified: [{ path: 'b.txt', sizeBefore: 3, sizeAfter: 4 }],
      renamed: [{ from: 'a.txt', to: 'z.txt' }],
      unchanged: 1,
    });

    const text = cli(dir, 'data', 'diff', 'v1', 'HEAD', '--key', 'id');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('data/imgs  v1 (');
    expect(text.stdout).toContain('1 added, 0 removed, 1 modified, 1 renamed, 1 unchanged');
    expect(text.stdout).toContain('R a.txt → z.txt');
    expect(text.stdout).toMatch(
      /data\/rows\.csv {2}v1 \([0-9a-f]{7}\) → HEAD \([0-9a-f]{7}\): CSV, rows 4: \+1 added, -1 removed, 1 changed, 2 unchanged/,
    );
    expect(text.stdout).toContain('columns: +score (number)');
    expect(text.stdout).toMatch(/age\s+4\s+0\s+4\s+45 → 50\.25/);
    expect(text.stdout).toContain('id=2  age: "40" → "41"');
    // Every path that differs, as a JSON array; identical revs have nothing to say.
    expect(json<unknown[]>(dir, 'data', 'diff', 'v1', 'HEAD').map((d: any) => d.path)).toEqual([
      'data/imgs',
      'data/rows.csv',
    ]);
    expect(json<unknown[]>(dir, 'data', 'diff', 'HEAD', 'HEAD')).toEqual([]);
    expect(cli(dir, 'data', 'diff', 'HEAD', 'HEAD').stdout).toContain('No tracked data differs between HEAD and HEAD.');

    // Files that are not tables compare by hash and size; Parquet tables are diffed by rows.
    const parquet = (ids: number[], scores: number[]): Buffer =>
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'id', data: Int32Array.from(ids), type: 'INT32' },
            { name: 'score', data: Float64Array.from(scores), type: 'DOUBLE' },
          ],
        }),
      );
    writeFileSync(path.join(dir, 'data', 'model.bin'), 'abc');
    writeFileSync(path.join(dir, 'data', 't.parquet'), parquet([1, 2, 3], [0.5, 0.6, 0.7]));
    expect(cli(dir, 'data', 'add', 'data/model.bin', 'data/t.parquet').code).toBe(0);
    expect(readFileSync(path.join(dir, 'data', 't.parquet.bt'), 'utf8')).toMatch(/format: parquet\n\s+rows: 3\n/);
    expect(cli(dir, 'data', 'commit', '-m', 'v3').code).toBe(0);
    writeFileSync(path.join(dir, 'data', 'model.bin'), 'abcd');
    writeFileSync(path.join(dir, 'data', 't.parquet'), parquet([1, 2, 4], [0.5, 0.65, 0.9]));
    const other = cli(dir, 'data', 'diff', 'HEAD', 'workspace');
    expect(other.stdout).toMatch(
      /data\/model\.bin {2}HEAD \([0-9a-f]{7}\) → workspace: changed \(3 B → 4 B, sha256 [0-9a-f]{12} → [0-9a-f]{12}\)/,
    );
    expect(json(dir, 'data', 'diff', 'HEAD', 'workspace', 'data/t.parquet', '--key', 'id')).toMatchObject({
      table: {
        format: 'parquet',
        rowsBefore: 3,
        rowsAfter: 3,
        rowsAdded: 1,
        rowsRemoved: 1,
        rowsChanged: 1,
        rowsUnchanged: 1,
        matchedBy: 'key:id',
      },
    });
    expect(json(dir, 'data', 'diff', 'HEAD', 'workspace', 'data/model.bin')).toMatchObject({
      identical: false,
      table: null,
      files: null,
      from: { size: 3 },
      to: { size: 4 },
    });
    // A path tracked at only one of the revs shows up in the full diff, saying so.
    expect(json<any[]>(dir, 'data', 'diff', 'HEAD~1', 'HEAD').find((d) => d.path === 'data/model.bin')).toMatchObject({
      from: { hash: null },
      note: expect.stringContaining('is not tracked at HEAD~1'),
    });
  });

  it('compares HEAD with unsaved changes in the workspace', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'data', 'rows.csv'),
      'id,name,age,score\n1,ann,30,0.5\n2,bob,41,0.25\n4,dee,61,1\n5,eve,70,0.75\n6,fay,80,0\n',
    );
    const d = json(dir, 'data', 'diff', 'HEAD', 'workspace', 'data/rows.csv', '--key', 'id');
    expect(d.to).toMatchObject({ rev: 'workspace', commit: null });
    expect(d.table).toMatchObject({
      rowsAdded: 1,
      rowsRemoved: 0,
      rowsChanged: 1,
      sampleChanged: [{ key: '4', columns: ['age'] }],
    });
    // Nothing unsaved in the folder: only the table shows up.
    const all = cli(dir, 'data', 'diff', 'HEAD', 'workspace');
    expect(all.stdout).not.toContain('data/imgs');
    expect(all.stdout).toContain('data/rows.csv  HEAD (');
    expect(all.stdout).toContain('→ workspace: CSV, rows 4 → 5: +2 added, -1 removed, 3 unchanged');
  });

  it('refuses bad input, naming the rev, path or key and what to do', () => {
    const dir = project();
    const rev = cli(dir, 'data', 'diff', 'nope', 'HEAD');
    expect([rev.code, rev.stdout]).toEqual([1, '']);
    expect(rev.stderr).toContain('"nope" is not a commit, branch or tag of this repository, nor `workspace`');
    const untracked = cli(dir, 'data', 'diff', 'v1', 'HEAD', 'data/other.csv');
    expect(untracked.code).toBe(1);
    expect(untracked.stderr).toMatch(
      /data\/other\.csv is not tracked at v1 \([0-9a-f]{7}\)\. See the versions of data\/other\.csv with `benchtop data log data\/other\.csv`/,
    );
    const key = cli(dir, 'data', 'diff', 'v1', 'HEAD', 'data/rows.csv', '--key', 'zz');
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('There is no column "zz" in data/rows.csv at v1');
    const notTable = cli(dir, 'data', 'diff', 'v1', 'HEAD', 'data/imgs', '--key', 'id');
    expect(notTable.stderr).toContain('--key matches rows of a table, and data/imgs is not one');
    writeFileSync(path.join(dir, 'data', 'rows.csv'), 'id,name,age,score\n1,ann,30,0.5\n2,bob,41,0.25\n2,bo,42,0.25\n');
    const dup = cli(dir, 'data', 'diff', 'HEAD', 'workspace', 'data/rows.csv', '--key', 'id');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain(
      'The key column "id" is not unique in data/rows.csv at workspace: the value "2" appears again at data row 3.',
    );
    // The bytes of v1's table leave the cache: the diff says so and how to get them back.
    const v1 = JSON.parse(cli(dir, '--json', 'data', 'log', 'data/rows.csv').stdout).at(-1).pointer.hash as string;
    rmSync(path.join(dir, '.benchtop', 'cache', v1.slice(0, 2), v1.slice(2)));
    const missing = cli(dir, 'data', 'diff', 'v1', 'HEAD', 'data/rows.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('The data of data/rows.csv at v1 (');
    expect(missing.stderr).toContain('is not in the cache. Fetch it with `benchtop data pull`');
    // A corrupt object is caught while it streams.
    const v2 = JSON.parse(cli(dir, '--json', 'data', 'log', 'data/rows.csv').stdout)[0].pointer.hash as string;
    writeFileSync(path.join(dir, '.benchtop', 'cache', v2.slice(0, 2), v2.slice(2)), 'id,name,age,score\n9,x,1,1\n');
    const corrupt = cli(dir, 'data', 'diff', 'HEAD', 'workspace', 'data/rows.csv');
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain('is corrupt');
    expect(readdirSync(path.join(dir, 'data')).sort()).toEqual(['imgs', 'imgs.bt', 'rows.csv', 'rows.csv.bt']);
  });
});

describe('data.diff (contract)', () => {
  it('returns one path’s diff within the contract, and errors in its shape', async () => {
    const dir = project();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      const ok = await dispatch(
        core.handlers,
        'data.diff',
        { from: 'v1', to: 'HEAD', path: 'data/rows.csv', key: 'id' },
        { checkOutput: true },
      );
      expect(ok).toMatchObject({
        ok: true,
        value: { path: 'data/rows.csv', table: { rowsAdded: 1, rowsRemoved: 1, rowsChanged: 1 } },
      });
      const folder = await dispatch(
        core.handlers,
        'data.diff',
        { from: 'HEAD', to: 'workspace', path: 'data/imgs' },
        { checkOutput: true },
      );
      expect(folder).toMatchObject({ ok: true, value: { identical: true, files: { unchanged: 4 } } });
      expect(
        await dispatch(core.handlers, 'data.diff', { from: 'v9', to: 'HEAD', path: 'data/rows.csv' }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'rev' } });
      expect(await dispatch(core.handlers, 'data.diff', { from: 'v1', to: 'HEAD' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    } finally {
      core.close();
    }
  });
});
