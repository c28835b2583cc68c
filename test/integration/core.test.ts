import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { markInterruptedRuns } from '../../electron/core/tracking/interrupted';
import { initProject } from '../../electron/core/workspace/init';
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
    const inputs: Record<string, unknown> = { 'project.open': { path: dir }, 'project.init': { path: dir }, 'data.preview': { path: 'data/wine.csv' } };
    for (const name of METHOD_NAMES) {
      const r = await dispatch(core.handlers, name, inputs[name] ?? {}, { checkOutput: true });
      expect(r, name).toMatchObject({ ok: true });
    }
    const data = await core.handlers['data.list']({});
    expect(data.files.map((f) => [f.path, f.rows, f.gitStatus])).toEqual([
      ['data/breast_cancer.csv', 569, 'committed'],
      ['data/iris.csv', 150, 'committed'],
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
    expect(await dispatch(core.handlers, 'project.open', { path: path.join(plain, 'missing') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
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

describe('the default project', () => {
  it('is created once in the user data folder from the demo, then reused', async () => {
    const dataDir = tmpDir();
    const core = new Core({ dataDir, mode: 'browser' });
    const first = await core.openDefault();
    expect(first.path).toBe(defaultProjectDir(dataDir));
    expect(first.isDemo).toBe(true);
    expect(existsSync(path.join(first.path, 'data', 'iris.csv'))).toBe(true);
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
    expect(markInterruptedRuns(db)).toEqual(['dead']);
    const statuses = db.prepare('SELECT id, status FROM runs ORDER BY id').all();
    expect(statuses).toEqual([
      { id: 'alive', status: 'running' },
      { id: 'dead', status: 'interrupted' },
      { id: 'done', status: 'succeeded' },
    ]);
    workspace.close();
  });
});
