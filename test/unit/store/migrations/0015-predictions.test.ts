import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt, tables } from '../helpers';

describe('migration 0015 predictions', () => {
  it('adds deployments, requests and predictions; a request id is unique and its predictions go with it', () => {
    const db = dbAt(14);
    db.prepare(`INSERT INTO monitors (name, kind, config) VALUES ('weekly', 'drift', '{}')`).run();
    migrate(db, ':memory:');
    expect(tables(db)).toEqual(expect.arrayContaining(['deployments', 'prediction_requests', 'predictions']));
    expect(columns(db, 'predictions')).toEqual(
      expect.arrayContaining([
        'request_id',
        'record_id',
        'model_name',
        'version',
        'input_json',
        'output_json',
        'label_json',
        'labeled_at',
      ]),
    );
    expect(db.prepare('SELECT name FROM monitors').get()).toEqual({ name: 'weekly' });
    db.prepare(
      `INSERT INTO deployments (id, ref, model_name, host, port, workers, pid) VALUES ('d1', 'iris@champion', 'iris', '127.0.0.1', 8080, 2, 1)`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO deployments (id, ref, model_name, host, port, workers, pid) VALUES ('d2', 'iris@champion', 'iris', '127.0.0.1', 8080, 0, 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    const req = db.prepare(
      `INSERT INTO prediction_requests (request_id, deployment_id, model_name, version, at, status, latency_ms, records) VALUES (?, 'd1', 'iris', 1, '2026-11-30T00:00:00Z', 200, 3.5, 1)`,
    );
    req.run('r1');
    expect(() => req.run('r1')).toThrow(/UNIQUE/);
    db.prepare(
      `INSERT INTO predictions (request_id, record_id, model_name, version, at, input_json, output_json) VALUES ('r1', 'x', 'iris', 1, '2026-11-30T00:00:00Z', '{}', '{}')`,
    ).run();
    db.prepare(`DELETE FROM deployments WHERE id = 'd1'`).run();
    expect(db.prepare('SELECT deployment_id FROM prediction_requests').get()).toEqual({ deployment_id: null });
    db.prepare(`DELETE FROM prediction_requests WHERE request_id = 'r1'`).run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 0 });
  });
});
