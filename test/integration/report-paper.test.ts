// Runs in: tests (Node). `--paper a4|letter` on every command that writes a PDF, and the locale's
// paper when it is not given; the page size is read from the PDF's MediaBox (in points).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

const A4 = [595, 842];
const LETTER = [612, 792];

/** Width and height of the first page, rounded to whole points (Chromium writes A4 as 594.96 × 841.92). */
function pageSize(file: string): number[] {
  const m = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(
    readFileSync(file).toString('latin1'),
  );
  expect(m, `${file} has no MediaBox`).not.toBeNull();
  const [x0, y0, x1, y1] = m!.slice(1).map(Number) as [number, number, number, number];
  return [Math.round(x1 - x0), Math.round(y1 - y0)];
}

/** The locale variables cleared, then `env`: the tests' own locale must not choose the paper. */
const locale = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ LC_ALL: '', LC_PAPER: '', LANG: '', ...env });

function driftFiles(): string {
  const dir = tmpDir();
  const rows = (f: (i: number) => string) => Array.from({ length: 30 }, (_, i) => f(i)).join('\n');
  writeFileSync(path.join(dir, 'ref.csv'), `x,city\n${rows((i) => `${i},${['a', 'b'][i % 2]}`)}\n`);
  writeFileSync(path.join(dir, 'cur.csv'), `x,city\n${rows((i) => `${i + 50},${['a', 'c'][i % 2]}`)}\n`);
  return dir;
}

describe('paper size of PDF reports', () => {
  it('benchtop drift --pdf prints on the paper --paper names, else on the locale’s', () => {
    const dir = driftFiles();
    const drift = (pdf: string, args: string[], env: NodeJS.ProcessEnv) => {
      const r = runCli(['drift', 'ref.csv', 'cur.csv', '--pdf', pdf, ...args], { cwd: dir, env: locale(env) });
      expect(r.code, r.stderr).toBe(3);
      return pageSize(path.join(dir, pdf));
    };
    expect(drift('a4.pdf', ['--paper', 'a4'], { LANG: 'en_US.UTF-8' })).toEqual(A4);
    expect(drift('letter.pdf', ['--paper', 'letter'], { LANG: 'de_DE.UTF-8' })).toEqual(LETTER);
    expect(drift('us.pdf', [], { LANG: 'en_US.UTF-8' })).toEqual(LETTER);
    expect(drift('de.pdf', [], { LANG: 'de_DE.UTF-8' })).toEqual(A4);
    expect(drift('paper.pdf', [], { LANG: 'de_DE.UTF-8', LC_PAPER: 'en_CA.UTF-8' })).toEqual(LETTER);

    const wrong = runCli(['drift', 'ref.csv', 'cur.csv', '--pdf', 'x.pdf', '--paper', 'a3'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--paper must be a4 or letter, not "a3"/);
  }, 180_000);

  it('benchtop models card --format pdf prints on the paper --paper names', () => {
    const dir = path.join(tmpDir(), 'demo');
    const init = runCli(['init', '--dir', dir, '--demo']);
    expect(init.code, init.stderr).toBe(0);
    const card = (out: string, args: string[]) => {
      const r = runCli(['models', 'card', 'loan-default/1', '--format', 'pdf', '--out', out, ...args], {
        cwd: dir,
        env: locale({ LANG: 'fr_FR.UTF-8' }),
      });
      expect(r.code, r.stderr).toBe(0);
      return pageSize(path.join(dir, out));
    };
    expect(card('card-a4.pdf', ['--paper', 'A4'])).toEqual(A4);
    expect(card('card-letter.pdf', ['--paper', 'letter'])).toEqual(LETTER);
    expect(card('card-default.pdf', [])).toEqual(A4);
  }, 180_000);
});
