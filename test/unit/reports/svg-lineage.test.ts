import { describe, expect, it } from 'vitest';
import { lineageDiagram } from '../../../electron/core/reports/svg-lineage';

const xOf = (svg: string, label: string): number => {
  const m = new RegExp(
    `<rect x="([\\d.]+)" y="[\\d.]+" width="190"[^>]*/><rect[^>]*/><text class="node-label"[^>]*>${label}`,
  ).exec(svg);
  if (!m) throw new Error(`no box for ${label}`);
  return Number(m[1]);
};

describe('lineage diagram', () => {
  it('puts watchers left of the root and each step one column further right, escaping every label', () => {
    const svg = lineageDiagram({
      title: 'Lineage <of> churn',
      root: 'm',
      leftKinds: ['monitor'],
      nodes: [
        { id: 'm', kind: 'model', label: 'churn v1', detail: '@champion' },
        { id: 'r', kind: 'run', label: '<script>x</script>', detail: 'succeeded' },
        { id: 'd', kind: 'data', label: 'train.csv@abc', detail: 'committed in 123' },
        { id: 'c', kind: 'commit', label: '1234567', detail: 'msg & more' },
        { id: 'w', kind: 'monitor', label: 'drift', detail: 'alert' },
        { id: 'lost', kind: 'run', label: 'unreachable', detail: '' },
      ],
      edges: [
        { from: 'm', to: 'r' },
        { from: 'r', to: 'd' },
        { from: 'd', to: 'c' },
        { from: 'r', to: 'c' },
        { from: 'm', to: 'w' },
      ],
    }).text;
    const [w, m, r, d, c] = [
      xOf(svg, 'monitor: drift'),
      xOf(svg, 'model: churn v1'),
      xOf(svg, 'run: &lt;script&gt;x&lt;/script&gt;'),
      xOf(svg, 'data: train.csv@abc'),
      xOf(svg, 'commit: 1234567'),
    ];
    expect(w).toBeLessThan(m);
    expect([m < r, r < d, d < c]).toEqual([true, true, true]);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('msg &amp; more');
    expect(svg).toContain('Lineage &lt;of&gt; churn');
    expect(svg).not.toContain('unreachable');
    // The commit is reached from the run too, yet sits after the data version.
    expect(svg.match(/<line class="edge"/g)).toHaveLength(5);
  });
});
