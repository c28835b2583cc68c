import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import {
  aliasMovePath,
  experimentPath,
  modelPath,
  monitorPartPath,
  monitorPath,
  parseRecordPath,
  runPath,
  versionPath,
} from '../../../../electron/core/sync/record-paths';
import { columns, dbAt, tables } from '../helpers';

const HASH = 'a'.repeat(64);
const AT = '2026-12-01T10:00:00.000Z';
const UID = /^[0-9a-f]{16}$/;

const dirty = (db: Database): string[] =>
  (db.prepare('SELECT path FROM record_dirty ORDER BY path').all() as { path: string }[]).map((r) => r.path);
const clean = (db: Database) => db.prepare('DELETE FROM record_dirty').run();
const uidsOf = (db: Database, table: string): string[] =>
  (db.prepare(`SELECT uid FROM ${table} ORDER BY rowid`).all() as { uid: string }[]).map((r) => r.uid);

/** One of everything that becomes a record, written as the app wrote it before version 22. */
function seed(db: Database, names = { experiment: 'Exp ✓', model: 'churn', monitor: 'drift ü' }): void {
  const exp = Number(db.prepare('INSERT INTO experiments (name) VALUES (?)').run(names.experiment).lastInsertRowid);
  db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES ('r1', ?, 'first', 'succeeded')`).run(exp);
  db.prepare(`INSERT INTO run_params (run_id, key, value) VALUES ('r1', 'lr', '0.1')`).run();
  db.prepare(`INSERT INTO run_metrics (run_id, key, step, at, value) VALUES ('r1', 'loss', 0, ?, 0.5)`).run(AT);
  db.prepare('INSERT INTO registered_models (name) VALUES (?)').run(names.model);
  db.prepare(`INSERT INTO model_versions (model_name, version, run_id) VALUES (?, 1, 'r1'), (?, 2, NULL)`).run(
    names.model,
    names.model,
  );
  db.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES (?, 'prod', 2)`).run(names.model);
  db.prepare(
    `INSERT INTO model_alias_log (model_name, alias, from_version, to_version, reason, at) VALUES (?, 'prod', NULL, 2, '', ?)`,
  ).run(names.model, AT);
  const monitor = Number(
    db.prepare(`INSERT INTO monitors (name, kind) VALUES (?, 'drift')`).run(names.monitor).lastInsertRowid,
  );
  const batch = Number(
    db
      .prepare(
        `INSERT INTO monitor_batches (monitor_id, label, path, hash, drift_share, share_threshold, dataset_drift,
           drifted_columns, tested_columns) VALUES (?, 'b1', 'data/b1.csv', ?, 0.6, 0.5, 1, 3, 5)`,
      )
      .run(monitor, HASH).lastInsertRowid,
  );
  db.prepare(
    `INSERT INTO monitor_alerts (monitor_id, batch_id, rule, message, value, threshold) VALUES (?, ?, 'drift_share >= 0.5', 'drifted', 0.6, 0.5)`,
  ).run(monitor, batch);
  db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (?, 'alert')`).run(monitor);
}

describe('migration 0022 sync records', () => {
  it('gives existing rows a uid, versions their registered number, and lists every record as changed', () => {
    const db = dbAt(21);
    seed(db);
    migrate(db, ':memory:');
    expect(tables(db)).toEqual(expect.arrayContaining(['record_dirty', 'sync_state']));
    for (const t of ['model_versions', 'model_alias_log', 'monitor_batches', 'monitor_alerts', 'monitor_checks']) {
      expect(columns(db, t)).toContain('uid');
      for (const uid of uidsOf(db, t)) expect(uid).toMatch(UID);
    }
    expect(db.prepare('SELECT version, registered_as FROM model_versions ORDER BY version').all()).toEqual([
      { version: 1, registered_as: 1 },
      { version: 2, registered_as: 2 },
    ]);
    const [v1, v2] = uidsOf(db, 'model_versions') as [string, string];
    expect(v1).not.toBe(v2);
    const [move] = uidsOf(db, 'model_alias_log') as [string];
    const [batch] = uidsOf(db, 'monitor_batches') as [string];
    const [alert] = uidsOf(db, 'monitor_alerts') as [string];
    const [check] = uidsOf(db, 'monitor_checks') as [string];
    expect(dirty(db)).toEqual(
      [
        'runs/r1.json',
        `experiments/${Buffer.from('Exp ✓').toString('hex').toUpperCase()}.json`,
        'models/churn/model.json',
        `models/churn/versions/${v1}.json`,
        `models/churn/versions/${v2}.json`,
        `models/churn/aliases/${move}.json`,
        `monitors/${Buffer.from('drift ü').toString('hex').toUpperCase()}/monitor.json`,
        `monitors/${Buffer.from('drift ü').toString('hex').toUpperCase()}/batches/${batch}.json`,
        `monitors/${Buffer.from('drift ü').toString('hex').toUpperCase()}/alerts/${alert}.json`,
        `monitors/${Buffer.from('drift ü').toString('hex').toUpperCase()}/checks/${check}.json`,
      ].sort(),
    );
    expect(db.prepare('SELECT count(*) AS n FROM record_dirty WHERE claim IS NOT NULL').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT * FROM sync_state').all()).toEqual([]);
  });

  describe('after migrating, triggers list the records a write changes', () => {
    let db: Database;
    let monitorId: number;
    beforeEach(() => {
      db = dbAt(22);
      seed(db);
      monitorId = (db.prepare('SELECT id FROM monitors').get() as { id: number }).id;
      clean(db);
    });

    it('a new metric point or a changed param lists its run', () => {
      db.prepare(`INSERT INTO run_metrics (run_id, key, step, at, value) VALUES ('r1', 'loss', 1, ?, 0.4)`).run(AT);
      expect(dirty(db)).toEqual(['runs/r1.json']);
      clean(db);
      db.prepare(`UPDATE run_params SET value = '0.2' WHERE run_id = 'r1' AND key = 'lr'`).run();
      expect(dirty(db)).toEqual(['runs/r1.json']);
      clean(db);
      db.prepare(`UPDATE runs SET notes = 'hi' WHERE id = 'r1'`).run();
      expect(dirty(db)).toEqual(['runs/r1.json']);
    });

    it('a version written without a uid gets one, and its record is listed', () => {
      db.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('churn', 3)`).run();
      const v = db.prepare('SELECT uid, registered_as FROM model_versions WHERE version = 3').get() as {
        uid: string;
        registered_as: number;
      };
      expect(v.uid).toMatch(UID);
      expect(v.registered_as).toBe(3);
      expect(dirty(db)).toEqual([versionPath('churn', v.uid)]);
      clean(db);
      // A tag on a version lists the version's record.
      db.prepare(
        `INSERT INTO model_version_tags (model_name, version, key, value) VALUES ('churn', 3, 'k', 'v')`,
      ).run();
      expect(dirty(db)).toEqual([versionPath('churn', v.uid)]);
    });

    it('a version written with a uid (a pull) keeps it and its registered number', () => {
      db.prepare(
        `INSERT INTO model_versions (model_name, version, uid, registered_as) VALUES ('churn', 4, '00000000000000ff', 3)`,
      ).run();
      expect(db.prepare('SELECT uid, registered_as FROM model_versions WHERE version = 4').get()).toEqual({
        uid: '00000000000000ff',
        registered_as: 3,
      });
      expect(dirty(db)).toEqual([versionPath('churn', '00000000000000ff')]);
    });

    it('removing a monitor lists it and each of its batches, alerts and checks', () => {
      db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (?, 'ok')`).run(monitorId);
      clean(db);
      const parts = [
        ...uidsOf(db, 'monitor_batches').map((u) => monitorPartPath('batches', 'drift ü', u)),
        ...uidsOf(db, 'monitor_alerts').map((u) => monitorPartPath('alerts', 'drift ü', u)),
        ...uidsOf(db, 'monitor_checks').map((u) => monitorPartPath('checks', 'drift ü', u)),
      ];
      expect(parts).toHaveLength(4);
      db.prepare('DELETE FROM monitors WHERE id = ?').run(monitorId);
      expect(db.prepare('SELECT count(*) AS n FROM monitor_batches').get()).toEqual({ n: 0 });
      expect(dirty(db)).toEqual([monitorPath('drift ü'), ...parts].sort());
    });

    it('a claimed record changed again is unclaimed; one listed and unclaimed stays so', () => {
      db.prepare(`INSERT INTO record_dirty (path, claim) VALUES ('runs/r1.json', 'flush-1')`).run();
      db.prepare(`INSERT INTO record_dirty (path, claim) VALUES ('models/churn/model.json', 'flush-1')`).run();
      db.prepare(`UPDATE runs SET starred = 1 WHERE id = 'r1'`).run();
      expect(db.prepare('SELECT path, claim FROM record_dirty ORDER BY path').all()).toEqual([
        { path: 'models/churn/model.json', claim: 'flush-1' },
        { path: 'runs/r1.json', claim: null },
      ]);
      db.prepare(`UPDATE runs SET starred = 0 WHERE id = 'r1'`).run();
      expect(db.prepare(`SELECT claim FROM record_dirty WHERE path = 'runs/r1.json'`).get()).toEqual({ claim: null });
      expect(dirty(db)).toEqual(['models/churn/model.json', 'runs/r1.json']);
    });
  });

  describe('paths built in SQL are the ones record-paths.ts builds and parses', () => {
    const anyName = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
    const safe = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${max - 1}}$`));

    it('for experiments, runs, models, versions and alias moves', () => {
      const db = dbAt(22);
      fc.assert(
        fc.property(anyName, safe(200), safe(100), (experiment, run, model) => {
          clean(db);
          const exp = Number(db.prepare('INSERT INTO experiments (name) VALUES (?)').run(experiment).lastInsertRowid);
          db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES (?, ?, 'x', 'running')`).run(run, exp);
          db.prepare('INSERT INTO registered_models (name) VALUES (?)').run(model);
          db.prepare('INSERT INTO model_versions (model_name, version) VALUES (?, 1)').run(model);
          db.prepare(`INSERT INTO model_alias_log (model_name, alias, to_version) VALUES (?, 'prod', 1)`).run(model);
          const v = (db.prepare('SELECT uid FROM model_versions').get() as { uid: string }).uid;
          const m = (db.prepare('SELECT uid FROM model_alias_log').get() as { uid: string }).uid;
          const expected = [
            experimentPath(experiment),
            runPath(run),
            modelPath(model),
            versionPath(model, v),
            aliasMovePath(model, m),
          ];
          expect(dirty(db)).toEqual([...expected].sort());
          expect(expected.map(parseRecordPath)).toEqual([
            { kind: 'experiment', name: experiment },
            { kind: 'run', id: run },
            { kind: 'model', model },
            { kind: 'version', model, uid: v },
            { kind: 'alias', model, uid: m },
          ]);
          db.exec('DELETE FROM model_alias_log; DELETE FROM model_versions; DELETE FROM registered_models;');
          db.exec('DELETE FROM runs; DELETE FROM experiments;');
        }),
        { numRuns: 200 },
      );
    });

    it('for monitors and their batches, alerts and checks', () => {
      const db = dbAt(22);
      fc.assert(
        fc.property(anyName, (name) => {
          clean(db);
          const id = Number(
            db.prepare(`INSERT INTO monitors (name, kind) VALUES (?, 'drift')`).run(name).lastInsertRowid,
          );
          const batch = db
            .prepare(
              `INSERT INTO monitor_batches (monitor_id, label, path, hash, drift_share, share_threshold, dataset_drift,
                 drifted_columns, tested_columns) VALUES (?, 'b', 'b.csv', ?, 0, 0.5, 0, 0, 1)`,
            )
            .run(id, HASH).lastInsertRowid;
          db.prepare(`INSERT INTO monitor_alerts (monitor_id, batch_id, rule, message) VALUES (?, ?, 'r', 'm')`).run(
            id,
            batch,
          );
          db.prepare(`INSERT INTO monitor_checks (monitor_id, status) VALUES (?, 'ok')`).run(id);
          const [b] = uidsOf(db, 'monitor_batches') as [string];
          const [a] = uidsOf(db, 'monitor_alerts') as [string];
          const [c] = uidsOf(db, 'monitor_checks') as [string];
          const expected = [
            monitorPath(name),
            monitorPartPath('batches', name, b),
            monitorPartPath('alerts', name, a),
            monitorPartPath('checks', name, c),
          ];
          expect(dirty(db)).toEqual([...expected].sort());
          expect(expected.map(parseRecordPath)).toEqual([
            { kind: 'monitor', monitor: name },
            { kind: 'batch', monitor: name, uid: b },
            { kind: 'alert', monitor: name, uid: a },
            { kind: 'check', monitor: name, uid: c },
          ]);
          // Removed: the same paths are listed again (the BEFORE DELETE trigger names the parts).
          clean(db);
          db.prepare('DELETE FROM monitors WHERE id = ?').run(id);
          expect(dirty(db)).toEqual([...expected].sort());
        }),
        { numRuns: 200 },
      );
    });
  });
});
