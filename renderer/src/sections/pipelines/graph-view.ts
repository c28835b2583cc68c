// Runs in: renderer. The pipeline graph's view: the scale and offset that fit the laid-out graph into
// its panel, zooming about a point (the cursor, or the panel's centre for the buttons), and the
// edges' polylines drawn as smooth paths. Pure, so the numbers are tested without a browser.

/** Screen position = graph position × k + (x, y). */
export interface GraphView {
  k: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Room left around the graph when it is fitted, in pixels. */
export const FIT_PADDING = 12;
/** Zooming stops here; a fit may go smaller still, since it must show every stage. */
export const MIN_SCALE = 0.25;
export const MAX_SCALE = 3;
/** A fit never enlarges the graph beyond its natural size: a small pipeline stays readable, not huge. */
const FIT_MAX = 1;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The largest scale (up to 1) at which the whole graph fits the panel, centred. */
export function fitView(graph: Size, panel: Size, padding = FIT_PADDING): GraphView {
  if (graph.width <= 0 || graph.height <= 0 || panel.width <= 0 || panel.height <= 0) return { k: 1, x: 0, y: 0 };
  const room = { width: Math.max(1, panel.width - 2 * padding), height: Math.max(1, panel.height - 2 * padding) };
  const k = Math.min(FIT_MAX, room.width / graph.width, room.height / graph.height);
  return { k, x: (panel.width - graph.width * k) / 2, y: (panel.height - graph.height * k) / 2 };
}

/** Zooms by `factor` keeping the graph point under `at` (panel coordinates) where it is. */
export function zoomAt(view: GraphView, factor: number, at: { x: number; y: number }): GraphView {
  // A fit smaller than MIN_SCALE may still zoom in, but zooming out never goes below where it is.
  const k = clamp(view.k * factor, Math.min(MIN_SCALE, view.k), MAX_SCALE);
  const r = k / view.k;
  return { k, x: at.x - (at.x - view.x) * r, y: at.y - (at.y - view.y) * r };
}

const fmt = (n: number) => n.toFixed(1);

/**
 * dagre's polyline as an SVG path whose corners are rounded by quadratic curves through the
 * midpoints of its segments: it follows the points dagre routed round the boxes, without kinks.
 */
export function smoothPath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length < 2)
    return [`M${fmt(first!.x)},${fmt(first!.y)}`, ...rest.map((p) => `L${fmt(p.x)},${fmt(p.y)}`)].join(' ');
  const parts = [`M${fmt(first!.x)},${fmt(first!.y)}`];
  for (let i = 0; i < rest.length - 1; i++) {
    const corner = rest[i]!;
    const next = rest[i + 1]!;
    const end = i === rest.length - 2 ? next : { x: (corner.x + next.x) / 2, y: (corner.y + next.y) / 2 };
    parts.push(`Q${fmt(corner.x)},${fmt(corner.y)} ${fmt(end.x)},${fmt(end.y)}`);
  }
  return parts.join(' ');
}
