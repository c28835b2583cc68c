import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { monitorCheckResult } from '../../shared/contract/schemas';
import { fromWire } from '../../shared/contract/wire';
import { runCli, tmpDir } from '../support/helpers';
import { DAYS, labelsCsv, logPredictions, writeTraining } from '../support/prediction-data';

async function project(): Promise<{ dir: string; truth: Map<string, string> }> {
  const dir = path.join(tmpDir(), 'proj');
  (await initProject(dir, {})).workspace.close();
  writeTraining(dir);
  return { dir, truth: logPredictions(dir, 'churn', DAYS, 50) };
}

describe('benchtop predictions and monitor add --predictions', () => {
  it('labels from a file, exports CSV, and monitors the log per day with serving rules', async () => {
    const { dir, truth } = await project();

    // Ground truth for the last day.
    const ids = [...truth.keys()].filter((id) => id.startsWith('2026-01-09'));
    writeFileSync(path.join(dir, 'outcomes.csv'), labelsCsv(truth, ids) + 'ghost,no\n');
    const labeled = runCli(['predictions', 'label', 'churn', 'outcomes.csv', '--id', 'id', '--target', 'outcome'], {
      cwd: dir,
    });
    expect(labeled.stderr).toBe('');
    expect(labeled.code).toBe(0);
    expect(labeled.stdout).toBe(
      'Labeled 50 predictions of churn: 50 of 51 IDs matched.\n1 ID of the file matched no logged prediction (ghost).\n',
    );
    const json = runCli(
      ['predictions', 'label', 'churn', 'outcomes.csv', '--id', 'id', '--target', 'outcome', '--json'],
      { cwd: dir },
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ matched: 50, labeledPredictions: 0, alreadyLabeled: 50 });

    // Bad input: exit 1 with the reason on stderr, nothing changed.
    writeFileSync(path.join(dir, 'dup.csv'), `id,outcome\n${ids[0]},yes\n${ids[0]},no\n`);
    const dup = runCli(['predictions', 'label', 'churn', 'dup.csv', '--id', 'id', '--target', 'outcome'], { cwd: dir });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/dup\.csv: the ID "2026-01-09-0" is on rows 1 and 2/);
    const missing = runCli(['predictions', 'label', 'churn', 'outcomes.csv', '--id', 'record', '--target', 'outcome'], {
      cwd: dir,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/outcomes\.csv has no column "record"/);
    expect(
      runCli(['predictions', 'label', 'nope', 'outcomes.csv', '--id', 'id', '--target', 'outcome'], { cwd: dir })
        .stderr,
    ).toMatch(/There is no model named nope/);
    const ws = Workspace.open(dir);
    expect(ws.db.prepare(`SELECT COUNT(label_json) AS n FROM predictions`).get()).toEqual({ n: 50 });
    ws.close();

    // Export to stdout, and to a file that is never overwritten.
    const out = runCli(['predictions', 'export', 'churn', '--since', '2026-01-09'], { cwd: dir });
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe('record_id,at,version,age,income,city,prediction,label');
    expect(lines).toHaveLength(51);
    expect(lines.slice(1).every((l) => /,(yes|no),(yes|no)$/.test(l))).toBe(true);
    const toFile = runCli(['predictions', 'export', 'churn', '--until', '2026-01-06T00:00:00Z', '--out', 'early.csv'], {
      cwd: dir,
    });
    expect(toFile).toMatchObject({ code: 0, stdout: '' });
    expect(toFile.stderr).toMatch(/^Wrote 50 predictions to .*early\.csv\.\n$/);
    expect(
      readFileSync(path.join(dir, 'early.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .every((l) => l.startsWith('2026-01-05-') && l.endsWith(',')),
    ).toBe(true);
    const twice = runCli(['predictions', 'export', 'churn', '--out', 'early.csv'], { cwd: dir });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/exists already/);

    // A monitor of the log: a serving rule fires on the slow day; exit 3.
    const refused = runCli(
      [
        'monitor',
        'add',
        'files',
        '--reference',
        'data/train.csv',
        '--batch',
        'data/train.csv',
        '--rule',
        'error_rate > 0.1',
      ],
      { cwd: dir },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/watches the endpoint .* only a monitor of a prediction log measures/);
    expect(
      runCli(['monitor', 'add', 'x', '--reference', 'data/train.csv', '--predictions', 'churn', '--window', 'month'], {
        cwd: dir,
      }),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/--window month is not hour, day, week/) });
    const added = runCli(
      [
        'monitor',
        'add',
        'live',
        '--reference',
        'data/train.csv',
        '--predictions',
        'churn',
        '--window',
        'day',
        '--target',
        'label',
        '--rule',
        'error_rate > 0.1',
        '--rule',
        'accuracy < 0.8',
      ],
      { cwd: dir },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const check = runCli(['monitor', 'check', 'live', '--json'], { cwd: dir });
    expect(check.code).toBe(3);
    const r = monitorCheckResult.parse(fromWire(check.stdout));
    expect(r.batches.map((b) => b.label)).toEqual(DAYS.map((d) => d.date));
    expect(r.alerts.map((a) => [a.batch, a.rule]).sort()).toEqual([
      ['2026-01-09', 'accuracy < 0.8'],
      ['2026-01-09', 'error_rate > 0.1'],
    ]);
    const show = runCli(['monitor', 'show', 'live'], { cwd: dir });
    expect(show.stdout).toMatch(/batches: prediction log of churn, per day/);
    expect(show.stdout).toMatch(
      /^batch\s+checked\s+rows\s+share\s+drift\s+drifted columns\s+performance\s+serving\s+alerts$/m,
    );
    expect(show.stdout).toMatch(
      /^2026-01-09\s.*accuracy [\d.]+.*25 req, errors 0\.8, p50\/p95\/p99 30000\/30000\/30000 ms\s+2$/m,
    );
  }, 120_000);
});
