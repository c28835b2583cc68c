// A model card a reader can act on: commands a user types, not API names, and a run named once
// when it has no name of its own (issue 19).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

describe('model card wording', () => {
  it('names the benchtop command that fills an empty section, and a run without a name by its id once', () => {
    const dir = path.join(tmpDir(), 'demo');
    expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
    const card = runCli(['models', 'card', 'loan-default@champion', '--out', 'card.html'], { cwd: dir });
    expect(card.code, card.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'card.html'), 'utf8');
    expect(html).not.toContain('models.update');
    expect(html).toContain('benchtop models update loan-default/1 --intended-use-file');
    expect(html).not.toMatch(/run (run-[\w-]+) \(\1\)/);
  });
});
