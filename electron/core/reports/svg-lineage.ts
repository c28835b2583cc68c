// Runs in: main (core) and CLI. A lineage graph drawn as static SVG for reports: laid out left to
// right by the same dagre layout as the app's lineage view (shared/graph/layout.ts), with what
// watches the root to its left; one box per node, lines for the edges. Every label goes through the
// escaping template.
import { layoutLeftToRight } from '../../../shared/graph/layout';
import { html, join, type Html } from './html';

export interface DiagramNode {
  id: string;
  kind: string;
  label: string;
  detail: string;
}

export interface DiagramEdge {
  from: string;
  to: string;
}

const BOX_W = 190;
const BOX_H = 42;
const COL_GAP = 56;
const ROW_GAP = 14;
const PAD = 16;

const KIND_COLOR: Record<string, string> = {
  model: '#4e79a7',
  run: '#f28e2b',
  params: '#76b7b2',
  metrics: '#59a14f',
  data: '#edc948',
  commit: '#9c755f',
  monitor: '#e15759',
  deployment: '#b07aa1',
};

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Room above the graph for the title. */
const TITLE_H = 24;

/**
 * `root` sits in the first column after the `leftKinds` (nodes that point back at the root, such as
 * monitors); everything else further right, each edge from one column to a later one. Nodes not
 * reached from the root (nor through a watcher) are left out.
 */
export function lineageDiagram(spec: {
  title: string;
  nodes: readonly DiagramNode[];
  edges: readonly DiagramEdge[];
  root: string;
  leftKinds?: readonly string[];
}): Html {
  const left = new Set(spec.leftKinds ?? []);
  const kindOf = new Map(spec.nodes.map((n) => [n.id, n.kind]));
  const isWatcher = (id: string): boolean => left.has(kindOf.get(id) ?? '');
  // What the root reaches; a watcher is placed but not followed (what it points at is not lineage).
  const reached = new Set([spec.root]);
  for (let queue = [spec.root]; queue.length > 0; ) {
    const at = queue.shift()!;
    if (isWatcher(at)) continue;
    for (const e of spec.edges)
      if (e.from === at && !reached.has(e.to)) {
        reached.add(e.to);
        queue.push(e.to);
      }
  }
  const placed = spec.nodes.filter((n) => reached.has(n.id) && kindOf.has(n.id));
  // A watcher's edge is laid out pointing into the root, so dagre puts the watcher on its left.
  const laid = layoutLeftToRight(
    placed.map((n) => n.id),
    spec.edges.map((e) => (isWatcher(e.to) ? { from: e.to, to: e.from } : e)),
    { width: BOX_W, height: BOX_H },
    { nodesep: ROW_GAP, ranksep: COL_GAP, margin: PAD },
  );
  const width = Math.round(laid.width);
  const height = Math.round(laid.height) + TITLE_H;
  const pos = new Map([...laid.nodes].map(([id, p]) => [id, { x: Math.round(p.x), y: Math.round(p.y) + TITLE_H }]));
  const lines = spec.edges
    .filter((e) => pos.has(e.from) && pos.has(e.to))
    .map((e) => {
      const a = pos.get(e.from)!;
      const b = pos.get(e.to)!;
      // From the side facing the other box, so a monitor on the left joins the model's left edge.
      const rightward = b.x >= a.x;
      const x1 = rightward ? a.x + BOX_W : a.x;
      const x2 = rightward ? b.x : b.x + BOX_W;
      return html`<line class="edge" x1="${x1}" y1="${a.y + BOX_H / 2}" x2="${x2}" y2="${b.y + BOX_H / 2}" marker-end="url(#arrow)"/>`;
    });
  const boxes = placed.map((n) => {
    const p = pos.get(n.id)!;
    const color = KIND_COLOR[n.kind] ?? '#bab0ac';
    return html`<g class="node"><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="none" stroke="${color}" stroke-width="2"/><rect x="${p.x}" y="${p.y}" width="6" height="${BOX_H}" rx="2" fill="${color}"/><text class="node-label" x="${p.x + 12}" y="${p.y + 17}">${cut(`${n.kind}: ${n.label}`, 27)}</text><text class="tick" x="${p.x + 12}" y="${p.y + 33}">${cut(n.detail, 29)}</text><title>${n.kind}: ${n.label} — ${n.detail}</title></g>`;
  });
  return html`<svg class="chart lineage" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${spec.title}"><title>${spec.title}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#888"/></marker></defs><text class="chart-title" x="${PAD}" y="${PAD + 4}">${cut(spec.title, 90)}</text>${join(lines)}${join(boxes)}</svg>`;
}
