// Runs in: tests. The import graph of a source tree, and the two checks the architecture test makes
// on it: imports that break an allowed dependency map, and cycles.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every .ts/.tsx file under `dir` (relative to `root`). */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(rel);
  }
  return out;
}

/** The module specifiers a file imports, statically or dynamically (type-only imports included). */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

export interface Edge {
  from: string;
  to: string;
}

/** File-to-file edges between the files under `dir`, resolved the way the bundler does. */
export function fileEdges(root: string, dir: string): Edge[] {
  const files = new Set(sourceFiles(root, dir));
  const edges: Edge[] = [];
  for (const from of files) {
    for (const spec of importSpecifiers(readFileSync(path.join(root, from), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const base = path.relative(root, path.resolve(root, path.dirname(from), spec));
      const to = ['', '.ts', '.tsx', '/index.ts'].map((e) => base + e).find((c) => files.has(c));
      if (to) edges.push({ from, to });
    }
  }
  return edges;
}

/** The folder directly under `dir` that holds `file` (`electron/core/data/x.ts` → `data`). */
export function topFolder(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep)[0]!;
}

/**
 * Imports from one folder into another that the map does not allow, as readable lines. A folder
 * missing from the map is itself a violation: a new domain must say where it sits.
 */
export function mapViolations(dir: string, edges: Edge[], allowed: Record<string, readonly string[]>): string[] {
  const out = new Set<string>();
  for (const { from, to } of edges) {
    const a = topFolder(dir, from);
    const b = topFolder(dir, to);
    if (a === b || a.endsWith('.ts') || b.endsWith('.ts')) continue;
    if (!(a in allowed)) out.add(`${a}/ is not in the dependency map`);
    else if (!allowed[a]!.includes(b)) out.add(`${from} imports ${to}: ${a}/ may not depend on ${b}/`);
  }
  return [...out];
}

/** Every cycle in a directed graph, each as the list of nodes around it (Tarjan's components). */
export function cycles(nodes: Iterable<string>, edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const n of nodes) next.set(n, []);
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, []);
    if (!next.has(to)) next.set(to, []);
    next.get(from)!.push(to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  // Iterative, so a deep import chain cannot overflow the stack.
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        const selfLoop = next.get(top.node)!.includes(top.node);
        if (component.length > 1 || selfLoop) found.push(component.sort());
      }
    }
  }
  return found;
}
