// Runs in: main (core). The model's quality on one side of a drift report, from its target and prediction
// columns (and a score column for ROC AUC): the definitions scikit-learn's metrics use.
import type { ModelPerformance } from '../../../../shared/contract/schemas';
import type { ColumnData } from './column-builder';
import { parseNumberLabel } from './column-types';

/** The label of row i, or null when missing. */
function labelAt(col: ColumnData, i: number): string | null {
  if (col.kind === 'numeric') {
    const v = col.values[i]!;
    return Number.isNaN(v) ? null : String(v);
  }
  const c = col.codes[i]!;
  return c < 0 ? null : col.labels[c]!;
}

function numberAt(col: ColumnData, i: number): number {
  if (col.kind === 'numeric') return col.values[i]!;
  const c = col.codes[i]!;
  return c < 0 ? NaN : parseNumberLabel(col.labels[c]!);
}

/** Numbers in numeric order, other labels after them alphabetically (sklearn sorts labels of one kind). */
export function compareLabels(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const nx = a.trim() !== '' && Number.isFinite(x);
  const ny = b.trim() !== '' && Number.isFinite(y);
  if (nx && ny) return x - y || (a < b ? -1 : a > b ? 1 : 0);
  if (nx !== ny) return nx ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * ROC AUC as the Mann–Whitney rank statistic: (sum of the positives' ranks − P(P+1)/2) / (P·N), tied
 * scores getting their average rank, which equals the area under the ROC curve with ties as diagonal steps.
 * Null when one class is absent.
 */
export function rocAuc(scores: Float64Array, positive: Uint8Array): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]!]) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function classification(target: ColumnData, prediction: ColumnData, score: ColumnData | null): ModelPerformance {
  const pairs: [string, string][] = [];
  const rowsUsed: number[] = [];
  for (let i = 0; i < rowCount(target); i++) {
    const t = labelAt(target, i);
    const p = labelAt(prediction, i);
    if (t === null || p === null) continue;
    pairs.push([t, p]);
    rowsUsed.push(i);
  }
  const labels = [...new Set(pairs.flat())].sort(compareLabels);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (const [t, p] of pairs) {
    matrix[index.get(t)!]![index.get(p)!]!++;
    if (t === p) correct++;
  }
  const perClass = labels.map((label, k) => {
    const tp = matrix[k]![k]!;
    const support = matrix[k]!.reduce((s, v) => s + v, 0);
    const predicted = matrix.reduce((s, row) => s + row[k]!, 0);
    // scikit-learn's zero_division=0: a class never predicted (or never present) scores 0, not NaN.
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const mean = (f: (c: (typeof perClass)[number]) => number): number =>
    perClass.length ? perClass.reduce((s, c) => s + f(c), 0) / perClass.length : 0;
  let auc: number | null = null;
  const targetLabels = [...new Set(pairs.map(([t]) => t))].sort(compareLabels);
  if (score && targetLabels.length === 2) {
    // The positive class is the greater label, as scikit-learn takes for binary targets.
    const positiveLabel = targetLabels[1]!;
    const s: number[] = [];
    const y: number[] = [];
    rowsUsed.forEach((row, k) => {
      const v = numberAt(score, row);
      if (!Number.isFinite(v)) return;
      s.push(v);
      y.push(pairs[k]![0] === positiveLabel ? 1 : 0);
    });
    auc = rocAuc(Float64Array.from(s), Uint8Array.from(y));
  }
  return {
    kind: 'classification',
    rows: pairs.length,
    accuracy: pairs.length ? correct / pairs.length : 0,
    perClass,
    macro: { precision: mean((c) => c.precision), recall: mean((c) => c.recall), f1: mean((c) => c.f1) },
    rocAuc: auc,
    confusion: { labels, matrix },
  };
}

function rowCount(col: ColumnData): number {
  return col.kind === 'numeric' ? col.values.length : col.codes.length;
}

export function regression(target: ColumnData, prediction: ColumnData): ModelPerformance {
  let n = 0;
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let zero = false;
  let sumY = 0;
  const ys: number[] = [];
  for (let i = 0; i < rowCount(target); i++) {
    const y = numberAt(target, i);
    const p = numberAt(prediction, i);
    if (!Number.isFinite(y) || !Number.isFinite(p)) continue;
    const e = y - p;
    n++;
    abs += Math.abs(e);
    sq += e * e;
    if (y === 0) zero = true;
    else pct += Math.abs(e) / Math.abs(y);
    sumY += y;
    ys.push(y);
  }
  const meanY = n ? sumY / n : 0;
  let total = 0;
  for (const y of ys) total += (y - meanY) * (y - meanY);
  return {
    kind: 'regression',
    rows: n,
    mae: n ? abs / n : 0,
    rmse: n ? Math.sqrt(sq / n) : 0,
    // Undefined when some target is 0 (scikit-learn divides by a tiny epsilon instead, giving huge numbers).
    mape: n && !zero ? pct / n : null,
    r2: n && total > 0 ? 1 - sq / total : null,
  };
}
