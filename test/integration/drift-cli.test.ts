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

describe('benchtop drift: column roles', () => {
  // customer_id is unique on both sides and disjoint between them: tested, it would drift every time.
  function withIds(): string {
    const dir = tmpDir();
    const rows = (f: (i: number) => string) => Array.from({ length: 60 }, (_, i) => f(i)).join('\n');
    writeFileSync(
      path.join(dir, 'ref.csv'),
      `customer_id,amount,region,segment\n${rows((i) => `${i + 1},${(i * 7) % 50},${['n', 's'][i % 2]},${['a', 'b', 'c'][i % 3]}`)}\n`,
    );
    writeFileSync(
      path.join(dir, 'cur.csv'),
      `customer_id,amount,region,segment\n${rows((i) => `${i + 5001},${(i * 7) % 50},${['n', 's'][i % 2]},${['a', 'b', 'c'][i % 3]}`)}\n`,
    );
    return dir;
  }

  it('leaves a unique id column out of the test and says why, in text and JSON', () => {
    const dir = withIds();
    const text = runCli(['drift', 'ref.csv', 'cur.csv'], { cwd: dir });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Dataset drift: no \(0 of 3 tested columns drifted/);
    expect(text.stdout).toMatch(/^customer_id\s+numeric \(id\)\s+-\s/m);
    expect(text.stdout).toMatch(/Left out:\n {2}customer_id: left out, every value is unique \(an id column\)/);

    const r = runCli(['drift', 'ref.csv', 'cur.csv', '--json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { left_out: { name: string; reason: string; message: string }[] };
    expect(out.left_out).toEqual([
      { name: 'customer_id', reason: 'unique', message: 'left out, every value is unique (an id column)' },
    ]);
    const report = driftReport.parse((fromWire(r.stdout) as { report: unknown }).report);
    const id = report.columns.find((c) => c.name === 'customer_id')!;
    expect(id).toMatchObject({ role: 'id', test: null, drifted: false });
    expect(report.summary.tested).toBe(3);
  });

  it('--exclude leaves a feature out with that reason; --id marks a non-unique column as an id', () => {
    const dir = withIds();
    const r = runCli(['drift', 'ref.csv', 'cur.csv', '--exclude', 'amount', '--id', 'segment', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      left_out: { name: string; reason: string; message: string }[];
      columns: { name: string; role: string; test: string | null }[];
    };
    expect(out.left_out).toEqual([
      { name: 'customer_id', reason: 'unique', message: 'left out, every value is unique (an id column)' },
      { name: 'amount', reason: 'excluded', message: 'excluded by --exclude' },
      { name: 'segment', reason: 'id', message: 'left out, named by --id (an id column)' },
    ]);
    expect(out.columns.map((c) => c.name)).not.toContain('amount');
    expect(out.columns.find((c) => c.name === 'segment')).toMatchObject({ role: 'id', test: null });

    const text = runCli(['drift', 'ref.csv', 'cur.csv', '--exclude', 'amount', '--id', 'segment', '--id', 'region'], {
      cwd: dir,
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}amount: excluded by --exclude$/m);
    expect(text.stdout).toMatch(/^ {2}region: left out, named by --id \(an id column\)$/m);
    expect(text.stdout).toMatch(/^Dataset drift: no \(0 of 0 tested columns drifted/);
  });

  it('a unique id column is left out of the HTML report too, which says why', () => {
    const dir = withIds();
    const r = runCli(['drift', 'ref.csv', 'cur.csv', '--exclude', 'amount', '--html', 'r.html'], { cwd: dir });
    expect(r.code).toBe(0);
    const page = readFileSync(path.join(dir, 'r.html'), 'utf8');
    expect(page).toContain('customer_id: left out, every value is unique (an id column)');
    expect(page).toContain('amount: excluded by request');
  });
});
