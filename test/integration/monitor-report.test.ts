import { describe, expect, it } from 'vitest';
import type { MonitorBatch, MonitorDetail } from '../../shared/contract/schemas';
import { renderReport } from '../../electron/core/reports/document';
import { monitorDocument } from '../../electron/core/reports/monitor';

const batch = (id: number, label: string, columns: MonitorBatch['columns']): MonitorBatch => ({
  id,
  label,
  path: `data/batches/${label}.csv`,
  hash: 'a'.repeat(64),
  checkedAt: '2026-11-30T00:00:00Z',
  rows: 100,
  share: columns.filter((c) => c.drifted).length / columns.length,
  shareThreshold: 0.5,
  datasetDrift: columns.filter((c) => c.drifted).length / columns.length >= 0.5,
  drifted: columns.filter((c) => c.drifted).length,
  tested: columns.length,
  columns,
  performance: { kind: 'classification', metrics: { accuracy: 0.8, f1: 0.7 } },
  report: null,
});

const col = (
  name: string,
  scoreKind: 'p_value' | 'distance',
  score: number,
  drifted: boolean,
): MonitorBatch['columns'][number] => ({
  name,
  test: scoreKind === 'p_value' ? 'ks' : 'wasserstein',
  scoreKind,
  score,
  threshold: scoreKind === 'p_value' ? 0.05 : 0.1,
  drifted,
});

const alert = (id: number, message: string, acknowledged: boolean): MonitorDetail['alerts'][number] => ({
  id,
  monitor: 'weekly',
  batchId: 3,
  batch: 'week-03',
  rule: 'drift_share >= 0.5',
  message,
  value: 0.5,
  threshold: 0.5,
  at: '2026-11-30T00:00:00Z',
  acknowledgedAt: acknowledged ? '2026-11-30T01:00:00Z' : null,
  runId: null,
});

const monitor: MonitorDetail = {
  id: 1,
  name: 'weekly',
  kind: 'drift',
  createdAt: '2026-11-30T00:00:00Z',
  config: {
    model: null,
    reference: 'data/reference.csv',
    folder: 'data/batches',
    files: [],
    columns: {},
    exclude: [],
    shareThreshold: 0.5,
    rules: ['drift_share >= 0.5'],
    retrain: false,
  },
  batches: [
    batch(1, 'week-01', [col('age', 'p_value', 0.7, false), col('income', 'distance', 0.02, false)]),
    batch(2, 'week-02', [col('age', 'p_value', 0.2, false), col('income', 'distance', 0.15, true)]),
    batch(3, 'week-03', [col('age', 'p_value', 1e-5, true), col('income', 'distance', 0.4, true)]),
  ],
  alerts: [
    alert(3, 'drift share 1 ≥ 0.5 in week-03', false),
    alert(2, 'drift share 0.5 ≥ 0.5 in week-02', false),
    alert(1, 'accuracy 0.6 < 0.7 in week-01', true),
  ],
};

describe('the monitor report', () => {
  const page = renderReport(monitorDocument(monitor));

  it('draws drift per column and batch as a heatmap, drifted cells marked, and the most drifted column as a line', () => {
    expect(page).toContain('<title>Drift per column and batch');
    const heatmap = page.slice(page.indexOf('<title>Drift per column and batch'));
    const svg = heatmap.slice(0, heatmap.indexOf('</svg>'));
    // One × per drifted cell: income in weeks 2 and 3, age in week 3.
    expect(svg.match(/>×</g)).toHaveLength(3);
    for (const label of ['age', 'income', 'week-01', 'week-03', 'no drift', 'strong drift'])
      expect(svg).toContain(`>${label}<`);
    // p-values and distances no longer share an axis.
    expect(page).not.toContain('Column p-values');
    expect(page).not.toContain('Column distances');
    expect(page).toContain('<title>income: wasserstein distance per batch (the most drifted column)</title>');
  });

  it('lists the open alerts one item each', () => {
    const list =
      /<div class="callout alert" role="status"><strong>2 open alerts<\/strong>.*?<ul>(.*?)<\/ul><\/div>/s.exec(page);
    expect(list).not.toBeNull();
    const items = list![1]!.match(/<li>.*?<\/li>/gs) ?? [];
    expect(items).toEqual([
      '<li>drift_share &gt;= 0.5: drift share 1 ≥ 0.5 in week-03</li>',
      '<li>drift_share &gt;= 0.5: drift share 0.5 ≥ 0.5 in week-02</li>',
    ]);
  });
});
