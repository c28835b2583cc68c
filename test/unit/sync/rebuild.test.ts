// Rebuilding a model's and a monitor's rows from their records: version numbers and aliases follow
// from the records alone (the same on every machine), and this machine's own state follows them.
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../electron/core/store/migrations';
import { numberVersions, rebuildModel, rebuildMonitor, resolveAliases } from '../../../electron/core/sync/rebuild';
import type {
  AlertRecord,
  AliasMoveRecord,
  BatchRecord,
  CheckRecord,
  VersionRecord,
} from '../../../electron/core/sync/records';
import { columns, dbAt } from '../store/helpers';

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
const t = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
const u = (n: number) => n.toString(16).padStart(16, '0');

type Numbered = Pick<VersionRecord, 'uid' | 'registeredAs' | 'createdAt'>;
const v = (uid: string, registeredAs: number, createdAt: string): Numbered => ({ uid, registeredAs, createdAt });

const move = (
  uid: string,
  alias: string,
  to: string | null,
  at: string,
  from: AliasMoveRecord['from'] = null,
  version = 1,
): AliasMoveRecord => ({ uid, alias, from, to: to === null ? null : { uid: to, version }, reason: '', at });

describe('numberVersions', () => {
  it('keeps the numbers versions were registered as when no two claim one', () => {
    const n = numberVersions([v(u(1), 1, t(1)), v(u(2), 2, t(3)), v(u(3), 5, t(2))]);
    expect(Object.fromEntries(n)).toEqual({ [u(1)]: 1, [u(2)]: 2, [u(3)]: 5 });
  });

  it('gives a number claimed twice to the earlier version, then the smaller uid; the rest move up', () => {
    const later = v(u(1), 3, t(5));
    const earlier = v(u(9), 3, t(4));
    const four = v(u(2), 4, t(6));
    expect(Object.fromEntries(numberVersions([later, four, earlier]))).toEqual({ [u(9)]: 3, [u(1)]: 4, [u(2)]: 5 });
    // Registered at the same moment: the smaller uid keeps the number.
    expect(Object.fromEntries(numberVersions([v(u(8), 3, t(1)), v(u(7), 3, t(1))]))).toEqual({
      [u(7)]: 3,
      [u(8)]: 4,
    });
  });

  const versions = fc.uniqueArray(
    fc.record({
      uid: fc.integer({ min: 0, max: 0xffff }).map(u),
      registeredAs: fc.integer({ min: 1, max: 6 }),
      createdAt: fc.integer({ min: 1, max: 4 }).map(t),
    }),
    { selector: (x) => x.uid, maxLength: 12 },
  );

  it('does not depend on the order the versions come in', () => {
    fc.assert(
      fc.property(
        versions.chain((vs) => fc.tuple(fc.constant(vs), fc.shuffledSubarray(vs, { minLength: vs.length }))),
        ([vs, shuffled]) => {
          expect(numberVersions(shuffled)).toEqual(numberVersions(vs));
        },
      ),
    );
  });

  it('numbers strictly increase in (registered as, time, uid) order, never below the registered number', () => {
    fc.assert(
      fc.property(versions, (vs) => {
        const n = numberVersions(vs);
        const order = [...vs].sort(
          (a, b) =>
            a.registeredAs - b.registeredAs ||
            (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.uid < b.uid ? -1 : 1),
        );
        const numbers = order.map((x) => n.get(x.uid)!);
        for (let i = 1; i < numbers.length; i++) expect(numbers[i]!).toBeGreaterThan(numbers[i - 1]!);
        for (const x of vs) expect(n.get(x.uid)!).toBeGreaterThanOrEqual(x.registeredAs);
        // A number nobody else claimed is kept.
        const claims = new Map<number, number>();
        for (const x of vs) claims.set(x.registeredAs, (claims.get(x.registeredAs) ?? 0) + 1);
        if ([...claims.values()].every((c) => c === 1)) for (const x of vs) expect(n.get(x.uid)).toBe(x.registeredAs);
      }),
    );
  });
});

describe('resolveAliases', () => {
  const live = new Set([u(1), u(2)]);

  it('replays moves in time order: the last one decides, whatever order they come in', () => {
    const moves = [move(u(12), 'prod', u(2), t(2)), move(u(11), 'prod', u(1), t(1)), move(u(13), 'dev', u(1), t(3))];
    expect(resolveAliases(moves, live)).toEqual([
      { alias: 'dev', uid: u(1), note: null },
      { alias: 'prod', uid: u(2), note: null },
    ]);
    expect(resolveAliases([...moves].reverse(), live)).toEqual(resolveAliases(moves, live));
  });

  it('a removal (to: null) removes the alias', () => {
    const moves = [move(u(11), 'prod', u(1), t(1)), move(u(12), 'prod', null, t(2), { uid: u(1), version: 1 })];
    expect(resolveAliases(moves, live)).toEqual([{ alias: 'prod', uid: null, note: null }]);
  });

  it('a move onto a version gone elsewhere leaves the alias on the latest earlier live target, with a note', () => {
    const moves = [
      move(u(11), 'prod', u(1), t(1)),
      move(u(12), 'prod', u(2), t(2)),
      move(u(13), 'prod', u(5), t(3), null, 7),
      move(u(14), 'prod', u(6), t(4), null, 8),
    ];
    const [a] = resolveAliases(moves, live);
    expect(a).toMatchObject({ alias: 'prod', uid: u(2) });
    expect(a!.note).toBe(
      '@prod was moved to version 8, which was deleted elsewhere; it stays on the version it pointed to before (registered as 1)',
    );
  });

  it('a move onto a gone version after a removal leaves the alias removed, not on the target before it', () => {
    const moves = [
      move(u(11), 'prod', u(1), t(1)),
      move(u(12), 'prod', null, t(2), { uid: u(1), version: 1 }),
      move(u(13), 'prod', u(5), t(3), null, 7),
    ];
    expect(resolveAliases(moves, live)).toEqual([
      { alias: 'prod', uid: null, note: '@prod was moved to version 7, which was deleted elsewhere; it is removed' },
    ]);
  });

  it('with no earlier live target the alias is removed, with a note', () => {
    const [a] = resolveAliases([move(u(13), 'prod', u(5), t(3), null, 7)], live);
    expect(a).toEqual({
      alias: 'prod',
      uid: null,
      note: '@prod was moved to version 7, which was deleted elsewhere; it is removed',
    });
  });
});

// ---- against a database at the latest schema ----------------------------------------------------

const version = (uid: string, registeredAs: number, createdAt: string, extra: Partial<VersionRecord> = {}) =>
  ({
    uid,
    registeredAs,
    runId: 'r1',
    createdAt,
    artifactPath: `model-${uid}.pkl`,
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
  }) satisfies VersionRecord;

function projectDb(): Database {
  const db = dbAt(LATEST);
  const exp = db.prepare(`INSERT INTO experiments (name) VALUES ('default')`).run().lastInsertRowid;
  db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r1', ?, 'r1', 'succeeded')`).run(exp);
  return db;
}

function logPrediction(db: Database, request: string, version: number): void {
  db.prepare(
    `INSERT INTO prediction_requests (request_id, model_name, version, at, status, latency_ms) VALUES (?, 'churn', ?, ?, 200, 1)`,
  ).run(request, version, t(9));
  db.prepare(
    `INSERT INTO predictions (request_id, record_id, model_name, version, at, input_json) VALUES (?, '0', 'churn', ?, ?, '{}')`,
  ).run(request, version, t(9));
}

describe('rebuildModel', () => {
  it('numbers versions, replays alias moves, follows renumbering in the prediction log and keeps local trust', () => {
    const db = projectDb();
    expect(columns(db, 'predictions')).toEqual(expect.arrayContaining(['model_name', 'version']));
    // This machine registered churn/3 (trusted here) and churn/4, and logged predictions with both.
    const [X, Z, Y] = [u(0xa), u(0xb), u(0xc)];
    db.prepare(`INSERT INTO registered_models (name) VALUES ('churn')`).run();
    db.prepare(
      `INSERT INTO model_versions (model_name, version, uid, registered_as, created_at, predict_trusted_at)
       VALUES ('churn', 3, ?, 3, ?, 'trusted-here'), ('churn', 4, ?, 4, ?, NULL)`,
    ).run(X, t(5), Z, t(6));
    logPrediction(db, 'q3', 3);
    logPrediction(db, 'q4', 4);

    // Another machine registered its own churn/3 earlier (Y): it keeps 3, X becomes 4, Z becomes 5.
    const result = rebuildModel(db, 'churn', {
      model: { name: 'churn', description: 'd', createdAt: t(1), updatedAt: t(6) },
      versions: [
        version(X, 3, t(5), { tags: { stage: 'candidate' } }),
        version(Z, 4, t(6), { runId: 'purged-elsewhere' }),
        version(Y, 3, t(4), { tags: { team: 'b' } }),
      ],
      moves: [
        move(u(0x11), 'prod', X, t(7), null, 3),
        move(u(0x12), 'staging', Y, t(6), null, 3),
        move(u(0x13), 'prod', Z, t(8), { uid: X, version: 3 }, 4),
        move(u(0x14), 'prod', X, t(9), { uid: Z, version: 4 }, 3),
      ],
    });

    expect(
      db
        .prepare('SELECT uid, version, registered_as, run_id, predict_trusted_at FROM model_versions ORDER BY version')
        .all(),
    ).toEqual([
      { uid: Y, version: 3, registered_as: 3, run_id: 'r1', predict_trusted_at: null },
      { uid: X, version: 4, registered_as: 3, run_id: 'r1', predict_trusted_at: 'trusted-here' },
      { uid: Z, version: 5, registered_as: 4, run_id: null, predict_trusted_at: null },
    ]);
    expect(db.prepare('SELECT version, key, value FROM model_version_tags ORDER BY version').all()).toEqual([
      { version: 3, key: 'team', value: 'b' },
      { version: 4, key: 'stage', value: 'candidate' },
    ]);
    expect(
      db.prepare('SELECT alias, from_version, to_version, at, uid FROM model_alias_log ORDER BY id').all(),
    ).toEqual([
      { alias: 'staging', from_version: null, to_version: 3, at: t(6), uid: u(0x12) },
      { alias: 'prod', from_version: null, to_version: 4, at: t(7), uid: u(0x11) },
      { alias: 'prod', from_version: 4, to_version: 5, at: t(8), uid: u(0x13) },
      { alias: 'prod', from_version: 5, to_version: 4, at: t(9), uid: u(0x14) },
    ]);
    expect(db.prepare('SELECT alias, version FROM model_aliases ORDER BY alias').all()).toEqual([
      { alias: 'prod', version: 4 },
      { alias: 'staging', version: 3 },
    ]);
    // The predictions (and their requests) made with X (was 3) and Z (was 4) follow them to 4 and 5.
    for (const table of ['predictions', 'prediction_requests'])
      expect(db.prepare(`SELECT request_id, version FROM ${table} ORDER BY request_id`).all(), table).toEqual([
        { request_id: 'q3', version: 4 },
        { request_id: 'q4', version: 5 },
      ]);
    expect(result.renumbered).toEqual([
      { uid: X, registeredAs: 3, before: 3, now: 4 },
      { uid: Z, registeredAs: 4, before: 4, now: 5 },
    ]);
    expect(result.aliasNotes).toEqual([]);
    expect(db.prepare(`SELECT description FROM registered_models WHERE name = 'churn'`).get()).toEqual({
      description: 'd',
    });
  });

  it('removes the model when none of its records is left', () => {
    const db = projectDb();
    db.prepare(`INSERT INTO registered_models (name) VALUES ('churn')`).run();
    db.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('churn', 1)`).run();
    db.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES ('churn', 'prod', 1)`).run();
    rebuildModel(db, 'churn', { model: null, versions: [], moves: [] });
    expect(db.prepare('SELECT count(*) AS n FROM registered_models').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM model_versions').get()).toEqual({ n: 0 });
  });
});

describe('rebuildMonitor', () => {
  const HASH = 'b'.repeat(64);
  const batch = (uid: string, checkedAt: string, hash = HASH): BatchRecord => ({
    uid,
    seq: 1,
    label: `batch ${uid}`,
    path: 'data/week1.csv',
    hash,
    checkedAt,
    rows: 10,
    driftShare: 0.6,
    shareThreshold: 0.5,
    datasetDrift: 1,
    driftedColumns: 3,
    testedColumns: 5,
    columnsJson: '[]',
    performanceJson: null,
    reportPath: null,
    servingJson: null,
  });
  const alert = (uid: string, b: string | null, at: string, acknowledgedAt: string | null = null): AlertRecord => ({
    uid,
    seq: 1,
    batch: b,
    rule: 'drift_share >= 0.5',
    message: 'drifted',
    value: 0.6,
    threshold: 'Infinity',
    at,
    acknowledgedAt,
    runId: null,
  });
  const check = (uid: string, ranAt: string): CheckRecord => ({ uid, seq: 1, status: 'alert', summary: '{}', ranAt });

  it('keeps one check of a batch both machines checked, and merges their alerts, acknowledged if either was', () => {
    const db = projectDb();
    const id = Number(db.prepare(`INSERT INTO monitors (name, kind) VALUES ('weekly', 'drift')`).run().lastInsertRowid);
    const [B1, B2, B3] = [u(0xb1), u(0xb2), u(0xb3)];
    rebuildMonitor(db, 'weekly', {
      monitor: { name: 'weekly', kind: 'drift', config: '{"a":1}', createdAt: t(1), seq: 1 },
      // B1 and B2: the same file, the same bytes, checked on two machines; B2 first.
      batches: [batch(B1, t(3)), batch(B2, t(2)), batch(B3, t(4), 'c'.repeat(64))],
      alerts: [
        alert(u(0xa1), B1, t(3), t(5)),
        alert(u(0xa2), B2, t(2)),
        alert(u(0xa3), B3, t(4)),
        alert(u(0xa4), null, t(1)),
      ],
      checks: [check(u(0xc2), t(3)), check(u(0xc1), t(2))],
    });
    expect(db.prepare('SELECT id, config FROM monitors').all()).toEqual([{ id, config: '{"a":1}' }]);
    const batches = db.prepare('SELECT id, uid, checked_at FROM monitor_batches ORDER BY checked_at').all() as {
      id: number;
      uid: string;
    }[];
    expect(batches.map((b) => b.uid)).toEqual([B2, B3]);
    const batchUid = new Map(batches.map((b) => [b.id, b.uid]));
    const alerts = (
      db.prepare('SELECT uid, batch_id, at, acknowledged_at, threshold FROM monitor_alerts ORDER BY at').all() as {
        uid: string;
        batch_id: number | null;
        at: string;
        acknowledged_at: string | null;
        threshold: number;
      }[]
    ).map((a) => ({ ...a, batch_id: a.batch_id === null ? null : batchUid.get(a.batch_id) }));
    expect(alerts).toEqual([
      { uid: u(0xa4), batch_id: null, at: t(1), acknowledged_at: null, threshold: Infinity },
      { uid: u(0xa2), batch_id: B2, at: t(2), acknowledged_at: t(5), threshold: Infinity },
      { uid: u(0xa3), batch_id: B3, at: t(4), acknowledged_at: null, threshold: Infinity },
    ]);
    expect(db.prepare('SELECT uid FROM monitor_checks ORDER BY id').all()).toEqual([
      { uid: u(0xc1) },
      { uid: u(0xc2) },
    ]);

    // Without its monitor record the monitor goes, with everything under it.
    rebuildMonitor(db, 'weekly', { monitor: null, batches: [], alerts: [], checks: [] });
    expect(db.prepare('SELECT count(*) AS n FROM monitors').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM monitor_batches').get()).toEqual({ n: 0 });
  });
});
