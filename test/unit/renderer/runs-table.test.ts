// The runs table's pure parts: filter completion, column layout storage, columns, grouping,
// selection, tag input, throttled live refresh and number formatting.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { RunKeys, RunSearchRow } from '../../../shared/contract/schemas';
import { parseQuery } from '../../../shared/query/parse';
import { formatDuration, formatNumber } from '../../../renderer/src/components/format';
import {
  arrangeColumns,
  buildColumns,
  columnWidth,
  differingParams,
  moveColumn,
  nextSort,
  orderColumns,
  sortDirection,
} from '../../../renderer/src/sections/runs/columns';
import { applyCompletion, complete, errorColumn } from '../../../renderer/src/sections/runs/completion';
import { groupId, groupRuns } from '../../../renderer/src/sections/runs/grouping';
import {
  DEFAULT_LAYOUT,
  layoutStorageKey,
  parseLayout,
  serializeLayout,
  type RunsLayout,
} from '../../../renderer/src/sections/runs/layout';
import { clickSelect, pruneSelection } from '../../../renderer/src/sections/runs/selection';
import { parseTagInput } from '../../../renderer/src/sections/runs/tag-input';
import { throttleAsync } from '../../../renderer/src/sections/runs/throttle';

const KEYS: RunKeys = {
  params: ['lr', 'model', 'train.epochs', 'odd key'],
  metrics: ['accuracy', 'loss', 'val.acc'],
  tags: ['team'],
};

const labels = (text: string, cursor = text.length) => complete(text, cursor, KEYS)?.options.map((o) => o.label) ?? [];

describe('filter completion', () => {
  it('offers the field prefixes and attributes at the start', () => {
    const all = labels('');
    expect(all.slice(0, 3)).toEqual(['params.', 'metrics.', 'tags.']);
    expect(all).toEqual(
      expect.arrayContaining(['status', 'name', 'start_time', 'duration', 'metrics.accuracy', 'params.lr']),
    );
  });

  it('completes the keys of a prefix from runs.keys', () => {
    expect(labels('metrics.')).toEqual(['metrics.accuracy', 'metrics.loss', 'metrics.val.acc']);
    expect(labels('params.t')).toEqual(['params.train.epochs']);
    expect(labels('metrics.accuracy > 0.9 and params.m')).toEqual(['params.model']);
    expect(labels('ta')).toEqual(['tags.', 'tags.team', 'status', 'start_time']);
  });

  it('finds a key by a word inside it', () => {
    expect(labels('acc')).toEqual(['metrics.accuracy', 'metrics.val.acc']);
  });

  it('offers operators after a field and and/or after a value', () => {
    expect(labels('metrics.accuracy ')).toContain('>=');
    expect(labels("params.model = 'rf' ")).toEqual(['and', 'or']);
    expect(labels('metrics.loss < 0.5 o')).toEqual(['or']);
    expect(labels('(status = 1) ')).toEqual(['and', 'or']);
  });

  it('stays quiet inside a string and after a complete word', () => {
    expect(complete("params.model = 'rf", 18, KEYS)).toBeNull();
    expect(complete('metrics.accuracy', 16, KEYS)).toBeNull();
  });

  it('replaces the word at the cursor and quotes keys that need it', () => {
    const text = 'metrics.acc > 0.5';
    const c = complete(text, 11, KEYS)!;
    expect(c).toMatchObject({ from: 0, to: 11 });
    expect(applyCompletion(text, c, c.options[0]!)).toEqual({ text: 'metrics.accuracy > 0.5', cursor: 17 });
    const odd = complete('params.od', 9, KEYS)!;
    const applied = applyCompletion('params.od', odd, odd.options[0]!);
    expect(applied.text).toBe('params.`odd key` ');
    expect(parseQuery(`${applied.text}= 1`)).toMatchObject({ field: { kind: 'param', key: 'odd key' } });
    const prefix = complete('met', 3, KEYS)!;
    expect(applyCompletion('met', prefix, prefix.options[0]!)).toEqual({ text: 'metrics.', cursor: 8 });
  });

  it('every field it suggests (and every column sorts by) parses back to that key', () => {
    const keyChars = fc.constantFrom(...'ab_Z09.-` \'"()é'.split(''));
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: keyChars, minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('metric', 'param', 'tag'),
        (list, kind) => {
          const keys: RunKeys = {
            params: kind === 'param' ? list : [],
            metrics: kind === 'metric' ? list : [],
            tags: kind === 'tag' ? list : [],
          };
          const prefix = `${kind}s.`;
          const c = complete(prefix, prefix.length, keys, 100);
          for (const o of c?.options ?? []) {
            expect(parseQuery(`${o.insert} > 1`)).toMatchObject({
              type: 'cmp',
              field: { kind, key: o.label.slice(prefix.length) },
            });
          }
          for (const column of buildColumns(keys).filter((col) => col.kind !== 'attr')) {
            expect(parseQuery(`${column.sortField!} = 0`)).toMatchObject({ field: { key: column.key } });
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(
      complete('metrics.', 8, { params: [], metrics: ['A.-', 'x.0', 'lr-0.5'], tags: [] })!.options.map(
        (o) => o.insert,
      ),
    ).toEqual(['metrics.`A.-`', 'metrics.`x.0`', 'metrics.`lr-0.5`']);
  });

  it('reads the column of a core error', () => {
    expect(
      errorColumn("The filter has a mistake: expected a value after '>', found the end of the query (at column 19)."),
    ).toBe(19);
    expect(errorColumn('Cannot sort by "x".')).toBeNull();
  });
});

describe('column layout', () => {
  it('round-trips through its serialization', () => {
    const layout: RunsLayout = {
      hidden: ['source', 'params.lr'],
      pinned: ['name', 'metrics.accuracy'],
      order: ['status', 'name'],
      widths: { name: 300 },
      sort: '-metrics.accuracy',
      groupBy: 'model',
    };
    expect(parseLayout(serializeLayout(layout))).toEqual(layout);
  });

  it('falls back to defaults for anything unreadable', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('{not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout(JSON.stringify({ v: 99, hidden: ['x'] }))).toEqual(DEFAULT_LAYOUT);
    expect(
      parseLayout(
        JSON.stringify({ v: 1, hidden: [3], pinned: 'name', widths: { a: -1, b: 'x', c: 99.6 }, sort: '', groupBy: 7 }),
      ),
    ).toEqual({ ...DEFAULT_LAYOUT, widths: { c: 100 } });
  });

  it('is stored under one key per project', () => {
    expect(layoutStorageKey('/a/project')).not.toBe(layoutStorageKey('/b/project'));
  });

  it('survives any stored text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => parseLayout(text)).not.toThrow();
      }),
    );
  });
});

describe('columns', () => {
  const columns = buildColumns(KEYS);

  it('has name, status, the metrics, the params, then the other run fields', () => {
    expect(columns.map((c) => c.id)).toEqual([
      'name',
      'status',
      'metrics.accuracy',
      'metrics.loss',
      'metrics.val.acc',
      'params.lr',
      'params.model',
      'params.train.epochs',
      'params.odd key',
      'experiment',
      'start_time',
      'duration',
      'source',
      'starred',
      'tags',
    ]);
    expect(columns.find((c) => c.id === 'metrics.accuracy')!.sortField).toBe('metrics.accuracy');
    expect(columns.find((c) => c.id === 'params.odd key')!.sortField).toBe('params.`odd key`');
    expect(columns.find((c) => c.id === 'tags')!.sortField).toBeNull();
  });

  it('puts the params that differ before the run fields, and the shared ones last', () => {
    const differing = differingParams([
      { params: { lr: '0.1', model: 'rf', 'train.epochs': '5' } },
      { params: { lr: '0.2', model: 'rf' } },
      { params: { lr: '0.3', model: 'rf', 'train.epochs': '5' } },
    ]);
    expect([...differing].sort()).toEqual(['lr', 'train.epochs']);
    expect(differingParams([{ params: { a: '1' } }])).toEqual(new Set());
    expect(differingParams([{ params: {} }, { params: { a: '1' } }])).toEqual(new Set(['a']));
    const ids = buildColumns(KEYS, differing).map((c) => c.id);
    expect(ids.slice(0, 7)).toEqual([
      'name',
      'status',
      'metrics.accuracy',
      'metrics.loss',
      'metrics.val.acc',
      'params.lr',
      'params.train.epochs',
    ]);
    expect(ids.slice(-2)).toEqual(['params.model', 'params.odd key']);
  });

  it('moves a column among those shown, keeps the order in the layout, and places new columns by their neighbour', () => {
    const layout = { ...DEFAULT_LAYOUT, hidden: ['metrics.loss'] };
    const order = moveColumn(columns, layout, 'metrics.val.acc', -1)!;
    // Steps over the hidden metrics.loss, to the left of metrics.accuracy.
    expect(
      arrangeColumns(columns, { ...layout, order })
        .scrolling.map((c) => c.id)
        .slice(0, 3),
    ).toEqual(['status', 'metrics.val.acc', 'metrics.accuracy']);
    expect(moveColumn(columns, layout, 'status', -1)).toBeNull();
    expect(moveColumn(columns, layout, 'tags', 1)).toBeNull();
    expect(moveColumn(columns, layout, 'name', 1)).toBeNull(); // pinned
    const more = buildColumns({ ...KEYS, metrics: [...KEYS.metrics, 'f1'] });
    const ids = orderColumns(more, order).map((c) => c.id);
    expect(ids.indexOf('metrics.f1')).toBe(ids.indexOf('metrics.val.acc') + 1);
    const stored = parseLayout(serializeLayout({ ...layout, order }));
    expect(stored.order).toEqual(order);
  });

  it('puts pinned columns first in pin order and leaves hidden ones out', () => {
    const { pinned, scrolling } = arrangeColumns(columns, {
      ...DEFAULT_LAYOUT,
      pinned: ['name', 'metrics.loss', 'gone'],
      hidden: ['source', 'metrics.loss'],
    });
    expect(pinned.map((c) => c.id)).toEqual(['name']);
    expect(scrolling.map((c) => c.id)).not.toContain('source');
    expect(scrolling.map((c) => c.id)).not.toContain('name');
    const again = arrangeColumns(columns, { ...DEFAULT_LAYOUT, pinned: ['metrics.loss', 'name'] });
    expect(again.pinned.map((c) => c.id)).toEqual(['metrics.loss', 'name']);
    expect(again.scrolling).toHaveLength(columns.length - 2);
  });

  it('clamps stored widths', () => {
    expect(columnWidth(columns[0]!, { ...DEFAULT_LAYOUT, widths: { name: 5 } })).toBe(48);
    expect(columnWidth(columns[0]!, DEFAULT_LAYOUT)).toBe(columns[0]!.defaultWidth);
  });

  it('sorts descending first, then ascending', () => {
    expect(nextSort('-start_time', 'metrics.accuracy')).toBe('-metrics.accuracy');
    expect(nextSort('-metrics.accuracy', 'metrics.accuracy')).toBe('metrics.accuracy');
    expect(nextSort('metrics.accuracy', 'metrics.accuracy')).toBe('-metrics.accuracy');
    expect(sortDirection('-name', 'name')).toBe('descending');
    expect(sortDirection('name', 'name')).toBe('ascending');
    expect(sortDirection('name', null)).toBe('none');
  });
});

function run(id: string, params: Record<string, string> = {}): RunSearchRow {
  return {
    id,
    name: id,
    status: 'succeeded',
    experiment: 'Default',
    startTime: null,
    endTime: null,
    duration: null,
    params,
    metrics: {},
    tags: {},
    starred: false,
    source: 'api',
  };
}

describe('grouping and selection', () => {
  const runs = [
    run('a', { model: 'rf' }),
    run('b', { model: '10' }),
    run('c'),
    run('d', { model: 'rf' }),
    run('e', { model: '9' }),
  ];

  it('groups by a param: numbers in order, then text, then runs without it; counts kept when collapsed', () => {
    const items = groupRuns(runs, 'model', new Set([groupId('rf')]));
    expect(
      items.map((i) => (i.kind === 'group' ? `[${i.value}:${i.count}${i.collapsed ? '+' : ''}]` : i.run.id)),
    ).toEqual(['[9:1]', 'e', '[10:1]', 'b', '[rf:2+]', '[null:1]', 'c']);
    expect(groupRuns(runs, null, new Set()).map((i) => (i.kind === 'run' ? i.run.id : '?'))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('selects a shift-click range over the rows shown, skipping group headers', () => {
    const items = groupRuns(runs, 'model', new Set());
    // [9] e [10] b [rf] a d [null] c
    let sel = clickSelect(items, new Set(), 1, null, false);
    expect([...sel]).toEqual(['e']);
    sel = clickSelect(items, sel, 6, 1, true);
    expect([...sel].sort()).toEqual(['a', 'b', 'd', 'e']);
    sel = clickSelect(items, sel, 3, 6, true);
    expect([...sel].sort()).toEqual(['e']);
    expect([...clickSelect(items, sel, 0, null, false)]).toEqual(['e']);
    expect([...pruneSelection(new Set(['a', 'x']), new Set(['a', 'b']))]).toEqual(['a']);
  });
});

describe('tag input', () => {
  it('splits key=value at the first =', () => {
    expect(parseTagInput(' team = vision ')).toEqual({ key: 'team', value: 'vision' });
    expect(parseTagInput('expr=a=b')).toEqual({ key: 'expr', value: 'a=b' });
    expect(parseTagInput('baseline')).toEqual({ key: 'baseline', value: '' });
    expect(parseTagInput('=x')).toHaveProperty('error');
  });
});

describe('live refresh throttle', () => {
  it('runs at most once per interval, never twice at once, and rests as long as a slow run took', async () => {
    vi.useFakeTimers();
    try {
      let running = 0;
      let calls = 0;
      let release: () => void = () => undefined;
      const t = throttleAsync(() => {
        calls++;
        running++;
        expect(running).toBe(1);
        return new Promise<void>((done) => {
          release = () => {
            running--;
            done();
          };
        });
      }, 500);
      t.request();
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1);
      for (let i = 0; i < 50; i++) t.request();
      await vi.advanceTimersByTimeAsync(1000);
      expect(calls).toBe(1);
      // The first run took 1000 ms: the next waits as long again after it.
      release();
      await vi.advanceTimersByTimeAsync(999);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2);
      release();
      t.request();
      await vi.advanceTimersByTimeAsync(499);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(3);
      release();
      t.cancel();
      t.request();
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('formatting', () => {
  it('shows NaN and ±Infinity as such', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('−∞');
    expect(formatNumber(0.91234)).toBe('0.912');
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(0.4213)).toBe('0.42 s');
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(245)).toBe('4m 05s');
    expect(formatDuration(7380)).toBe('2h 03m');
  });
});
