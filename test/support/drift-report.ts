// Shared by tests: drift reports built by hand from a seed, in the contract's driftReport shape, so
// the rendering can be tested without the engine (same seed, same report).
import type { DriftColumn, DriftReport } from '../../shared/contract/schemas';

/** mulberry32: a tiny seeded generator; good enough for shaping test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shares(rand: () => number, n: number): number[] {
  const raw = Array.from({ length: n }, () => 0.05 + rand());
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / sum);
}

export function numericColumn(rand: () => number, name: string, drifted: boolean): DriftColumn {
  const bins = 20;
  const lo = Math.round(rand() * 100);
  const width = 1 + rand() * 10;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const score = drifted ? 0.001 * rand() : 0.06 + 0.9 * rand();
  return {
    name,
    type: 'numeric',
    typeGiven: false,
    role: 'feature',
    test: 'ks',
    scoreKind: 'p_value',
    score,
    statistic: 0.01 + rand() * 0.3,
    threshold: 0.05,
    drifted,
    problem: null,
    reference: {
      rows: 1000,
      missing: 0,
      distinct: 900,
      mean: lo + 10 * width,
      std: 3 * width,
      min: edges[0]!,
      max: edges[bins]!,
      top: [],
    },
    current: {
      rows: 1000,
      missing: 12,
      distinct: 880,
      mean: lo + 11 * width,
      std: 3.2 * width,
      min: edges[0]! - width,
      max: edges[bins]!,
      top: [],
    },
    histogram: { edges, keys: null, reference: shares(rand, bins), current: shares(rand, bins) },
    quality: {
      missingShareReference: 0,
      missingShareCurrent: 0.012,
      newCategoryRows: 0,
      newCategories: [],
      outOfRangeShare: 0.004,
      constantReference: false,
      constantCurrent: false,
    },
  };
}

export function categoricalColumn(rand: () => number, name: string, drifted: boolean): DriftColumn {
  const keys = ['north', 'south', 'east', 'west', 'centre', 'islands'];
  const score = drifted ? 0.1 + rand() * 0.3 : rand() * 0.09;
  const ref = shares(rand, keys.length);
  const cur = shares(rand, keys.length);
  return {
    name,
    type: 'categorical',
    typeGiven: false,
    role: 'feature',
    test: 'jensenshannon',
    scoreKind: 'distance',
    score,
    statistic: score,
    threshold: 0.1,
    drifted,
    problem: null,
    reference: {
      rows: 5000,
      missing: 0,
      distinct: keys.length,
      mean: null,
      std: null,
      min: null,
      max: null,
      top: keys.map((value, i) => ({ value, count: Math.round(ref[i]! * 5000) })),
    },
    current: {
      rows: 4000,
      missing: 0,
      distinct: keys.length + 1,
      mean: null,
      std: null,
      min: null,
      max: null,
      top: keys.map((value, i) => ({ value, count: Math.round(cur[i]! * 4000) })),
    },
    histogram: { edges: null, keys, reference: ref, current: cur },
    quality: {
      missingShareReference: 0,
      missingShareCurrent: 0,
      newCategoryRows: 7,
      newCategories: ['atlantis'],
      outOfRangeShare: null,
      constantReference: false,
      constantCurrent: false,
    },
  };
}

/** A report with `columns` feature columns (alternating numeric and categorical, every third drifted). */
export function driftReportFixture(options: {
  columns: number;
  seed?: number;
  performance?: 'classification' | 'regression' | null;
}): DriftReport {
  const rand = seeded(options.seed ?? 7);
  const columns: DriftColumn[] = [];
  for (let i = 0; i < options.columns; i++) {
    const drifted = i % 3 === 0;
    columns.push(i % 2 === 0 ? numericColumn(rand, `num_${i}`, drifted) : categoricalColumn(rand, `cat_${i}`, drifted));
  }
  const drifted = columns.filter((c) => c.drifted).length;
  const perf = options.performance ?? null;
  const classification = (acc: number) => ({
    kind: 'classification' as const,
    rows: 1000,
    accuracy: acc,
    perClass: [
      { label: 'no', precision: 0.9, recall: 0.92, f1: 0.91, support: 700 },
      { label: 'yes', precision: 0.8, recall: 0.75, f1: 0.77, support: 300 },
    ],
    macro: { precision: 0.85, recall: 0.835, f1: 0.84 },
    rocAuc: 0.91,
    confusion: {
      labels: ['no', 'yes'],
      matrix: [
        [644, 56],
        [75, 225],
      ],
    },
  });
  return {
    version: 1,
    createdAt: '2026-11-30T02:00:00.000Z',
    reference: { label: 'data/reference.csv', rows: 5000, columns: options.columns, hash: 'a'.repeat(64) },
    current: { label: 'data/batches/week-07.csv', rows: 4000, columns: options.columns, hash: null },
    summary: {
      columns: columns.length,
      tested: columns.length,
      drifted,
      share: columns.length ? drifted / columns.length : 0,
      shareThreshold: 0.5,
      datasetDrift: columns.length > 0 && drifted / columns.length >= 0.5,
    },
    columns,
    onlyInReference: [],
    onlyInCurrent: [],
    problems: [],
    leftOut: [],
    performance:
      perf === 'classification'
        ? { reference: classification(0.88), current: classification(0.81) }
        : perf === 'regression'
          ? {
              reference: { kind: 'regression', rows: 1000, mae: 1.2, rmse: 1.9, mape: 0.08, r2: 0.91 },
              current: { kind: 'regression', rows: 900, mae: 2.4, rmse: 3.1, mape: null, r2: 0.62 },
            }
          : null,
  };
}
