// Unit tests of the Data view's pure helpers: badges, restore summaries, stat shifts, pairs, entries.
import { describe, expect, it } from 'vitest';
import type { DataDiff, DataFile, DataStatusRow } from '../../../shared/contract';
import {
  entryPath,
  fileEntries,
  needsCommit,
  orderPair,
  progressPercent,
  restoreSummary,
  shapeText,
  statShift,
  statusBadges,
  trackedOwner,
  relativeInside,
} from '../../../renderer/src/sections/data/data-format';

function row(over: Partial<DataStatusRow>): DataStatusRow {
  return {
    path: 'data/a.csv',
    pointer: 'data/a.csv.bt',
    kind: 'file',
    size: 10,
    files: 1,
    rows: 2,
    hash: 'c'.repeat(64),
    workspace: 'unchanged',
    inCache: true,
    git: 'committed',
    problem: null,
    ...over,
  };
}

const stats = (mean: number | null, nulls = 0) => ({
  count: 3,
  nulls,
  distinct: 3,
  mean,
  std: null,
  min: null,
  max: null,
});

function tableDiff(over: Partial<NonNullable<DataDiff['table']>> = {}): DataDiff {
  return {
    path: 'data/train.csv',
    from: { rev: 'workspace', commit: null, hash: 'a'.repeat(64), size: 100 },
    to: { rev: 'abc', commit: 'abc', hash: 'b'.repeat(64), size: 90 },
    identical: false,
    files: null,
    table: {
      format: 'csv',
      rowsBefore: 1204,
      rowsAfter: 1100,
      columnsAdded: [{ name: 'x', type: 'number' }],
      columnsRemoved: [{ name: 'y', type: 'string' }],
      columnsRetyped: [{ name: 'z', before: 'integer', after: 'number' }],
      matchedBy: 'content',
      rowsAdded: 0,
      rowsRemoved: 104,
      rowsChanged: 0,
      rowsUnchanged: 1100,
      stats: [],
      header: [],
      sampleAdded: [],
      sampleRemoved: [],
      sampleChanged: [],
      ...over,
    },
  };
}

describe('statusBadges', () => {
  it('maps each workspace, cache and git state to a badge', () => {
    expect(statusBadges(row({})).map((b) => b.label)).toEqual(['unchanged']);
    expect(statusBadges(row({ workspace: 'modified', git: 'changed' })).map((b) => [b.label, b.tone])).toEqual([
      ['modified', 'warn'],
      ['not committed', 'warn'],
    ]);
    expect(statusBadges(row({ workspace: 'deleted', inCache: false, git: 'new' })).map((b) => b.label)).toEqual([
      'deleted',
      'missing from cache',
      'not committed',
    ]);
    expect(statusBadges(row({ git: 'no-repository' })).map((b) => b.label)).toEqual(['unchanged']);
  });

  it('shows a bad pointer with its message and nothing else', () => {
    const badges = statusBadges(
      row({ workspace: null, kind: null, problem: 'data/a.csv.bt:3: hash must be a sha256 hash' }),
    );
    expect(badges).toEqual([
      { label: 'bad pointer', tone: 'bad', detail: 'data/a.csv.bt:3: hash must be a sha256 hash' },
    ]);
    expect(statusBadges(row({ workspace: null }))[0]!.detail).toBe('data/a.csv.bt could not be read.');
  });

  it('asks for a commit only when a pointer is new or changed', () => {
    expect(needsCommit([row({}), row({ git: 'no-repository' })])).toBe(false);
    expect(needsCommit([row({}), row({ git: 'new' })])).toBe(true);
  });
});

describe('restoreSummary', () => {
  it('says rows before and after, columns changed, and which', () => {
    expect(restoreSummary(tableDiff())).toEqual([
      'data/train.csv: 1,204 rows → 1,100 rows; 3 columns changed',
      'Rows: 104 removed.',
      'Columns: +x, −y, z integer→number.',
    ]);
  });

  it('leaves out column changes when there are none', () => {
    expect(
      restoreSummary(
        tableDiff({ columnsAdded: [], columnsRemoved: [], columnsRetyped: [], rowsChanged: 2, rowsRemoved: 0 }),
      ),
    ).toEqual(['data/train.csv: 1,204 rows → 1,100 rows', 'Rows: 2 changed.']);
  });

  it('covers identical data, a missing workspace copy, folders and other files', () => {
    const base = tableDiff();
    expect(restoreSummary({ ...base, identical: true })).toEqual([
      'data/train.csv: already matches this version; nothing will change.',
    ]);
    expect(restoreSummary({ ...base, from: { ...base.from, hash: null } })).toEqual([
      'data/train.csv: missing from the workspace; it will be brought back (90 B).',
    ]);
    const files = {
      added: [{ path: 'a', size: 1 }],
      removed: [],
      modified: [
        { path: 'b', sizeBefore: 1, sizeAfter: 2 },
        { path: 'c', sizeBefore: 1, sizeAfter: 2 },
      ],
      renamed: [],
      unchanged: 4,
    };
    expect(restoreSummary({ ...base, table: null, files })).toEqual(['data/train.csv: 1 file added, 2 files modified']);
    expect(restoreSummary({ ...base, table: null, note: 'Parquet has no row diff in this build.' })).toEqual([
      'data/train.csv: content differs (100 B → 90 B)',
      'Parquet has no row diff in this build.',
    ]);
  });
});

describe('statShift and formatting', () => {
  it('shows before → after only when the value moved', () => {
    expect(statShift(stats(5.84), stats(6.1), 'mean')).toEqual({ text: '5.84 → 6.1', changed: true });
    expect(statShift(stats(2), stats(2), 'mean')).toEqual({ text: '2', changed: false });
    expect(statShift(null, stats(1, 3), 'nulls')).toEqual({ text: '— → 3', changed: true });
    expect(statShift(stats(null), stats(null), 'mean')).toEqual({ text: '—', changed: false });
  });

  it('clamps progress and knows when the total is unknown', () => {
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 3)).toBe(100);
    expect(progressPercent(0, 0)).toBeNull();
  });

  it('describes a shape as rows for tables and files for folders', () => {
    expect(shapeText('file', 1204, 1)).toBe('1,204 rows');
    expect(shapeText('folder', null, 1)).toBe('1 file');
    expect(shapeText('file', null, 1)).toBe('—');
  });
});

describe('orderPair', () => {
  const order = ['workspace', 'c3', 'c2', 'c1'];
  it('puts the older rev first whatever the ticking order', () => {
    expect(orderPair(['c3', 'c1'], order)).toEqual(['c1', 'c3']);
    expect(orderPair(['workspace', 'c2'], order)).toEqual(['c2', 'workspace']);
    expect(orderPair(['c2'], order)).toBeNull();
  });
});

describe('fileEntries', () => {
  const file = (p: string): DataFile => ({
    path: p,
    size: 10,
    modifiedAt: '2026-01-01T00:00:00Z',
    rows: null,
    columns: [],
    gitStatus: 'untracked',
  });
  it('groups sub-folders before their files and marks what a tracked path versions', () => {
    const tracked = [row({ path: 'data/images', kind: 'folder' }), row({ path: 'data/a.csv' })];
    const entries = fileEntries(
      [
        file('data/a.csv'),
        file('data/b.csv'),
        file('data/images/1.png'),
        file('data/images/2.png'),
        file('data/raw/x.txt'),
      ],
      tracked,
    );
    expect(entries.map((e) => [e.kind, entryPath(e), e.owner])).toEqual([
      ['file', 'data/a.csv', 'data/a.csv'],
      ['file', 'data/b.csv', null],
      ['folder', 'data/images', 'data/images'],
      ['file', 'data/images/1.png', 'data/images'],
      ['file', 'data/images/2.png', 'data/images'],
      ['folder', 'data/raw', null],
      ['file', 'data/raw/x.txt', null],
    ]);
    expect(entries.find((e) => e.kind === 'folder')).toMatchObject({ files: 2, size: 20 });
    // A sibling with a common prefix is not inside the tracked folder.
    expect(trackedOwner('data/images2/a.png', tracked)).toBeNull();
  });
});

describe('relativeInside (a dropped file in the desktop app)', () => {
  it('gives the project-relative path of files inside the project, and null for anything else', () => {
    expect(relativeInside('/home/ada/proj', '/home/ada/proj/data/train.csv')).toBe('data/train.csv');
    expect(relativeInside('/home/ada/proj/', '/home/ada/proj/data')).toBe('data');
    expect(relativeInside('/home/ada/proj', '/home/ada/proj')).toBeNull();
    expect(relativeInside('/home/ada/proj', '/home/ada/project2/x.csv')).toBeNull();
    expect(relativeInside('/home/ada/proj', '/home/ada/proj/../secret.csv')).toBeNull();
    expect(relativeInside('C:\\Users\\Ada\\Proj', 'c:\\users\\ada\\proj\\data\\a.csv')).toBe('data/a.csv');
    expect(relativeInside('C:\\Users\\Ada\\Proj', 'D:\\data\\a.csv')).toBeNull();
  });
});
