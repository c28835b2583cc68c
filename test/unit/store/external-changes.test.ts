// Other processes' writes to the open project (issue 17, case 4): the watcher announces what
// ANOTHER connection committed with the core's own events, and stays quiet about its own
// connection's writes, which the core announced itself.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExternalChanges } from '../../../electron/core/app/external-changes';
import { openDatabase, type Database } from '../../../electron/core/store/database';
import { createRun } from '../../../electron/core/tracking/runs';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { tmpDir } from '../../support/helpers';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function setup(): { mine: Database; other: Database; events: BenchtopEvent[]; watcher: ExternalChanges } {
  const dir = tmpDir();
  const file = path.join(dir, 'benchtop.db');
  const mine = openDatabase(file);
  const other = openDatabase(file);
  open.push(mine, other);
  const events: BenchtopEvent[] = [];
  const watcher = new ExternalChanges(mine, { projectDir: dir, emit: (e) => events.push(e), intervalMs: 60_000 });
  watcher.start();
  watcher.stop();
  return { mine, other, events, watcher };
}

/** A pid that is not this process's: the run belongs to another process. */
const OTHER_PID = process.pid + 1;

describe('external changes', () => {
  it('case 4: announces another connection’s new run, its stages, metrics and end, once each', () => {
    const { other, events, watcher } = setup();
    watcher.check();
    expect(events).toEqual([]);
    const runId = createRun(other, { name: 'train', pid: OTHER_PID });
    other.prepare(`INSERT INTO run_stages (run_id, stage, position, status) VALUES (?, 'fit', 0, 'queued')`).run(runId);
    watcher.check();
    expect(events.map((e) => [e.name, (e.payload as { status?: string }).status])).toEqual([
      ['run.status', 'running'],
      ['stage.status', 'queued'],
    ]);
    events.length = 0;
    watcher.check();
    expect(events).toEqual([]);

    other.prepare(`UPDATE run_stages SET status = 'running' WHERE run_id = ?`).run(runId);
    other
      .prepare(
        `INSERT INTO run_metrics (run_id, key, step, at, value) VALUES (?, 'loss', 1, '2026-01-01T00:00:00.000Z', 0.5)`,
      )
      .run(runId);
    watcher.check();
    expect(events).toEqual([
      { name: 'stage.status', payload: expect.objectContaining({ runId, stage: 'fit', status: 'running' }) },
      { name: 'run.metric', payload: { runId, key: 'loss', step: 1, value: 0.5, at: '2026-01-01T00:00:00.000Z' } },
    ]);
    events.length = 0;

    other.prepare(`UPDATE run_stages SET status = 'succeeded' WHERE run_id = ?`).run(runId);
    other.prepare(`UPDATE runs SET status = 'succeeded' WHERE id = ?`).run(runId);
    watcher.check();
    expect(events.map((e) => `${e.name}:${(e.payload as { status?: string }).status}`)).toEqual([
      'stage.status:succeeded',
      'run.status:succeeded',
    ]);
    events.length = 0;
    // An ended run is no longer followed.
    other.prepare(`UPDATE runs SET name = 'renamed' WHERE id = ?`).run(runId);
    watcher.check();
    expect(events).toEqual([]);
  });

  it("announces a Slurm stage's job state as another process records it: pending, then running on its node", () => {
    const { other, events, watcher } = setup();
    const runId = createRun(other, { name: 'train', pid: OTHER_PID });
    other
      .prepare(
        `INSERT INTO run_stages (run_id, stage, position, status, job_id, job_state) VALUES (?, 'fit', 0, 'running', '42', 'PENDING')`,
      )
      .run(runId);
    watcher.check();
    const stageEvents = () => events.filter((e) => e.name === 'stage.status').map((e) => e.payload);
    expect(stageEvents()).toEqual([
      expect.objectContaining({ stage: 'fit', status: 'running', job: { id: '42', state: 'PENDING', node: null } }),
    ]);
    events.length = 0;
    // Only the job changed: still announced, as the view shows the job's own state.
    other.prepare(`UPDATE run_stages SET job_state = 'RUNNING', job_node = 'gpu-07' WHERE run_id = ?`).run(runId);
    watcher.check();
    expect(stageEvents()).toEqual([
      expect.objectContaining({ status: 'running', job: { id: '42', state: 'RUNNING', node: 'gpu-07' } }),
    ]);
    events.length = 0;
    watcher.check();
    expect(events).toEqual([]);
  });

  it('case 4: stays quiet about its own connection’s writes and the runs of its own process', () => {
    const { mine, other, events, watcher } = setup();
    const own = createRun(mine, { name: 'own', pid: OTHER_PID });
    mine
      .prepare(
        `INSERT INTO run_metrics (run_id, key, step, at, value) VALUES (?, 'loss', 1, '2026-01-01T00:00:00.000Z', 0.5)`,
      )
      .run(own);
    watcher.check();
    expect(events).toEqual([]);
    // A run of this very process (the app's pipeline service) announces itself, whoever writes it.
    createRun(other, { name: 'mine too' });
    watcher.check();
    expect(events).toEqual([]);
  });

  it('case 4: announces another connection’s alerts and model changes; an alert the core announced is not repeated', () => {
    const { mine, other, events, watcher } = setup();
    other.prepare(`INSERT INTO monitors (name, kind) VALUES ('drift', 'drift')`).run();
    const alert = Number(
      other
        .prepare(`INSERT INTO monitor_alerts (monitor_id, rule, message) VALUES (1, 'share', 'too much drift')`)
        .run().lastInsertRowid,
    );
    other.prepare(`INSERT INTO registered_models (name) VALUES ('churn')`).run();
    other.prepare(`INSERT INTO model_versions (model_name, version) VALUES ('churn', 1)`).run();
    watcher.check();
    expect(events).toEqual([
      {
        name: 'monitors.alert',
        payload: expect.objectContaining({
          id: alert,
          monitor: 'drift',
          rule: 'share',
          message: 'too much drift',
          batch: null,
        }),
      },
      { name: 'models.changed', payload: { name: 'churn' } },
    ]);
    events.length = 0;

    const ownAlert = Number(
      mine.prepare(`INSERT INTO monitor_alerts (monitor_id, rule, message) VALUES (1, 'share', 'again')`).run()
        .lastInsertRowid,
    );
    watcher.noteOwn({
      name: 'monitors.alert',
      payload: { id: ownAlert, monitor: 'drift', rule: 'share', message: 'again', batch: null, at: '', runId: null },
    });
    other.prepare(`INSERT INTO model_aliases (model_name, alias, version) VALUES ('churn', 'champion', 1)`).run();
    watcher.check();
    expect(events).toEqual([{ name: 'models.changed', payload: { name: 'churn' } }]);
  });

  it('polls on an unref’d timer that stop() ends', () => {
    const { mine, events } = setup();
    const watcher = new ExternalChanges(mine, {
      projectDir: tmpDir(),
      emit: (e) => events.push(e),
      intervalMs: 60_000,
    });
    watcher.start();
    const timer = (watcher as unknown as { timer: NodeJS.Timeout | null }).timer;
    expect(timer?.hasRef()).toBe(false);
    watcher.stop();
    expect((watcher as unknown as { timer: NodeJS.Timeout | null }).timer).toBeNull();
  });
});
