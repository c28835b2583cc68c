import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

describe('benchtop exec', () => {
  it('tracks a script run by hand, from Python with the helper, as a run', () => {
    const dir = path.join(tmpDir(), 'p');
    runCli(['init', '--dir', dir]);
    writeFileSync(
      path.join(dir, 'train.py'),
      'import benchtop, sys\nfor step in range(3):\n    benchtop.log_metric("loss", 1.0 / (step + 1), step=step)\nbenchtop.log_params({"model": "tiny", "lr": 0.01})\nbenchtop.set_tag("by", "hand")\nprint("arg:", sys.argv[1])\n',
    );
    const r = runCli(['exec', '--name', 'first try', '--', 'python3', 'train.py', "it's quoted"], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("arg: it's quoted");
    expect(r.stdout).toMatch(/Run run-[\w-]+ succeeded\./);
    const [run] = JSON.parse(runCli(['runs', '--json', '--filter', "name = 'first try'"], { cwd: dir }).stdout) as {
      experiment: string;
      params: Record<string, string>;
      metrics: Record<string, number>;
      tags: Record<string, string>;
    }[];
    expect(run).toMatchObject({
      experiment: 'scripts',
      params: { model: 'tiny', lr: '0.01' },
      metrics: { loss: 1 / 3 },
      tags: { by: 'hand' },
    });

    const failing = runCli(['exec', '--', 'sh', '-c', 'exit 3'], { cwd: dir });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/failed \(exited with code 3\)/);
    expect(runCli(['exec'], { cwd: dir }).code).toBe(2);
  });
});
