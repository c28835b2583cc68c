import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../electron/core/pipeline/definition';
import {
  buildDag,
  findCycles,
  overlaps,
  topoOrder,
  withDownstream,
  withUpstream,
} from '../../../electron/core/pipeline/graph';

function stage(name: string, deps: string[], outs: string[]): Stage {
  return {
    name,
    source: name,
    cmd: ['true'],
    deps,
    models: [],
    params: [],
    outs: outs.map((path) => ({ path, cache: true, persist: false, kind: 'out' })),
    env: {},
    wdir: '.',
    retries: 0,
    retryDelayMs: 0,
    timeoutMs: null,
    alwaysChanged: false,
    frozen: false,
    desc: undefined,
  };
}

describe('the DAG', () => {
  it('links a dep to the stage writing it, a folder above it, or files inside it', () => {
    const stages = [
      stage('a', [], ['build/a.csv']),
      stage('b', [], ['models']),
      stage('c', ['build'], ['c.txt']), // needs every output under build/
      stage('d', ['models/m.json'], ['d.txt']), // needs a file inside b's folder
      stage('e', ['build/a.csvx', 'buildings'], ['e.txt']), // look-alike names are not links
    ];
    const dag = buildDag(stages);
    expect([...dag.upstream.get('c')!]).toEqual(['a']);
    expect([...dag.upstream.get('d')!]).toEqual(['b']);
    expect([...dag.upstream.get('e')!]).toEqual([]);
    expect(topoOrder(stages, dag).map((s) => s.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...withDownstream(['a'], dag)].sort()).toEqual(['a', 'c']);
    expect([...withUpstream(['d'], dag)].sort()).toEqual(['b', 'd']);
  });

  it('agrees with the plain definition of overlap on random paths (property)', () => {
    const seg = fc.constantFrom('a', 'b', 'ab', 'a.b');
    const p = fc.array(seg, { minLength: 1, maxLength: 3 }).map((x) => x.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(p, { minLength: 1, maxLength: 6 }), fc.array(p, { maxLength: 6 }), (outs, deps) => {
        const producers = outs.map((o, i) => stage(`p${i}`, [], [o]));
        const consumer = stage('consumer', deps, []);
        const dag = buildDag([...producers, consumer]);
        const expected = producers
          .filter((s) => deps.some((d) => overlaps(s.outs[0]!.path, d)))
          .map((s) => s.name)
          .sort();
        expect([...dag.upstream.get('consumer')!].sort()).toEqual(expected);
      }),
    );
  });

  it('finds cycles', () => {
    const stages = [stage('x', ['y.out'], ['x.out']), stage('y', ['x.out'], ['y.out']), stage('z', [], ['z.out'])];
    expect(findCycles(stages, buildDag(stages))).toHaveLength(1);
  });
});
