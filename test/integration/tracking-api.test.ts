import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { fromWire, toWire } from '../../shared/contract/wire';
import { call, fails, openCore } from '../support/core';
import { tmpDir } from '../support/helpers';

describe('the tracking API (runs.create / log / end / get / update)', () => {
  it('records a run from start to end with params, metric series, tags, inputs, notes and an artifact', async () => {
    const { core, dir } = await openCore();
    const { runId } = await call(core, 'runs.create', {
      experiment: 'churn',
      name: 'by hand',
      source: 'train.py',
      params: { lr: '0.1' },
      tags: { team: 'vision' },
    });
    for (let step = 0; step < 5; step++)
      await call(core, 'runs.log', { runId, metrics: [{ key: 'loss', value: 1 / (step + 1) }] });
    await call(core, 'runs.log', {
      runId,
      metrics: [
        { key: 'acc', value: 0.8, step: 10 },
        { key: 'acc', value: 0.9, step: 20 },
      ],
      params: { depth: '3' },
      inputs: [{ dataset: 'data/train.csv.bt', version: 'abc123' }],
    });
    writeFileSync(path.join(dir, 'report.json'), '{"ok":true}');
    const art = await call(core, 'runs.logArtifact', { runId, path: 'report.json', name: 'eval/report.json' });
    expect(art).toMatchObject({ path: 'eval/report.json', size: 11, type: 'json', role: 'artifact' });
    expect(await call(core, 'runs.end', { runId, status: 'succeeded' })).toEqual({ status: 'succeeded' });
    await call(core, 'runs.update', {
      id: runId,
      notes: '# Why\nbaseline',
      starred: true,
      name: 'baseline',
      setTags: { stage: 'dev' },
    });

    const run = await call(core, 'runs.get', { id: runId });
    expect(run).toMatchObject({
      name: 'baseline',
      status: 'succeeded',
      experiment: 'churn',
      source: 'train.py',
      notes: '# Why\nbaseline',
      starred: true,
      params: { lr: '0.1', depth: '3' },
      tags: { team: 'vision', stage: 'dev' },
      inputs: [{ dataset: 'data/train.csv.bt', version: 'abc123', context: 'training' }],
    });
    expect(run.metrics).toEqual([
      expect.objectContaining({ key: 'acc', value: 0.9, step: 20, points: 2 }),
      expect.objectContaining({ key: 'loss', value: 0.2, step: 4, points: 5 }),
    ]);
    expect(run.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof run.gitDirty).toBe('boolean');
    const keys = await call(core, 'runs.keys', {});
    expect(keys).toEqual({ params: ['depth', 'lr'], metrics: ['acc', 'loss'], tags: ['stage', 'team'] });
    core.close();
  });

  it('keeps NaN and ±Infinity, through the HTTP wire format too', async () => {
    const { core } = await openCore();
    const { runId } = await call(core, 'runs.create', {});
    const body = fromWire(
      toWire({
        runId,
        metrics: [
          { key: 'nan', value: Number.NaN },
          { key: 'inf', value: Infinity },
          { key: 'ninf', value: -Infinity },
        ],
      }),
    );
    await call(core, 'runs.log', body);
    const run = await call(core, 'runs.get', { id: runId });
    const byKey = Object.fromEntries(run.metrics.map((m: { key: string; value: number }) => [m.key, m.value]));
    expect(byKey.nan).toBeNaN();
    expect(byKey.inf).toBe(Infinity);
    expect(byKey.ninf).toBe(-Infinity);
    const { runs } = await call(core, 'runs.search', { filter: 'metrics.inf > 1000' });
    expect(runs.map((r: { id: string }) => r.id)).toEqual([runId]);
    expect(fromWire(toWire(runs[0].metrics))).toEqual({ nan: Number.NaN, inf: Infinity, ninf: -Infinity });
    core.close();
  });

  it('serves metric series downsampled, with the count of points logged and of non-finite ones', async () => {
    const { core } = await openCore();
    const { runId } = await call(core, 'runs.create', {});
    const metrics = Array.from({ length: 20_000 }, (_, step) => ({
      key: 'loss',
      value: step === 7 ? Number.NaN : Math.exp(-step / 5000),
      step,
    }));
    for (let i = 0; i < metrics.length; i += 10_000)
      await call(core, 'runs.log', { runId, metrics: metrics.slice(i, i + 10_000) });
    const { series } = await call(core, 'runs.history', { ids: [runId], maxPoints: 500 });
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ runId, key: 'loss', total: 20_000, nonFinite: 1 });
    expect(series[0].values).toHaveLength(500);
    expect(series[0].steps[0]).toBe(0);
    expect(series[0].steps.at(-1)).toBe(19_999);
    core.close();
  });

  it('refuses over-long keys and values naming the limit, and changed params, and changes nothing', async () => {
    const { core } = await openCore();
    const { runId } = await call(core, 'runs.create', { params: { lr: '0.1' } });
    const longKey = await fails(core, 'runs.log', { runId, metrics: [{ key: 'k'.repeat(251), value: 1 }] });
    expect(longKey).toMatchObject({ code: 'INVALID_INPUT' });
    expect(longKey.message).toContain('the limit is 250');
    const longParam = await fails(core, 'runs.log', { runId, params: { big: 'x'.repeat(6001) } });
    expect(longParam.message).toContain('limit for a param value is 6000');
    expect(longParam.field).toBe('params.big');
    const longTag = await fails(core, 'runs.update', { id: runId, setTags: { t: 'x'.repeat(8001) } });
    expect(longTag.message).toContain('8000');
    const changed = await fails(core, 'runs.log', { runId, params: { lr: '0.2', other: '1' } });
    expect(changed).toMatchObject({ code: 'CONFLICT', field: 'params.lr' });
    const badKey = await fails(core, 'runs.log', { runId, tags: { '../x': '1' } });
    expect(badKey.code).toBe('INVALID_INPUT');
    const run = await call(core, 'runs.get', { id: runId });
    expect(run.params).toEqual({ lr: '0.1' });
    expect(run.tags).toEqual({});
    expect(run.metrics).toEqual([]);
    expect(await fails(core, 'runs.logArtifact', { runId, path: '../outside.txt' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'path',
    });
    core.close();
  });

  it('marks a run interrupted when the script that logs to it is gone, not while it lives', async () => {
    const { core, dir } = await openCore();
    const { runId: live } = await call(core, 'runs.create', { pid: process.pid });
    const { runId: gone } = await call(core, 'runs.create', { pid: 2 ** 22 + 12345 });
    core.close();
    const again = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await again.open(dir);
    expect((await call(again, 'runs.get', { id: live })).status).toBe('running');
    expect((await call(again, 'runs.get', { id: gone })).status).toBe('interrupted');
    again.close();
  });

  it('ends a run once: the same status again is fine, another is refused; deleted runs take no more points', async () => {
    const { core } = await openCore();
    const { runId } = await call(core, 'runs.create', { name: 'once' });
    await call(core, 'runs.end', { runId, status: 'failed' });
    await call(core, 'runs.end', { runId, status: 'failed' });
    expect(await fails(core, 'runs.end', { runId, status: 'succeeded' })).toMatchObject({ code: 'CONFLICT' });
    await call(core, 'runs.delete', { ids: [runId] });
    expect(await fails(core, 'runs.log', { runId, metrics: [{ key: 'a', value: 1 }] })).toMatchObject({
      code: 'CONFLICT',
    });
    expect(await fails(core, 'runs.get', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await fails(core, 'runs.create', { parentId: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    core.close();
  });
});
