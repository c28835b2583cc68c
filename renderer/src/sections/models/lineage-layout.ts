// Runs in: renderer. Lays a lineage graph out left to right with dagre: node boxes and edge
// polylines in SVG coordinates, so the view only draws.
import dagre from '@dagrejs/dagre';
import type { LineageGraph, LineageNode } from '../../../../shared/contract';

export const NODE_W = 230;
export const NODE_H = 48;

export interface PlacedNode {
  node: LineageNode;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  label: string;
  points: { x: number; y: number }[];
}

export function layoutLineage(graph: LineageGraph): {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
} {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(graph.nodes.map((n) => n.id));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  // An edge to a node the graph does not hold is dropped rather than drawn to nowhere.
  const edges = graph.edges.filter((e) => known.has(e.from) && known.has(e.to));
  edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, String(i)));
  dagre.layout(g);
  const size = g.graph();
  return {
    nodes: graph.nodes.map((node) => {
      const p = g.node(node.id);
      return { node, x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 };
    }),
    edges: edges.map((e, i) => ({
      ...e,
      points: (g.edge({ v: e.from, w: e.to, name: String(i) }).points ?? []).map((p: { x: number; y: number }) => ({
        x: p.x,
        y: p.y,
      })),
    })),
    width: size.width ?? 0,
    height: size.height ?? 0,
  };
}
