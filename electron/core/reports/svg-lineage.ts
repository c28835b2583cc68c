// Runs in: main (core) and CLI. A lineage graph drawn as static SVG for reports: columns by distance
// from the root (what watches it to the left), one box per node, lines for the edges. Every label
// goes through the escaping template.
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

/**
 * `root` sits in the first column after the `leftKinds` (nodes that point back at the root, such as
 * monitors); everything else one column further per edge from the root.
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
  // The longest path from the root sets the column, so a commit reached both from the run and
  // through a data version sits after the data, and every line runs left to right.
  const depth = new Map<string, number>([[spec.root, 0]]);
  for (let round = 0; round <= spec.nodes.length; round++) {
    let moved = false;
    for (const e of spec.edges) {
      const from = depth.get(e.from);
      if (from === undefined || from < 0) continue;
      const want = left.has(kindOf.get(e.to) ?? '') ? -1 : from + 1;
      const now = depth.get(e.to);
      if (now === undefined || (want > now && now >= 0)) {
        depth.set(e.to, want);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const placed = spec.nodes.filter((n) => depth.has(n.id));
  const minDepth = Math.min(0, ...placed.map((n) => depth.get(n.id)!));
  const columns = new Map<number, DiagramNode[]>();
  for (const n of placed) {
    const c = depth.get(n.id)! - minDepth;
    columns.set(c, [...(columns.get(c) ?? []), n]);
  }
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const height = PAD * 2 + 24 + tallest * BOX_H + (tallest - 1) * ROW_GAP;
  const width = PAD * 2 + columns.size * BOX_W + (columns.size - 1) * COL_GAP;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [c, nodes] of columns) {
    const colHeight = nodes.length * BOX_H + (nodes.length - 1) * ROW_GAP;
    const top = PAD + 24 + (height - PAD * 2 - 24 - colHeight) / 2;
    nodes.forEach((n, i) => pos.set(n.id, { x: PAD + c * (BOX_W + COL_GAP), y: top + i * (BOX_H + ROW_GAP) }));
  }
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
