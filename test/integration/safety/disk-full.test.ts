// Runs in: tests. Case 12: a full disk while a run logs metrics does not crash anything or lose the
// metrics: what the database will not take is kept in a file beside the run's logs, and the run
// fails with a reason that names the file. The full disk is SQLite's own: a page limit on the
// connection (PRAGMA max_page_count) makes every write that needs a new page fail with SQLITE_FULL.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { loadPipeline } from '../../../electron/core/pipeline/load';
import { PipelineRun } from '../../../electron/core/pipeline/runner';
import { createExperiment } from '../../../electron/core/tracking/experiments';
import { MetricWriter } from '../../../electron/core/tracking/metric-writer';
import { initProject } from '../../../electron/core/project/init';
import { tmpDir } from '../../support/helpers';

/** Caps the database at its current size plus `spare` pages. */
function fillUp(db: import('better-sqlite3').Database, spare: number): void {
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages + spare}`);
}

describe('safety: metrics on a full disk', () => {
  it('case 12: a run whose metrics cannot be written fails with a clear reason and keeps every point in metrics-unsaved.jsonl', async () => {
    const dir = path.join(tmpDir(), 'p');
    const { workspace: ws } = await initProject(dir, {});
    // 30,000 points with long keys: far more than the few spare pages can hold.
    writeFileSync(
      path.join(dir, 'train.js'),
      "for (let i = 0; i < 30000; i++) console.log('::benchtop:: ' + JSON.stringify({ type: 'metric', key: 'loss/' + 'x'.repeat(60) + (i % 7), value: i / 7, step: i }));\n",
    );
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  train:\n    cmd: node train.js\n');
    const events: BenchtopEvent[] = [];
    const failures: unknown[] = [];
    const onUncaught = (err: unknown): void => void failures.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const run = new PipelineRun(
        { projectDir: ws.dir, db: ws.db, emit: (e) => events.push(e) },
        loadPipeline(ws.dir)!,
        {},
      );
      fillUp(ws.db, 8);
      const summary = await run.execute();
      expect(failures).toEqual([]);
      expect(summary.status).toBe('failed');
      const file = path.join(dir, '.benchtop', 'logs', summary.runId, 'metrics-unsaved.jsonl');
      expect(summary.error).toContain(file);
      expect(summary.error).toMatch(/could not be saved to the project database \(database or disk is full\)/);
      expect(summary.error).not.toMatch(/\n\s+at /);
      expect(existsSync(file)).toBe(true);
      const kept = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { key: string; step: number });
      const stored = (
        ws.db.prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ?').get(summary.runId) as { n: number }
      ).n;
      // Every point is somewhere: in the database or in the file.
      expect(kept.length + stored).toBe(30000);
      expect(new Set(kept.map((p) => p.step)).size).toBe(kept.length);
      expect(ws.db.prepare('SELECT status FROM runs WHERE id = ?').get(summary.runId)).toEqual({ status: 'failed' });
    } finally {
      process.off('uncaughtException', onUncaught);
      ws.db.pragma('max_page_count = 1073741823');
      ws.close();
    }
  });

  it('case 12: the metric writer keeps what a full database refused and writes it once there is room', async () => {
    const dir = path.join(tmpDir(), 'p');
    const { workspace: ws } = await initProject(dir, {});
    const runId = 'run-disk-full';
    ws.db
      .prepare(`INSERT INTO runs (id, experiment_id, name, status, started_at) VALUES (?, ?, 'r', 'running', ?)`)
      .run(runId, createExperiment(ws.db, 'full'), new Date().toISOString());
    const writer = new MetricWriter(ws.db, { maxPending: 500, retryMs: 0 });
    fillUp(ws.db, 2);
    for (let i = 0; i < 20000; i++) writer.add({ runId, key: `k${'y'.repeat(80)}${i % 5}`, value: i, step: i });
    writer.flush();
    expect(writer.failure?.message).toMatch(/full/);
    expect(writer.waiting).toBeGreaterThan(0);
    ws.db.pragma('max_page_count = 1073741823');
    const { unsaved, error } = writer.settle();
    expect(unsaved).toEqual([]);
    expect(error).toBeNull();
    expect(
      (ws.db.prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ?').get(runId) as { n: number }).n,
    ).toBe(20000);
    ws.close();
  });
});

describe('safety: metrics logged through the contract on a full disk', () => {
  it('case 12: runs.log says the metrics could not be saved yet, keeps them, and writes them once there is room', async () => {
    const { Core } = await import('../../../electron/core/app/core');
    const { dispatch } = await import('../../../shared/contract/dispatch');
    const dir = path.join(tmpDir(), 'p');
    (await initProject(dir, {})).workspace.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      const created = await dispatch(core.handlers, 'runs.create', { experiment: 'e', name: 'r' });
      if (!created.ok) throw new Error(created.error.message);
      const runId = (created.value as { runId: string }).runId;
      const db = core.project!.db;
      fillUp(db, 1);
      const metrics = Array.from({ length: 5000 }, (_, i) => ({
        key: `k${'z'.repeat(100)}${i % 3}`,
        value: i,
        step: i,
      }));
      const full = await dispatch(core.handlers, 'runs.log', { runId, metrics });
      expect(full.ok).toBe(false);
      if (!full.ok) {
        expect(full.error.message).toMatch(/could not be saved yet \(database or disk is full\)/);
        expect(full.error.hint).toMatch(/Free some disk space/);
      }
      db.pragma('max_page_count = 1073741823');
      const ended = await dispatch(core.handlers, 'runs.end', { runId, status: 'succeeded' });
      expect(ended.ok).toBe(true);
      expect((db.prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ?').get(runId) as { n: number }).n).toBe(
        5000,
      );
    } finally {
      core.close();
    }
  });
});
