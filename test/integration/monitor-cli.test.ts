import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { fromWire } from '../../shared/contract/wire';
import { monitorCheckResult, monitorDetail } from '../../shared/contract/schemas';
import { monitorProject, table, WEEKS } from '../support/monitor-data';
import { runCli, tmpDir } from '../support/helpers';

async function project(weeks: number[], yaml?: string): Promise<string> {
  const dir = path.join(tmpDir(), 'proj');
  (await initProject(dir, {})).workspace.close();
  monitorProject(dir, WEEKS, weeks);
  if (yaml) writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  return dir;
}

const add = (extra: string[] = []) => [
  'monitor',
  'add',
  'weekly',
  '--reference',
  'data/reference.csv',
  '--batches',
  'batches',
  '--target',
  'label',
  '--prediction',
  'pred',
  ...extra,
];

describe('benchtop monitor', () => {
  it('adds, checks (exit 0 without alerts, 3 with), lists and shows the timeline', async () => {
    const dir = await project([1, 2]);
    const added = runCli(add(['--rule', 'drift_share >= 0.5 for 2', '--rule', 'accuracy<0.85']), { cwd: dir });
    expect(added.stderr).toBe('');
    expect(added).toMatchObject({
      code: 0,
      stdout: 'Added monitor weekly: 2 rules. Check it with `benchtop monitor check weekly`.\n',
    });

    const quiet = runCli(['monitor', 'check', 'weekly'], { cwd: dir });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(
      /^week-01\.csv: drift share [\d.]+ \(no drift, ≥ 0\.5 drifts\); \d of 5 columns drifted.*; accuracy 0\.9\d*, f1 /m,
    );
    expect(quiet.stdout).toMatch(/^ {2}report: reports\/drift-week-01-csv-\d{4}-\d\d-\d\d\.html$/m);
    expect(quiet.stdout).toMatch(/No alerts\.\n$/);
    expect(runCli(['monitor', 'check', 'weekly'], { cwd: dir }).stdout).toBe(
      'No new batches (2 already checked).\nNo alerts.\n',
    );

    writeFileSync(path.join(dir, 'batches', 'week-03.csv'), table(200, 102, WEEKS[2]!));
    writeFileSync(path.join(dir, 'batches', 'week-04.csv'), table(200, 103, WEEKS[3]!));
    const loud = runCli(['monitor', 'check', 'weekly', '--json'], { cwd: dir });
    expect(loud.code).toBe(3);
    const r = monitorCheckResult.extend({}).passthrough().parse(fromWire(loud.stdout));
    expect(r.batches.map((b) => [b.label, b.datasetDrift])).toEqual([
      ['week-03.csv', true],
      ['week-04.csv', true],
    ]);
    expect(r.alerts.map((a) => [a.rule, a.batch])).toEqual([['drift_share >= 0.5 for 2', 'week-04.csv']]);
    expect(r.unchanged).toBe(2);

    const list = runCli(['monitor', 'list'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^name\s+model\s+batches\s+open alerts\s+last status\s+last check$/m);
    expect(list.stdout).toMatch(/^weekly\s+-\s+4\s+1\s+alert\s+\d{4}-/m);
    expect(JSON.parse(runCli(['monitor', 'list', '--json'], { cwd: dir }).stdout).monitors[0]).toMatchObject({
      name: 'weekly',
      batches: 4,
      openAlerts: 1,
      lastStatus: 'alert',
    });

    const show = runCli(['monitor', 'show', 'weekly'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^batch\s+checked\s+rows\s+share\s+drift\s+drifted columns\s+performance\s+alerts$/m);
    expect(show.stdout).toMatch(
      /^week-04\.csv\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+200\s+[\d.]+ \/ 0\.5\s+YES\s+.*income.*accuracy [\d.]+.*\s1$/m,
    );
    expect(show.stdout).toMatch(/Alerts \(1 open\):\n {2}#1 .* drift_share >= 0\.5 for 2: drift_share is/);
    const html = runCli(['monitor', 'show', 'weekly', '--html', 'weekly.html'], { cwd: dir });
    expect(html.stdout).toMatch(/\nWrote reports\/weekly\.html \(\d+ bytes\)\.\n$/);
    expect(readFileSync(path.join(dir, 'reports', 'weekly.html'), 'utf8')).toContain('Drift share per batch');
    expect(runCli(['monitor', 'show', 'weekly', '--html', 'weekly.html'], { cwd: dir }).code).toBe(1);
    const detail = monitorDetail.parse(fromWire(runCli(['monitor', 'show', 'weekly', '--json'], { cwd: dir }).stdout));
    expect(detail.batches.map((b) => b.label)).toEqual(['week-01.csv', 'week-02.csv', 'week-03.csv', 'week-04.csv']);

    const alerts = runCli(['monitor', 'alerts', '--open'], { cwd: dir });
    expect(alerts.stdout).toMatch(
      /^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+weekly\s+week-04\.csv\s+drift_share >= 0\.5 for 2\s+drift_share is .*\s+-\s+no$/m,
    );
    expect(runCli(['monitor', 'ack', 'x1'], { cwd: dir }).code).toBe(2);
    expect(runCli(['monitor', 'ack', '1'], { cwd: dir }).stdout).toBe('Acknowledged 1 alert.\n');
    expect(runCli(['monitor', 'alerts', 'weekly', '--open'], { cwd: dir }).stdout).toBe('No open alerts.\n');
    expect(JSON.parse(runCli(['monitor', 'alerts', '--json'], { cwd: dir }).stdout).alerts[0]).toMatchObject({
      id: 1,
      acknowledgedAt: expect.stringMatching(/^\d{4}-/),
    });

    appendFileSync(path.join(dir, 'batches', 'week-01.csv'), '30,40000,a,0,0\n');
    expect(runCli(['monitor', 'check', 'weekly'], { cwd: dir }).stdout).toMatch(
      /^week-01\.csv: .*\n.*\n3 batches already checked\.\nNo alerts\.\n$/,
    );

    expect(runCli(['monitor', 'delete', 'weekly'], { cwd: dir }).stdout).toBe(
      'Deleted monitor weekly (5 batches, 1 alerts).\n',
    );
  });

  it('retrains when a rule says so, waiting for the run and naming the alert as its trigger', async () => {
    const dir = await project([3, 4], `stages:\n  retrain:\n    cmd: node -e "console.log('retraining')"\n`);
    expect(runCli(add(['--rule', 'dataset drifted for 2', '--retrain']), { cwd: dir }).code).toBe(0);
    const r = runCli(['monitor', 'check', 'weekly'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /ALERT dataset drifted for 2: the dataset drifted .* in 2 batches in a row \(week-03\.csv, week-04\.csv\)/,
    );
    expect(r.stdout).toMatch(/^Retraining: pipeline run \S+ succeeded\.$/m);
    expect(r.stderr).toContain('retrain | retraining');
    const ws = Workspace.open(dir);
    const triggers = ws.db.prepare(`SELECT trigger, status FROM runs WHERE kind = 'pipeline'`).all();
    ws.close();
    expect(triggers).toEqual([
      {
        trigger: expect.stringMatching(
          /^triggered: monitor weekly alert 1: dataset drifted for 2 \(the dataset drifted/,
        ),
        status: 'succeeded',
      },
    ]);
  });

  it('refuses bad input with exit 2 for usage errors and 1 otherwise, one line on stderr', async () => {
    const dir = await project([1]);
    const noRef = runCli(['monitor', 'add', 'weekly', '--batches', 'batches'], { cwd: dir });
    expect(noRef.code).toBe(2);
    const badTest = runCli(add(['--test', 'age=nope']), { cwd: dir });
    expect(badTest).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown test "nope"/) });
    const badRule = runCli(add(['--rule', 'accuracy below 0.8']), { cwd: dir });
    expect(badRule.code).toBe(1);
    expect(badRule.stderr).toMatch(
      /^benchtop: The rule "accuracy below 0\.8" does not start with a condition\. Write METRIC OP NUMBER/,
    );
    const missing = runCli(['monitor', 'check', 'nope'], { cwd: dir });
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'benchtop: There is no monitor named nope. Add one with `benchtop monitor add`.\n',
    });
    expect(runCli(['monitor', 'list'], { cwd: dir }).stdout).toBe(
      'No monitors yet: add one with `benchtop monitor add`.\n',
    );
  });
});
