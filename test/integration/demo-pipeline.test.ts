// Runs in: tests (Node). The demo project's stages run by hand with node, in order, as a newcomer
// would outside Benchtop (the champion handed over as Benchtop would: the scorecard), and both
// model families score clearly better than chance and than the scorecard.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPipelineView } from '../../electron/core/pipeline/view';
import { initProject } from '../../electron/core/project/init';
import { tmpDir } from '../support/helpers';

interface Metrics {
  accuracy: number;
  auc: number;
  f1: number;
  log_loss: number;
  champion_auc: number;
  auc_lift: number;
  test_rows: number;
}

async function runByHand(family: string): Promise<Metrics> {
  const dir = path.join(tmpDir(), `demo-${family}`);
  (await initProject(dir, { demo: true })).workspace.close();
  const params = path.join(dir, 'params.yaml');
  writeFileSync(params, readFileSync(params, 'utf8').replace('family: logistic', `family: ${family}`));
  const view = readPipelineView(dir);
  expect(view.stages.map((s) => s.name)).toEqual(['prepare', 'train', 'evaluate']);
  for (const stage of view.stages) {
    for (const cmd of stage.cmd)
      execFileSync('sh', ['-c', cmd], {
        cwd: dir,
        stdio: 'pipe',
        env: { ...process.env, BENCHTOP_MODEL_LOAN_DEFAULT: path.join(dir, 'models', 'scorecard.json') },
      });
    for (const out of stage.outs) expect(readFileSync(path.join(dir, out)).length, out).toBeGreaterThan(0);
  }
  return JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as Metrics;
}

describe('the demo project', () => {
  it.each(['logistic', 'boosted'])(
    'runs its stages in order with node; the %s model beats the scorecard on the same rows',
    async (family) => {
      const m = await runByHand(family);
      // No production week has arrived: the test rows are a quarter of the 3,000 past applications.
      expect(m.test_rows).toBeGreaterThan(650);
      expect(m.test_rows).toBeLessThan(850);
      expect(m.auc).toBeGreaterThan(0.6);
      expect(m.auc_lift).toBeCloseTo(m.auc - m.champion_auc, 5);
      expect(m.auc_lift).toBeGreaterThan(0);
      expect(m.accuracy).toBeGreaterThan(0.75);
      expect(m.log_loss).toBeGreaterThan(0);
    },
  );
});
