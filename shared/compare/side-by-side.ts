// Runs in: main and renderer. Params and latest metrics of several runs as rows of a side-by-side
// table, each flagged when the runs disagree. Shared so the CLI, the HTML report and the Compare
// view call the same thing "a difference".

export interface RunValues {
  params: Record<string, string>;
  /** Latest value of each metric; NaN and ±Infinity are values like any other. */
  metrics: Record<string, number>;
}

export interface ParamRow {
  key: string;
  /** One per run, in the runs' order; null where the run has no such param. */
  values: (string | null)[];
  differs: boolean;
}

export interface MetricRow {
  key: string;
  values: (number | null)[];
  differs: boolean;
}

/** NaN equals NaN here: two runs that both diverged do not differ on that count. */
function same(a: number | string | null, b: number | string | null): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  return a === b;
}

function rows<T extends string | number>(
  keys: Set<string>,
  pick: (i: number, key: string) => T | undefined,
  n: number,
): { key: string; values: (T | null)[]; differs: boolean }[] {
  return [...keys].sort().map((key) => {
    const values = Array.from({ length: n }, (_, i) => pick(i, key) ?? null);
    return { key, values, differs: values.some((v) => !same(v, values[0]!)) };
  });
}

export function sideBySide(runs: readonly RunValues[]): { params: ParamRow[]; metrics: MetricRow[] } {
  const paramKeys = new Set(runs.flatMap((r) => Object.keys(r.params)));
  const metricKeys = new Set(runs.flatMap((r) => Object.keys(r.metrics)));
  return {
    params: rows(
      paramKeys,
      (i, k) => (Object.hasOwn(runs[i]!.params, k) ? runs[i]!.params[k] : undefined),
      runs.length,
    ),
    metrics: rows(
      metricKeys,
      (i, k) => (Object.hasOwn(runs[i]!.metrics, k) ? runs[i]!.metrics[k] : undefined),
      runs.length,
    ),
  };
}

/** A param's values read as numbers when every present one is a finite number ("0.1", "3"). */
export function numericValues(values: readonly (string | null)[]): (number | null)[] | null {
  const out = values.map((v) => (v === null || v.trim() === '' ? null : Number(v)));
  const present = out.filter((v): v is number => v !== null);
  return present.length > 0 && present.every(Number.isFinite) ? out : null;
}
