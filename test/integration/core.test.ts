import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { markInterruptedRuns } from '../../electron/core/workspace/interrupted';
import { initProject } from '../../electron/core/project/init';
import { defaultProjectDir } from '../../electron/core/workspace/user-data';
import { dispatch } from '../../shared/contract/dispatch';
import { METHOD_NAMES } from '../../shared/contract/names';
import { git, tmpDir } from '../support/helpers';

describe('the core on the demo project', () => {
  it('answers every read method within the contract (outputs validated)', async () => {
    const dir = path.join(tmpDir(), 'demo');
    (await initProject(dir, { demo: true })).workspace.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    const inputs: Record<string, unknown> = {
      'project.open': { path: dir },
      'project.init': { path: dir },
      'data.preview': { path: 'data/wine.csv' },
      'models.sampleInput': { name: 'loan-default', version: 1 },
    };
    const actions = new Set([
      'pipelines.run',
      'pipelines.cancel',
      'pipelines.log',
      'pipelines.sweep',
      'pipelines.cancelSweep',
      'runs.delete',
      'runs.restore',
      'runs.purge',
      'runs.get',
      'runs.update',
      'runs.create',
      'runs.log',
      'runs.end',
      'runs.logArtifact',
      'runs.history',
      'data.add',
      'data.commit',
      'data.log',
      'data.checkout',
      'data.unlink',
      'reports.compare',
      'runs.artifactPreview',
      'runs.importMlflow',
      'runs.provenance',
      'runs.compare',
      'runs.compareReport',
      'experiments.create',
      'experiments.get',
      'experiments.search',
      'runs.records',
      'runs.metricPoints',
      'runs.artifactEntries',
      'runs.artifactFile',
      'runs.logUpload',
      'data.diff',
      'data.diffAll',
      'data.untrack',
      'data.remoteAdd',
      'data.remoteRemove',
      'data.remoteDefault',
      'data.push',
      'data.pull',
      'data.gc',
      'data.usage',
      'models.get',
      'models.version',
      'models.register',
      'models.setAlias',
      'models.removeAlias',
      'models.update',
      'models.archive',
      'models.restore',
      'models.delete',
      'models.resolve',
      'models.card',
      'models.lineage',
      'models.compare',
      'models.export',
      'models.import',
      'reports.open',
      'drift.report',
      'drift.export',
      'monitors.add',
      'monitors.get',
      'monitors.check',
      'monitors.delete',
      'monitors.acknowledge',
      'monitors.report',
      'predictions.label',
      'predictions.export',
      'deployments.start',
      'deployments.stop',
      'deployments.stats',
      'deployments.requests',
      'deployments.try',
      'deployments.serve',
      'deployments.serveStop',
      'tour.save',
      'demo.reset',
      'demo.sendWeeks',
      // Actions, or calls about a run, sweep or folder the test does not have.
      'pipelines.wait',
      'pipelines.logs',
      'pipelines.waitSweep',
      'pipelines.reproduce',
      'pipelines.exec',
      'demo.story',
      // Push and pull need a git remote; test/integration/sync-*.test.ts has them.
      'sync.push',
      'sync.pull',
      'sync.reindex',
    ]);
    for (const name of METHOD_NAMES.filter((n) => !actions.has(n))) {
      const r = await dispatch(core.handlers, name, inputs[name] ?? {}, { checkOutput: true });
      expect(r, name).toMatchObject({ ok: true });
    }
    const data = await core.handlers['data.list']({});
    expect(data.files.map((f) => [f.path, f.rows, f.gitStatus])).toEqual([
      ['data/batches/README.md', null, 'committed'],
      ['data/breast_cancer.csv', 569, 'committed'],
      // Tracked by its .bt pointer, so git ignores it.
      ['data/loans.csv', 3000, 'ignored'],
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((w) => [`data/production/week-0${w}.csv`, 400, 'committed']),
      ['data/reference.csv', 3000, 'committed'],
      ['data/wine.csv', 178, 'committed'],
    ]);
    const recent = await core.handlers['project.recent']({});
    expect(recent[0]).toMatchObject({ path: dir, name: 'Benchtop demo', exists: true });
    core.close();
  });

  it('says clearly when no project is open or a folder is not a project', async () => {
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    expect(await dispatch(core.handlers, 'data.list', {})).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    const plain = tmpDir();
    expect(await dispatch(core.handlers, 'project.open', { path: plain })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PROJECT', field: 'path', hint: expect.stringContaining('benchtop init') },
    });
    expect(await dispatch(core.handlers, 'project.open', { path: path.join(plain, 'missing') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('keeps the open project when opening another one fails', async () => {
    const dir = path.join(tmpDir(), 'p');
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.init(dir, false);
    await expect(core.open(tmpDir())).rejects.toMatchObject({ code: 'NOT_A_PROJECT' });
    expect(core.project?.dir).toBe(dir);
    core.close();
  });
});

describe('pipelines through the contract', () => {
  it('run, status, history, log and cancel answer within the contract', async () => {
    const dir = path.join(tmpDir(), 'demo');
    (await initProject(dir, { demo: true })).workspace.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    const seen: string[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'stage.status') seen.push(`${e.payload.stage}:${e.payload.status}`);
    });
    const call = (name: string, input: unknown) => dispatch(core.handlers, name, input, { checkOutput: true });
    const started = await call('pipelines.run', { reason: 'drift alert on petal_width_cm' });
    expect(started).toMatchObject({ ok: true });
    const runId = (started as { value: { runId: string } }).value.runId;
    expect(await call('pipelines.run', {})).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(await call('project.open', { path: dir + '-other' })).toMatchObject({ ok: false });
    await core.pipelines.settle();
    expect(seen).toEqual(
      expect.arrayContaining(['prepare:running', 'prepare:succeeded', 'train:succeeded', 'evaluate:succeeded']),
    );
    const runs = (await call('pipelines.runs', {})) as {
      ok: true;
      value: { runs: { id: string; status: string; stages: { name: string; status: string }[] }[] };
    };
    expect(runs.value.runs[0]).toMatchObject({
      id: runId,
      status: 'succeeded',
      trigger: 'triggered: drift alert on petal_width_cm',
    });
    expect(runs.value.runs[0]!.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const log = (await call('pipelines.log', { runId, stage: 'train' })) as { ok: true; value: { text: string } };
    expect(log.value.text).toContain('$ node src/train.js');
    expect(await call('pipelines.log', { runId, stage: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call('pipelines.log', { runId: '../../etc', stage: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'runId' },
    });
    expect(await call('pipelines.cancel', { runId })).toEqual({ ok: true, value: { cancelled: false } });
    // evaluate depends on the champion, which this run moved to its own model: that does not make it stale.
    expect(await call('pipelines.status', {})).toMatchObject({
      ok: true,
      value: { stages: [{ state: 'up-to-date' }, { state: 'up-to-date' }, { state: 'up-to-date' }], activeRunId: null },
    });
    expect(await call('pipelines.run', { targets: ['nope'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'targets' },
    });

    // Runs: delete is soft and restorable over the contract too.
    expect(await call('runs.delete', { ids: [runId] })).toEqual({ ok: true, value: { changed: 1 } });
    expect(await call('runs.search', {})).toMatchObject({ ok: true, value: { runs: [] } });
    expect(await call('runs.search', { deleted: 'only' })).toMatchObject({
      ok: true,
      value: { runs: [{ id: runId }] },
    });
    expect(await call('runs.restore', { ids: [runId] })).toEqual({ ok: true, value: { changed: 1 } });
    expect(await call('runs.delete', { ids: ['nope'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('runs.delete', { ids: [] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'ids' },
    });

    expect(await call('pipelines.sweepStatus', {})).toEqual({ ok: true, value: null });
    expect(await call('pipelines.cancelSweep', {})).toEqual({ ok: true, value: { cancelled: false } });
    expect(await call('pipelines.sweep', { sweeps: ['train.nope=1,2'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('Cannot override train.nope') },
    });
    const sweepEvents: string[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'sweep.changed') sweepEvents.push(e.payload.items.map((i) => i.status).join(','));
    });
    const sweep = (await call('pipelines.sweep', { sweeps: ['train.epochs=10,20,30'], jobs: 1 })) as {
      ok: true;
      value: { sweepId: string; items: unknown[] };
    };
    expect(sweep.value.items).toHaveLength(3);
    expect(await call('pipelines.sweep', { sweeps: ['train.epochs=10'] })).toMatchObject({
      ok: false,
      error: { code: 'BUSY' },
    });
    expect(await call('pipelines.cancelSweep', {})).toEqual({ ok: true, value: { cancelled: true } });
    await core.pipelines.settle();
    const final = (await call('pipelines.sweepStatus', {})) as {
      ok: true;
      value: { running: boolean; items: { status: string }[] };
    };
    expect(final.value.running).toBe(false);
    expect(final.value.items.map((i) => i.status)).toContain('cancelled');
    expect(sweepEvents.length).toBeGreaterThan(1);
    await core.shutdown();
  });
});

describe('commands run through the contract', () => {
  it('runs a command line only for a terminal (CLI mode), never for the app or benchtop ui', async () => {
    const dir = path.join(tmpDir(), 'p');
    (await initProject(dir)).workspace.close();
    const marker = path.join(dir, 'ran.txt');
    for (const mode of ['browser', 'desktop'] as const) {
      const core = new Core({ dataDir: tmpDir(), mode });
      await core.open(dir);
      const r = await dispatch(core.handlers, 'pipelines.exec', { command: `touch ${JSON.stringify(marker)}` });
      expect(r, mode).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
      await core.shutdown();
    }
    expect(existsSync(marker)).toBe(false);
    const cli = new Core({ dataDir: tmpDir(), mode: 'cli' });
    await cli.open(dir);
    const r = await dispatch(cli.handlers, 'pipelines.exec', { command: `touch ${JSON.stringify(marker)}` });
    expect(r).toMatchObject({ ok: true, value: { status: 'succeeded' } });
    expect(existsSync(marker)).toBe(true);
    await cli.shutdown();
  });

  it('serves an endpoint in its own process only for `benchtop serve` (CLI mode), never for the app or benchtop ui', async () => {
    const dir = path.join(tmpDir(), 'p');
    (await initProject(dir)).workspace.close();
    for (const mode of ['browser', 'desktop'] as const) {
      const core = new Core({ dataDir: tmpDir(), mode });
      await core.open(dir);
      const r = await dispatch(core.handlers, 'deployments.serve', { ref: 'churn@champion' });
      expect(r, mode).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
      await core.shutdown();
    }
    const cli = new Core({ dataDir: tmpDir(), mode: 'cli' });
    await cli.open(dir);
    // In CLI mode the call reaches the engine, which names the missing model.
    const r = await dispatch(cli.handlers, 'deployments.serve', { ref: 'churn@champion' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const stop = await dispatch(cli.handlers, 'deployments.serveStop', { deploymentId: 'nope', reason: 'test' });
    expect(stop).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'deploymentId' } });
    await cli.shutdown();
  });
});

describe('the default project', () => {
  it('is created once in the user data folder from the demo, then reused', async () => {
    const dataDir = tmpDir();
    const core = new Core({ dataDir, mode: 'browser' });
    const first = await core.openDefault();
    expect(first.path).toBe(defaultProjectDir(dataDir));
    expect(first.isDemo).toBe(true);
    expect(existsSync(path.join(first.path, 'data', 'loans.csv'))).toBe(true);
    core.close();
    const head = git(first.path, 'rev-parse', 'HEAD');
    const again = new Core({ dataDir, mode: 'browser' });
    const second = await again.openDefault();
    expect(second.path).toBe(first.path);
    expect(git(first.path, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(first.path, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    again.close();
  });
});

describe('interrupted runs', () => {
  it('are marked interrupted on the next open when their process is gone, live ones are left alone', async () => {
    const dir = tmpDir();
    const { workspace } = await initProject(dir);
    const db = workspace.db;
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    const add = db.prepare(`INSERT INTO runs (id, experiment_id, name, status, pid) VALUES (?, 1, ?, ?, ?)`);
    add.run('dead', 'dead', 'running', 999_999_99);
    add.run('alive', 'alive', 'running', process.pid);
    add.run('done', 'done', 'succeeded', null);
    db.prepare(
      `INSERT INTO run_stages (run_id, stage, position, status) VALUES ('dead', 'train', 0, 'running'), ('dead', 'prep', 1, 'succeeded')`,
    ).run();
    expect(markInterruptedRuns(db)).toEqual(['dead']);
    expect(
      db.prepare(`SELECT stage, status, reason FROM run_stages WHERE run_id = 'dead' ORDER BY position`).all(),
    ).toEqual([
      { stage: 'train', status: 'cancelled', reason: 'interrupted: Benchtop stopped before the stage finished' },
      { stage: 'prep', status: 'succeeded', reason: '' },
    ]);
    const statuses = db.prepare('SELECT id, status FROM runs ORDER BY id').all();
    expect(statuses).toEqual([
      { id: 'alive', status: 'running' },
      { id: 'dead', status: 'interrupted' },
      { id: 'done', status: 'succeeded' },
    ]);
    workspace.close();
  });
});
