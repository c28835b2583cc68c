import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/app/core';
import { decodeManifest } from '../../electron/core/data/manifest';
import { dataStore } from '../../electron/core/data/track';
import { call, fails, openCore as openBareCore } from '../support/core';

async function openCore(): Promise<{ core: Core; dir: string; events: string[] }> {
  const { core, dir } = await openBareCore();
  const events: string[] = [];
  core.events.subscribe((e) => {
    if (e.name === 'models.changed') events.push(e.payload.name);
  });
  return { core, dir, events };
}

async function trainedRun(core: Core, dir: string, acc: number): Promise<string> {
  const { runId } = await call(core, 'runs.create', {
    experiment: 'churn',
    params: { depth: String(Math.round(acc * 10)), model: 'rf' },
  });
  await call(core, 'runs.log', {
    runId,
    metrics: [
      { key: 'accuracy', value: acc },
      { key: 'loss', value: Number.NaN },
    ],
  });
  writeFileSync(path.join(dir, 'model.pkl'), `weights ${acc}`);
  await call(core, 'runs.logArtifact', { runId, path: 'model.pkl', name: 'model/model.pkl' });
  writeFileSync(path.join(dir, 'meta.json'), `{"acc":${acc}}`);
  await call(core, 'runs.logArtifact', { runId, path: 'meta.json', name: 'model/meta.json' });
  await call(core, 'runs.end', { runId, status: 'succeeded' });
  return runId;
}

describe('the model registry', () => {
  it('registers versions from a run artifact (file or folder) and from a path, counting up per name, with the run snapshot', async () => {
    const { core, dir, events } = await openCore();
    const run = await trainedRun(core, dir, 0.91);
    const v1 = await call(core, 'models.register', {
      name: 'churn',
      runId: run,
      artifact: 'model/model.pkl',
      description: 'first',
      tags: { team: 'risk' },
    });
    expect(v1).toMatchObject({
      name: 'churn',
      version: 1,
      format: 'pickle',
      source: 'run',
      runId: run,
      size: 12,
      files: 1,
      description: 'first',
      params: { depth: '9', model: 'rf' },
      tags: { team: 'risk' },
      artifact: { path: 'model/model.pkl', kind: 'file' },
      archived: false,
      aliases: [],
    });
    expect(v1.metrics.accuracy).toBe(0.91);
    expect(Number.isNaN(v1.metrics.loss)).toBe(true);
    expect(v1.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(dataStore(dir).pathOf(v1.artifact.hash), 'utf8')).toBe('weights 0.91');

    const v2 = await call(core, 'models.register', { name: 'churn', runId: run, artifact: 'model' });
    expect(v2).toMatchObject({ version: 2, files: 2, artifact: { kind: 'folder', path: 'model' }, format: 'pickle' });
    const manifest = decodeManifest(dataStore(dir).readBytes(v2.artifact.hash), v2.artifact.hash);
    expect(manifest.map((e) => e.path)).toEqual(['meta.json', 'model.pkl']);

    mkdirSync(path.join(dir, 'export'));
    writeFileSync(path.join(dir, 'export', 'model.onnx'), 'onnx bytes');
    const v3 = await call(core, 'models.register', { name: 'churn', path: 'export/model.onnx' });
    expect(v3).toMatchObject({ version: 3, source: 'path', runId: null, format: 'onnx', params: {}, metrics: {} });
    const other = await call(core, 'models.register', { name: 'fraud', path: 'export', format: 'custom' });
    expect(other).toMatchObject({ name: 'fraud', version: 1, format: 'custom', artifact: { kind: 'folder' } });
    expect(events).toEqual(['churn', 'churn', 'churn', 'fraud']);

    const list = await call(core, 'models.list', {});
    expect(list.models.map((m: { name: string; versionCount: number }) => [m.name, m.versionCount]).sort()).toEqual([
      ['churn', 3],
      ['fraud', 1],
    ]);
    const model = await call(core, 'models.get', { name: 'churn' });
    expect(model.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    core.close();
  });

  it('refuses bad registrations with the field and a fix, and writes nothing', async () => {
    const { core, dir } = await openCore();
    const run = await trainedRun(core, dir, 0.8);
    expect(await fails(core, 'models.register', { name: 'churn', runId: run, artifact: 'nope.pkl' })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'artifact',
      hint: expect.stringContaining('model/model.pkl'),
    });
    expect(await fails(core, 'models.register', { name: 'bad name!', path: 'model.pkl' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'name',
    });
    expect(await fails(core, 'models.register', { name: 'churn', path: '../outside.pkl' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'path',
    });
    expect(await fails(core, 'models.register', { name: 'churn', artifact: 'model.pkl' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'runId',
    });
    expect(await fails(core, 'models.register', { name: 'churn' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(
      await fails(core, 'models.register', { name: 'churn', runId: 'no-such-run', artifact: 'model.pkl' }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect((await call(core, 'models.list', {})).models).toEqual([]);
    core.close();
  });

  it('takes the input signature from the pointer schema of the data the run trained on, without the target', async () => {
    const { core, dir } = await openCore();
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    writeFileSync(
      path.join(dir, 'data', 'train.csv'),
      'age,income,region,default\n31,52000.5,north,0\n45,61000,south,1\n',
    );
    const [added] = await call(core, 'data.add', { paths: ['data/train.csv'] }).then(
      (r: { results: { data: { hash: string } }[] }) => r.results,
    );
    const { runId } = await call(core, 'runs.create', {});
    await call(core, 'runs.log', { runId, inputs: [{ dataset: 'data/train.csv', version: added!.data.hash }] });
    writeFileSync(path.join(dir, 'm.pkl'), 'm');
    await call(core, 'runs.logArtifact', { runId, path: 'm.pkl', name: 'm.pkl' });
    const v = await call(core, 'models.register', { name: 'loan', runId, artifact: 'm.pkl', exclude: ['default'] });
    expect(v.data).toEqual([{ dataset: 'data/train.csv', version: added!.data.hash, context: 'training' }]);
    expect(v.signature).toEqual({
      source: `data/train.csv@${added!.data.hash}`,
      inputs: [
        { name: 'age', type: 'integer' },
        { name: 'income', type: 'number' },
        { name: 'region', type: 'string' },
      ],
    });
    const given = await call(core, 'models.register', {
      name: 'loan',
      runId,
      artifact: 'm.pkl',
      signature: [{ name: 'x', type: 'number' }],
    });
    expect(given.signature).toEqual({ source: 'given', inputs: [{ name: 'x', type: 'number' }] });
    core.close();
  });

  it('sets, moves and removes aliases with an audit log; reserved names are refused; NAME@ALIAS resolves to one version', async () => {
    const { core, dir } = await openCore();
    const run = await trainedRun(core, dir, 0.9);
    for (let i = 0; i < 3; i++)
      await call(core, 'models.register', { name: 'churn', runId: run, artifact: 'model/model.pkl' });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 1, reason: 'first good one' });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'challenger', version: 2 });
    const moved = await call(core, 'models.setAlias', {
      name: 'churn',
      alias: 'champion',
      version: 2,
      reason: 'better recall',
    });
    expect(moved.aliases).toEqual([
      { alias: 'challenger', version: 2 },
      { alias: 'champion', version: 2 },
    ]);
    expect(moved.versions.find((v: { version: number }) => v.version === 2).aliases).toEqual([
      'challenger',
      'champion',
    ]);
    // Setting an alias to where it already points changes nothing and logs nothing.
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 2 });
    const removed = await call(core, 'models.removeAlias', { name: 'churn', alias: 'challenger', reason: 'merged' });
    expect(removed.aliasLog.map((e: object) => ({ ...e, at: undefined }))).toEqual([
      { alias: 'challenger', fromVersion: 2, toVersion: null, reason: 'merged', at: undefined },
      { alias: 'champion', fromVersion: 1, toVersion: 2, reason: 'better recall', at: undefined },
      { alias: 'challenger', fromVersion: null, toVersion: 2, reason: '', at: undefined },
      { alias: 'champion', fromVersion: null, toVersion: 1, reason: 'first good one', at: undefined },
    ]);
    for (const alias of ['latest', 'LATEST', 'v1', 'V12']) {
      expect(await fails(core, 'models.setAlias', { name: 'churn', alias, version: 1 })).toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('reserved'),
      });
    }
    expect(await fails(core, 'models.setAlias', { name: 'churn', alias: 'has space', version: 1 })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'alias',
    });
    expect(await fails(core, 'models.setAlias', { name: 'churn', alias: 'prod', version: 9 })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'version',
    });
    expect(await fails(core, 'models.removeAlias', { name: 'churn', alias: 'prod' })).toMatchObject({
      code: 'NOT_FOUND',
    });

    expect(await call(core, 'models.resolve', { ref: 'churn@champion' })).toEqual({ name: 'churn', version: 2 });
    expect(await call(core, 'models.resolve', { ref: 'models:/churn@champion' })).toEqual({
      name: 'churn',
      version: 2,
    });
    expect(await call(core, 'models.resolve', { ref: 'models:/churn/3' })).toEqual({ name: 'churn', version: 3 });
    expect(await call(core, 'models.resolve', { ref: 'churn/latest' })).toEqual({ name: 'churn', version: 3 });
    expect(await call(core, 'models.resolve', { ref: 'churn' })).toEqual({ name: 'churn', version: 3 });
    expect(await call(core, 'models.resolve', { ref: 'churn@v1' })).toEqual({ name: 'churn', version: 1 });
    expect(await fails(core, 'models.resolve', { ref: 'churn@challenger' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await fails(core, 'models.resolve', { ref: 'churn/0' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await fails(core, 'models.resolve', { ref: 'churn@a@b' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await fails(core, 'models.resolve', { ref: 'nobody@champion' })).toMatchObject({ code: 'NOT_FOUND' });
    core.close();
  });

  it('refuses to archive or delete a version an alias points to; archives, restores and deletes the others', async () => {
    const { core, dir } = await openCore();
    const run = await trainedRun(core, dir, 0.9);
    for (let i = 0; i < 3; i++)
      await call(core, 'models.register', { name: 'churn', runId: run, artifact: 'model/model.pkl' });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 3 });
    expect(await fails(core, 'models.delete', { name: 'churn', version: 3 })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('@champion'),
    });
    expect(await fails(core, 'models.archive', { name: 'churn', version: 3 })).toMatchObject({ code: 'CONFLICT' });
    expect((await call(core, 'models.archive', { name: 'churn', version: 1 })).archived).toBe(true);
    expect(await fails(core, 'models.setAlias', { name: 'churn', alias: 'challenger', version: 1 })).toMatchObject({
      code: 'CONFLICT',
      hint: expect.stringContaining('restore'),
    });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 2 });
    await call(core, 'models.archive', { name: 'churn', version: 3 });
    // `latest` skips archived versions.
    expect(await call(core, 'models.resolve', { ref: 'churn@latest' })).toEqual({ name: 'churn', version: 2 });
    expect((await call(core, 'models.restore', { name: 'churn', version: 1 })).archived).toBe(false);
    expect(await call(core, 'models.delete', { name: 'churn', version: 1 })).toEqual({ name: 'churn', version: 1 });
    expect(await fails(core, 'models.version', { name: 'churn', version: 1 })).toMatchObject({ code: 'NOT_FOUND' });
    // Versions keep counting up after a delete: numbers are never reused.
    expect(
      (await call(core, 'models.register', { name: 'churn', runId: run, artifact: 'model/model.pkl' })).version,
    ).toBe(4);
    const edited = await call(core, 'models.update', {
      name: 'churn',
      version: 2,
      intendedUse: '## Use\nScoring',
      limitations: 'Not for minors',
      tags: { a: 'b' },
      predict: 'python predict.py',
    });
    expect(edited).toMatchObject({
      intendedUse: '## Use\nScoring',
      limitations: 'Not for minors',
      tags: { a: 'b' },
      predict: 'python predict.py',
    });
    core.close();
  });

  it("keeps a registered model's bytes through `data gc`, also when its run is purged", async () => {
    const { core, dir } = await openCore();
    const run = await trainedRun(core, dir, 0.9);
    const v = await call(core, 'models.register', { name: 'churn', runId: run, artifact: 'model' });
    mkdirSync(path.join(dir, 'm'));
    writeFileSync(path.join(dir, 'm', 'w.bin'), 'w');
    const p = await call(core, 'models.register', { name: 'other', path: 'm' });
    await call(core, 'runs.delete', { ids: [run] });
    await call(core, 'runs.purge', { ids: [run] });
    const gc = await call(core, 'data.gc', { dryRun: false, graceMinutes: 0 });
    expect(gc.references.registry).toBeGreaterThanOrEqual(2);
    const store = dataStore(dir);
    for (const h of [v.artifact.hash, p.artifact.hash]) {
      expect(store.has(h)).toBe(true);
      for (const e of decodeManifest(store.readBytes(h), h)) expect(store.has(e.hash)).toBe(true);
    }
    const kept = await call(core, 'models.version', { name: 'churn', version: 1 });
    expect(kept).toMatchObject({ runId: null, params: { model: 'rf' } });
    core.close();
  });
});
