import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/store/database';
import { columns, dbAt } from '../helpers';

describe('migration 0024 stage job follow', () => {
  it("adds what a follower needs to a stage's row; existing stages keep NULL", () => {
    const db = dbAt(23);
    db.prepare(`INSERT INTO experiments (name) VALUES ('pipeline')`).run();
    db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES ('r1', (SELECT id FROM experiments), 'r1', 'succeeded', '2026-12-08T00:00:00Z')`,
    ).run();
    db.prepare(
      `INSERT INTO run_stages (run_id, stage, position, status, job_id) VALUES ('r1', 'train', 0, 'succeeded', '42')`,
    ).run();
    migrate(db, ':memory:');
    expect(columns(db, 'run_stages')).toEqual(expect.arrayContaining(['job_follow', 'job_read_bytes', 'job_state']));
    expect(db.prepare('SELECT job_id, job_follow, job_read_bytes, job_state FROM run_stages').get()).toEqual({
      job_id: '42',
      job_follow: null,
      job_read_bytes: null,
      job_state: null,
    });
    db.prepare(`UPDATE run_stages SET job_follow = '{}', job_read_bytes = 120`).run();
    expect(db.prepare('SELECT job_follow, job_read_bytes FROM run_stages').get()).toEqual({
      job_follow: '{}',
      job_read_bytes: 120,
    });
  });
});
