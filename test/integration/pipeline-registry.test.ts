// A pipeline feeding the model registry: outs that register themselves (with an alias gate), and
// stages that read a registered model through models:/ deps. Real stage processes, real SQLite.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchtopEvent } from '../../shared/contract/events';
import { dataStore } from '../../electron/core/data/track';
import { reproduceRun } from '../../electron/core/pipeline/sweeps';
import { loadPipeline } from '../../electron/core/pipeline/load';
import { readLock } from '../../electron/core/pipeline/lock';
import { PipelineRun, type RunSummary } from '../../electron/core/pipeline/runner';
import { copyOfWorkingTree } from '../../electron/core/pipeline/working-copy';
import { setAlias } from '../../electron/core/registry/aliases';
import { getModel, getVersion } from '../../electron/core/registry/versions';
import { initProject } from '../../electron/core/project/init';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { git, tmpDir } from '../support/helpers';

// Writes the model file (its bytes depend on the accuracy) and logs the accuracy as a metric.
const TRAIN = `const fs = require('fs');
const acc = Number(process.argv[2]);
fs.mkdirSync('models', { recursive: true });
fs.writeFileSync('models/model.pkl', 'weights ' + acc);
console.log('::benchtop:: ' + JSON.stringify({ type: 'metric', key: 'accuracy', value: acc }));
`;
// Reads the model it was handed, and proves which bytes it got.
const USE = `const fs = require('fs');
const file = process.env.BENCHTOP_MODEL_CHURN;
if (!file || process.env.BENCHTOP_MODEL_CHURN_CHAMPION !== file) { console.error('no BENCHTOP_MODEL_CHURN'); process.exit(3); }
fs.writeFileSync('used.txt', fs.readFileSync(file, 'utf8'));
`;

const TRAIN_STAGE = `  train:
    cmd: node train.js \${acc}
    deps: [train.js]
    params: [acc]
    outs:
      - models/model.pkl:
          register:
            name: churn
            alias: champion
            if: accuracy >= champion
            description: churn model from the pipeline
            predict: node predict.js
`;

async function project(yaml: string, acc: number): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  const { workspace } = await initProject(dir, {});
  writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  writeFileSync(path.join(dir, 'train.js'), TRAIN);
  writeFileSync(path.join(dir, 'use.js'), USE);
  setAcc(workspace, acc);
  return workspace;
}

function setAcc(ws: Workspace, acc: number): void {
  writeFileSync(path.join(ws.dir, 'params.yaml'), `acc: ${acc}\n`);
}

async function run(ws: Workspace, events: BenchtopEvent[] = []): Promise<RunSummary> {
  return new PipelineRun({ projectDir: ws.dir, db: ws.db, emit: (e) => events.push(e) }, loadPipeline(ws.dir)!, {
    jobs: 1,
  }).execute();
}

const statuses = (r: RunSummary): string[] => r.stages.map((s) => `${s.name} ${s.status}`);
const aliasLog = (ws: Workspace) =>
  ws.db
    .prepare(
      'SELECT alias, from_version AS fromVersion, to_version AS toVersion, reason FROM model_alias_log WHERE model_name = ? ORDER BY id',
    )
    .all('churn');
const stageLog = (ws: Workspace, runId: string, stage: string): string =>
  readFileSync(path.join(ws.dir, '.benchtop', 'logs', runId, `${stage}.log`), 'utf8');
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('a pipeline out that registers itself', () => {
  it('registers a version per successful run; the gate moves the alias only when it passes; unchanged stages register nothing', async () => {
    const ws = await project(`stages:\n${TRAIN_STAGE}`, 0.91);
    const events: BenchtopEvent[] = [];

    // First run: no champion yet, so the gate passes and version 1 becomes the first champion.
    const first = await run(ws, events);
    expect(statuses(first)).toEqual(['train succeeded']);
    const v1 = getVersion(ws.db, 'churn', 1);
    expect(v1).toMatchObject({
      runId: first.runId,
      source: 'run',
      description: 'churn model from the pipeline',
      predict: 'node predict.js',
      metrics: { accuracy: 0.91 },
      aliases: ['champion'],
    });
    expect(v1.artifact).toMatchObject({ path: 'models/model.pkl', kind: 'file', hash: sha('weights 0.91') });
    expect(v1.tags).toEqual({
      'pipeline.stage': 'train',
      'pipeline.gate': 'accuracy >= champion: passed (accuracy 0.91; there was no champion yet)',
    });
    expect(aliasLog(ws)).toEqual([
      {
        alias: 'champion',
        fromVersion: null,
        toVersion: 1,
        reason: `pipeline run ${first.runId}: accuracy 0.91; there was no champion yet`,
      },
    ]);
    expect(stageLog(ws, first.runId, 'train')).toContain(
      'benchtop: registered models/model.pkl as churn version 1; @champion set to version 1',
    );
    expect(
      events.some(
        (e) =>
          e.name === 'run.log' &&
          e.payload.stage === 'train' &&
          e.payload.line.startsWith('benchtop: registered models/model.pkl as churn version 1'),
      ),
    ).toBe(true);

    // Nothing changed: the stage is skipped and nothing is registered again.
    const again = await run(ws);
    expect(statuses(again)).toEqual(['train up-to-date']);
    expect(getModel(ws.db, 'churn').versions).toHaveLength(1);

    // Better: version 2 is registered and becomes champion, with the comparison as the reason.
    setAcc(ws, 0.93);
    const better = await run(ws);
    expect(statuses(better)).toEqual(['train succeeded']);
    expect(getVersion(ws.db, 'churn', 2)).toMatchObject({
      runId: better.runId,
      metrics: { accuracy: 0.93 },
      aliases: ['champion'],
    });
    expect(aliasLog(ws)[1]).toEqual({
      alias: 'champion',
      fromVersion: 1,
      toVersion: 2,
      reason: `pipeline run ${better.runId}: accuracy 0.93 >= champion's 0.91`,
    });
    expect(stageLog(ws, better.runId, 'train')).toContain(
      "@champion moved from version 1 to 2 (accuracy 0.93 >= champion's 0.91)",
    );

    // Worse: version 3 is registered, the alias stays, and why is kept on the version and in the log.
    setAcc(ws, 0.89);
    const worse = await run(ws);
    expect(statuses(worse)).toEqual(['train succeeded']);
    const v3 = getVersion(ws.db, 'churn', 3);
    expect(v3).toMatchObject({ runId: worse.runId, metrics: { accuracy: 0.89 }, aliases: [] });
    expect(v3.tags['pipeline.gate']).toBe("accuracy >= champion: did not pass (accuracy 0.89 < champion's 0.93)");
    expect(getModel(ws.db, 'churn').aliases).toEqual([{ alias: 'champion', version: 2 }]);
    expect(aliasLog(ws)).toHaveLength(2);
    expect(stageLog(ws, worse.runId, 'train')).toContain(
      "registered models/model.pkl as churn version 3; @champion not moved: the gate accuracy >= champion did not pass (accuracy 0.89 < champion's 0.93)",
    );
    ws.close();
  });

  it('registers without an alias, against a number gate, and fails the stage (lock untouched) when registration fails', async () => {
    const ws = await project(
      `stages:
  train:
    cmd: node train.js \${acc}
    params: [acc]
    outs:
      - models/model.pkl:
          register: churn
  gated:
    cmd: node -e "require('fs').writeFileSync('gated.bin', 'g')"
    outs:
      - gated.bin:
          register: {name: gated, alias: production, if: accuracy > 0.95}
`,
      0.9,
    );
    const first = await run(ws);
    expect(statuses(first)).toEqual(['train succeeded', 'gated succeeded']);
    expect(getModel(ws.db, 'churn')).toMatchObject({ aliases: [], versions: [{ version: 1, runId: first.runId }] });
    // The gate reads the run's metrics: 0.9 is not > 0.95.
    expect(getModel(ws.db, 'gated')).toMatchObject({ aliases: [], versions: [{ version: 1 }] });
    expect(getVersion(ws.db, 'gated', 1).tags['pipeline.gate']).toBe(
      'accuracy > 0.95: did not pass (accuracy 0.9 <= 0.95)',
    );

    // The registry cannot store the bytes (its cache is a file, not a folder): the stage fails,
    // says why, and stays out of the lock so that the next run tries again.
    setAcc(ws, 0.8);
    const cache = path.join(ws.dir, '.benchtop', 'cache');
    rmSync(cache, { recursive: true, force: true });
    writeFileSync(cache, 'not a folder');
    const broken = await run(ws);
    expect(statuses(broken)).toEqual(['train failed', 'gated up-to-date']);
    const reason = broken.stages[0]!.reason;
    expect(reason).toMatch(/^could not register models\/model\.pkl as model churn: /);
    expect(stageLog(ws, broken.runId, 'train')).toContain(`benchtop: stage train ${reason}`);
    expect(getModel(ws.db, 'churn').versions).toHaveLength(1);
    expect(readLock(ws.dir).stages.train!.params).toEqual({ 'params.yaml': { acc: 0.9 } });

    rmSync(cache, { force: true });
    mkdirSync(cache);
    const fixed = await run(ws);
    expect(statuses(fixed)).toEqual(['train succeeded', 'gated up-to-date']);
    expect(getVersion(ws.db, 'churn', 2)).toMatchObject({ runId: fixed.runId, metrics: { accuracy: 0.8 } });
    ws.close();
  });
});

describe('registering from an isolated working copy (sweeps, reproductions)', () => {
  it('keeps the bytes in the project cache after the copy is gone', async () => {
    const ws = await project(`stages:\n${TRAIN_STAGE}`, 0.9);
    const copy = copyOfWorkingTree(ws.dir, ws.db, 'sweep-test');
    const r = await new PipelineRun(
      {
        projectDir: copy.dir,
        home: ws.dir,
        db: ws.db,
        emit: () => undefined,
        commit: null,
        hashKeyPrefix: copy.hashKeyPrefix,
      },
      loadPipeline(copy.dir)!,
      { jobs: 1 },
    ).execute();
    expect(statuses(r)).toEqual(['train succeeded']);
    copy.dispose();
    const v = getVersion(ws.db, 'churn', 1);
    expect(v.aliases).toEqual(['champion']);
    expect(dataStore(ws.dir).readBytes(v.artifact.hash).toString()).toBe('weights 0.9');
    ws.close();
  });
});

describe('a registered model as a stage dependency', () => {
  it('hands the stage the version an alias names, and reruns the stage only after the alias moves', async () => {
    const ws = await project(
      `stages:
${TRAIN_STAGE}  serve:
    cmd: node use.js
    deps: [use.js, models:/churn@champion]
    outs: [used.txt]
`,
      0.91,
    );
    const first = await run(ws);
    // serve runs after train, which registers churn: the DAG links them through the model.
    expect(statuses(first)).toEqual(['train succeeded', 'serve succeeded']);
    expect(readFileSync(path.join(ws.dir, 'used.txt'), 'utf8')).toBe('weights 0.91');
    expect(readLock(ws.dir).stages.serve!.deps['models:/churn@champion']).toBe(`model:churn/1:${sha('weights 0.91')}`);
    expect(stageLog(ws, first.runId, 'serve')).toMatch(
      /benchtop: BENCHTOP_MODEL_CHURN = .*churn.1.model\.pkl \(churn version 1\)/,
    );
    // The run records which version it read.
    expect(
      ws.db
        .prepare(
          `SELECT hash FROM run_artifacts WHERE run_id = ? AND stage = 'serve' AND role = 'dep' AND path = 'models:/churn@champion'`,
        )
        .get(first.runId),
    ).toEqual({ hash: `model:churn/1:${sha('weights 0.91')}` });

    expect(statuses(await run(ws))).toEqual(['train up-to-date', 'serve up-to-date']);

    // train runs again but its version does not pass the gate: champion stays, so serve is up to date.
    setAcc(ws, 0.85);
    const plan = await new PipelineRun(
      { projectDir: ws.dir, db: ws.db, emit: () => undefined },
      loadPipeline(ws.dir)!,
    ).plan();
    expect(plan.map((p) => [p.stage.name, p.reasons])).toEqual([
      ['train', ['command changed', 'param acc 0.91 → 0.85']],
      ['serve', ['upstream stage train will run and may move models:/churn@champion']],
    ]);
    const worse = await run(ws);
    expect(statuses(worse)).toEqual(['train succeeded', 'serve up-to-date']);
    expect(worse.stages[1]!.reason).toBe('models:/churn@champion did not move');
    expect(readFileSync(path.join(ws.dir, 'used.txt'), 'utf8')).toBe('weights 0.91');

    // A better version moves champion within the same run: serve reads the new one.
    setAcc(ws, 0.95);
    const better = await run(ws);
    expect(statuses(better)).toEqual(['train succeeded', 'serve succeeded']);
    expect(readFileSync(path.join(ws.dir, 'used.txt'), 'utf8')).toBe('weights 0.95');
    expect(readLock(ws.dir).stages.serve!.deps['models:/churn@champion']).toBe(`model:churn/3:${sha('weights 0.95')}`);

    // Moving the alias by hand (a rollback) makes serve run again on its own.
    setAlias(ws.db, 'churn', 'champion', 1, 'rollback');
    const plan2 = await new PipelineRun(
      { projectDir: ws.dir, db: ws.db, emit: () => undefined },
      loadPipeline(ws.dir)!,
    ).plan();
    expect(plan2.map((p) => [p.stage.name, p.state, p.reasons])).toEqual([
      ['train', 'up-to-date', []],
      ['serve', 'will-run', ['dep models:/churn@champion changed (churn/3 → churn/1)']],
    ]);
    expect(statuses(await run(ws))).toEqual(['train up-to-date', 'serve succeeded']);
    expect(readFileSync(path.join(ws.dir, 'used.txt'), 'utf8')).toBe('weights 0.91');
    ws.close();
  });

  it('a reproduction reads the versions the original run read, not where the aliases point now', async () => {
    const ws = await project(
      `stages:
${TRAIN_STAGE}  serve:
    cmd: node use.js
    deps: [use.js, models:/churn@champion]
    outs: [used.txt]
`,
      0.91,
    );
    git(ws.dir, 'add', '-A');
    git(ws.dir, 'commit', '-q', '-m', 'pipeline');
    const first = await run(ws);
    setAcc(ws, 0.95);
    git(ws.dir, 'commit', '-q', '-am', 'better');
    await run(ws);
    expect(getModel(ws.db, 'churn').aliases).toEqual([{ alias: 'champion', version: 2 }]);

    const repro = await reproduceRun(ws.dir, ws.db, () => undefined, first.runId);
    expect(statuses(repro.reproduced)).toEqual(['train succeeded', 'serve succeeded']);
    const dep = ws.db
      .prepare(
        `SELECT hash FROM run_artifacts WHERE run_id = ? AND stage = 'serve' AND role = 'dep' AND path = 'models:/churn@champion'`,
      )
      .get(repro.reproduced.runId);
    expect(dep).toEqual({ hash: `model:churn/1:${sha('weights 0.91')}` });
    // Its own training registered version 3, which does not beat the champion.
    expect(getModel(ws.db, 'churn').aliases).toEqual([{ alias: 'champion', version: 2 }]);
    expect(getVersion(ws.db, 'churn', 3).runId).toBe(repro.reproduced.runId);
    ws.close();
  });

  it('fails only the stage whose model or alias does not exist, naming it', async () => {
    const ws = await project(
      `stages:
  serve:
    cmd: node use.js
    deps: [use.js, models:/churn@champion]
    outs: [used.txt]
  other:
    cmd: node -e "require('fs').writeFileSync('other.txt', 'x')"
    outs: [other.txt]
`,
      0.9,
    );
    const r = await run(ws);
    expect(statuses(r)).toEqual(['serve failed', 'other succeeded']);
    expect(r.stages[0]!.reason).toBe(
      'dep models:/churn@champion: There is no registered model named churn (List them with `benchtop models list`, or register one with `benchtop models register`)',
    );
    expect(stageLog(ws, r.runId, 'serve')).toContain(
      'benchtop: stage serve cannot run: dep models:/churn@champion: There is no registered model named churn',
    );
    ws.close();
  });

  it('hands over a folder model as a folder, from a fixed version', async () => {
    const ws = await project(
      `stages:
  train:
    cmd: node folder-train.js
    outs:
      - model:
          register: {name: folder-model}
  read:
    cmd: node read.js
    deps: [models:/folder-model/1]
    outs: [read.txt]
`,
      0.9,
    );
    writeFileSync(
      path.join(ws.dir, 'folder-train.js'),
      `const fs = require('fs'); fs.mkdirSync('model/sub', { recursive: true }); fs.writeFileSync('model/a.txt', 'A'); fs.writeFileSync('model/sub/b.txt', 'B');`,
    );
    // Referring to a version (not an alias) gives the _V1 variable, and the short one.
    writeFileSync(
      path.join(ws.dir, 'read.js'),
      `const fs = require('fs'); const d = process.env.BENCHTOP_MODEL_FOLDER_MODEL_V1; if (d !== process.env.BENCHTOP_MODEL_FOLDER_MODEL) process.exit(4); fs.writeFileSync('read.txt', fs.readFileSync(d + '/a.txt', 'utf8') + fs.readFileSync(d + '/sub/b.txt', 'utf8'));`,
    );
    const r = await run(ws);
    expect(statuses(r)).toEqual(['train succeeded', 'read succeeded']);
    expect(getVersion(ws.db, 'folder-model', 1).artifact.kind).toBe('folder');
    expect(readFileSync(path.join(ws.dir, 'read.txt'), 'utf8')).toBe('AB');
    ws.close();
  });
});
