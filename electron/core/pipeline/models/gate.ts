// Runs in: main (core). The promotion gate of a `register:` entry in benchtop.yaml
// (`if: accuracy >= champion`): its small grammar, and its verdict on a newly registered version.
//
//   gate   := METRIC OP (NUMBER | ALIAS)
//   METRIC := a metric key: letters, digits and _ . / - (not starting with - or .)
//   OP     := >= | > | <= | < | ==
//   NUMBER := a decimal number, optionally signed, with an optional exponent (0.9, -1, 2e-3)
//   ALIAS  := an alias of the same model (champion); compares with that version's metric snapshot
//
// A right-hand side that reads as a number is a number. An alias that does not exist yet lets the
// gate pass: the first version through becomes, say, the first champion.

export const GATE_OPS = ['>=', '>', '<=', '<', '=='] as const;
export type GateOp = (typeof GATE_OPS)[number];

export type GateTarget = { kind: 'number'; value: number } | { kind: 'alias'; alias: string };

export interface Gate {
  metric: string;
  op: GateOp;
  target: GateTarget;
}

const METRIC = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ALIAS = /^[A-Za-z0-9_-]{1,64}$/;
const SHAPE = /^\s*([^\s<>=!]+)\s*(>=|<=|==|>|<)\s*(\S+)\s*$/;

export const GATE_HINT =
  'Write METRIC OP NUMBER or METRIC OP ALIAS, with OP one of >= > <= < ==: for example accuracy >= champion, or loss < 0.2.';

export class GateSyntaxError extends Error {}

/** Parses a gate; throws GateSyntaxError saying what is wrong. */
export function parseGate(text: string): Gate {
  const m = SHAPE.exec(text);
  if (!m) {
    if (/[!=]=?|=>|=</.test(text) && !/>=|<=|==/.test(text))
      throw new GateSyntaxError(`"${text}" has an operator the gate does not know`);
    throw new GateSyntaxError(`"${text}" is not a comparison`);
  }
  const [, metric, op, rhs] = m as unknown as [string, string, GateOp, string];
  if (!METRIC.test(metric)) throw new GateSyntaxError(`"${metric}" is not a metric name (letters, digits and _ . / -)`);
  if (NUMBER.test(rhs)) {
    const value = Number(rhs);
    if (!Number.isFinite(value)) throw new GateSyntaxError(`${rhs} is too large a number`);
    return { metric, op, target: { kind: 'number', value } };
  }
  if (!ALIAS.test(rhs))
    throw new GateSyntaxError(`"${rhs}" is neither a number nor an alias (letters, digits, _ and -)`);
  if (/^latest$/i.test(rhs) || /^v\d+$/i.test(rhs))
    throw new GateSyntaxError(
      `"${rhs}" names a version, not an alias: the gate compares with an alias such as champion`,
    );
  return { metric, op, target: { kind: 'alias', alias: rhs } };
}

export function formatGate(g: Gate): string {
  return `${g.metric} ${g.op} ${g.target.kind === 'number' ? String(g.target.value) : g.target.alias}`;
}

export function compare(a: number, op: GateOp, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '==':
      return a === b;
  }
}

const NEGATED: Record<GateOp, string> = { '>=': '<', '>': '<=', '<=': '>', '<': '>=', '==': '!=' };

/** What the gate is compared with, as found in the registry. */
export type AliasSnapshot = { exists: false } | { exists: true; version: number; metrics: Record<string, number> };

export interface GateVerdict {
  passed: boolean;
  /** "accuracy 0.93 >= champion's 0.91", or why it did not pass. */
  explanation: string;
}

const show = (v: number): string => (Number.isNaN(v) ? 'NaN' : String(v));

/** The gate's verdict for a version whose metrics are `metrics`; `alias` is looked up only when the gate names one. */
export function evaluateGate(
  g: Gate,
  metrics: Record<string, number>,
  alias: (name: string) => AliasSnapshot,
): GateVerdict {
  const value = metrics[g.metric];
  if (value === undefined)
    return { passed: false, explanation: `the run logged no metric ${g.metric} before the stage ended` };
  if (Number.isNaN(value)) return { passed: false, explanation: `${g.metric} is NaN` };
  if (g.target.kind === 'number') {
    const passed = compare(value, g.op, g.target.value);
    return {
      passed,
      explanation: `${g.metric} ${show(value)} ${passed ? g.op : NEGATED[g.op]} ${show(g.target.value)}`,
    };
  }
  const name = g.target.alias;
  const other = alias(name);
  if (!other.exists) return { passed: true, explanation: `${g.metric} ${show(value)}; there was no ${name} yet` };
  const theirs = other.metrics[g.metric];
  if (theirs === undefined)
    return {
      passed: false,
      explanation: `${name}'s version ${other.version} has no metric ${g.metric} to compare with`,
    };
  if (Number.isNaN(theirs))
    return { passed: false, explanation: `${name}'s ${g.metric} (version ${other.version}) is NaN` };
  const passed = compare(value, g.op, theirs);
  return {
    passed,
    explanation: `${g.metric} ${show(value)} ${passed ? g.op : NEGATED[g.op]} ${name}'s ${show(theirs)}`,
  };
}
