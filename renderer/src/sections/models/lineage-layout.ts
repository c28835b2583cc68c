// Runs in: renderer. Lays a lineage graph out left to right (dagre, through the layout reports share
// in shared/graph/layout.ts): node boxes and edge polylines in SVG coordinates, so the view only draws.
import type { LineageGraph, LineageNode } from '../../../../shared/contract';
import { layoutLeftToRight } from '../../../../shared/graph/layout';

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
  const laid = layoutLeftToRight(
    graph.nodes.map((n) => n.id),
    graph.edges,
    { width: NODE_W, height: NODE_H },
    { nodesep: 18, ranksep: 70, margin: 12 },
  );
  return {
    nodes: graph.nodes.map((node) => ({ node, ...laid.nodes.get(node.id)! })),
    edges: laid.edges,
    width: laid.width,
    height: laid.height,
  };
}
