// Runs in: tests (Node). The app's URL routes: each place formats to one fragment that parses back
// to it, whatever the names hold, and what is not a route never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, formatRoute, parseRoute, type Route } from '../../../renderer/src/store/routes';

// Names as a user might type them: spaces, slashes, commas, `%`, `#`, `~`, accents, emoji.
const name = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', '/', ',', '%', '#', '?', '&', '~', '.', 'é', 'ß', '模', '型', '🙂', '+'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 12,
});
const version = fc.integer({ min: 1, max: 100_000 });

const route: fc.Arbitrary<Route> = fc.oneof(
  fc.constantFrom<Route>({ section: 'overview' }, { section: 'data' }, { section: 'pipelines' }),
  fc.constant<Route>({ section: 'experiments', view: { kind: 'runs' } }),
  name.map((id): Route => ({ section: 'experiments', view: { kind: 'run', id } })),
  fc
    .array(name, { minLength: 1, maxLength: 4 })
    .map((ids): Route => ({ section: 'experiments', view: { kind: 'compare', ids } })),
  fc.constant<Route>({ section: 'models', view: { kind: 'list' } }),
  name.map((n): Route => ({ section: 'models', view: { kind: 'model', name: n } })),
  fc
    .tuple(name, version)
    .map(([n, v]): Route => ({ section: 'models', view: { kind: 'version', name: n, version: v } })),
  fc
    .tuple(name, fc.array(version, { minLength: 1, maxLength: 4 }))
    .map(([n, versions]): Route => ({ section: 'models', view: { kind: 'compare', name: n, versions } })),
  fc.constantFrom<Route>(
    { section: 'monitoring', view: { kind: 'list' } },
    { section: 'monitoring', view: { kind: 'drift' } },
  ),
  fc
    .oneof(name, fc.constant('~drift'))
    .map((n): Route => ({ section: 'monitoring', view: { kind: 'monitor', name: n } })),
  fc.option(name, { nil: null }).map((file): Route => ({ section: 'reports', file })),
);

describe('routes', () => {
  it('parse(format(route)) is the route, and format(parse(fragment)) the fragment', () => {
    fc.assert(
      fc.property(route, (r) => {
        const hash = formatRoute(r);
        expect(hash.startsWith('#/')).toBe(true);
        expect(parseRoute(hash)).toEqual(r);
        expect(formatRoute(parseRoute(hash)!)).toBe(hash);
      }),
      { numRuns: 500 },
    );
  });

  it('writes the routes the docs name', () => {
    expect(formatRoute({ section: 'experiments', view: { kind: 'run', id: 'r1' } })).toBe('#/experiments/run/r1');
    expect(formatRoute({ section: 'experiments', view: { kind: 'compare', ids: ['a', 'b'] } })).toBe(
      '#/experiments/compare/a,b',
    );
    expect(formatRoute({ section: 'models', view: { kind: 'version', name: 'loan default', version: 3 } })).toBe(
      '#/models/loan%20default/v/3',
    );
    expect(formatRoute({ section: 'monitoring', view: { kind: 'monitor', name: 'loan-weekly' } })).toBe(
      '#/monitoring/loan-weekly',
    );
    expect(formatRoute({ section: 'reports', file: 'reports/drift week.html' })).toBe(
      '#/reports/reports/drift%20week.html',
    );
    // A name with a slash stays one segment.
    expect(parseRoute('#/models/a%2Fb/v/2')).toEqual({
      section: 'models',
      view: { kind: 'version', name: 'a/b', version: 2 },
    });
  });

  it('lands an unknown or malformed route on the default view', () => {
    for (const hash of [
      '#/',
      '#/nowhere',
      '#/experiments/run',
      '#/experiments/run/',
      '#/experiments/walk/x',
      '#/models/m/v/0',
      '#/models/m/v/x',
      '#/models/m/compare/1,,2',
      '#/models/m/v/2/extra',
      '#/overview/extra',
      '#/monitoring/a/b',
      '#/experiments/run/%E0%A4%A',
    ])
      expect(parseRoute(hash), hash).toEqual(DEFAULT_ROUTE);
  });

  it('is not a route when the fragment is empty or an in-page anchor', () => {
    expect(parseRoute('')).toBeNull();
    expect(parseRoute('#')).toBeNull();
    expect(parseRoute('#main')).toBeNull();
    expect(parseRoute('#token=abc')).toBeNull();
  });

  it('never throws, whatever the fragment', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseRoute(s);
        parseRoute(`#/${s}`);
      }),
    );
  });
});
