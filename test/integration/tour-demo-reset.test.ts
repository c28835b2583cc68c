// The guided tour's stored place and the demo reset, through the contract on a real core: the tour
// remembers its step per project out of git; resetting refuses anything but the demo project and a
// busy one, stops the demo's endpoints, moves the folder aside whole (never deleted) and opens a
// fresh demo at the same path.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { backupPath } from '../../electron/core/project/demo-reset';
import { initProject } from '../../electron/core/project/init';
import { setAlias } from '../../electron/core/registry/aliases';
import type { BenchtopEvent } from '../../shared/contract/events';
import { call, fails, openCore } from '../support/core';
import { tmpDir } from '../support/helpers';
import { nodePredictor, registerPredictor, request } from '../support/serving';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.shutdown();
});

async function demoCore(): Promise<{ core: Core; dir: string; events: BenchtopEvent[] }> {
  const dir = path.join(tmpDir(), 'demo');
  (await initProject(dir, { demo: true })).workspace.close();
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  cores.push(core);
  await core.open(dir);
  const events: BenchtopEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  return { core, dir, events };
}

describe('tour state', () => {
  it('starts unstarted, remembers its step and panel per project, and stays out of git', async () => {
    const { core, dir } = await openCore();
    cores.push(core);
    expect(await call(core, 'tour.get', {})).toEqual({ step: 0, open: false, started: false });
    expect(await call(core, 'tour.save', { open: true })).toEqual({ step: 0, open: true, started: true });
    expect(await call(core, 'tour.save', { step: 4 })).toEqual({ step: 4, open: true, started: true });
    expect(await call(core, 'tour.save', { open: false })).toEqual({ step: 4, open: false, started: true });
    // A new core (the app started again) finds it where it was left.
    const again = new Core({ dataDir: tmpDir(), mode: 'browser' });
    cores.push(again);
    await again.open(dir);
    expect(await call(again, 'tour.get', {})).toEqual({ step: 4, open: false, started: true });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toContain('/.benchtop/tour.json');
    expect((await fails(core, 'tour.save', { step: -1 })).code).toBe('INVALID_INPUT');
  });

  it('treats a damaged file as never started instead of failing', async () => {
    const { core, dir } = await openCore();
    cores.push(core);
    writeFileSync(path.join(dir, '.benchtop', 'tour.json'), '{"version": 1, "step": "two"');
    expect(await call(core, 'tour.get', {})).toEqual({ step: 0, open: false, started: false });
  });
});

describe('demo.reset', () => {
  it('refuses a project that is not the demo, and changes nothing', async () => {
    const { core, dir } = await openCore();
    cores.push(core);
    writeFileSync(path.join(dir, 'mine.txt'), 'my work');
    const before = readdirSync(path.dirname(dir)).sort();
    const err = await fails(core, 'demo.reset', {});
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('is not the demo project');
    expect(readdirSync(path.dirname(dir)).sort()).toEqual(before);
    expect(readFileSync(path.join(dir, 'mine.txt'), 'utf8')).toBe('my work');
    expect((await call(core, 'project.current', {})).path).toBe(dir);
  });

  it('stops the deployments, moves the folder aside whole and opens a fresh demo in its place', async () => {
    const { core, dir, events } = await demoCore();
    const ws = core.project!;
    // What a user did in the demo: a run, a note of their own, the tour half done, a model served.
    const { runId } = await call(core, 'runs.create', { experiment: 'mine', name: 'my run' });
    await call(core, 'runs.end', { runId, status: 'succeeded' });
    writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    await call(core, 'tour.save', { step: 5, open: true });
    await registerPredictor(ws, 'tour-scorer', nodePredictor(`return { label: input.x > 0 ? 'pos' : 'neg' };`), {
      model: {},
      signature: [{ name: 'x', type: 'number' }],
    });
    setAlias(ws.db, 'tour-scorer', 'champion', 1, 'test');
    const d = await call(core, 'deployments.start', { ref: 'tour-scorer@champion' });
    expect((await request(`${d.url}/predict`, { body: { x: 1 } })).status).toBe(200);

    const result = await call(core, 'demo.reset', {});

    // The old folder is beside the new one, whole: the note, the database with the run.
    expect(path.dirname(result.backup)).toBe(path.dirname(dir));
    expect(path.basename(result.backup)).toMatch(/^demo-backup-\d{4}-\d\d-\d\d-\d{6}$/);
    // Nothing else is left beside them (the fresh demo was made in a hidden folder, then moved in).
    expect(readdirSync(path.dirname(dir)).sort()).toEqual(['demo', path.basename(result.backup)]);
    expect(readFileSync(path.join(result.backup, 'notes.txt'), 'utf8')).toBe('kept');
    expect(existsSync(path.join(result.backup, '.benchtop', 'benchtop.db'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(result.backup, '.benchtop', 'tour.json'), 'utf8'))).toMatchObject({
      step: 5,
    });
    // The endpoint was stopped before the move, and no longer answers.
    await expect(request(`${d.url}/predict`, { body: { x: 1 } })).rejects.toThrow();
    expect(
      events.some(
        (e) => e.name === 'deployments.changed' && e.payload.deploymentId === d.id && e.payload.change === 'stopped',
      ),
    ).toBe(true);

    // A fresh demo, open at the same path: no runs, no note, the tour not started, its files back.
    expect(result.project).toMatchObject({ path: dir, isDemo: true });
    expect((await call(core, 'project.current', {})).path).toBe(dir);
    expect(existsSync(path.join(dir, 'notes.txt'))).toBe(false);
    expect(existsSync(path.join(dir, 'benchtop.yaml'))).toBe(true);
    expect((await call(core, 'runs.search', {})).runs).toEqual([]);
    expect(await call(core, 'tour.get', {})).toEqual({ step: 0, open: false, started: false });
    expect((await call(core, 'models.list', {})).models.map((m: { name: string }) => m.name)).not.toContain(
      'tour-scorer',
    );
    const changed = events.filter((e) => e.name === 'project.changed').at(-1);
    expect(changed?.name === 'project.changed' ? changed.payload.project?.path : null).toBe(dir);

    // A second reset makes a second backup rather than touching the first.
    const second = await call(core, 'demo.reset', {});
    expect(second.backup).not.toBe(result.backup);
    expect(readFileSync(path.join(result.backup, 'notes.txt'), 'utf8')).toBe('kept');
  });

  it('refuses while a pipeline runs, leaving the project as it was', async () => {
    const { core, dir } = await demoCore();
    const { runId } = await call(core, 'pipelines.run', {});
    const err = await fails(core, 'demo.reset', {});
    expect(err.code).toBe('BUSY');
    expect(err.message).toContain(runId);
    expect(readdirSync(path.dirname(dir))).toEqual(['demo']);
    await core.pipelines.settle();
  });

  it('sends production weeks to the endpoint only from the demo, only when it is deployed, each week once', async () => {
    const { core: plain } = await openCore();
    cores.push(plain);
    expect((await fails(plain, 'demo.sendWeeks', {})).code).toBe('UNSUPPORTED');

    const { core, dir } = await demoCore();
    const batches = path.join(dir, 'data', 'batches');
    const weeksIn = () => readdirSync(batches).filter((f) => f.endsWith('.csv'));
    const notServed = await fails(core, 'demo.sendWeeks', { weeks: 2 });
    expect(notServed.code).toBe('CONFLICT');
    expect(notServed.hint).toContain('loan-default@champion');
    expect(weeksIn()).toEqual([]);

    const d = await call(core, 'deployments.start', { ref: 'loan-default@champion' });
    const one = await call(core, 'demo.sendWeeks', {});
    expect(one.delivered.map((w: { file: string }) => w.file)).toEqual(['data/batches/week-01.csv']);
    expect(one.delivered[0]).toMatchObject({ records: 400, version: d.version });
    expect(weeksIn()).toEqual(['week-01.csv']);
    // The endpoint logged the week's request, which the deployment counts.
    const [listed] = (await call(core, 'deployments.list', { model: 'loan-default' })).deployments;
    expect(listed.requests).toBe(1);

    const rest = await call(core, 'demo.sendWeeks', { weeks: 100 });
    expect(rest.delivered).toHaveLength(one.remaining);
    expect(rest.remaining).toBe(0);
    expect(weeksIn()).toHaveLength(1 + one.remaining);
    const done = await fails(core, 'demo.sendWeeks', {});
    expect(done.code).toBe('NOT_FOUND');
    expect(done.message).toContain('have been sent already');
  });

  it('names a free backup folder when one from the same second exists', () => {
    const dir = path.join(tmpDir(), 'demo');
    const now = new Date(2026, 10, 30, 5, 12, 7);
    const first = backupPath(dir, now);
    expect(path.basename(first)).toBe('demo-backup-2026-11-30-051207');
    writeFileSync(first, '');
    expect(path.basename(backupPath(dir, now))).toBe('demo-backup-2026-11-30-051207-2');
  });
});
