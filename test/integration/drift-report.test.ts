import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { dispatch } from '../../shared/contract/dispatch';
import { BenchtopError } from '../../shared/contract/errors';
import { driftReport, type DriftReport } from '../../shared/contract/schemas';
import { commitData } from '../../electron/core/data/history';
import { addData } from '../../electron/core/data/track';
import { computeDriftReport, MAX_CATEGORIES, OTHER, rocAuc } from '../../electron/core/monitoring/drift';
import {
  chiSquare,
  countCategories,
  ks2samp,
  psi,
  smoothEmpty,
  sortedSample,
  wassersteinNormed,
} from '../../electron/core/monitoring/stats';
import { logArtifactFile } from '../../electron/core/tracking/artifacts';
import { createRun } from '../../electron/core/tracking/runs';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { git, ROOT, tmpDir } from '../support/helpers';

/** Deterministic uniform numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const normal = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

function write(dir: string, rel: string, text: string | Buffer): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const WORDS = ['quiet', 'river', 'stone', 'maple', 'orange', 'signal', 'window', 'garden', 'copper', 'meadow'];

/** A table of every column kind; `shift` moves the numeric column and tilts the categories. */
function mixed(rows: number, seed: number, shift: number): string {
  const r = rng(seed);
  const lines = ['num,cat,flag,level,note,when'];
  for (let i = 0; i < rows; i++) {
    const num = (normal(r) + shift).toFixed(6);
    const u = r();
    const cat = shift
      ? u < 0.55
        ? 'd'
        : u < 0.7
          ? 'a'
          : u < 0.85
            ? 'b'
            : 'c'
      : u < 0.25
        ? 'a'
        : u < 0.5
          ? 'b'
          : u < 0.75
            ? 'c'
            : 'd';
    const flag = r() < 0.3 ? 'yes' : 'no';
    const level = Math.floor(r() * 4);
    const note = `${WORDS[Math.floor(r() * 10)]} ${WORDS[Math.floor(r() * 10)]} ${WORDS[Math.floor(r() * 10)]} number ${i}`;
    const when = `2026-0${1 + (i % 9)}-1${i % 10}`;
    lines.push([num, cat, flag, level, `"${note}"`, when].join(','));
  }
  return lines.join('\n') + '\n';
}

function column(report: DriftReport, name: string) {
  const c = report.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

async function expectError(p: Promise<unknown>, code: string, message: RegExp): Promise<BenchtopError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BenchtopError);
  expect((err as BenchtopError).code).toBe(code);
  expect((err as BenchtopError).message).toMatch(message);
  return err as BenchtopError;
}

describe('drift report: inputs, column types and default tests', () => {
  it('infers each column type, picks the default test per column and matches the statistics run directly', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', mixed(400, 1, 0));
    write(dir, 'cur.csv', mixed(300, 2, 0.8));
    const seen: number[] = [];
    const report = await computeDriftReport(
      dir,
      null,
      { reference: 'ref.csv', current: 'cur.csv' },
      { onProgress: (p) => seen.push(p.rows) },
    );
    driftReport.parse(report);
    expect(seen).toContain(400);
    expect(seen).toContain(300);
    expect(report.reference).toMatchObject({ label: 'ref.csv', rows: 400, columns: 6 });
    expect(report.reference.hash).toMatch(/^[0-9a-f]{64}$/);
    const types = Object.fromEntries(report.columns.map((c) => [c.name, [c.type, c.test]]));
    expect(types).toEqual({
      num: ['numeric', 'ks'],
      cat: ['categorical', 'chisquare'],
      flag: ['categorical', 'z'],
      // Integers with at most 5 distinct values are categories (the statistics' NUMERIC_MIN_DISTINCT).
      level: ['categorical', 'chisquare'],
      note: ['text', null],
      when: ['datetime', null],
    });
    expect(column(report, 'note').problem).toMatch(/Text column/);
    expect(column(report, 'note').reference.distinct).toBe(400);
    expect(column(report, 'when').problem).toMatch(/Datetime column/);
    expect(column(report, 'when').reference).toMatchObject({
      min: Date.UTC(2026, 0, 10),
      max: Date.UTC(2026, 8, 19),
      top: [],
    });

    // The score equals the statistic computed on the same values parsed independently.
    const values = (text: string, i: number) =>
      text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[i]!);
    const refNum = sortedSample(values(mixed(400, 1, 0), 0).map(Number));
    const curNum = sortedSample(values(mixed(300, 2, 0.8), 0).map(Number));
    const num = column(report, 'num');
    expect(num.score).toBe(ks2samp(refNum, curNum).pvalue);
    expect(num.drifted).toBe(true);
    expect(num.reference.min).toBe(refNum[0]);
    expect(num.reference.mean).toBeCloseTo(refNum.reduce((s, v) => s + v, 0) / 400, 12);
    const cat = column(report, 'cat');
    expect(cat.score).toBe(
      chiSquare(countCategories(values(mixed(400, 1, 0), 1)), countCategories(values(mixed(300, 2, 0.8), 1))).pvalue,
    );
    expect(cat.drifted).toBe(true);
    expect(cat.histogram?.keys).toEqual(['a', 'b', 'c', 'd']);
    expect(cat.reference.top.length).toBe(4);
    expect(column(report, 'flag').drifted).toBe(false);
    const outside = [...curNum].filter((v) => v < refNum[0]! || v > refNum[refNum.length - 1]!).length / curNum.length;
    expect(num.quality.outOfRangeShare).toBeCloseTo(outside, 12);
    expect(num.quality.outOfRangeShare).toBeGreaterThan(0);
    expect(report.summary).toMatchObject({ columns: 6, tested: 4, shareThreshold: 0.5 });
    expect(report.summary.drifted).toBe(report.columns.filter((c) => c.drifted).length);
    expect(report.summary.datasetDrift).toBe(report.summary.share >= 0.5);
    expect(report.performance).toBeNull();
  });

  it('uses the distances above 1,000 reference rows, and the request overrides test, threshold and type per column', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', mixed(1001, 3, 0));
    write(dir, 'cur.csv', mixed(1000, 4, 0.3));
    const plain = await computeDriftReport(dir, null, { reference: 'ref.csv', current: 'cur.csv' });
    expect(column(plain, 'num').test).toBe('wasserstein');
    expect(column(plain, 'cat').test).toBe('jensenshannon');
    expect(column(plain, 'flag').test).toBe('jensenshannon');
    const text = (seed: number, rows: number, shift: number) =>
      mixed(rows, seed, shift)
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[0]));
    expect(column(plain, 'num').score).toBeCloseTo(
      wassersteinNormed(sortedSample(text(3, 1001, 0)), sortedSample(text(4, 1000, 0.3))),
      12,
    );

    const over = await computeDriftReport(dir, null, {
      reference: 'ref.csv',
      current: 'cur.csv',
      columns: {
        num: { test: 'psi', threshold: 0.5 },
        level: { type: 'numeric' },
        cat: { test: 'ks' },
        note: { type: 'categorical' },
        when: { test: 'ks' },
      },
      exclude: ['flag'],
      shareThreshold: 0.2,
    });
    driftReport.parse(over);
    const num = column(over, 'num');
    expect(num).toMatchObject({ test: 'psi', threshold: 0.5, scoreKind: 'distance' });
    expect(num.drifted).toBe(num.score! >= 0.5);
    const h = num.histogram!;
    expect(num.score).toBeCloseTo(
      psi(smoothEmpty(Float64Array.from(h.reference)), smoothEmpty(Float64Array.from(h.current))),
      12,
    );
    // Numeric by request, but with 4 distinct values the statistics' choice rule still tests it as categories.
    expect(column(over, 'level')).toMatchObject({ type: 'numeric', typeGiven: true, test: 'jensenshannon' });
    expect(column(over, 'level').reference.mean).not.toBeNull();
    // KS cannot test categories: reported on the column, the report still completes.
    expect(column(over, 'cat')).toMatchObject({ test: null, drifted: false });
    expect(column(over, 'cat').problem).toMatch(/Kolmogorov–Smirnov cannot apply: .*numeric/);
    expect(column(over, 'note')).toMatchObject({ type: 'categorical', test: 'jensenshannon' });
    // Rare notes are grouped so the histogram stays readable.
    expect(column(over, 'note').histogram!.keys!.length).toBe(MAX_CATEGORIES);
    expect(column(over, 'note').histogram!.keys).toContain(OTHER);
    expect(column(over, 'note').problem).toMatch(/rare categories grouped/);
    expect(column(over, 'when')).toMatchObject({ type: 'datetime', test: 'ks' });
    expect(over.columns.map((c) => c.name)).not.toContain('flag');
    expect(over.summary.shareThreshold).toBe(0.2);
    expect(over.summary.tested).toBe(4);

    await expectError(
      computeDriftReport(dir, null, { reference: 'ref.csv', current: 'cur.csv', columns: { nope: { test: 'ks' } } }),
      'INVALID_INPUT',
      /no column "nope"/,
    );
  });

  it('reads TSV, JSONL (a key first seen part-way) and Parquet like CSV, and a run artifact as a source', async () => {
    const ws = await project();
    const rows = [
      { a: 1.5, b: 'x', c: 1 },
      { a: 2.5, b: 'y', c: 2 },
      { a: 3.5, b: 'x', c: 3 },
      { a: 4.5, b: 'z', c: 4 },
      { a: 5.5, b: 'x', c: 5 },
      { a: 6.5, b: 'y', c: 6 },
      { a: 7.5, b: 'x', c: 7, extra: 'late' },
    ];
    write(ws.dir, 'r.tsv', ['a\tb\tc', ...rows.map((r) => `${r.a}\t${r.b}\t${r.c}`)].join('\n'));
    write(ws.dir, 'c.jsonl', rows.map((r) => JSON.stringify({ ...r, a: r.a + 10 })).join('\n') + '\n');
    const src = write(
      ws.dir,
      'out/c.csv',
      ['a,b,c', ...rows.map((r) => `${r.a + 10},${r.b},${r.c}`)].join('\r\n') + '\r\n',
    );
    const runId = createRun(ws.db, { name: 'scoring' });
    await logArtifactFile(ws.dir, ws.db, runId, 'batch/c.csv', src);
    const fromJsonl = await computeDriftReport(ws.dir, ws.db, { reference: 'r.tsv', current: 'c.jsonl' });
    const fromRun = await computeDriftReport(ws.dir, ws.db, {
      reference: path.join(ws.dir, 'r.tsv'),
      current: `run:${runId}/batch/c.csv`,
    });
    driftReport.parse(fromRun);
    expect(fromRun.current).toMatchObject({ label: `run:${runId}/batch/c.csv`, rows: 7, columns: 3 });
    expect(fromJsonl.onlyInCurrent).toEqual(['extra']);
    expect(fromJsonl.current.columns).toBe(4);
    for (const name of ['a', 'b', 'c']) expect(column(fromRun, name).score).toBe(column(fromJsonl, name).score);
    write(
      ws.dir,
      'c.parquet',
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'a', data: Float64Array.from(rows, (r) => r.a + 10), type: 'DOUBLE' },
            { name: 'b', data: rows.map((r) => r.b), type: 'STRING' },
            { name: 'c', data: Int32Array.from(rows, (r) => r.c), type: 'INT32' },
          ],
        }),
      ),
    );
    const fromParquet = await computeDriftReport(ws.dir, ws.db, { reference: 'r.tsv', current: 'c.parquet' });
    driftReport.parse(fromParquet);
    expect(fromParquet.current).toMatchObject({ rows: 7, columns: 3 });
    for (const name of ['a', 'b', 'c']) expect(column(fromParquet, name).score).toBe(column(fromJsonl, name).score);
    expect(column(fromRun, 'a').current).toMatchObject({ min: 11.5, max: 17.5, mean: 14.5 });
    expect(column(fromRun, 'a').quality.outOfRangeShare).toBe(1);
    await expectError(
      computeDriftReport(ws.dir, ws.db, { reference: 'r.tsv', current: `run:${runId}/batch/none.csv` }),
      'NOT_FOUND',
      /has no artifact batch\/none\.csv/,
    );
    ws.close();
  });

  it('reads a tracked dataset version from the cache at that commit, hash-checked', async () => {
    const ws = await project();
    write(ws.dir, 'data/x.csv', mixed(120, 5, 0));
    await addData(ws.dir, ws.db, ['data/x.csv']);
    const first = (await commitData(ws.dir, 'v1'))!.commit;
    write(ws.dir, 'data/x.csv', mixed(150, 6, 1));
    await addData(ws.dir, ws.db, ['data/x.csv']);
    await commitData(ws.dir, 'v2');
    git(ws.dir, 'tag', 'v2');
    const report = await computeDriftReport(ws.dir, ws.db, {
      reference: `data/x.csv@${first.slice(0, 8)}`,
      current: 'data/x.csv@v2',
    });
    expect(report.reference).toMatchObject({ label: `data/x.csv@${first.slice(0, 8)}`, rows: 120 });
    expect(report.current.rows).toBe(150);
    expect(column(report, 'num').drifted).toBe(true);
    await expectError(
      computeDriftReport(ws.dir, ws.db, { reference: 'data/x.csv@nosuchrev', current: 'data/x.csv' }),
      'NOT_FOUND',
      /nosuchrev/,
    );
    await expectError(
      computeDriftReport(ws.dir, ws.db, { reference: 'data/y.csv@v2', current: 'data/x.csv' }),
      'NOT_FOUND',
      /data\/y\.csv is not tracked/,
    );
    // A cache object whose bytes changed is refused rather than reported on.
    const objects = git(ws.dir, 'show', `${first}:data/x.csv.bt`);
    const hash = /hash: ([0-9a-f]{64})/.exec(objects)![1]!;
    const { dataStore } = await import('../../electron/core/data/track');
    const obj = dataStore(ws.dir).pathOf(hash);
    const { chmodSync } = await import('node:fs');
    chmodSync(obj, 0o644);
    writeFileSync(obj, mixed(120, 7, 0));
    await expectError(
      computeDriftReport(ws.dir, ws.db, { reference: `data/x.csv@${first}`, current: 'data/x.csv' }),
      'BAD_FILE',
      /corrupt/,
    );
    ws.close();
  });
});

async function project(): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  return Workspace.open(dir);
}

describe('drift report: bad input', () => {
  it('skips ragged rows, reports columns on one side only, all-missing and constant columns', async () => {
    const dir = tmpDir();
    const ref = [
      'id,a,gone,empty,same,grp',
      ...Array.from({ length: 30 }, (_, i) => `${i},${i % 7},${i},,5,g${i % 3}`),
    ];
    ref.splice(5, 0, '99,1,2');
    ref.splice(9, 0, '98,1,2,3,4,5,6,7');
    write(dir, 'ref.csv', ref.join('\n') + '\n');
    write(
      dir,
      'cur.csv',
      [
        'grp,same,empty,a,new,id',
        ...Array.from({ length: 20 }, (_, i) => `g${i % 4},5,NA,${(i % 7) + 0.5},x,${i}`),
      ].join('\n') + '\n',
    );
    const report = await computeDriftReport(dir, null, { reference: 'ref.csv', current: 'cur.csv', id: 'id' });
    driftReport.parse(report);
    expect(report.reference.rows).toBe(30);
    expect(report.problems).toEqual([
      {
        source: 'reference',
        message: "ref.csv: 2 rows skipped because the number of cells differs from the header's 6 (first at line 6).",
      },
    ]);
    expect(report.onlyInReference).toEqual(['gone']);
    expect(report.onlyInCurrent).toEqual(['new']);
    expect(column(report, 'id')).toMatchObject({
      role: 'id',
      test: null,
      problem: 'ID column: summarised, not tested.',
    });
    expect(column(report, 'empty')).toMatchObject({
      test: null,
      problem: 'Every value is missing on both sides.',
      quality: { missingShareReference: 1, missingShareCurrent: 1 },
    });
    const same = column(report, 'same');
    expect(same.quality).toMatchObject({ constantReference: true, constantCurrent: true });
    expect(same.reference.top).toEqual([{ value: '5', count: 30 }]);
    const grp = column(report, 'grp');
    expect(grp.quality).toMatchObject({ newCategoryRows: 5, newCategories: ['g3'] });
    // Numbers with fractions on one side make the whole column numeric.
    expect(column(report, 'a').type).toBe('numeric');
    // 6.5 (rows 6 and 16) is above the reference's maximum 6.
    expect(column(report, 'a').quality.outOfRangeShare).toBeCloseTo(2 / 20, 12);
  });

  it('names the file and line when the header is unusable or a quote never closes', async () => {
    const dir = tmpDir();
    write(dir, 'dup.csv', 'a,b,a\n1,2,3\n');
    write(dir, 'ok.csv', 'a,b\n1,2\n');
    write(dir, 'quote.csv', 'a,b\n1,"open\n2,3\n');
    write(dir, 'wrong.csv', 'a;b\n1,2,3\n4,5,6\n');
    await expectError(
      computeDriftReport(dir, null, { reference: 'dup.csv', current: 'ok.csv' }),
      'BAD_FILE',
      /^dup\.csv:1: the header names column "a" twice/,
    );
    await expectError(
      computeDriftReport(dir, null, { reference: 'ok.csv', current: 'quote.csv' }),
      'BAD_FILE',
      /^quote\.csv:2: a quoted field is never closed/,
    );
    await expectError(
      computeDriftReport(dir, null, { reference: 'wrong.csv', current: 'ok.csv' }),
      'BAD_FILE',
      /^wrong\.csv:1: the header has 1 columns but no row matches/,
    );
  });

  it('replaces bytes that are not UTF-8 and says so; refuses empty and missing files by name', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', 'city,n\nParis,1\nLyon,2\nParis,3\n');
    write(
      dir,
      'cur.csv',
      Buffer.concat([
        Buffer.from('city,n\nParis,1\n'),
        Buffer.from([0x4e, 0xee, 0x6d, 0x65, 0x73]),
        Buffer.from(',2\nLyon,3\n'),
      ]),
    );
    const report = await computeDriftReport(dir, null, { reference: 'ref.csv', current: 'cur.csv' });
    expect(report.problems).toEqual([
      {
        source: 'current',
        message: 'cur.csv: 1 cell had bytes that are not UTF-8, replaced by U+FFFD (first at line 3).',
      },
    ]);
    expect(column(report, 'city').quality.newCategories).toEqual(['N\uFFFDmes']);
    write(dir, 'empty.csv', '');
    write(dir, 'header.csv', 'city,n\n');
    write(dir, 'empty.jsonl', '\n');
    const empty = await expectError(
      computeDriftReport(dir, null, { reference: 'ref.csv', current: 'empty.csv' }),
      'BAD_FILE',
      /^empty\.csv is empty/,
    );
    expect(empty.field).toBe('current');
    expect(empty.hint).toMatch(/header line/);
    await expectError(
      computeDriftReport(dir, null, { reference: 'header.csv', current: 'ref.csv' }),
      'BAD_FILE',
      /^header\.csv has a header but no rows/,
    );
    await expectError(
      computeDriftReport(dir, null, { reference: 'empty.jsonl', current: 'ref.csv' }),
      'BAD_FILE',
      /^empty\.jsonl is empty/,
    );
    const missing = await expectError(
      computeDriftReport(dir, null, { reference: 'ref.csv', current: 'nope.csv' }),
      'NOT_FOUND',
      /^nope\.csv does not exist/,
    );
    expect(missing.field).toBe('current');
    expect(missing.hint).toBeTruthy();
    await expectError(
      computeDriftReport(dir, null, { reference: 'ref.csv', current: 'ref.txt@main' }),
      'NOT_FOUND',
      /no git repository/,
    );
    write(dir, 'notes.txt', 'a\n');
    await expectError(
      computeDriftReport(dir, null, { reference: 'ref.csv', current: 'notes.txt' }),
      'UNSUPPORTED',
      /not a table file/,
    );
  });
});

describe('drift report: worker threads', () => {
  it('reads both sides in the worker bundle with the same result as in this thread, and passes its errors on', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', mixed(300, 11, 0));
    write(
      dir,
      'cur.jsonl',
      mixed(200, 12, 0.5)
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.stringify({ num: Number(l.split(',')[0]), cat: l.split(',')[1] }))
        .join('\n'),
    );
    const workerFile = path.join(ROOT, 'dist', 'drift-read-worker.cjs');
    const now = new Date('2026-11-30T00:00:00Z');
    const progress: string[] = [];
    const threaded = await computeDriftReport(
      dir,
      null,
      { reference: 'ref.csv', current: 'cur.jsonl' },
      { workerFile, now, onProgress: (p) => progress.push(`${p.side}:${p.rows}`) },
    );
    const here = await computeDriftReport(
      dir,
      null,
      { reference: 'ref.csv', current: 'cur.jsonl' },
      { workerFile: null, now },
    );
    expect(threaded).toEqual(here);
    expect(progress).toEqual(expect.arrayContaining(['reference:300', 'current:200']));
    write(dir, 'empty.csv', '');
    const err = await expectError(
      computeDriftReport(dir, null, { reference: 'empty.csv', current: 'ref.csv' }, { workerFile }),
      'BAD_FILE',
      /^empty\.csv is empty/,
    );
    expect(err.field).toBe('reference');
    // A worker that cannot start leaves the read to this thread.
    const fallback = await computeDriftReport(
      dir,
      null,
      { reference: 'ref.csv', current: 'cur.jsonl' },
      { workerFile: path.join(dir, 'no-such-worker.cjs'), now },
    );
    expect(fallback).toEqual(here);
  });
});

describe('drift report through the contract', () => {
  it('drift.report takes a driftRequest (defaults filled) and returns a driftReport; bad input is refused with its field', async () => {
    const ws = await project();
    write(ws.dir, 'ref.csv', mixed(60, 21, 0));
    write(ws.dir, 'cur.csv', mixed(60, 22, 2));
    const dir = ws.dir;
    ws.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    const r = await dispatch(
      core.handlers,
      'drift.report',
      { reference: 'ref.csv', current: 'cur.csv', columns: { num: { test: 't_test' } } },
      { checkOutput: true },
    );
    if (!r.ok) throw new Error(r.error.message);
    const report = r.value as DriftReport;
    expect(report.summary.shareThreshold).toBe(0.5);
    expect(column(report, 'num')).toMatchObject({ test: 't_test', drifted: true });
    const bad = await dispatch(core.handlers, 'drift.report', {
      reference: 'ref.csv',
      current: 'cur.csv',
      columns: { num: { test: 'magic' } },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ code: 'INVALID_INPUT' });
    const missing = await dispatch(core.handlers, 'drift.report', { reference: 'ref.csv', current: 'none.csv' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'current' } });

    // drift.export writes the report into reports/, where the Reports view lists it as a drift report.
    const html = await dispatch(
      core.handlers,
      'drift.export',
      { reference: 'ref.csv', current: 'cur.csv', columns: { num: { test: 't_test' } } },
      { checkOutput: true },
    );
    if (!html.ok) throw new Error(html.error.message);
    expect(html.value).toMatchObject({
      path: expect.stringMatching(/^reports\/drift-cur-csv-.*\.html$/),
      datasetDrift: report.summary.datasetDrift,
      share: report.summary.share,
    });
    expect(readFileSync(path.join(dir, (html.value as { path: string }).path), 'utf8')).toContain('num');
    const json = await dispatch(
      core.handlers,
      'drift.export',
      { reference: 'ref.csv', current: 'cur.csv', format: 'json', file: 'weekly.json' },
      { checkOutput: true },
    );
    expect(json).toMatchObject({ ok: true, value: { path: 'reports/weekly.json' } });
    const again = await dispatch(core.handlers, 'drift.export', {
      reference: 'ref.csv',
      current: 'cur.csv',
      format: 'json',
      file: 'weekly.json',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });
    const listed = await dispatch(core.handlers, 'reports.list', {}, { checkOutput: true });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(JSON.stringify(listed.value)).toContain('"kind":"drift"');
    core.close();
  });
});

describe('drift report: model performance', () => {
  it('classification: accuracy, per-class and macro scores, confusion matrix and ROC AUC (hand-checked)', async () => {
    const dir = tmpDir();
    const rows = (ys: number[], ps: number[], ss: number[]) =>
      ['y,pred,score', ...ys.map((y, i) => `${y},${ps[i]},${ss[i]}`)].join('\n') + '\n';
    write(
      dir,
      'ref.csv',
      rows([1, 1, 1, 0, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0, 1, 0], [0.9, 0.4, 0.8, 0.2, 0.6, 0.1, 0.7, 0.3]),
    );
    // Current: class 1 is never predicted; scores tie across classes.
    write(dir, 'cur.csv', rows([1, 0, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0], [0.5, 0.5, 0.9, 0.1, 0.5, 0.5]));
    const report = await computeDriftReport(dir, null, {
      reference: 'ref.csv',
      current: 'cur.csv',
      target: 'y',
      prediction: 'pred',
      score: 'score',
    });
    driftReport.parse(report);
    expect(column(report, 'y').role).toBe('target');
    expect(column(report, 'pred').role).toBe('prediction');
    expect(column(report, 'y').test).toBe('z');
    const ref = report.performance!.reference;
    const cur = report.performance!.current;
    if (ref.kind !== 'classification' || cur.kind !== 'classification') throw new Error('expected classification');
    expect(ref.accuracy).toBe(0.75);
    expect(ref.confusion).toEqual({
      labels: ['0', '1'],
      matrix: [
        [3, 1],
        [1, 3],
      ],
    });
    expect(ref.perClass).toEqual([
      { label: '0', precision: 0.75, recall: 0.75, f1: 0.75, support: 4 },
      { label: '1', precision: 0.75, recall: 0.75, f1: 0.75, support: 4 },
    ]);
    // Positives .9 .4 .8 .7 against negatives .2 .6 .1 .3: 15 of 16 pairs ordered.
    expect(ref.rocAuc).toBe(15 / 16);
    expect(cur.accuracy).toBe(0.5);
    expect(cur.perClass[1]).toEqual({ label: '1', precision: 0, recall: 0, f1: 0, support: 3 });
    expect(cur.perClass[0]!.precision).toBe(0.5);
    expect(cur.perClass[0]!.f1).toBeCloseTo(2 / 3, 12);
    expect(cur.macro.f1).toBeCloseTo(1 / 3, 12);
    // Positives .5 .9 .5 against negatives .5 .1 .5, a tied pair counting half: 7 of 9.
    const pos = [0.5, 0.9, 0.5];
    const neg = [0.5, 0.1, 0.5];
    let pairs = 0;
    for (const p of pos) for (const n of neg) pairs += p > n ? 1 : p === n ? 0.5 : 0;
    expect(pairs).toBe(7);
    expect(cur.rocAuc).toBeCloseTo(7 / 9, 12);
  });

  it('ROC AUC by ranks matches scikit-learn’s documented example and averages ties', () => {
    expect(rocAuc(Float64Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from([0, 0, 1, 1]))).toBe(0.75);
    expect(rocAuc(Float64Array.from([0.5, 0.5, 0.5, 0.5]), Uint8Array.from([1, 0, 1, 0]))).toBe(0.5);
    expect(rocAuc(Float64Array.from([0.2, 0.3]), Uint8Array.from([1, 1]))).toBeNull();
  });

  it('string labels: multi-class without AUC', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', 'y,p\ncat,cat\ndog,cat\nbird,bird\ndog,dog\n');
    write(dir, 'cur.csv', 'y,p\ncat,dog\ndog,dog\nbird,cat\nfish,fish\n');
    const report = await computeDriftReport(dir, null, {
      reference: 'ref.csv',
      current: 'cur.csv',
      target: 'y',
      prediction: 'p',
    });
    const cur = report.performance!.current;
    if (cur.kind !== 'classification') throw new Error('expected classification');
    expect(cur.confusion.labels).toEqual(['bird', 'cat', 'dog', 'fish']);
    expect(cur.confusion.matrix).toEqual([
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    expect(cur.accuracy).toBe(0.5);
    expect(cur.rocAuc).toBeNull();
    expect(column(report, 'y').quality.newCategories).toEqual(['fish']);
  });

  it('regression: MAE, RMSE, MAPE and R² (scikit-learn’s documented example); MAPE is null when a target is 0', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', 'y,yhat\n3,2.5\n-0.5,0.0\n2,2\n7,8\n');
    write(dir, 'cur.csv', 'y,yhat\n0,1\n2.5,2\n4,4.5\n,3\n');
    const report = await computeDriftReport(dir, null, {
      reference: 'ref.csv',
      current: 'cur.csv',
      target: 'y',
      prediction: 'yhat',
    });
    driftReport.parse(report);
    const ref = report.performance!.reference;
    const cur = report.performance!.current;
    if (ref.kind !== 'regression' || cur.kind !== 'regression') throw new Error('expected regression');
    expect(ref.rows).toBe(4);
    expect(ref.mae).toBe(0.5);
    expect(ref.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(ref.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(ref.mape).toBeCloseTo((0.5 / 3 + 1 + 0 + 1 / 7) / 4, 12);
    expect(cur.rows).toBe(3);
    expect(cur.mape).toBeNull();
    expect(cur.mae).toBeCloseTo(2 / 3, 12);
  });

  it('no performance, with a problem, when the prediction exists on one side only', async () => {
    const dir = tmpDir();
    write(dir, 'ref.csv', 'y,p\n1,1\n0,0\n');
    write(dir, 'cur.csv', 'y\n1\n0\n');
    const report = await computeDriftReport(dir, null, {
      reference: 'ref.csv',
      current: 'cur.csv',
      target: 'y',
      prediction: 'p',
    });
    expect(report.performance).toBeNull();
    expect(report.problems).toEqual([
      { source: 'current', message: 'No performance: the current data has no column "p".' },
    ]);
    expect(report.onlyInReference).toEqual(['p']);
    await expectError(
      computeDriftReport(dir, null, { reference: 'ref.csv', current: 'cur.csv', target: 'label' }),
      'INVALID_INPUT',
      /no column "label"/,
    );
  });
});
