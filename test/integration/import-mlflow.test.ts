import BetterSqlite3 from 'better-sqlite3';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { artifactObject } from '../../electron/core/tracking/artifacts';
import { Workspace } from '../../electron/core/workspace/workspace';
import { dispatch } from '../../shared/contract/dispatch';
import { runCli, tmpDir } from '../support/helpers';

// An mlruns folder written file for file as MLflow's FileStore writes it (yaml.safe_dump of the
// meta dicts, a file per param and tag holding the bare value, a line per metric point).
const A = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const B = 'b0b1b2b3b4b5b6b7b8b9babbbcbdbebf';
const C = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const D = 'd00dd00dd00dd00dd00dd00dd00dd00d';
const E = 'e1e2e3e4e5e6e7e8e9eaebecedeeeff0';
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function experiment(root: string, id: string, name: string, lifecycle = 'active'): string {
  const dir = path.join(root, id);
  write(
    path.join(dir, 'meta.yaml'),
    `artifact_location: file://${dir}\ncreation_time: ${T0}\nexperiment_id: '${id}'\nlast_update_time: ${T0}\nlifecycle_stage: ${lifecycle}\nname: ${name}\n`,
  );
  return dir;
}

interface RunSpec {
  name: string;
  status: number;
  lifecycle?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, string>;
  artifacts?: Record<string, string>;
  artifactUri?: string;
}

function run(expDir: string, id: string, spec: RunSpec): string {
  const dir = path.join(expDir, id);
  const expId = path.basename(expDir);
  write(
    path.join(dir, 'meta.yaml'),
    [
      `artifact_uri: ${spec.artifactUri ?? `file://${dir}/artifacts`}`,
      `end_time: ${T0 + 60_000}`,
      `entry_point_name: ''`,
      `experiment_id: '${expId}'`,
      `lifecycle_stage: ${spec.lifecycle ?? 'active'}`,
      `run_id: ${id}`,
      `run_name: ${spec.name}`,
      `run_uuid: ${id}`,
      `source_name: ''`,
      `source_type: 4`,
      `source_version: ''`,
      `start_time: ${T0}`,
      `status: ${spec.status}`,
      `tags: []`,
      `user_id: ada`,
      '',
    ].join('\n'),
  );
  mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  for (const [folder, pairs] of [
    ['params', spec.params],
    ['tags', { 'mlflow.runName': spec.name, 'mlflow.user': 'ada', ...spec.tags }],
    ['metrics', spec.metrics],
    ['artifacts', spec.artifacts],
  ] as const) {
    for (const [k, v] of Object.entries(pairs ?? {})) write(path.join(dir, folder, ...k.split('/')), v);
  }
  return dir;
}

function buildStore(root: string): void {
  const def = experiment(root, '0', 'Default');
  write(path.join(def, 'tags', 'mlflow.note.content'), 'the default experiment');
  run(def, A, {
    name: 'parent-run',
    status: 3,
    params: { lr: '0.1', 'model/type': 'rf', epochs: '3' },
    tags: {
      'mlflow.source.name': 'train.py',
      'mlflow.source.git.commit': '0123456789abcdef0123456789abcdef01234567',
      'mlflow.note.content': '# Notes\nfirst try',
      team: 'vision',
    },
    metrics: {
      loss: `${T0 + 1} 0.9 0\n${T0 + 2} 0.5 1\n${T0 + 3} nan 2\n`,
      'val/acc': `${T0 + 1} 0.7 0\n${T0 + 2} inf 1\n${T0 + 4} -inf 2\n${T0 + 5} 0.8 3\n`,
    },
    artifacts: { 'model/model.pkl': 'pickled bytes', 'plot.png': 'png bytes' },
  });
  // A dataset input (MLflow 2.4+): the dataset under the experiment, the input under the run.
  write(
    path.join(def, 'datasets', 'd5e7a1', 'meta.yaml'),
    `digest: 4f0a9b21\nname: iris-train\nprofile: '{"num_rows": 150}'\nschema: ''\nsource: '{"uri": "data/iris.csv"}'\nsource_type: local\n`,
  );
  write(
    path.join(def, A, 'inputs', '9c1d2e', 'meta.yaml'),
    `destination_id: d5e7a1\ndestination_type: RUN\nsource_id: d5e7a1\nsource_type: DATASET\ntags:\n  mlflow.data.context: training\n`,
  );
  run(def, B, {
    name: 'child-run',
    status: 3,
    params: { fold: '1' },
    tags: { 'mlflow.parentRunId': A },
    metrics: { loss: `${T0 + 9} 0.4 0\n` },
  });
  const tuning = experiment(root, '412345678901234567', 'tuning');
  run(tuning, C, {
    name: 'failed-run',
    status: 4,
    params: { lr: '1e-05' },
    metrics: { loss: `${T0 + 5} 1.4 0\n${T0} 1.5 0\n${T0} 1.45 0\n` },
    artifactUri: 's3://bucket/runs/c0ffee/artifacts',
  });
  run(tuning, D, { name: 'deleted-run', status: 5, lifecycle: 'deleted', params: { lr: '0.2' } });
  const trash = experiment(path.join(root, '.trash'), '99', 'old-experiment', 'deleted');
  run(trash, E, { name: 'trashed-run', status: 3, lifecycle: 'deleted' });
  // The model registry lives beside the experiments and is not one.
  write(path.join(root, 'models', 'iris', 'meta.yaml'), 'name: iris\n');
}

interface Listed {
  id: string;
  name: string;
  status: string;
  experiment: string;
  params: Record<string, string>;
  metrics: Record<string, number | null>;
  tags: Record<string, string>;
}

function dump(dbFile: string): string {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    return JSON.stringify(
      ['experiments', 'runs', 'run_params', 'run_metrics', 'run_latest_metrics', 'run_tags', 'run_artifacts'].map((t) =>
        db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
      ),
    );
  } finally {
    db.close();
  }
}

describe('benchtop import mlflow', () => {
  it('imports experiments, runs (ids kept), params, metrics with NaN/±Inf, tags, notes, parents and artifacts; re-import skips', () => {
    const dir = path.join(tmpDir(), 'proj');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    const store = path.join(tmpDir(), 'mlruns');
    buildStore(store);

    const imported = runCli(['import', 'mlflow', store, '--json'], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      store,
      experiments: 3,
      experimentsCreated: 3,
      runs: 5,
      deletedRuns: 2,
      params: 6,
      metricPoints: 10,
      // mlflow.runName and mlflow.user on each run, plus A's source, commit and team, and B's parent (A's note becomes notes).
      tags: 5 * 2 + 3 + 1,
      artifacts: 2,
      inputs: 1,
      skipped: [],
      warnings: [
        `Run ${C} keeps its artifacts at s3://bucket/runs/c0ffee/artifacts, which is not a local folder; its artifacts were not imported.`,
        '1 metric point shared both step and time with a later point of the same metric; Benchtop keeps the later one.',
      ],
    });

    const live = JSON.parse(runCli(['runs', '--json', '--sort', 'name'], { cwd: dir }).stdout) as Listed[];
    expect(live.map((r) => [r.id, r.name, r.status, r.experiment])).toEqual([
      [B, 'child-run', 'succeeded', 'Default'],
      [C, 'failed-run', 'failed', 'tuning'],
      [A, 'parent-run', 'succeeded', 'Default'],
    ]);
    const a = live.find((r) => r.id === A)!;
    expect(a.params).toEqual({ lr: '0.1', 'model/type': 'rf', epochs: '3' });
    // JSON has no NaN or Infinity: the CLI's JSON prints them as null.
    expect(a.metrics).toEqual({ loss: null, 'val/acc': 0.8 });
    expect(a.tags).toMatchObject({ team: 'vision', 'mlflow.source.name': 'train.py' });
    expect(a.tags).not.toHaveProperty('mlflow.note.content');
    const deleted = JSON.parse(
      runCli(['runs', '--json', '--deleted', '--sort', 'name'], { cwd: dir }).stdout,
    ) as Listed[];
    expect(deleted.map((r) => [r.id, r.status, r.experiment])).toEqual([
      [D, 'cancelled', 'tuning'],
      [E, 'succeeded', 'old-experiment'],
    ]);

    const show = runCli(['runs', 'show', A], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`${A}  succeeded  (Default)`);
    expect(show.stdout).toContain(
      'started 2026-01-01T00:00:00.000Z, ended 2026-01-01T00:01:00.000Z, 60 s; commit 0123456',
    );
    expect(show.stdout).toMatch(/val\/acc = 0\.8 {2}\(4 points\)/);
    expect(show.stdout).toMatch(/model\/type = rf/);
    expect(show.stdout).toMatch(/ artifact model\/model\.pkl = [0-9a-f]{12}/);

    // The stored values, NaN and ±Inf included, times, fields and artifact bytes in the cache.
    const ws = Workspace.open(dir);
    try {
      // Points sharing a step are all kept (only the same step and time fold, the later line winning);
      // the latest value is the one with the latest time, whatever the order of the lines.
      expect(ws.db.prepare('SELECT step, value FROM run_metrics WHERE run_id = ? ORDER BY step, at').all(C)).toEqual([
        { step: 0, value: 1.45 },
        { step: 0, value: 1.4 },
      ]);
      expect(ws.db.prepare('SELECT value FROM run_latest_metrics WHERE run_id = ?').get(C)).toEqual({ value: 1.4 });
      const points = ws.db
        .prepare(`SELECT key, step, value, at FROM run_metrics WHERE run_id = ? ORDER BY key, step`)
        .all(A);
      expect(points).toEqual([
        { key: 'loss', step: 0, value: 0.9, at: '2026-01-01T00:00:00.001Z' },
        { key: 'loss', step: 1, value: 0.5, at: '2026-01-01T00:00:00.002Z' },
        { key: 'loss', step: 2, value: null, at: '2026-01-01T00:00:00.003Z' },
        { key: 'val/acc', step: 0, value: 0.7, at: '2026-01-01T00:00:00.001Z' },
        { key: 'val/acc', step: 1, value: Infinity, at: '2026-01-01T00:00:00.002Z' },
        { key: 'val/acc', step: 2, value: -Infinity, at: '2026-01-01T00:00:00.004Z' },
        { key: 'val/acc', step: 3, value: 0.8, at: '2026-01-01T00:00:00.005Z' },
      ]);
      expect(
        ws.db
          .prepare('SELECT parent_id AS parent, source, notes, git_commit AS commitId, trigger FROM runs WHERE id = ?')
          .get(B),
      ).toEqual({
        parent: A,
        source: 'mlflow',
        notes: '',
        commitId: null,
        trigger: 'import',
      });
      expect(ws.db.prepare('SELECT source, notes, git_commit AS commitId FROM runs WHERE id = ?').get(A)).toEqual({
        source: 'train.py',
        notes: '# Notes\nfirst try',
        commitId: '0123456789abcdef0123456789abcdef01234567',
      });
      expect(ws.db.prepare('SELECT dataset, version, context FROM run_inputs WHERE run_id = ?').all(A)).toEqual([
        { dataset: 'iris-train', version: '4f0a9b21', context: 'training' },
      ]);
      expect(ws.db.prepare(`SELECT description FROM experiments WHERE name = 'Default'`).get()).toEqual({
        description: 'the default experiment',
      });
      const model = artifactObject(dir, ws.db, A, 'model/model.pkl');
      expect(readFileSync(model.file, 'utf8')).toBe('pickled bytes');
      expect(model).toMatchObject({ size: 13, type: 'model' });
    } finally {
      ws.close();
    }

    // Again: nothing new, every run reported as skipped, the database unchanged.
    const dbFile = path.join(dir, '.benchtop', 'benchtop.db');
    const before = dump(dbFile);
    const again = runCli(['import', 'mlflow', store], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Imported 0 runs (0 deleted) into 2 experiments (0 new)');
    expect(again.stdout).toContain('Skipped 5 runs already in the project');
    expect(dump(dbFile)).toBe(before);
  });

  it('refuses a malformed metrics line, naming the file and line, and writes nothing', () => {
    const dir = path.join(tmpDir(), 'proj');
    runCli(['init', '--dir', dir]);
    const store = path.join(tmpDir(), 'mlruns');
    buildStore(store);
    const dbFile = path.join(dir, '.benchtop', 'benchtop.db');
    const before = dump(dbFile);
    const lossFile = path.join(store, '412345678901234567', C, 'metrics', 'loss');
    writeFileSync(lossFile, `${T0} 1.5 0\n${T0 + 1} not-a-number 1\n`);
    const r = runCli(['import', 'mlflow', store], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${lossFile}:2: the value in "${T0 + 1} not-a-number 1" is not a number`);
    expect(r.stderr).toContain('nothing was imported');
    expect(dump(dbFile)).toBe(before);

    writeFileSync(lossFile, `${T0} 1.5\n${T0 + 1} 1.4 1 extra junk\n`);
    expect(runCli(['import', 'mlflow', store], { cwd: dir }).stderr).toContain(
      `${lossFile}:2: "${T0 + 1} 1.4 1 extra junk" is not a metric point`,
    );
    writeFileSync(lossFile, `${T0} 1.5 0\n`);
    write(path.join(store, '0', A, 'meta.yaml'), 'run_id: [unclosed\n');
    expect(runCli(['import', 'mlflow', store], { cwd: dir }).stderr).toContain(
      `${path.join(store, '0', A, 'meta.yaml')}:2: is not valid YAML`,
    );
    expect(dump(dbFile)).toBe(before);

    expect(runCli(['import', 'mlflow', path.join(store, 'nope')], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no folder at'),
    });
    expect(runCli(['import', 'mlflow', dir], { cwd: dir })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not an MLflow file store'),
    });
    expect(runCli(['import', 'wandb', store], { cwd: dir }).code).toBe(2);
  });

  it('runs.importMlflow imports through the contract, from the folder holding mlruns; a parent outside the store stays a tag', async () => {
    const dir = path.join(tmpDir(), 'proj');
    runCli(['init', '--dir', dir]);
    const holder = tmpDir();
    buildStore(path.join(holder, 'mlruns'));
    // The child without its parent.
    const only = path.join(tmpDir(), 'child-only');
    cpSync(path.join(holder, 'mlruns', '0', B), path.join(only, '0', B), { recursive: true });
    cpSync(path.join(holder, 'mlruns', '0', 'meta.yaml'), path.join(only, '0', 'meta.yaml'));
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      // A run's folder is not a store.
      expect(
        await dispatch(core.handlers, 'runs.importMlflow', { path: path.join(holder, 'mlruns', '0', A) }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'path' } });
      const alone = await dispatch(core.handlers, 'runs.importMlflow', { path: only }, { checkOutput: true });
      expect(alone).toMatchObject({
        ok: true,
        value: {
          runs: 1,
          experiments: 1,
          experimentsCreated: 1,
          warnings: [
            expect.stringContaining(`Run ${B} names parent ${A}, which is in neither the store nor the project`),
          ],
        },
      });
      expect(await core.handlers['runs.get']({ id: B })).toMatchObject({
        parentId: null,
        tags: { 'mlflow.parentRunId': A },
      });

      const whole = await dispatch(core.handlers, 'runs.importMlflow', { path: holder }, { checkOutput: true });
      expect(whole).toMatchObject({
        ok: true,
        value: {
          store: path.join(holder, 'mlruns'),
          runs: 4,
          skipped: [B],
          warnings: [
            expect.stringContaining('s3://bucket'),
            expect.stringContaining('1 metric point shared both step and time'),
          ],
        },
      });
      expect(await core.handlers['runs.get']({ id: A })).toMatchObject({
        name: 'parent-run',
        experiment: 'Default',
        notes: '# Notes\nfirst try',
        params: { 'model/type': 'rf' },
      });
      expect(
        Number.isNaN((await core.handlers['runs.get']({ id: A })).metrics.find((m) => m.key === 'loss')!.value),
      ).toBe(true);
    } finally {
      core.close();
    }
  });
});
