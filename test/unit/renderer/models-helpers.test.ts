// Unit tests of the Models view's pure helpers: the lineage graph's layout (dagre), the artifacts a run can register, and the key metrics of a versions table.
import { describe, expect, it } from 'vitest';
import type { RunArtifact } from '../../../shared/contract';
import { artifactChoices, defaultChoice } from '../../../renderer/src/sections/models/artifact-choices';
import { keyMetrics } from '../../../renderer/src/sections/models/key-metrics';
import { layoutLineage, NODE_W } from '../../../renderer/src/sections/models/lineage-layout';

describe('layoutLineage', () => {
  it('lays the graph out left to right: each edge goes from a column to one further right', () => {
    const node = (id: string, kind: 'model' | 'run' | 'params' | 'metrics' | 'data' | 'commit') => ({
      id,
      kind,
      label: id,
      detail: '',
      ref: null,
    });
    const g = {
      nodes: [
        node('model', 'model'),
        node('run', 'run'),
        node('params', 'params'),
        node('metrics', 'metrics'),
        node('data', 'data'),
        node('commit', 'commit'),
      ],
      edges: [
        { from: 'model', to: 'run', label: 'registered from' },
        { from: 'run', to: 'params', label: 'params' },
        { from: 'run', to: 'metrics', label: 'metrics' },
        { from: 'run', to: 'data', label: 'read' },
        { from: 'data', to: 'commit', label: 'committed in' },
      ],
    };
    const laid = layoutLineage(g);
    const x = new Map(laid.nodes.map((n) => [n.node.id, n.x]));
    for (const e of g.edges) expect(x.get(e.to)!).toBeGreaterThanOrEqual(x.get(e.from)! + NODE_W);
    expect(laid.edges).toHaveLength(g.edges.length);
    for (const e of laid.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect(laid.width).toBeGreaterThan(NODE_W * 2);
  });

  it('drops an edge to a node the graph does not hold', () => {
    const laid = layoutLineage({
      nodes: [{ id: 'a', kind: 'model', label: 'a', detail: '', ref: null }],
      edges: [{ from: 'a', to: 'ghost', label: '' }],
    });
    expect(laid.nodes).toHaveLength(1);
    expect(laid.edges).toEqual([]);
  });
});

function artifact(path: string, role: RunArtifact['role'], stage = ''): RunArtifact {
  return { path, stage, role, hash: 'h', size: 1, type: null };
}

describe('artifactChoices', () => {
  it('offers logged artifacts, pipeline outputs and the folders of logged artifacts, never dependencies', () => {
    const choices = artifactChoices([
      artifact('model/weights.bin', 'artifact'),
      artifact('model/config/meta.json', 'artifact'),
      artifact('confusion.csv', 'artifact'),
      artifact('build/model.json', 'out', 'train'),
      artifact('build/train.csv', 'dep', 'train'),
    ]);
    expect(choices).toEqual([
      { value: 'build/model.json', label: 'build/model.json (output of train)', kind: 'file' },
      { value: 'confusion.csv', label: 'confusion.csv', kind: 'file' },
      { value: 'model', label: 'model/ (folder of 2 files)', kind: 'folder' },
      { value: 'model/config', label: 'model/config/ (folder of 1 file)', kind: 'folder' },
      { value: 'model/config/meta.json', label: 'model/config/meta.json', kind: 'file' },
      { value: 'model/weights.bin', label: 'model/weights.bin', kind: 'file' },
    ]);
    expect(defaultChoice(choices)).toBe('build/model.json');
    expect(defaultChoice([])).toBe('');
    expect(defaultChoice(artifactChoices([artifact('a.txt', 'artifact')]))).toBe('a.txt');
  });
});

describe('keyMetrics', () => {
  it('picks the metrics most versions have, then by name', () => {
    const vs: { metrics: Record<string, number> }[] = [
      { metrics: { b: 1, a: 2, z: 3 } },
      { metrics: { b: 1, z: 0 } },
      { metrics: { z: 1, c: 1 } },
    ];
    expect(keyMetrics(vs)).toEqual(['z', 'b', 'a']);
    expect(keyMetrics(vs, 1)).toEqual(['z']);
    expect(keyMetrics([])).toEqual([]);
  });
});
