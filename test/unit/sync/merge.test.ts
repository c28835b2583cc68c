// Merging two machines' records: mergeJson's algebra (fast-check) and mergeTrees on whole records.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeJson, mergeTrees } from '../../../electron/core/sync/merge';
import { aliasMovePath, runPath, versionPath } from '../../../electron/core/sync/record-paths';
import {
  type AliasMoveRecord,
  canonicalJson,
  type RunRecord,
  type VersionRecord,
} from '../../../electron/core/sync/records';

type Json = Exclude<Parameters<typeof mergeJson>[0], undefined>;

// Few keys and few leaves, so that the three sides often touch the same fields.
const key = fc.constantFrom('a', 'b', 'c', 'd');
const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y', ''));
const { value } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));
const record = fc.dictionary(key, value, { maxKeys: 4 });
/** Three sides that share a base, as they do in a merge. */
const sides = record.chain((b) =>
  fc.tuple(
    fc.constant(b),
    fc.oneof(
      fc.constant(b),
      record.map((o) => ({ ...b, ...o })),
    ),
    fc.oneof(
      fc.constant(b),
      record.map((t) => ({ ...b, ...t })),
    ),
  ),
);
// Metric-point lists: [step, at, value], possibly the same step and time with other values.
const point = fc.tuple(
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'),
  fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 })),
);
const metrics = fc.dictionary(fc.constantFrom('loss', 'acc'), fc.array(point, { maxLength: 4 }), { maxKeys: 2 });

const merge = (b: Json | undefined, o: Json | undefined, t: Json | undefined) => mergeJson(b, o, t, '', []);
const c = (v: Json | undefined) => canonicalJson(v ?? null);

describe('mergeJson', () => {
  it('takes the one side that changed, or the side both agree on', () => {
    fc.assert(
      fc.property(record, record, (b, o) => {
        expect(c(merge(b, o, o))).toBe(c(o));
        expect(c(merge(b, b, o))).toBe(c(o));
        expect(c(merge(b, o, b))).toBe(c(o));
      }),
      { numRuns: 1000 },
    );
  });

  it('is symmetric: both machines reach the same record whichever merges', () => {
    fc.assert(
      fc.property(sides, ([b, o, t]) => {
        const fo: string[] = [];
        const ft: string[] = [];
        expect(c(mergeJson(b, o, t, '', fo))).toBe(c(mergeJson(b, t, o, '', ft)));
        expect([...fo].sort()).toEqual([...ft].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it('is symmetric for metric points, whatever their order or duplicates', () => {
    fc.assert(
      fc.property(metrics, metrics, metrics, (b, o, t) => {
        expect(c(merge({ metrics: b }, { metrics: o }, { metrics: t }))).toBe(
          c(merge({ metrics: b }, { metrics: t }, { metrics: o })),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('a key one side removed and the other left alone is removed, even when it held null', () => {
    // Both sides changed the record, so it is merged key by key.
    const b = { x: { a: null, b: 1 } };
    expect(merge(b, { x: { a: null, b: 2 } }, { x: { b: 1 } })).toEqual({ x: { b: 2 } });
    expect(merge(b, { x: { b: 1 } }, { x: { a: null, b: 2 } })).toEqual({ x: { b: 2 } });
    // Added as null on one side only: kept, whichever side that is.
    expect(merge({}, { d: 'x' }, { a: null })).toEqual({ a: null, d: 'x' });
    expect(merge({}, { a: null }, { d: 'x' })).toEqual({ a: null, d: 'x' });
  });

  it('keeps both sides’ metric points in step order, and names the fields both set', () => {
    const fields: string[] = [];
    const merged = mergeJson(
      { params: { lr: '0.1' }, m: [[0, 't0', 1]], notes: '' },
      {
        params: { lr: '0.2' },
        m: [
          [0, 't0', 1],
          [2, 't2', 3],
        ],
        notes: 'ours',
      },
      {
        params: { lr: '0.3' },
        m: [
          [0, 't0', 1],
          [1, 't1', 2],
        ],
        notes: '',
      },
      '',
      fields,
    );
    expect(merged).toEqual({
      params: { lr: '0.3' },
      m: [
        [0, 't0', 1],
        [1, 't1', 2],
        [2, 't2', 3],
      ],
      notes: 'ours',
    });
    expect(fields).toEqual(['params.lr']);
  });
});

// ---- whole trees ------------------------------------------------------------------------------

const blobs = new Map<string, Buffer>();
const blob = (v: unknown): string => {
  const bytes = Buffer.from(canonicalJson(v));
  const id = createHash('sha1').update(bytes).digest('hex');
  blobs.set(id, bytes);
  return id;
};
const read = (id: string): Buffer => blobs.get(id)!;
const tree = (entries: Record<string, unknown>) =>
  new Map(Object.entries(entries).map(([p, v]) => [p, blob(v)] as [string, string]));
const decoded = (changes: Map<string, Buffer | null>) =>
  Object.fromEntries([...changes].map(([p, b]) => [p, b ? JSON.parse(b.toString()) : null]));

const run = (extra: Partial<RunRecord> = {}): RunRecord => ({
  id: 'r1',
  experiment: 'default',
  name: 'r1',
  status: 'succeeded',
  kind: 'script',
  trigger: 'manual',
  source: '',
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: null,
  deletedAt: null,
  gitCommit: null,
  gitDirty: null,
  parentId: null,
  notes: '',
  starred: 0,
  params: { lr: '0.1' },
  tags: {},
  metrics: {},
  stages: {},
  artifacts: {},
  inputs: {},
  ...extra,
});

const V1 = '00000000000000a1';
const version = (extra: Partial<VersionRecord> = {}): VersionRecord => ({
  uid: V1,
  registeredAs: 1,
  runId: 'r1',
  createdAt: '2026-01-01T00:00:00Z',
  artifactPath: 'model.pkl',
  artifactKind: 'file',
  artifactHash: null,
  size: 1,
  files: 1,
  format: 'pickle',
  source: 'run',
  paramsJson: '{}',
  metricsJson: '{}',
  dataJson: '[]',
  gitCommit: null,
  signatureJson: null,
  description: '',
  intendedUse: '',
  limitations: '',
  predict: null,
  archivedAt: null,
  updatedAt: null,
  tags: {},
  ...extra,
});

describe('mergeTrees', () => {
  const R = runPath('r1');

  it('takes a record only theirs changed, and leaves one only ours changed', () => {
    const base = tree({ [R]: run(), 'runs/r2.json': run({ id: 'r2' }) });
    const ours = tree({ [R]: run(), 'runs/r2.json': run({ id: 'r2', notes: 'ours' }) });
    const theirs = tree({ [R]: run({ notes: 'theirs' }), 'runs/r2.json': run({ id: 'r2' }), 'runs/r3.json': run() });
    const out = mergeTrees({ base, ours, theirs, read });
    expect(decoded(out.changes)).toEqual({ [R]: run({ notes: 'theirs' }), 'runs/r3.json': run() });
    expect(out.conflicts).toEqual([]);
  });

  it('keeps both sides’ changes to different keys of one record', () => {
    const base = tree({ [R]: run() });
    const ours = tree({ [R]: run({ params: { lr: '0.1', depth: '3' } }) });
    const theirs = tree({ [R]: run({ params: { lr: '0.1', seed: '7' }, tags: { team: 'a' } }) });
    const out = mergeTrees({ base, ours, theirs, read });
    expect(decoded(out.changes)).toEqual({
      [R]: run({ params: { lr: '0.1', depth: '3', seed: '7' }, tags: { team: 'a' } }),
    });
    expect(out.conflicts).toEqual([]);
  });

  it('names a field both sides set, and keeps the value that sorts last, on either machine', () => {
    const base = tree({ [R]: run() });
    const ours = tree({ [R]: run({ params: { lr: '0.2' } }) });
    const theirs = tree({ [R]: run({ params: { lr: '0.3' } }) });
    const out = mergeTrees({ base, ours, theirs, read });
    expect(decoded(out.changes)).toEqual({ [R]: run({ params: { lr: '0.3' } }) });
    expect(out.conflicts).toEqual([{ path: R, message: 'run r1: both sides changed params.lr; kept "0.3".' }]);
    // The other machine merges the other way round: nothing to change, the same conflict.
    const back = mergeTrees({ base, ours: theirs, theirs: ours, read });
    expect(back.changes.size).toBe(0);
    expect(back.conflicts).toEqual(out.conflicts);
  });

  it('names the kept value of a field whose key has dots (params such as optimizer.lr)', () => {
    const base = tree({ [R]: run({ params: { 'optimizer.lr': '0.1' } }) });
    const ours = tree({ [R]: run({ params: { 'optimizer.lr': '0.2' } }) });
    const theirs = tree({ [R]: run({ params: { 'optimizer.lr': '0.3' } }) });
    expect(mergeTrees({ base, ours, theirs, read }).conflicts).toEqual([
      { path: R, message: 'run r1: both sides changed params.optimizer.lr; kept "0.3".' },
    ]);
  });

  it('keeps a record removed on one side and changed on the other, and says so', () => {
    const base = tree({ [R]: run() });
    const changed = tree({ [R]: run({ notes: 'kept' }) });
    const removed = tree({});
    const a = mergeTrees({ base, ours: removed, theirs: changed, read });
    expect(decoded(a.changes)).toEqual({ [R]: run({ notes: 'kept' }) });
    const b = mergeTrees({ base, ours: changed, theirs: removed, read });
    expect(b.changes.size).toBe(0);
    for (const out of [a, b])
      expect(out.conflicts).toEqual([
        { path: R, message: 'run r1 was removed on one side and changed on the other; the changed record is kept.' },
      ]);
  });

  it('removes a record only theirs removed', () => {
    const base = tree({ [R]: run() });
    expect(decoded(mergeTrees({ base, ours: base, theirs: tree({}), read }).changes)).toEqual({ [R]: null });
  });

  it('restores a version archived on ours when theirs moved an alias onto it', () => {
    const VP = versionPath('churn', V1);
    const move: AliasMoveRecord = {
      uid: '00000000000000b1',
      alias: 'prod',
      from: null,
      to: { uid: V1, version: 1 },
      reason: '',
      at: '2026-02-01T00:00:00Z',
    };
    const base = tree({ [VP]: version() });
    const ours = tree({ [VP]: version({ archivedAt: '2026-02-02T00:00:00Z' }) });
    const theirs = tree({ [VP]: version(), [aliasMovePath('churn', move.uid)]: move });
    const out = mergeTrees({ base, ours, theirs, read });
    const merged = decoded(out.changes);
    expect(merged[aliasMovePath('churn', move.uid)]).toEqual(move);
    expect(merged[VP]).toEqual(version({ archivedAt: null }));
    expect(out.conflicts).toEqual([
      {
        path: VP,
        message:
          'churn: the version registered as 1 was archived on one side while @prod was moved to it on the other; it is restored, as an alias needs a live version.',
      },
    ]);
    // And the other way round: the archive comes from theirs, the move was ours.
    const back = mergeTrees({ base, ours: theirs, theirs: ours, read });
    expect(decoded(back.changes)).toEqual({ [VP]: version({ archivedAt: null }) });
    expect(back.conflicts.map((x) => x.path)).toEqual([VP]);
  });
});
