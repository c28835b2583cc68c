// Runs in: renderer. The app's places as URL fragments (`#/models/loan-default/v/3`), so the
// browser's back and forward buttons move between views and a view can be linked. Pure: the app
// store applies a parsed route and `url-sync.ts` keeps the address bar and the store in step.

/** What the Experiments section shows: the runs table, one run's page, or a comparison. */
export type ExperimentsView = { kind: 'runs' } | { kind: 'run'; id: string } | { kind: 'compare'; ids: string[] };

/** What the Models section shows: the registered models, one model, one version's card, or versions compared. */
export type ModelsView =
  | { kind: 'list' }
  | { kind: 'model'; name: string }
  | { kind: 'version'; name: string; version: number }
  | { kind: 'compare'; name: string; versions: number[] };

/** The part of the Monitoring section's place a URL keeps (a drift report's form is not kept). */
export type MonitoringRoute = { kind: 'list' } | { kind: 'monitor'; name: string } | { kind: 'drift' };

export type Route =
  | { section: 'overview' }
  | { section: 'experiments'; view: ExperimentsView }
  | { section: 'data' }
  | { section: 'pipelines' }
  | { section: 'models'; view: ModelsView }
  | { section: 'monitoring'; view: MonitoringRoute }
  /** `file`: the report the list points out, by its project-relative path. */
  | { section: 'reports'; file: string | null };

/** Where the app lands: an unknown or mistyped route lands here too. */
export const DEFAULT_ROUTE: Route = { section: 'overview' };

// A monitor's name is letters, digits, `_`, `.` and `-`, so a segment starting with `~` is never one.
const DRIFT_SEGMENT = '~drift';

const enc = encodeURIComponent;
const encList = (items: readonly (string | number)[]): string => items.map((i) => enc(String(i))).join(',');

/** The fragment for a route, `#/` then percent-encoded segments. */
export function formatRoute(route: Route): string {
  switch (route.section) {
    case 'overview':
    case 'data':
    case 'pipelines':
      return `#/${route.section}`;
    case 'experiments': {
      const v = route.view;
      if (v.kind === 'run') return `#/experiments/run/${enc(v.id)}`;
      if (v.kind === 'compare') return `#/experiments/compare/${encList(v.ids)}`;
      return '#/experiments';
    }
    case 'models': {
      const v = route.view;
      if (v.kind === 'list') return '#/models';
      const base = `#/models/${enc(v.name)}`;
      if (v.kind === 'version') return `${base}/v/${v.version}`;
      if (v.kind === 'compare') return `${base}/compare/${encList(v.versions)}`;
      return base;
    }
    case 'monitoring': {
      const v = route.view;
      // A leading `~` is encoded so that no name reads as the drift form's segment.
      if (v.kind === 'monitor') return `#/monitoring/${enc(v.name).replace(/^~/, '%7E')}`;
      if (v.kind === 'drift') return `#/monitoring/${DRIFT_SEGMENT}`;
      return '#/monitoring';
    }
    case 'reports':
      // A report's path keeps its slashes, each part encoded, so the link reads as the path.
      return route.file === null ? '#/reports' : `#/reports/${route.file.split('/').map(enc).join('/')}`;
  }
}

const VERSION = /^[1-9]\d{0,8}$/;

function versionList(segment: string): number[] | null {
  const parts = segment.split(',');
  return parts.every((p) => VERSION.test(p)) ? parts.map(Number) : null;
}

function parseSegments(segs: string[]): Route | null {
  const [section, ...rest] = segs;
  const [a, b, c, ...more] = rest.map((s) => decodeURIComponent(s));
  switch (section) {
    case 'overview':
    case 'data':
    case 'pipelines':
      return rest.length === 0 ? { section } : null;
    case 'experiments':
      if (rest.length === 0) return { section, view: { kind: 'runs' } };
      if (rest.length !== 2 || !b) return null;
      if (a === 'run') return { section, view: { kind: 'run', id: b } };
      if (a === 'compare') {
        const ids = rest[1]!.split(',').map((s) => decodeURIComponent(s));
        return ids.every((id) => id !== '') ? { section, view: { kind: 'compare', ids } } : null;
      }
      return null;
    case 'models': {
      if (rest.length === 0) return { section, view: { kind: 'list' } };
      if (!a || more.length > 0) return null;
      if (rest.length === 1) return { section, view: { kind: 'model', name: a } };
      if (rest.length === 3 && b === 'v' && VERSION.test(c!))
        return { section, view: { kind: 'version', name: a, version: Number(c) } };
      if (rest.length === 3 && b === 'compare') {
        const versions = versionList(rest[2]!);
        return versions ? { section, view: { kind: 'compare', name: a, versions } } : null;
      }
      return null;
    }
    case 'monitoring':
      if (rest.length === 0) return { section, view: { kind: 'list' } };
      if (rest.length !== 1 || !a) return null;
      // The raw segment: an encoded `%7Edrift` is a monitor's name, never the drift form.
      return rest[0] === DRIFT_SEGMENT
        ? { section, view: { kind: 'drift' } }
        : { section, view: { kind: 'monitor', name: a } };
    case 'reports':
      if (rest.length === 0) return { section, file: null };
      return { section, file: rest.map((s) => decodeURIComponent(s)).join('/') };
    default:
      return null;
  }
}

/**
 * The route a fragment names. `null` when the fragment is not a route at all (empty, or an in-page
 * anchor such as `#main`), so the caller leaves the view alone; an unknown or malformed route is
 * the default view, never an error.
 */
export function parseRoute(hash: string): Route | null {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body.startsWith('/')) return null;
  const path = body.slice(1);
  try {
    return parseSegments(path === '' ? [] : path.split('/')) ?? DEFAULT_ROUTE;
  } catch {
    // decodeURIComponent refuses a lone `%`: a mangled link lands on the default view.
    return DEFAULT_ROUTE;
  }
}
