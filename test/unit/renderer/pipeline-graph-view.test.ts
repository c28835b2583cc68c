// Runs in: tests (Node). The pipeline graph's view: a fit shows the whole graph inside the panel,
// centred, never enlarged past its natural size; zooming keeps the point under the cursor in place
// and stops at its bounds; and dagre's polylines become paths that start and end where dagre says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIT_PADDING,
  fitView,
  MAX_SCALE,
  MIN_SCALE,
  smoothPath,
  zoomAt,
} from '../../../renderer/src/sections/pipelines/graph-view';

describe('fitView', () => {
  it('fits any graph inside any panel, with its padding', () => {
    const size = fc.record({ width: fc.integer({ min: 50, max: 5000 }), height: fc.integer({ min: 50, max: 3000 }) });
    fc.assert(
      fc.property(size, size, (graph, panel) => {
        const v = fitView(graph, panel);
        expect(v.k).toBeLessThanOrEqual(1);
        expect(v.x).toBeGreaterThanOrEqual(Math.min(FIT_PADDING, panel.width / 2) - 1e-6);
        expect(v.y).toBeGreaterThanOrEqual(Math.min(FIT_PADDING, panel.height / 2) - 1e-6);
        expect(v.x + graph.width * v.k).toBeLessThanOrEqual(panel.width + 1e-6);
        expect(v.y + graph.height * v.k).toBeLessThanOrEqual(panel.height + 1e-6);
      }),
    );
  });

  it('scales a wide graph down to the width and centres a small one at its own size', () => {
    // The demo's three stages (530 px) in the panel left beside the tour at 1024 px.
    const wide = fitView({ width: 530, height: 64 }, { width: 400, height: 150 });
    expect(wide.k).toBeCloseTo((400 - 2 * FIT_PADDING) / 530);
    expect(wide.x).toBeCloseTo(FIT_PADDING);
    const small = fitView({ width: 200, height: 64 }, { width: 1000, height: 150 });
    expect(small).toEqual({ k: 1, x: 400, y: 43 });
  });

  it('leaves an empty graph or a hidden panel as it is', () => {
    expect(fitView({ width: 0, height: 0 }, { width: 300, height: 150 })).toEqual({ k: 1, x: 0, y: 0 });
    expect(fitView({ width: 300, height: 60 }, { width: 0, height: 0 })).toEqual({ k: 1, x: 0, y: 0 });
  });
});

describe('zoomAt', () => {
  it('keeps the graph point under the cursor where it was', () => {
    const v = { k: 0.8, x: 20, y: 10 };
    const at = { x: 150, y: 70 };
    const z = zoomAt(v, 1.25, at);
    expect(z.k).toBeCloseTo(1);
    // The graph point under the cursor before and after.
    expect((at.x - z.x) / z.k).toBeCloseTo((at.x - v.x) / v.k);
    expect((at.y - z.y) / z.k).toBeCloseTo((at.y - v.y) / v.k);
  });

  it('stops at its bounds, but a fit smaller than the least zoom may still zoom in', () => {
    expect(zoomAt({ k: 2.9, x: 0, y: 0 }, 2, { x: 0, y: 0 }).k).toBe(MAX_SCALE);
    expect(zoomAt({ k: 0.3, x: 0, y: 0 }, 0.5, { x: 0, y: 0 }).k).toBe(MIN_SCALE);
    expect(zoomAt({ k: 0.1, x: 0, y: 0 }, 0.5, { x: 0, y: 0 }).k).toBe(0.1);
    expect(zoomAt({ k: 0.1, x: 0, y: 0 }, 1.25, { x: 0, y: 0 }).k).toBeCloseTo(0.125);
  });
});

describe('smoothPath', () => {
  it('draws a straight edge as a line and rounds the corners of a longer one', () => {
    expect(smoothPath([])).toBe('');
    expect(
      smoothPath([
        { x: 0, y: 0 },
        { x: 60, y: 0 },
      ]),
    ).toBe('M0.0,0.0 L60.0,0.0');
    expect(
      smoothPath([
        { x: 0, y: 0 },
        { x: 30, y: 0 },
        { x: 30, y: 40 },
        { x: 60, y: 40 },
      ]),
    ).toBe('M0.0,0.0 Q30.0,0.0 30.0,20.0 Q30.0,40.0 60.0,40.0');
  });
});
