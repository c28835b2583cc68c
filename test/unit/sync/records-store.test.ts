// Records written to and read from a real git repository (the git CLI, as the app runs it) and a
// real database file. vitest.config.mts points HOME and GIT_CONFIG_GLOBAL at a temporary home, so
// neither the user's git settings nor their files are read or written here.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../../electron/core/store/database';
import { parseRecordPath } from '../../../electron/core/sync/record-paths';
import {
  databaseCommit,
  recordBytes,
  flushRecords,
  importRecords,
  RECORDS_REF,
  unwrittenRecords,
} from '../../../electron/core/sync/records-store';
import { git, tmpDir } from '../../support/helpers';

const AT = '2026-03-01T12:00:00.000Z';
const HASH = 'd'.repeat(64);

function project(): { dir: string; db: Database } {
  const dir = tmpDir('bt-records-');
  git(dir, 'init', '-q');
  return { dir, db: openDatabase(path.join(dir, 'benchtop.db')) };
}

/** A bit of everything that becomes a record. */
function seed(db: Database): void {
  const exp = db.prepare(`INSERT INTO experiments (name, description) VALUES ('baseline ✓', 'first')`).run();
  db.prepare(
    `INSERT INTO runs (id, experiment_id, name, status, started_at, notes) VALUES ('r1', ?, 'first', 'succeeded', ?, 'n')`,
  ).run(exp.lastInsertRowid, AT);
  db.prepare(`INSERT INTO run_params (run_id, key, value) VALUES ('r1', 'lr', '0.1'), ('r1', 'depth', '3')`).run();
  db.prepare(`INSERT INTO run_tags (run_id, key, value) VALUES ('r1', 'team', 'a')`).run();
  const point = db.prepare(`INSERT INTO run_metrics (run_id, key, step, at, value) VALUES ('r1', ?, ?, ?, ?)`);
  point.run('loss', 0, AT, 0.5);
  point.run('loss', 1, AT, 0.25);
  point.run('loss', 2, AT, null);
  point.run('ratio', 0, AT, Infinity);
  db.prepare(
    `INSERT INTO run_stages (run_id, stage, position, status, duration_ms, attempts) VALUES ('r1', 'train', 0, 'succeeded', 12, 1)`,
  ).run();
  db.prepare(
    `INSERT INTO run_artifacts (run_id, stage, role, path, hash) VALUES ('r1', 'train', 'out', 'm.pkl', ?)`,
  ).run(HASH);
  db.prepare(
    `INSERT INTO run_inputs (run_id, dataset, context, version) VALUES ('r1', 'data/x.csv', 'training', 'v1')`,
  ).run();
  db.prepare(`INSERT INTO registered_models (name, description) VALUES ('churn', 'm')`).run();
  db.prepare(
    `INSERT INTO model_versions (model_name, version, run_id) VALUES ('churn', 1, 'r1'), ('churn', 2, NULL)`,
  ).run();
  db.prepare(`INSERT INTO model_version_tags (model_name, version, key, value) VALUES ('churn', 2, 'k', 'v')`).run();
  db.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES ('churn', 'prod', 2)`).run();
  db.prepare(
    `INSERT INTO model_alias_log (model_name, alias, from_version, to_version, at) VALUES ('churn', 'prod', NULL, 1, ?), ('churn', 'prod', 1, 2, ?)`,
  ).run(AT, '2026-03-02T00:00:00.000Z');
  const monitor = db
    .prepare(`INSERT INTO monitors (name, kind) VALUES ('weekly drift', 'drift')`)
    .run().lastInsertRowid;
  const batch = db
    .prepare(
      `INSERT INTO monitor_batches (monitor_id, label, path, hash, drift_share, share_threshold, dataset_drift,
         drifted_columns, tested_columns) VALUES (?, 'w1', 'data/w1.csv', ?, 0.6, 0.5, 1, 3, 5)`,
    )
    .run(monitor, HASH).lastInsertRowid;
  db.prepare(
    `INSERT INTO monitor_alerts (monitor_id, batch_id, rule, message, value, threshold) VALUES (?, ?, 'drift_share >= 0.5', 'drifted', 0.6, 0.5)`,
  ).run(monitor, batch);
  db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (?, 'alert'), (?, 'ok')`).run(monitor, monitor);
}

const dirtyPaths = (db: Database): string[] =>
  (db.prepare('SELECT path FROM record_dirty ORDER BY path').all() as { path: string }[]).map((r) => r.path);
const treePaths = (dir: string, rev = RECORDS_REF): string[] =>
  git(dir, 'ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean).sort();
const commits = (dir: string): number => Number(git(dir, 'rev-list', '--count', RECORDS_REF).trim());
const blob = (dir: string, p: string, rev = RECORDS_REF): string => git(dir, 'cat-file', 'blob', `${rev}:${p}`);

/** A record as the read* functions give it from `db`, as its canonical JSON (null: gone). */
function readBack(db: Database, p: string): string | null {
  const r = parseRecordPath(p);
  if (!r) throw new Error(`not a record path: ${p}`);
  return recordBytes(db, r);
}

describe('flushRecords', () => {
  it('writes every changed record as one commit on the records ref, and then nothing until a change', async () => {
    const p = project();
    seed(p.db);
    const listed = dirtyPaths(p.db);
    expect(listed).toHaveLength(12);
    const first = await flushRecords(p);
    expect(first.written).toBe(12);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(p.dir, 'rev-parse', RECORDS_REF).trim()).toBe(first.commit);
    expect(treePaths(p.dir)).toEqual(listed);
    for (const f of listed) expect(blob(p.dir, f)).toBe(readBack(p.db, f));
    const r1 = JSON.parse(blob(p.dir, 'runs/r1.json'));
    expect(r1.metrics).toEqual({
      loss: [
        [0, AT, 0.5],
        [1, AT, 0.25],
        [2, AT, null],
      ],
      ratio: [[0, AT, 'Infinity']],
    });
    expect(r1).toMatchObject({
      experiment: 'baseline ✓',
      params: { lr: '0.1', depth: '3' },
      stages: { train: { position: 0, status: 'succeeded', durationMs: 12, attempts: 1 } },
      artifacts: { 'train\tout\tm.pkl': { hash: HASH } },
      inputs: { 'data/x.csv\ttraining': 'v1' },
    });
    expect(unwrittenRecords(p.db)).toBe(0);
    expect(databaseCommit(p.db)).toBe(first.commit);
    // No scratch refs are left behind.
    expect(git(p.dir, 'for-each-ref', '--format=%(refname)', 'refs/benchtop/').trim()).toBe(RECORDS_REF);

    // Nothing changed: no commit.
    expect(await flushRecords(p)).toEqual({ written: 0, commit: first.commit });
    expect(commits(p.dir)).toBe(1);

    // A change and a removal: one more commit, with the run rewritten and the check gone.
    p.db.prepare(`UPDATE run_params SET value = '0.2' WHERE key = 'lr'`).run();
    const gone = (p.db.prepare(`SELECT uid FROM monitor_checks WHERE status = 'ok'`).get() as { uid: string }).uid;
    p.db.prepare('DELETE FROM monitor_checks WHERE uid = ?').run(gone);
    const second = await flushRecords(p);
    expect(second.written).toBe(2);
    expect(commits(p.dir)).toBe(2);
    expect(git(p.dir, 'rev-parse', `${RECORDS_REF}^`).trim()).toBe(first.commit);
    expect(JSON.parse(blob(p.dir, 'runs/r1.json')).params).toEqual({ depth: '3', lr: '0.2' });
    expect(treePaths(p.dir)).toEqual(listed.filter((f) => !f.endsWith(`/${gone}.json`)));
    expect(unwrittenRecords(p.db)).toBe(0);
    p.db.close();
  });

  it('leaves listed a record whose row changed while it was claimed', async () => {
    const p = project();
    seed(p.db);
    // As a flush does it, by hand: claim, a write meanwhile (the trigger unclaims), unlist the claimed.
    p.db.prepare(`UPDATE record_dirty SET claim = 'flush-1'`).run();
    p.db.prepare(`UPDATE runs SET starred = 1 WHERE id = 'r1'`).run();
    p.db.prepare(`DELETE FROM record_dirty WHERE claim = 'flush-1'`).run();
    expect(dirtyPaths(p.db)).toEqual(['runs/r1.json']);

    // And for real: a write made while flushRecords is writing the commit.
    p.db.prepare(`UPDATE record_dirty SET claim = NULL`).run();
    p.db.prepare(`INSERT INTO record_dirty (path) SELECT 'models/churn/model.json'`).run();
    const flushing = flushRecords(p); // claims synchronously, then waits on git
    p.db.prepare(`UPDATE registered_models SET description = 'changed meanwhile'`).run();
    const r = await flushing;
    expect(r.written).toBe(2);
    expect(JSON.parse(blob(p.dir, 'models/churn/model.json')).description).toBe('m');
    expect(dirtyPaths(p.db)).toEqual(['models/churn/model.json']);
    // The next flush writes it.
    await flushRecords(p);
    expect(JSON.parse(blob(p.dir, 'models/churn/model.json')).description).toBe('changed meanwhile');
    expect(dirtyPaths(p.db)).toEqual([]);
    p.db.close();
  });
});

describe('importRecords', () => {
  it('rebuilds a fresh database whose records read back the same', async () => {
    const p = project();
    seed(p.db);
    const { commit } = await flushRecords(p);
    const fresh = openDatabase(path.join(tmpDir('bt-records-db-'), 'fresh.db'));
    const result = await importRecords({ dir: p.dir, db: fresh }, null, commit!);
    expect(result).toMatchObject({ runs: 1, models: 1, monitors: 1, renumbered: [], notes: [] });
    const paths = treePaths(p.dir);
    for (const f of paths) {
      const again = readBack(fresh, f);
      expect(again, f).toBe(readBack(p.db, f));
      expect(again, f).toBe(blob(p.dir, f));
    }
    expect(fresh.prepare('SELECT alias, version FROM model_aliases').all()).toEqual([{ alias: 'prod', version: 2 }]);
    expect(unwrittenRecords(fresh)).toBe(0);
    expect(databaseCommit(fresh)).toBe(commit);
    // Imported rows are what the records say: flushing the fresh database writes nothing.
    expect(await flushRecords({ dir: p.dir, db: fresh })).toEqual({ written: 0, commit });
    fresh.close();
    p.db.close();
  });
});
