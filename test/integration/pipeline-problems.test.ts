import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

describe('benchtop status / run: a broken benchtop.yaml', () => {
  it('prints every problem, the unknown key first with the key it likely meant', () => {
    const dir = tmpDir();
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'stages:\n  train:\n    command: python train.py\n    retries: -1\n',
    );
    for (const cmd of ['status', 'run']) {
      const r = runCli([cmd], { cwd: dir });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toMatch(
        /^benchtop: benchtop\.yaml:3:5: stages\.train\.command: unknown key\. Did you mean cmd\?/,
      );
      expect(lines.slice(1).join('\n')).toMatch(/benchtop\.yaml:3:5: stages\.train\.cmd: .+\. /);
      expect(lines.slice(1).join('\n')).toMatch(/benchtop\.yaml:4:\d+: stages\.train\.retries: /);
      expect(r.stderr).not.toContain('more problem');
    }
  });
});
