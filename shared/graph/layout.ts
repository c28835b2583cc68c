// Runs in: renderer and main (core). Lays a directed graph out left to right with dagre: the Models
// view's lineage graph, the model card's lineage diagram in reports and the Pipelines view's DAG
// call this one function, so the page and the report place the same graph the same way. Pure: sizes
// in, coordinates out.
import dagre from '@dagrejs/dagre';

export interface LayoutEdge {
  from: string;
  to: string;
}

export interface LayoutSpacing {
  /** Between boxes in one column. */
  nodesep: number;
  /** Between columns. */
  ranksep: number;
  /** Around the whole graph. */
  margin: number;
}

export interface GraphLayout<E extends LayoutEdge> {
  /** Top-left corner of each node's box. */
  nodes: Map<string, { x: number; y: number }>;
  /** The edges between nodes the graph holds, in their order, each with dagre's polyline. */
  edges: (E & { points: { x: number; y: number }[] })[];
  width: number;
  height: number;
}

/**
 * Every node gets a box of `width`×`height`; each edge runs from one column to a column further
 * right. An edge to or from a node the graph does not hold is dropped rather than drawn to nowhere.
 */
export function layoutLeftToRight<E extends LayoutEdge>(
  nodeIds: readonly string[],
  edgesIn: readonly E[],
  box: { width: number; height: number },
  spacing: LayoutSpacing,
): GraphLayout<E> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    nodesep: spacing.nodesep,
    ranksep: spacing.ranksep,
    marginx: spacing.margin,
    marginy: spacing.margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(nodeIds);
  for (const id of nodeIds) g.setNode(id, { width: box.width, height: box.height });
  const edges = edgesIn.filter((e) => known.has(e.from) && known.has(e.to));
  edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, String(i)));
  dagre.layout(g);
  const size = g.graph();
  const nodes = new Map<string, { x: number; y: number }>();
  for (const id of nodeIds) {
    const p = g.node(id);
    nodes.set(id, { x: p.x - box.width / 2, y: p.y - box.height / 2 });
  }
  return {
    nodes,
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
