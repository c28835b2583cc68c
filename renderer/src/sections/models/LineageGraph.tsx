// Runs in: renderer. A lineage graph drawn left to right in SVG (layout by dagre): model version →
// run → params, metrics, data versions, commit → monitors. Nodes with somewhere to go are buttons
// (click, Enter or Space); where they go is the caller's choice, so any lineage source fits.
import { useMemo, type KeyboardEvent } from 'react';
import type { LineageGraph as Graph, LineageNode } from '../../../../shared/contract';
import { layoutLineage, NODE_H, NODE_W } from './lineage-layout';

/** Characters that fit in a node at 12–13 px before the text is cut with "…" (the rest is clipped). */
const LABEL_CHARS = 26;
const DETAIL_CHARS = 32;

function cut(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

export function LineageGraph({
  graph,
  canOpen,
  onOpen,
}: {
  graph: Graph;
  canOpen: (node: LineageNode) => boolean;
  onOpen: (node: LineageNode) => void;
}) {
  const laid = useMemo(() => layoutLineage(graph), [graph]);
  if (graph.nodes.length === 0) return <p className="muted">No lineage recorded.</p>;
  const key = (node: LineageNode) => (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(node);
    }
  };
  return (
    <div className="lineage-scroll">
      <svg
        className="lineage"
        width={laid.width}
        height={laid.height}
        viewBox={`0 0 ${laid.width} ${laid.height}`}
        role="group"
        aria-label="Lineage graph"
      >
        <defs>
          <marker
            id="lineage-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="lineage-arrowhead" />
          </marker>
        </defs>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the edges are decoration (the nodes carry the names); nothing in them is focusable. */}
        <g aria-hidden="true">
          {laid.edges.map((e, i) => (
            <path key={i} d={path(e.points)} className="lineage-edge" markerEnd="url(#lineage-arrow)">
              <title>{e.label}</title>
            </path>
          ))}
        </g>
        {laid.nodes.map(({ node, x, y }) => {
          const open = canOpen(node);
          const name = `${node.kind} ${node.label}${node.detail ? `, ${node.detail}` : ''}`;
          return (
            <g
              key={node.id}
              transform={`translate(${x},${y})`}
              className={`lineage-node kind-${node.kind}${open ? ' openable' : ''}`}
              data-kind={node.kind}
              {...(open
                ? {
                    role: 'button',
                    tabIndex: 0,
                    'aria-label': `Open ${name}`,
                    onClick: () => onOpen(node),
                    onKeyDown: key(node),
                  }
                : { role: 'img', 'aria-label': name })}
            >
              <title>{`${node.label}\n${node.detail}`}</title>
              <rect width={NODE_W} height={NODE_H} rx={8} />
              <rect width={5} height={NODE_H} rx={2} className="lineage-kind-bar" />
              {/* A nested svg clips whatever text is still too wide for the box. */}
              {/* biome-ignore lint/a11y/noSvgWithoutTitle: a clipping box inside a node that has its own title and name. */}
              <svg x={14} width={NODE_W - 20} height={NODE_H}>
                <text y={19} className="lineage-label">
                  {cut(node.label, LABEL_CHARS)}
                </text>
                <text y={36} className="lineage-detail">
                  <tspan className="lineage-kind">{node.kind}</tspan>
                  {node.detail ? ` · ${cut(node.detail, DETAIL_CHARS - node.kind.length)}` : ''}
                </text>
              </svg>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
