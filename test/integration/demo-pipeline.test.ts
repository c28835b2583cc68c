import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPipelineView } from '../../electron/core/pipeline/view';
import { initProject } from '../../electron/core/workspace/init';
import { tmpDir } from '../support/helpers';

describe('the demo project', () => {
  it("runs its pipeline's stages in order with node and scores the model", async () => {
    const dir = path.join(tmpDir(), 'demo');
    (await initProject(dir, { demo: true })).workspace.close();
    const view = readPipelineView(dir);
    for (const stage of view.stages) {
      for (const cmd of stage.cmd) execFileSync('sh', ['-c', cmd], { cwd: dir, stdio: 'pipe' });
      for (const out of stage.outs) expect(readFileSync(path.join(dir, out)).length, out).toBeGreaterThan(0);
    }
    const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as { accuracy: number; test_rows: number };
    expect(metrics.test_rows).toBe(45);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
  });
});
