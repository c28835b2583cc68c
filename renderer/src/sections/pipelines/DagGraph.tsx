// Runs in: renderer. The pipeline DAG drawn in SVG, laid out left to right by the layout the lineage
// graphs share (shared/graph/layout.ts), each stage coloured by its live or planned state. It fits
// the whole graph into its panel when it loads and whenever the panel changes size (the tour panel
// opening, a narrower window); the wheel and the +, − and fit buttons zoom, a drag pans. Clicking a
// stage (or Enter or Space on it) selects it.
import { type KeyboardEvent, type PointerEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { PipelineStage } from '../../../../shared/contract';
import { layoutLeftToRight } from '../../../../shared/graph/layout';
import { useDarkMode } from '../../hooks/use-dark-mode';
import { fitView, type GraphView, type Size, smoothPath, zoomAt } from './graph-view';

export type StageState =
  | 'will-run'
  | 'up-to-date'
  | 'frozen'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

const COLOURS: Record<StageState, { light: string; dark: string }> = {
  'up-to-date': { light: '#8a94a6', dark: '#6b7686' },
  frozen: { light: '#6b7bd1', dark: '#8090e0' },
  'will-run': { light: '#d69e2e', dark: '#ecc94b' },
  queued: { light: '#a0aec0', dark: '#718096' },
  running: { light: '#2f6fde', dark: '#5b93f5' },
  succeeded: { light: '#1f8a4c', dark: '#48bb78' },
  failed: { light: '#c53030', dark: '#fc8181' },
  skipped: { light: '#a0aec0', dark: '#4a5568' },
  cancelled: { light: '#718096', dark: '#a0aec0' },
};

/** White on the darker fills, near-black on the light ones (the dark theme's yellow, say). */
function textOn(fill: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(fill.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 ? '#1d2330' : '#ffffff';
}

// Compact boxes and columns: beside the tour at 1024 px the panel is about 400 px wide, and the
// smaller the graph's natural size, the less a fit has to shrink its text.
const NODE_W = 120;
const NODE_H = 44;
/** Characters of a stage's name that fit in its box at 12 px before it is cut with "…". */
const NAME_CHARS = 14;
/** The panel is as tall as the graph at its natural size, within these bounds; wide graphs scale down. */
const MIN_PANEL_H = 150;
const MAX_PANEL_H = 360;
const BUTTON_ZOOM = 1.25;

function cut(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function DagGraph({
  stages,
  states,
  selected,
  onSelect,
}: {
  stages: PipelineStage[];
  states: Record<string, StageState>;
  selected: string | null;
  onSelect: (stage: string) => void;
}) {
  const dark = useDarkMode();
  const arrowId = `dag-arrow-${useId().replace(/:/g, '')}`;
  const laid = useMemo(
    () =>
      layoutLeftToRight(
        stages.map((s) => s.name),
        stages.flatMap((s) => s.after.map((a) => ({ from: a, to: s.name }))),
        { width: NODE_W, height: NODE_H },
        { nodesep: 20, ranksep: 40, margin: 10 },
      ),
    [stages],
  );
  const panelHeight = Math.min(MAX_PANEL_H, Math.max(MIN_PANEL_H, laid.height + 24));
  const svgRef = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  const [view, setView] = useState<GraphView | null>(null);
  const drag = useRef<{ pointer: number; x: number; y: number; from: GraphView; moved: boolean } | null>(null);
  /** A drag that ends over a stage must not select it. */
  const dragged = useRef(false);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const observer = new ResizeObserver(() => {
      const { width, height } = svg.getBoundingClientRect();
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    });
    observer.observe(svg);
    return () => observer.disconnect();
  }, []);

  // The stages and their edges: the view reloads the pipeline when a run starts or ends, and the
  // same graph read again keeps the user's zoom.
  const shape = stages.map((s) => `${s.name}<${s.after.join(',')}`).join(';');
  // Fitted again whenever the panel or the graph changes: the whole pipeline is what it shows first.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for `laid`: a new layout of the same graph is not a reason to lose the zoom.
  useEffect(() => {
    if (size && size.width > 0 && size.height > 0) setView(fitView(laid, size));
  }, [shape, size]);

  // The wheel zooms about the cursor. React's wheel listener is passive, so the page would scroll too.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = svg.getBoundingClientRect();
      const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
      setView((v) => (v ? zoomAt(v, Math.exp(-e.deltaY * 0.0015), at) : v));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const zoomButton = (factor: number) => () =>
    setView((v) => (v && size ? zoomAt(v, factor, { x: size.width / 2, y: size.height / 2 }) : v));

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0 || !view) return;
    dragged.current = false;
    drag.current = { pointer: e.pointerId, x: e.clientX, y: e.clientY, from: view, moved: false };
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    // A few pixels of wobble in a click are not a drag.
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) {
      d.moved = true;
      e.currentTarget.setPointerCapture(e.pointerId);
    }
    setView({ ...d.from, x: d.from.x + dx, y: d.from.y + dy });
  };
  const onPointerEnd = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    dragged.current = d.moved;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };

  const select = (name: string) => {
    if (dragged.current) {
      dragged.current = false;
      return;
    }
    onSelect(name);
  };
  const key = (name: string) => (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(name);
    }
  };
  const stateOf = (name: string): StageState => states[name] ?? 'up-to-date';

  return (
    <div
      className="dag"
      role="group"
      aria-label={`Pipeline graph: ${stages.map((s) => `${s.name} ${states[s.name] ?? ''}`).join(', ')}`}
    >
      {/* biome-ignore lint/a11y/noSvgWithoutTitle: the group around it names the graph; each stage has its own name and title. */}
      <svg
        ref={svgRef}
        className={`dag-canvas${drag.current?.moved ? ' panning' : ''}`}
        width="100%"
        height={panelHeight}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
      >
        <defs>
          <marker
            id={arrowId}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="dag-arrowhead" />
          </marker>
        </defs>
        {view ? (
          <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
            {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: the edges are decoration (the stages carry the names); nothing in them is focusable. */}
            <g aria-hidden="true">
              {laid.edges.map((e) => (
                <path
                  key={`${e.from}→${e.to}`}
                  d={smoothPath(e.points)}
                  className="dag-edge"
                  markerEnd={`url(#${arrowId})`}
                />
              ))}
            </g>
            {stages.map((s) => {
              const at = laid.nodes.get(s.name)!;
              const state = stateOf(s.name);
              const fill = COLOURS[state][dark ? 'dark' : 'light'];
              const text = textOn(fill);
              const isSelected = s.name === selected;
              return (
                <g
                  key={s.name}
                  transform={`translate(${at.x},${at.y})`}
                  className={`dag-node${isSelected ? ' selected' : ''}`}
                  role="button"
                  tabIndex={0}
                  aria-label={`Stage ${s.name}, ${state}`}
                  aria-pressed={isSelected}
                  onClick={() => select(s.name)}
                  onKeyDown={key(s.name)}
                >
                  <title>{`${s.name}: ${state}`}</title>
                  <rect width={NODE_W} height={NODE_H} rx={8} fill={fill} />
                  {/* A nested svg clips whatever text is still too wide for the box. */}
                  {/* biome-ignore lint/a11y/noSvgWithoutTitle: a clipping box inside a stage that has its own title and name. */}
                  <svg x={8} width={NODE_W - 16} height={NODE_H}>
                    <text x={(NODE_W - 16) / 2} y={19} textAnchor="middle" className="dag-name" fill={text}>
                      {cut(s.name, NAME_CHARS)}
                    </text>
                    <text x={(NODE_W - 16) / 2} y={34} textAnchor="middle" className="dag-state" fill={text}>
                      {state}
                    </text>
                  </svg>
                </g>
              );
            })}
          </g>
        ) : null}
      </svg>
      <div className="dag-zoom" role="toolbar" aria-label="Zoom the pipeline graph">
        <button type="button" aria-label="Zoom in" title="Zoom in" onClick={zoomButton(BUTTON_ZOOM)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" title="Zoom out" onClick={zoomButton(1 / BUTTON_ZOOM)}>
          −
        </button>
        <button
          type="button"
          aria-label="Fit the graph"
          title="Fit the whole graph"
          onClick={() => size && setView(fitView(laid, size))}
        >
          ⤢
        </button>
      </div>
    </div>
  );
}
