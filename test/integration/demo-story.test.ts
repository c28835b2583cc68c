// Runs in: tests (Node). `benchtop demo --json` runs the whole lifecycle of the demo project
// headless; each step's outcome is checked from its JSON and from the project it leaves behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../../electron/core/project/demo-story';
import { Workspace } from '../../electron/core/workspace/workspace';
import { CLI, runCli, tmpDir } from '../support/helpers';

const WEEKS = [
  'week-01.csv',
  'week-02.csv',
  'week-03.csv',
  'week-04.csv',
  'week-05.csv',
  'week-06.csv',
  'week-07.csv',
  'week-08.csv',
];

/** The SVG namespace names a URI but fetches nothing; anything else with http(s) would reach the network. */
const networkReferences = (text: string): string[] =>
  text.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '').match(/https?:\/\/[^\s"'<>)]*/g) ?? [];

describe('benchtop demo', () => {
  it('runs the story: data version, runs, champion, endpoint, drift alert, retraining, new champion, offline reports', () => {
    const dir = path.join(tmpDir(), 'story');
    const r = spawnSync(process.execPath, [CLI, 'demo', '--dir', dir, '--json'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as DemoResult & { ok: boolean };
    expect(out.ok).toBe(true);
    expect(out.dir).toBe(dir);
    expect(out.steps.map((s) => [s.step, s.ok])).toEqual(
      [
        'create',
        'data version',
        'pipeline',
        'sweep',
        'compare',
        'champion',
        'serve and production',
        'monitor',
        'retrain',
        'new champion',
        'reports',
      ].map((s) => [s, true]),
    );

    // Data version, pipeline, sweep.
    expect(out.dataVersions).toBe(1);
    expect(out.pipelineRun.status).toBe('succeeded');
    expect(out.sweep.map((s) => [s.status, s.params])).toEqual(
      ['1', '2', '3'].map((d) => ['succeeded', { 'model.family': 'boosted', 'boost.depth': d }]),
    );

    // The scorecard was version 1; the best of the four runs took the alias.
    expect(out.champion.before).toBe(1);
    expect(out.champion.first).toBeGreaterThanOrEqual(2);
    expect(out.champion.first).toBeLessThanOrEqual(5);

    // The endpoint answered every application of every week, all from the champion.
    expect(out.endpoint).toMatchObject({ weeks: 8, records: 3200, versions: [out.champion.first] });
    expect(
      readdirSync(path.join(dir, 'data', 'batches'))
        .filter((f) => f.endsWith('.csv'))
        .sort(),
    ).toEqual(WEEKS);
    const week1 = readFileSync(path.join(dir, 'data', 'batches', 'week-01.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(week1[0]).toBe(
      'id,age,income,amount,term,employment,region,credit_history_years,previous_defaults,prediction,probability,default',
    );
    expect(week1).toHaveLength(401);

    // Drift from week 5; the drift alert at week 6 asks for retraining; accuracy falls below 0.7.
    expect(out.monitor.batches.map((b) => [b.label, b.datasetDrift])).toEqual(WEEKS.map((w, i) => [w, i >= 4]));
    const accuracy = out.monitor.batches.map((b) => b.accuracy!);
    expect(Math.min(...accuracy.slice(0, 4))).toBeGreaterThan(0.75);
    expect(Math.max(...accuracy.slice(4))).toBeLessThan(0.7);
    const driftAlerts = out.monitor.alerts.filter((a) => a.rule === 'drift_share >= 0.5 for 2 retrain');
    expect(driftAlerts.map((a) => a.batch)).toEqual(['week-06.csv']);
    expect(out.monitor.alerts.filter((a) => a.rule === 'accuracy < 0.7').map((a) => a.batch)).toEqual(WEEKS.slice(4));

    // The retraining run learned from the weeks and its model beat the old champion on the same rows.
    expect(out.retrain).toMatchObject({ status: 'succeeded', error: null });
    expect(out.champion.after).toBeGreaterThan(out.champion.first);
    const ws = Workspace.open(dir);
    try {
      const run = ws.db.prepare(`SELECT trigger FROM runs WHERE id = ?`).get(out.retrain.runId) as { trigger: string };
      expect(run.trigger).toMatch(/^triggered: monitor loan-weekly alert \d+: drift_share >= 0\.5 for 2 retrain/);
      const version = ws.db
        .prepare(`SELECT run_id AS runId FROM model_versions WHERE model_name = 'loan-default' AND version = ?`)
        .get(out.champion.after) as { runId: string };
      expect(version.runId).toBe(out.retrain.runId);
      const lift = ws.db
        .prepare(`SELECT value FROM run_latest_metrics WHERE run_id = ? AND key = 'auc_lift'`)
        .get(out.retrain.runId) as { value: number };
      expect(lift.value).toBeGreaterThan(0);
    } finally {
      ws.close();
    }
    const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as { test_rows: number };
    expect(metrics.test_rows).toBeGreaterThan(900); // the window now holds the production weeks

    // Reports: the monitor's drift report of each week, the comparison and the model card (HTML and
    // JSON) and the monitor's timeline, all offline; the list is what reports/ holds.
    const names = out.reports.map((f) => path.relative(dir, f));
    expect(names).toEqual(
      readdirSync(path.join(dir, 'reports'))
        .sort()
        .map((f) => `reports/${f}`),
    );
    const drift = names.filter((f) => f.startsWith('reports/drift-'));
    expect(drift).toHaveLength(WEEKS.length);
    WEEKS.forEach((w, i) =>
      expect(drift[i]).toMatch(new RegExp(`^reports/drift-${w.replace('.', '-')}-[\\d-]+\\.html$`)),
    );
    expect(names.filter((f) => !f.startsWith('reports/drift-'))).toEqual(
      [
        `model-card-loan-default-v${out.champion.after}.html`,
        `model-card-loan-default-v${out.champion.after}.json`,
        'monitor-loan-weekly.html',
        'run-comparison.html',
        'run-comparison.json',
      ].map((f) => `reports/${f}`),
    );
    for (const f of out.reports) {
      const text = readFileSync(f, 'utf8');
      expect(text.length, f).toBeGreaterThan(500);
      expect(text, f).not.toMatch(/<script/i);
      expect(networkReferences(text), f).toEqual([]);
    }
    expect(readFileSync(path.join(dir, drift[WEEKS.length - 1]!), 'utf8')).toContain('income');
  });

  it('counts the reports it says it wrote as they are in reports/, with one drift report per week', () => {
    const dir = path.join(tmpDir(), 'count');
    const r = spawnSync(process.execPath, [CLI, 'demo', '--dir', dir], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(path.join(dir, 'reports')).sort();
    const reports = new Set(files.map((f) => f.replace(/\.[^.]+$/, '')));
    // The summary counts reports (a report in HTML and JSON is one) and files, and names the formats.
    const said = /^✓ reports \([\d.]+ s\): (\d+) reports \((\d+) files: ([^)]*)\) in (.*)$/m.exec(r.stdout);
    expect(said, r.stdout).not.toBeNull();
    expect([Number(said![1]), Number(said![2]), said![3], said![4]]).toEqual([
      reports.size,
      files.length,
      'HTML and JSON',
      path.join(dir, 'reports'),
    ]);
    // Every file is listed under "Reports", once.
    const listed = r.stdout
      .split('\n')
      .filter((l) => l.startsWith(`  ${path.join(dir, 'reports')}${path.sep}`))
      .map((l) => path.basename(l.trim()))
      .sort();
    expect(listed).toEqual(files);
    // Each week has one drift report (its HTML and JSON, if any, are one report), and all eight have one.
    const weeks = new Map<string, Set<string>>();
    for (const f of files.filter((name) => name.startsWith('drift-'))) {
      const text = readFileSync(path.join(dir, 'reports', f), 'utf8');
      const week = f.endsWith('.json')
        ? (JSON.parse(text) as { current: { label: string } }).current.label
        : /<dt>Current<\/dt><dd>([^ <]+)/.exec(text)?.[1];
      expect(week, f).toBeDefined();
      weeks.set(week!, (weeks.get(week!) ?? new Set()).add(f.replace(/\.[^.]+$/, '')));
    }
    expect([...weeks.keys()].sort()).toEqual(WEEKS.map((w) => `data/batches/${w}`));
    for (const [week, names] of weeks) expect([...names], week).toHaveLength(1);
  });

  it('refuses a folder that is not empty, and changes nothing in it', () => {
    const dir = path.join(tmpDir(), 'taken');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = runCli(['demo', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not empty/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});
