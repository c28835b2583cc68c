import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0019 prediction scan', () => {
  it('numbers changes to logged predictions per model, bumps the log epoch on deletes and moves, and keeps per-monitor marks and windows', () => {
    const db = dbAt(18);
    db.prepare(
      `INSERT INTO prediction_requests (request_id, model_name, version, at, status, latency_ms, records) VALUES ('r1', 'iris', 1, '2026-11-30T00:00:00.000Z', 200, 3, 4)`,
    ).run();
    const log = db.prepare(
      `INSERT INTO predictions (request_id, record_id, model_name, version, at, input_json, output_json) VALUES ('r1', ?, ?, 1, '2026-11-30T00:00:00.000Z', '{}', '1')`,
    );
    log.run('a', 'iris');
    migrate(db, ':memory:');
    expect(columns(db, 'predictions')).toContain('changed_seq');
    expect(tables(db)).toEqual(
      expect.arrayContaining(['prediction_log_epoch', 'monitor_log_marks', 'monitor_log_windows']),
    );
    // Rows logged before the migration, and new ones, start unchanged.
    log.run('b', 'iris');
    log.run('c', 'wine');
    log.run('d', 'iris');
    const seqs = () => db.prepare(`SELECT record_id AS r, changed_seq AS s FROM predictions ORDER BY id`).all();
    expect(seqs()).toEqual([
      { r: 'a', s: 0 },
      { r: 'b', s: 0 },
      { r: 'c', s: 0 },
      { r: 'd', s: 0 },
    ]);

    // A label joined, then another, then a relabel: each change takes the model's next number.
    const label = db.prepare(
      `UPDATE predictions SET label_json = ?, labeled_at = '2026-12-01T00:00:00.000Z' WHERE record_id = ?`,
    );
    label.run('"x"', 'b');
    label.run('"y"', 'c');
    label.run('"x"', 'a');
    label.run('"z"', 'b');
    expect(seqs()).toEqual([
      { r: 'a', s: 2 },
      { r: 'b', s: 3 },
      { r: 'c', s: 1 },
      { r: 'd', s: 0 },
    ]);
    // Other columns (the labeled_at stamp alone) do not count as a change of the window's content.
    db.prepare(`UPDATE predictions SET labeled_at = 'later' WHERE record_id = 'd'`).run();
    expect(seqs()).toContainEqual({ r: 'd', s: 0 });
    // The partial index answers the newest change of a model.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM predictions WHERE model_name = 'iris' AND changed_seq > 0 AND changed_seq > 1`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('predictions_by_change');

    // Deleting or moving a prediction bumps the log's epoch (a deleted id can be taken again by any model).
    const epoch = () => (db.prepare(`SELECT epoch FROM prediction_log_epoch`).get() as { epoch: number }).epoch;
    expect(epoch()).toBe(0);
    db.prepare(`DELETE FROM predictions WHERE record_id = 'd'`).run();
    expect(epoch()).toBe(1);
    db.prepare(`UPDATE predictions SET at = '2026-11-29T00:00:00.000Z' WHERE record_id = 'a'`).run();
    expect(epoch()).toBe(2);
    db.prepare(`UPDATE predictions SET model_name = 'wine' WHERE record_id = 'b'`).run();
    expect(epoch()).toBe(3);
    expect(() => db.prepare(`INSERT INTO prediction_log_epoch (id, epoch) VALUES (2, 0)`).run()).toThrow(/CHECK/);

    // Marks and windows belong to a monitor and go with it; a window is either calendar bounds or an id range.
    db.prepare(`INSERT INTO monitors (name, kind, config) VALUES ('live', 'drift', '{}')`).run();
    db.prepare(
      `INSERT INTO monitor_log_marks (monitor_id, source, epoch, max_id, max_seq, seen, canonical) VALUES (1, '[]', 0, 4, 3, 3, 1)`,
    ).run();
    const win = db.prepare(
      `INSERT INTO monitor_log_windows (monitor_id, label, start_at, end_at, first_id, last_id, rows, hash) VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
    );
    win.run('2026-11-30', '2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z', null, null, null, 'a'.repeat(64));
    win.run('records-1-2', null, null, 1, 2, 2, null);
    expect(() => win.run('broken', null, null, null, null, null, null)).toThrow(/CHECK/);
    expect(() =>
      win.run('short', '2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', null, null, null, 'abc'),
    ).toThrow(/CHECK/);
    expect(() =>
      win.run('2026-11-30', '2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z', null, null, null, null),
    ).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(`DELETE FROM monitors WHERE id = 1`).run();
    expect(
      db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM monitor_log_marks) AS marks, (SELECT COUNT(*) FROM monitor_log_windows) AS windows`,
        )
        .get(),
    ).toEqual({ marks: 0, windows: 0 });
  });
});
