// Runs in: main (core). The DAG: which stage feeds which, cycles, run order, downstream sets.
import type { Stage } from './definition';

/** True when `a` and `b` are the same path or one lies inside the other. */
export function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export interface Dag {
  /** stage -> stages it needs (producers of its deps, and stages registering the models it depends on). */
  upstream: Map<string, Set<string>>;
  downstream: Map<string, Set<string>>;
}

/** Stages whose outputs overlap `dep`: an output equal to it, above it, or inside it. */
function producersOf(dep: string, byOut: Map<string, string>, sortedOuts: readonly string[]): Set<string> {
  const found = new Set<string>();
  // The dep itself or a folder above it is an output.
  for (let p = dep; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
    const s = byOut.get(p);
    if (s) found.add(s);
  }
  // Outputs inside the dep (a folder): a range of the sorted list.
  const prefix = `${dep}/`;
  let lo = 0;
  let hi = sortedOuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedOuts[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sortedOuts.length && sortedOuts[i]!.startsWith(prefix); i++)
    found.add(byOut.get(sortedOuts[i]!)!);
  return found;
}

export function buildDag(stages: readonly Stage[]): Dag {
  const upstream = new Map<string, Set<string>>();
  const downstream = new Map<string, Set<string>>();
  const byOut = new Map<string, string>();
  for (const s of stages) {
    upstream.set(s.name, new Set());
    downstream.set(s.name, new Set());
    for (const o of s.outs) byOut.set(o.path, s.name);
  }
  const sortedOuts = [...byOut.keys()].sort();
  // A stage that reads models:/churn@… runs after the stages that register churn, which may move the alias.
  const registrars = new Map<string, Set<string>>();
  for (const s of stages)
    for (const o of s.outs)
      if (o.register)
        (registrars.get(o.register.name) ?? registrars.set(o.register.name, new Set()).get(o.register.name)!).add(
          s.name,
        );
  const link = (consumer: string, producer: string): void => {
    if (producer === consumer) return;
    upstream.get(consumer)!.add(producer);
    downstream.get(producer)!.add(consumer);
  };
  for (const consumer of stages) {
    for (const dep of consumer.deps)
      for (const producer of producersOf(dep, byOut, sortedOuts)) link(consumer.name, producer);
    for (const m of consumer.models ?? [])
      for (const producer of registrars.get(m.name) ?? []) link(consumer.name, producer);
  }
  return { upstream, downstream };
}

/** Every cycle's stages in order (a → b → a is reported as [a, b]); empty when acyclic. */
export function findCycles(stages: readonly Stage[], dag: Dag): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const next of [...dag.upstream.get(name)!].sort()) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next)).reverse();
        const key = [...cycle].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const s of stages) if (!state.has(s.name)) visit(s.name);
  return cycles;
}

/** Stages in an order where every stage comes after the ones it needs; file order breaks ties. */
export function topoOrder(stages: readonly Stage[], dag: Dag): Stage[] {
  const placed = new Set<string>();
  const out: Stage[] = [];
  while (out.length < stages.length) {
    const next = stages.find((s) => !placed.has(s.name) && [...dag.upstream.get(s.name)!].every((u) => placed.has(u)));
    if (!next) throw new Error('topoOrder called on a pipeline with a cycle');
    placed.add(next.name);
    out.push(next);
  }
  return out;
}

/** `names` plus everything reachable from them along `edges`. */
function closure(names: Iterable<string>, edges: Map<string, Set<string>>): Set<string> {
  const result = new Set<string>();
  const todo = [...names];
  while (todo.length) {
    const n = todo.pop()!;
    if (result.has(n)) continue;
    result.add(n);
    todo.push(...(edges.get(n) ?? []));
  }
  return result;
}

/** `names` plus everything that depends on them, transitively. */
export function withDownstream(names: Iterable<string>, dag: Dag): Set<string> {
  return closure(names, dag.downstream);
}

/** `names` plus everything they need, transitively. */
export function withUpstream(names: Iterable<string>, dag: Dag): Set<string> {
  return closure(names, dag.upstream);
}
