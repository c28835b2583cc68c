import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { acquireProjectLock, readLockHolder } from '../../electron/core/workspace/project-lock';
import { dispatch } from '../../shared/contract/dispatch';
import { tmpDir } from '../support/helpers';

describe('the core in a CLI process', () => {
  it('opens a project without touching the recent list, and writes under the lock the command already holds', async () => {
    const dir = path.join(tmpDir(), 'p');
    (await initProject(dir, {})).workspace.close();
    const dataDir = tmpDir();
    // As the CLI's preAction hook does for a writing command, before the core is made.
    const release = await acquireProjectLock(dir, { command: 'benchtop runs delete', waitMs: 0 });
    const core = new Core({ dataDir, mode: 'cli' });
    try {
      await core.open(dir);
      const info = await dispatch(core.handlers, 'app.info', {}, { checkOutput: true });
      expect(info.ok && (info.value as { mode: string }).mode).toBe('cli');
      const recent = await dispatch(core.handlers, 'project.recent', {}, { checkOutput: true });
      expect(recent.ok && recent.value).toEqual([]);
      const created = await dispatch(core.handlers, 'runs.create', { experiment: 'e', name: 'r' });
      if (!created.ok) throw new Error(created.error.message);
      const { runId } = created.value as { runId: string };
      expect((await dispatch(core.handlers, 'runs.end', { runId })).ok).toBe(true);
      const deleted = await dispatch(core.handlers, 'runs.delete', { ids: [runId] }, { checkOutput: true });
      expect(deleted).toEqual({ ok: true, value: { changed: 1 } });
      // The write joined the command's hold and left it held.
      expect(readLockHolder(dir)?.command).toBe('benchtop runs delete');
    } finally {
      await core.shutdown();
      release();
    }
    expect(readLockHolder(dir)).toBeNull();
  });
});
