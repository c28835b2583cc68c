// Unit tests of the Models view's pure helpers: the lineage graph built from a version's detail
// (and laid out by dagre), the artifacts a run can register, and the key metrics of a versions table.
import { describe, expect, it } from 'vitest';
import type { ModelVersionDetail, RunArtifact } from '../../../shared/contract';
import { lineageGraph } from '../../../shared/contract/schemas';
import { artifactChoices, defaultChoice } from '../../../renderer/src/sections/models/artifact-choices';
import { keyMetrics } from '../../../renderer/src/sections/models/key-metrics';
import { lineageFromVersion } from '../../../renderer/src/sections/models/lineage-from-version';
import { layoutLineage, NODE_W } from '../../../renderer/src/sections/models/lineage-layout';

function version(over: Partial<ModelVersionDetail> = {}): ModelVersionDetail {
  return {
    name: 'iris',
    version: 2,
    aliases: ['champion'],
    format: 'json',
    size: 1200,
    files: 1,
    source: 'run',
    runId: 'r_abc',
    runName: 'train-1',
    description: '',
    metrics: { accuracy: 0.95, loss: NaN },
    archived: false,
    createdAt: '2026-11-30T01:00:00.000Z',
    artifact: { path: 'build/model.json', kind: 'file', hash: 'f'.repeat(64) },
    params: { lr: '0.1', epochs: '20', l2: '0', seed: '7' },
    data: [
      { dataset: 'data/iris.csv', version: 'a'.repeat(64), context: 'training' },
      { dataset: 'data/iris.csv', version: 'a'.repeat(64), context: 'validation' },
    ],
    gitCommit: '0123456789abcdef0123456789abcdef01234567',
    signature: null,
    intendedUse: '',
    limitations: '',
    tags: {},
    predict: null,
    archivedAt: null,
    updatedAt: null,
    ...over,
  };
}

describe('lineageFromVersion', () => {
  it('links the version to its run, and the run to its params, metrics, data versions and commit', () => {
    const g = lineageFromVersion(version());
    expect(lineageGraph.parse(g)).toEqual(g);
    expect(g.nodes.map((n) => n.kind)).toEqual(['model', 'run', 'params', 'metrics', 'data', 'commit']);
    const byKind = Object.fromEntries(g.nodes.map((n) => [n.kind, n]));
    expect(byKind.model).toMatchObject({ label: 'iris v2', ref: 'iris/2', detail: 'json @champion' });
    expect(byKind.run).toMatchObject({ label: 'train-1', detail: 'r_abc', ref: 'r_abc' });
    expect(byKind.params!.label).toBe('4 params');
    // Sorted by name, three shown, the rest elided.
    expect(byKind.params!.detail).toBe('epochs=20, l2=0, lr=0.1, …');
    expect(byKind.metrics!.detail).toBe('accuracy=0.95, loss=NaN');
    // The same dataset version read twice is one node.
    expect(byKind.data).toMatchObject({ label: 'data/iris.csv', ref: 'data/iris.csv', detail: `${'a'.repeat(12)} · training` });
    expect(byKind.commit).toMatchObject({ label: 'commit 0123456', ref: '0123456789abcdef0123456789abcdef01234567' });
    expect(g.edges).toEqual([
      { from: 'model:iris/2', to: 'run:r_abc', label: 'trained by' },
      { from: 'run:r_abc', to: 'params', label: 'logged' },
      { from: 'run:r_abc', to: 'metrics', label: 'logged' },
      { from: 'run:r_abc', to: `data:data/iris.csv@${'a'.repeat(64)}`, label: 'read' },
      { from: 'run:r_abc', to: 'commit:0123456789abcdef0123456789abcdef01234567', label: 'code at' },
    ]);
  });

  it('hangs the data and commit off the version when it was registered from a path, and leaves out what is missing', () => {
    const g = lineageFromVersion(version({ runId: null, runName: null, source: 'path', params: {}, metrics: {}, gitCommit: null }));
    expect(g.nodes.map((n) => n.kind)).toEqual(['model', 'data']);
    expect(g.edges).toEqual([{ from: 'model:iris/2', to: `data:data/iris.csv@${'a'.repeat(64)}`, label: 'read' }]);
    const bare = lineageFromVersion(version({ runId: null, runName: null, data: [], gitCommit: null }));
    expect(bare).toEqual({ nodes: [expect.objectContaining({ kind: 'model' })], edges: [] });
  });

  it("names a run that no longer exists by its id, and does not repeat an id that is the run's name", () => {
    const run = lineageFromVersion(version({ runName: null })).nodes.find((n) => n.kind === 'run')!;
    expect(run).toMatchObject({ label: 'r_abc', detail: 'run (deleted)', ref: 'r_abc' });
    const unnamed = lineageFromVersion(version({ runName: 'r_abc' })).nodes.find((n) => n.kind === 'run')!;
    expect(unnamed).toMatchObject({ label: 'r_abc', detail: '', ref: 'r_abc' });
  });
});

describe('layoutLineage', () => {
  it('lays the graph out left to right: each edge goes from a column to one further right', () => {
    const g = lineageFromVersion(version());
    const laid = layoutLineage(g);
    const x = new Map(laid.nodes.map((n) => [n.node.id, n.x]));
    for (const e of g.edges) expect(x.get(e.to)!).toBeGreaterThanOrEqual(x.get(e.from)! + NODE_W);
    expect(laid.edges).toHaveLength(g.edges.length);
    for (const e of laid.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect(laid.width).toBeGreaterThan(NODE_W * 2);
  });

  it('drops an edge to a node the graph does not hold', () => {
    const laid = layoutLineage({ nodes: [{ id: 'a', kind: 'model', label: 'a', detail: '', ref: null }], edges: [{ from: 'a', to: 'ghost', label: '' }] });
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
    const vs: { metrics: Record<string, number> }[] = [{ metrics: { b: 1, a: 2, z: 3 } }, { metrics: { b: 1, z: 0 } }, { metrics: { z: 1, c: 1 } }];
    expect(keyMetrics(vs)).toEqual(['z', 'b', 'a']);
    expect(keyMetrics(vs, 1)).toEqual(['z']);
    expect(keyMetrics([])).toEqual([]);
  });
});
