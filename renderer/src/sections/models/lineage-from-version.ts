// Runs in: renderer. A model version's lineage graph built from what `models.version` returns (the
// run, its params and metrics snapshot, the data versions it read, the commit), in the same shape
// as the contract's lineageGraph so the view can take either source.
import type { LineageGraph, LineageNode, ModelVersionDetail } from '../../../../shared/contract';
import { formatMetric } from '../compare/series-math';

/** How many entries a params or metrics node spells out before "…". */
const PREVIEW = 3;

function preview(entries: [string, string][]): string {
  const shown = entries.slice(0, PREVIEW).map(([k, v]) => `${k}=${v}`);
  return entries.length > PREVIEW ? `${shown.join(', ')}, …` : shown.join(', ');
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

export function lineageFromVersion(v: ModelVersionDetail): LineageGraph {
  const nodes: LineageNode[] = [];
  const edges: LineageGraph['edges'] = [];
  const model: LineageNode = { id: `model:${v.name}/${v.version}`, kind: 'model', label: `${v.name} v${v.version}`, detail: [v.format, ...v.aliases.map((a) => `@${a}`)].join(' '), ref: `${v.name}/${v.version}` };
  nodes.push(model);
  // Without a run (registered from a path or a bundle) the data and commit hang off the version itself.
  let origin = model.id;
  if (v.runId) {
    const run: LineageNode = { id: `run:${v.runId}`, kind: 'run', label: v.runName ?? v.runId, detail: v.runName === null ? 'run (deleted)' : v.runName === v.runId ? '' : v.runId, ref: v.runId };
    nodes.push(run);
    edges.push({ from: model.id, to: run.id, label: 'trained by' });
    origin = run.id;
    const params = Object.entries(v.params).sort(([a], [b]) => a.localeCompare(b));
    if (params.length) {
      nodes.push({ id: 'params', kind: 'params', label: `${params.length} param${params.length === 1 ? '' : 's'}`, detail: preview(params), ref: null });
      edges.push({ from: run.id, to: 'params', label: 'logged' });
    }
    const metrics = Object.entries(v.metrics)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, m]): [string, string] => [k, formatMetric(m)]);
    if (metrics.length) {
      nodes.push({ id: 'metrics', kind: 'metrics', label: `${metrics.length} metric${metrics.length === 1 ? '' : 's'}`, detail: preview(metrics), ref: null });
      edges.push({ from: run.id, to: 'metrics', label: 'logged' });
    }
  }
  for (const d of v.data) {
    const id = `data:${d.dataset}@${d.version}`;
    // One node per dataset version, even if the run read it in two contexts.
    if (!nodes.some((n) => n.id === id)) nodes.push({ id, kind: 'data', label: d.dataset, detail: `${shortHash(d.version)}${d.context ? ` · ${d.context}` : ''}`, ref: d.dataset });
    if (!edges.some((e) => e.from === origin && e.to === id)) edges.push({ from: origin, to: id, label: 'read' });
  }
  if (v.gitCommit) {
    const id = `commit:${v.gitCommit}`;
    nodes.push({ id, kind: 'commit', label: `commit ${v.gitCommit.slice(0, 7)}`, detail: shortHash(v.gitCommit), ref: v.gitCommit });
    edges.push({ from: origin, to: id, label: 'code at' });
  }
  return { nodes, edges };
}
