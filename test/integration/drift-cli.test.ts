import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWire } from '../../shared/contract/wire';
import { driftReport } from '../../shared/contract/schemas';
import { git, runCli, tmpDir } from '../support/helpers';

function files(): string {
  const dir = tmpDir();
  const rows = (f: (i: number) => string) => Array.from({ length: 40 }, (_, i) => f(i)).join('\n');
  writeFileSync(
    path.join(dir, 'ref.csv'),
    `x,city,y,p\n${rows((i) => `${i},${['a', 'b'][i % 2]},${i % 2},${i % 2}`)}\n`,
  );
  writeFileSync(
    path.join(dir, 'same.csv'),
    `x,city,y,p\n${rows((i) => `${i},${['a', 'b'][i % 2]},${i % 2},${i % 2}`)}\n`,
  );
  writeFileSync(
    path.join(dir, 'cur.csv'),
    `x,city,y,p\n${rows((i) => `${i + 100},${['a', 'c'][i % 2]},${i % 2},${i % 3 === 0 ? 1 : 0}`)}\n`,
  );
  return dir;
}

describe('benchtop drift', () => {
  it('exits 0 without dataset drift and prints the columns table', () => {
    const dir = files();
    const r = runCli(['drift', 'ref.csv', 'same.csv'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dataset drift: no \(0 of 4 tested columns drifted, share 0; drift when ≥ 0\.5\)/);
    expect(r.stdout).toMatch(/^column\s+type\s+test\s+score\s+threshold\s+drifted$/m);
    expect(r.stdout).toMatch(/^x\s+numeric\s+ks\s+1\s+0\.05\s+no$/m);
  });

  it('exits 3 with dataset drift; --json has dataset_drift, drift_share, columns and the full report in wire JSON', () => {
    const dir = files();
    const text = runCli(['drift', 'ref.csv', 'cur.csv', '--target', 'y', '--prediction', 'p'], { cwd: dir });
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^Dataset drift: YES/);
    expect(text.stdout).toMatch(/^y\s+categorical \(target\)\s+z\s/m);
    expect(text.stdout).toMatch(
      /Performance:\n {2}reference: 40 rows, accuracy 1, macro F1 1\n {2}current: 40 rows, accuracy/,
    );

    const r = runCli(
      [
        'drift',
        'ref.csv',
        'cur.csv',
        '--json',
        '--target',
        'y',
        '--prediction',
        'p',
        '--test',
        'x=psi',
        '--threshold',
        'x=0.3',
        '--exclude',
        'city',
        '--share-threshold',
        '0.3',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(3);
    const out = fromWire(r.stdout) as {
      dataset_drift: boolean;
      drift_share: number;
      columns: Record<string, unknown>[];
      report: unknown;
    };
    expect(out.dataset_drift).toBe(true);
    // x drifts, y and p do not: 1 of 3, above the requested 0.3.
    expect(out.drift_share).toBeCloseTo(1 / 3, 12);
    expect(out.columns.map((c) => c.name)).toEqual(['x', 'y', 'p']);
    expect(out.columns[0]).toMatchObject({ name: 'x', type: 'numeric', test: 'psi', threshold: 0.3, drifted: true });
    for (const c of out.columns)
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'type', 'test', 'score', 'threshold', 'drifted']));
    const report = driftReport.parse(out.report);
    expect(report.summary.drifted / report.summary.tested).toBe(out.drift_share);
    expect(report.performance?.reference).toMatchObject({ kind: 'classification', accuracy: 1 });
  });

  it('--html and --pdf write the report as self-contained files beside the exit code, and never overwrite', () => {
    const dir = files();
    const r = runCli(['drift', 'ref.csv', 'cur.csv', '--json', '--html', 'out/drift.html', '--pdf', 'drift.pdf'], {
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect((fromWire(r.stdout) as { dataset_drift: boolean }).dataset_drift).toBe(true);
    expect(r.stderr).toMatch(/Wrote the HTML report to .*drift\.html/);
    const html = readFileSync(path.join(dir, 'out', 'drift.html'), 'utf8');
    expect(html).toContain('city');
    expect(html).toMatch(/<svg/);
    // No script and no address to fetch (the SVG namespace names are identifiers, not requests).
    expect(html.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '')).not.toMatch(/<script|https?:\/\//i);
    expect(readFileSync(path.join(dir, 'drift.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const again = runCli(['drift', 'ref.csv', 'cur.csv', '--html', 'out/drift.html'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists already/);
    expect(readFileSync(path.join(dir, 'out', 'drift.html'), 'utf8')).toBe(html);
  }, 120_000);

  it('exits 2 for usage errors and 1 for other errors, with one clear line on stderr', () => {
    const dir = files();
    const badTest = runCli(['drift', 'ref.csv', 'cur.csv', '--test', 'x=nope'], { cwd: dir });
    expect(badTest.code).toBe(2);
    expect(badTest.stderr).toMatch(/unknown test "nope"/);
    expect(runCli(['drift', 'ref.csv', 'cur.csv', '--test', 'x'], { cwd: dir }).code).toBe(2);
    expect(runCli(['drift', 'ref.csv', 'cur.csv', '--type', 'x=blob'], { cwd: dir }).code).toBe(2);
    expect(runCli(['drift', 'ref.csv'], { cwd: dir }).code).toBe(2);
    const unknown = runCli(['drift', 'ref.csv', 'cur.csv', '--target', 'label'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no column "label".*The columns are: x, city, y, p/);
    const missing = runCli(['drift', 'ref.csv', 'gone.csv'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^benchtop: gone\.csv does not exist\./);
    writeFileSync(path.join(dir, 'extra.csv'), 'x,city,y,p,new\n1,a,0,0,q\n');
    const extra = runCli(['drift', 'ref.csv', 'extra.csv', '--exclude', 'p'], { cwd: dir });
    expect(extra.stdout).toMatch(/\n\nOnly in the current data: new\n/);
    expect(extra.stdout).not.toMatch(/Only in the reference/);
    writeFileSync(path.join(dir, 'empty.csv'), '');
    expect(runCli(['drift', 'empty.csv', 'cur.csv'], { cwd: dir }).stderr).toMatch(/empty\.csv is empty/);
  });

  it('reads a tracked version inside a project', () => {
    const dir = path.join(tmpDir(), 'p');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    git(dir, 'config', 'user.name', 'Ada');
    git(dir, 'config', 'user.email', 'ada@example.com');
    writeFileSync(path.join(dir, 'data.csv'), `x,city\n${Array.from({ length: 30 }, (_, i) => `${i},a`).join('\n')}\n`);
    expect(runCli(['data', 'add', 'data.csv'], { cwd: dir }).code).toBe(0);
    expect(runCli(['data', 'commit', '-m', 'v1'], { cwd: dir }).code).toBe(0);
    git(dir, 'tag', 'v1');
    writeFileSync(
      path.join(dir, 'data.csv'),
      `x,city\n${Array.from({ length: 30 }, (_, i) => `${i + 50},a`).join('\n')}\n`,
    );
    const r = runCli(['--json', 'drift', 'data.csv@v1', 'data.csv'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { report: { reference: { label: string; rows: number } } };
    expect(out.report.reference).toMatchObject({ label: 'data.csv@v1', rows: 30 });
  });
});
