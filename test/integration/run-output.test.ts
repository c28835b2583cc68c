// What `benchtop run` prints about each stage: one line when it starts, one when it ends.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

describe('benchtop run output', () => {
  it('announces a running stage once, however many times the runner records it as running', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      "stages:\n  train:\n    cmd: node -e \"require('fs').writeFileSync('out.txt', 'x')\"\n    outs: [out.txt]\n",
    );
    const r = runCli(['run'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.includes('train'));
    expect(lines.filter((l) => l.startsWith('▶ train running'))).toEqual(['▶ train running (never ran)']);
    expect(lines.filter((l) => l.startsWith('✓ train succeeded'))).toHaveLength(1);
  });
});
