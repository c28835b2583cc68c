import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt } from '../helpers';

describe('migration 0023 stage jobs', () => {
  it("adds a stage's job id, node and queue wait to run_stages; existing stages keep NULL", () => {
    const db = dbAt(22);
    db.prepare(`INSERT INTO experiments (name) VALUES ('pipeline')`).run();
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES ('r1', (SELECT id FROM experiments), 'r1', 'succeeded', '2026-12-08T00:00:00Z')`,
    ).run();
    db.prepare(`INSERT INTO run_stages (run_id, stage, position, status) VALUES ('r1', 'train', 0, 'succeeded')`).run();
    migrate(db, ':memory:');
    expect(columns(db, 'run_stages')).toEqual(expect.arrayContaining(['job_id', 'job_node', 'queue_wait_ms']));
    expect(db.prepare('SELECT job_id, job_node, queue_wait_ms FROM run_stages').get()).toEqual({
      job_id: null,
      job_node: null,
      queue_wait_ms: null,
    });
    db.prepare(`UPDATE run_stages SET job_id = '42', job_node = 'vm', queue_wait_ms = 2000`).run();
    expect(db.prepare('SELECT job_id, job_node, queue_wait_ms FROM run_stages').get()).toEqual({
      job_id: '42',
      job_node: 'vm',
      queue_wait_ms: 2000,
    });
  });
});
