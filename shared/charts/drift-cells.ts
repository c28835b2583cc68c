// Runs in: main and renderer (shared). A monitor's drift per column and batch as heatmap cells, for the
// app's live chart and the report's static one alike. p-values and distances read in opposite
// directions and on different scales, so each cell is coloured by its severity: the score measured
// against its own test's threshold, not the raw score.

/** What a cell is made from: a batch's column as the contract's monitorBatch carries it. */
export interface CellSource {
  label: string;
  columns: readonly {
    name: string;
    test: string | null;
    scoreKind: 'p_value' | 'distance' | null;
    score: number | null;
    threshold: number | null;
    drifted: boolean;
  }[];
}

export interface DriftCell {
  column: string;
  batch: string;
  /** Index into `batches` (x) and `columns` (y). */
  x: number;
  y: number;
  /**
   * 0 to 1: below 0.5 the column did not drift (0 far from the threshold, near 0.5 close to it), from
   * 0.5 it drifted (1 far past it). Null when the score is not a number (not computed).
   */
  severity: number | null;
  score: number | null;
  threshold: number | null;
  test: string | null;
  scoreKind: 'p_value' | 'distance' | null;
  drifted: boolean;
}

export interface DriftGrid {
  columns: string[];
  batches: string[];
  cells: DriftCell[];
}

/** The bands of severity, for a legend: the first two did not drift, the last two did. */
export const SEVERITY_BANDS = [
  { min: 0, max: 0.25, label: 'no drift', color: '#d6e9d9' },
  { min: 0.25, max: 0.5, label: 'near threshold', color: '#f3e3a4' },
  { min: 0.5, max: 0.75, label: 'drift', color: '#f0a35e' },
  { min: 0.75, max: 1, label: 'strong drift', color: '#d1495b' },
] as const;

/** Grey for a cell whose score could not be computed. */
export const NO_SCORE_COLOR = '#c9ced6';

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/**
 * A p-value is compared by ratio on a log scale (p a thousandth of its threshold is as strong as it
 * gets); a distance by how many thresholds it is (three thresholds is as strong as it gets). The
 * test's own verdict decides the side of 0.5, so the colour never contradicts "drifted".
 */
export function severityOf(
  scoreKind: 'p_value' | 'distance' | null,
  score: number | null,
  threshold: number | null,
  drifted: boolean,
): number | null {
  if (score === null || !Number.isFinite(score)) return null;
  let s: number;
  if (threshold === null || !(threshold > 0)) s = drifted ? 1 : 0;
  else if (scoreKind === 'p_value') {
    // How far below (drifted) or above the threshold p lies, in decades.
    const decades = score > 0 ? Math.log10(threshold / score) : Infinity;
    s = decades >= 0 ? 0.5 + 0.5 * clamp01(decades / 3) : 0.5 * (1 - clamp01(-decades / 1.3));
  } else {
    const r = score / threshold;
    s = r >= 1 ? 0.5 + 0.5 * clamp01((r - 1) / 2) : 0.5 * clamp01(r);
  }
  if (drifted) return Math.max(0.5, Math.min(1, s));
  return Math.min(0.49, Math.max(0, s));
}

/** Every tested column of every batch, columns in the order they first appear, batches oldest first. */
export function driftCells(batches: readonly CellSource[]): DriftGrid {
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (const b of batches)
    for (const c of b.columns)
      if (c.test !== null && !index.has(c.name)) {
        index.set(c.name, columns.length);
        columns.push(c.name);
      }
  const cells: DriftCell[] = [];
  batches.forEach((b, x) => {
    for (const c of b.columns) {
      const y = index.get(c.name);
      if (y === undefined || c.test === null) continue;
      cells.push({
        column: c.name,
        batch: b.label,
        x,
        y,
        severity: severityOf(c.scoreKind, c.score, c.threshold, c.drifted),
        score: c.score,
        threshold: c.threshold,
        test: c.test,
        scoreKind: c.scoreKind,
        drifted: c.drifted,
      });
    }
  });
  return { columns, batches: batches.map((b) => b.label), cells };
}

/** The column that drifted in the most batches (then the most severe in sum), or null with none tested. */
export function mostDrifted(grid: DriftGrid): string | null {
  let best: string | null = null;
  let bestKey: [number, number] = [-1, -1];
  for (const name of grid.columns) {
    const cells = grid.cells.filter((c) => c.column === name);
    const key: [number, number] = [
      cells.filter((c) => c.drifted).length,
      cells.reduce((s, c) => s + (c.severity ?? 0), 0),
    ];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = name;
      bestKey = key;
    }
  }
  return best;
}

/** "drift" or "no drift", the score, the rule and the test: what a cell says on hover or in a title. */
export function cellText(c: DriftCell, format: (v: number) => string): string {
  const score = c.score === null || !Number.isFinite(c.score) ? 'not computed' : format(c.score);
  const rule =
    c.threshold === null
      ? ''
      : c.scoreKind === 'p_value'
        ? ` (drift when p < ${format(c.threshold)})`
        : ` (drift when ≥ ${format(c.threshold)})`;
  const kind = c.scoreKind === 'p_value' ? 'p-value' : 'distance';
  return `${c.column}, ${c.batch}: ${c.drifted ? 'DRIFT' : 'no drift'}; ${c.test ?? ''} ${kind} ${score}${rule}`;
}
