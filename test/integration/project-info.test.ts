// project.info: the open project's identity, read without asking git (the contract method added by
// following CONTRIBUTING.md's recipe).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { SCHEMA_VERSION } from '../../electron/core/store/database';
import { dispatch } from '../../shared/contract/dispatch';
import { tmpDir } from '../support/helpers';

let core: Core | null = null;
afterEach(async () => {
  await core?.shutdown();
  core = null;
});

describe('project.info', () => {
  it('names the open project, its folder, schema version, whether it is the demo and has a pipeline', async () => {
    const dir = path.join(tmpDir(), 'loans');
    (await initProject(dir, { demo: true })).workspace.close();
    core = new Core({ dataDir: tmpDir(), mode: 'cli' });
    await core.open(dir);
    const info = await dispatch(core.handlers, 'project.info', {}, { checkOutput: true });
    expect(info).toEqual({
      ok: true,
      value: { name: 'Benchtop demo', path: dir, isDemo: true, schemaVersion: SCHEMA_VERSION, hasPipeline: true },
    });
    rmSync(path.join(dir, 'benchtop.yaml'));
    const after = await dispatch(core.handlers, 'project.info', {}, { checkOutput: true });
    expect(after.ok && (after.value as { hasPipeline: boolean }).hasPipeline).toBe(false);
  });

  it('refuses input it does not know, and says when no project is open', async () => {
    core = new Core({ dataDir: tmpDir(), mode: 'cli' });
    const none = await dispatch(core.handlers, 'project.info', {});
    expect(none).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    const extra = await dispatch(core.handlers, 'project.info', { path: '/tmp' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
