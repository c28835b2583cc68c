import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { call, fails, openCore } from '../support/core';
import { tmpDir } from '../support/helpers';

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

describe('models.sampleInput', () => {
  it("gives the demo champion the first row of its monitor's reference, typed per its signature", async () => {
    const dir = path.join(tmpDir(), 'demo');
    (await initProject(dir, { demo: true })).workspace.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    cores.push(core);
    await core.open(dir);
    const sample = await call(core, 'models.sampleInput', { name: 'loan-default', version: 1 });
    // data/reference.csv's first row (L00001), only the signature's columns, numbers as numbers.
    expect(sample.record).toEqual({
      age: 27,
      income: 1980,
      amount: 5250,
      term: 24,
      employment: 'salaried',
      region: 'south',
      credit_history_years: 2,
      previous_defaults: 0,
    });
    expect(sample.source).toBe('data/reference.csv');
    expect(sample.note).toContain('loan-weekly');
  });

  it('reads the training data at the version the run read, from the cache once the file moved on', async () => {
    const { core, dir } = await openCore();
    cores.push(core);
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    writeFileSync(
      path.join(dir, 'data', 'train.csv'),
      'age,income,region,default\n31,52000.5,north,0\n45,61000,south,1\n',
    );
    const hash = (await call(core, 'data.add', { paths: ['data/train.csv'] })).results[0].data.hash as string;
    const { runId } = await call(core, 'runs.create', { experiment: 'churn', name: 'rf' });
    await call(core, 'runs.log', { runId, inputs: [{ dataset: 'data/train.csv', version: hash }] });
    writeFileSync(path.join(dir, 'model.pkl'), 'weights');
    await call(core, 'runs.logArtifact', { runId, path: 'model.pkl', name: 'model.pkl' });
    await call(core, 'runs.end', { runId, status: 'succeeded' });
    await call(core, 'models.register', { name: 'churn', runId, artifact: 'model.pkl', exclude: ['default'] });
    // The working copy changes after training: the sample is still the row the model was trained on.
    writeFileSync(path.join(dir, 'data', 'train.csv'), 'age,income,region,default\n99,1,east,1\n');
    const sample = await call(core, 'models.sampleInput', { name: 'churn', version: 1 });
    expect(sample.record).toEqual({ age: 31, income: 52000.5, region: 'north' });
    expect(sample.source).toBe(`data/train.csv@${hash.slice(0, 7)}`);
  });

  it('falls back to type defaults and says so when no data is known', async () => {
    const { core, dir } = await openCore();
    cores.push(core);
    writeFileSync(path.join(dir, 'model.json'), '{}');
    await call(core, 'models.register', {
      name: 'bare',
      path: 'model.json',
      signature: [
        { name: 'n', type: 'integer' },
        { name: 'x', type: 'number' },
        { name: 'ok', type: 'boolean' },
        { name: 's', type: 'string' },
      ],
    });
    const sample = await call(core, 'models.sampleInput', { name: 'bare', version: 1 });
    expect(sample).toEqual({
      record: { n: 0, x: 0, ok: false, s: '' },
      source: null,
      note: expect.stringContaining('no data'),
    });
    expect(await fails(core, 'models.sampleInput', { name: 'bare', version: 2 })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
