// Runs in: main (core). A monitor's alert rules: a small grammar (documented in the README) parsed
// strictly, so a typo is refused when the monitor is added rather than silently never firing.
//
//   rule      := condition [ "for" N ] [ "retrain" ]
//   condition := METRIC OP NUMBER | "column:" NAME "drifted" | "dataset" "drifted"
//   METRIC    := drift_share | drifted_columns | accuracy | precision | recall | f1 | roc_auc | mae | rmse | mape | r2
//              | latency_p50 | latency_p95 | latency_p99 | error_rate | requests   (prediction-log monitors)
//   OP        := < | <= | > | >= | == | !=
import { BenchtopError } from '../../../../shared/contract/errors';

export const DRIFT_METRICS = ['drift_share', 'drifted_columns'] as const;
export const CLASSIFICATION_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;
export const REGRESSION_METRICS = ['mae', 'rmse', 'mape', 'r2'] as const;
/** Measured per window from the endpoint's request log, so only monitors of a prediction log have them. */
export const SERVING_METRICS = ['latency_p50', 'latency_p95', 'latency_p99', 'error_rate', 'requests'] as const;
export const RULE_METRICS = [
  ...DRIFT_METRICS,
  ...CLASSIFICATION_METRICS,
  ...REGRESSION_METRICS,
  ...SERVING_METRICS,
] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];
export const RULE_OPS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type RuleOp = (typeof RULE_OPS)[number];

export type RuleCondition =
  | { kind: 'metric'; metric: RuleMetric; op: RuleOp; threshold: number }
  | { kind: 'column'; column: string }
  | { kind: 'dataset' };

export interface AlertRule {
  /** The rule as written canonically (what alerts record). */
  text: string;
  condition: RuleCondition;
  /** How many batches in a row must meet the condition. */
  times: number;
  /** Start the pipeline when it fires. */
  retrain: boolean;
}

/** What a rule looks at in one checked batch. Performance metrics are absent without target and prediction. */
export interface BatchFacts {
  label: string;
  share: number;
  datasetDrift: boolean;
  driftedColumns: number;
  columns: { name: string; drifted: boolean }[];
  performance: Partial<Record<RuleMetric, number | null>> | null;
  /** Latency, error rate and request count of the window, for prediction-log monitors. */
  serving?: Partial<Record<RuleMetric, number | null>> | null;
}

const MAX_TIMES = 1000;

function refuse(text: string, why: string, field: string): never {
  throw new BenchtopError('INVALID_INPUT', `The rule "${text.slice(0, 200)}" ${why}`, {
    field,
    hint: 'Write METRIC OP NUMBER [for N] [retrain] (drift_share >= 0.5 for 2, accuracy < 0.85), column:NAME drifted, or dataset drifted.',
  });
}

const quoteColumn = (name: string): string =>
  /^[^\s"]+$/.test(name) ? name : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function formatRule(r: Omit<AlertRule, 'text'>): string {
  const c = r.condition;
  const head =
    c.kind === 'metric'
      ? `${c.metric} ${c.op} ${c.threshold}`
      : c.kind === 'column'
        ? `column:${quoteColumn(c.column)} drifted`
        : 'dataset drifted';
  return `${head}${r.times > 1 ? ` for ${r.times}` : ''}${r.retrain ? ' retrain' : ''}`;
}

export function parseRule(given: string, field = 'rules'): AlertRule {
  const text = given.trim();
  if (!text) refuse(given, 'is empty.', field);
  if (text.length > 500) refuse(text, 'is longer than 500 characters.', field);
  let rest = text;
  let condition: RuleCondition;
  const column = /^column:(?:"((?:[^"\\]|\\.)+)"|([^\s"]+))\s+drifted\b/.exec(rest);
  const metric = /^([a-z_0-9]+)\s*(<=|>=|==|!=|<|>|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?%?)(?=\s|$)/i.exec(rest);
  if (column) {
    const name = column[1] !== undefined ? column[1].replace(/\\(.)/g, '$1') : column[2]!;
    if (name.length > 250) refuse(text, 'names a column longer than 250 characters.', field);
    condition = { kind: 'column', column: name };
    rest = rest.slice(column[0].length);
  } else if (/^dataset\s+drifted\b/i.test(rest)) {
    condition = { kind: 'dataset' };
    rest = rest.replace(/^dataset\s+drifted/i, '');
  } else if (metric) {
    const name = metric[1]!.toLowerCase();
    if (!(RULE_METRICS as readonly string[]).includes(name))
      refuse(
        text,
        `watches "${metric[1]}", which is not a metric Benchtop measures (${RULE_METRICS.join(', ')}).`,
        field,
      );
    const op = (metric[2] === '=' ? '==' : metric[2]) as RuleOp;
    const raw = metric[3]!;
    const threshold = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(threshold)) refuse(text, `compares with "${raw}", which is not a finite number.`, field);
    condition = { kind: 'metric', metric: name as RuleMetric, op, threshold };
    rest = rest.slice(metric[0].length);
  } else {
    return refuse(text, 'does not start with a condition.', field);
  }
  let times = 1;
  let retrain = false;
  const tail = rest.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < tail.length; i++) {
    const word = tail[i]!.toLowerCase();
    if (word === 'for' && times === 1 && !retrain) {
      const n = tail[i + 1] ?? '';
      if (!/^\d{1,4}$/.test(n) || Number(n) < 1 || Number(n) > MAX_TIMES)
        refuse(text, `needs a whole number of batches from 1 to ${MAX_TIMES} after "for".`, field);
      times = Number(n);
      i++;
      // "for 2 batches" reads naturally; the word is optional.
      if (/^batch(es)?$/i.test(tail[i + 1] ?? '')) i++;
    } else if (word === 'retrain' && !retrain) retrain = true;
    else refuse(text, `has "${tail[i]}" where "for N" or "retrain" (or the end) was expected.`, field);
  }
  const rule = { condition, times, retrain };
  return { ...rule, text: formatRule(rule) };
}

/** Which metrics a rule needs that only a model's target and prediction give. */
export function needsPerformance(rule: AlertRule): boolean {
  return (
    rule.condition.kind === 'metric' &&
    !(DRIFT_METRICS as readonly string[]).includes(rule.condition.metric) &&
    !needsServing(rule)
  );
}

/** Whether a rule watches the endpoint (latency, errors, requests), which only a prediction log records. */
export function needsServing(rule: AlertRule): boolean {
  return rule.condition.kind === 'metric' && (SERVING_METRICS as readonly string[]).includes(rule.condition.metric);
}

function compare(value: number, op: RuleOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export interface RuleOutcome {
  holds: boolean;
  /** The measured value (a metric, or 1/0 for drifted), null when the batch does not have it. */
  value: number | null;
  threshold: number | null;
}

export function evaluateOn(rule: AlertRule, b: BatchFacts): RuleOutcome {
  const c = rule.condition;
  if (c.kind === 'dataset') return { holds: b.datasetDrift, value: b.share, threshold: null };
  if (c.kind === 'column') {
    const col = b.columns.find((x) => x.name === c.column);
    return { holds: Boolean(col?.drifted), value: col ? (col.drifted ? 1 : 0) : null, threshold: null };
  }
  const value =
    c.metric === 'drift_share'
      ? b.share
      : c.metric === 'drifted_columns'
        ? b.driftedColumns
        : (SERVING_METRICS as readonly string[]).includes(c.metric)
          ? (b.serving?.[c.metric] ?? null)
          : (b.performance?.[c.metric] ?? null);
  // A metric that could not be measured (NaN, no performance) never raises an alert.
  if (value === null || !Number.isFinite(value)) return { holds: false, value: null, threshold: c.threshold };
  return { holds: compare(value, c.op, c.threshold), value, threshold: c.threshold };
}

/**
 * Evaluates a rule on the newest batch, given the monitor's batches oldest first; null when it does not
 * fire. A `for N` rule fires when its streak reaches N, not on each batch after: one alert (and one
 * retraining) per streak, and again only once the streak has broken and reached N anew. A rule without
 * `for` fires on every batch that meets it.
 */
export function evaluateRule(
  rule: AlertRule,
  history: readonly BatchFacts[],
): (RuleOutcome & { message: string }) | null {
  if (history.length < rule.times) return null;
  const last = history.slice(-rule.times);
  const outcomes = last.map((b) => evaluateOn(rule, b));
  if (!outcomes.every((o) => o.holds)) return null;
  const before = history[history.length - rule.times - 1];
  if (rule.times > 1 && before !== undefined && evaluateOn(rule, before).holds) return null;
  const now = outcomes[outcomes.length - 1]!;
  const newest = last[last.length - 1]!;
  const c = rule.condition;
  const what =
    c.kind === 'metric'
      ? `${c.metric} is ${round(now.value!)} (${c.op} ${c.threshold})`
      : c.kind === 'column'
        ? `column ${c.column} drifted`
        : `the dataset drifted (share ${round(now.value!)})`;
  const where =
    rule.times > 1
      ? ` in ${rule.times} batches in a row (${last.map((b) => b.label).join(', ')})`
      : ` in ${newest.label}`;
  return { ...now, message: `${what}${where}` };
}

const round = (x: number): string => String(Math.round(x * 10_000) / 10_000);
