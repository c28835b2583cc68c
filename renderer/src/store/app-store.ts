// Runs in: renderer. App-wide state: which project is open, which section shows, toasts, connection.
import { create } from 'zustand';
import type { AppInfo, DriftRequest, ProjectSummary, RecentProject } from '../../../shared/contract';
import { BenchtopError } from '../../../shared/contract';
import type { ConnectionState } from '../api/transports';
import type { ExperimentsView, ModelsView, Route } from './routes';

export type { ExperimentsView, ModelsView } from './routes';

export const SECTIONS = [
  { id: 'overview', label: 'Overview', icon: '⌂' },
  { id: 'experiments', label: 'Experiments', icon: '⚗' },
  { id: 'data', label: 'Data', icon: '▦' },
  { id: 'pipelines', label: 'Pipelines', icon: '⇉' },
  { id: 'models', label: 'Models', icon: '◈' },
  { id: 'monitoring', label: 'Monitoring', icon: '◔' },
  { id: 'reports', label: 'Reports', icon: '▤' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  title: string;
  message: string;
  hint?: string;
  /** Short lines under the message (the alerts a toast gathers), then `more` ("and 2 more"). */
  lines?: string[];
  more?: string;
  /** A button on the toast (open the monitor that raised an alert, say). */
  action?: { label: string; run: () => void };
  /** Goes when the user moves to another section: news about what they were looking at (a monitor's
   * alerts, which the monitor keeps), not an error they have yet to read. */
  untilSectionChange?: boolean;
}

/** What the Monitoring section shows: the monitors, one monitor's timeline, or an ad-hoc drift report. */
export type MonitoringView =
  | { kind: 'list' }
  /** `visit` counts openings, so opening the monitor again (after a check elsewhere) shows it afresh. */
  | { kind: 'monitor'; name: string; visit?: number }
  /** `preset` is run at once (a monitor's batch shown in the app); `monitor` is where "back" leads. */
  | { kind: 'drift'; preset?: DriftRequest; monitor?: string };

interface AppState {
  info: AppInfo | null;
  project: ProjectSummary | null;
  recent: RecentProject[];
  section: SectionId;
  toasts: Toast[];
  connection: ConnectionState;
  /** Bumped whenever the open project changes, so sections reload. */
  projectEpoch: number;
  switcherOpen: boolean;
  experimentsView: ExperimentsView;
  openRun(id: string): void;
  openCompare(ids: string[]): void;
  showRuns(): void;
  modelsView: ModelsView;
  showModels(): void;
  openModel(name: string): void;
  openModelVersion(name: string, version: number): void;
  openModelCompare(name: string, versions: number[]): void;
  monitoringView: MonitoringView;
  showMonitors(): void;
  openMonitor(name: string): void;
  openDriftReport(preset?: DriftRequest, monitor?: string): void;
  /** A dataset the Data view selects when it next opens (from a lineage link), taken once. */
  dataFocus: string | null;
  openData(path: string): void;
  takeDataFocus(): string | null;
  /** The report the Reports list points out (from a link), or null. */
  reportFocus: string | null;
  openReport(path: string | null): void;
  /** Shows the place a URL names (see routes.ts). */
  goTo(route: Route): void;
  setInfo(info: AppInfo): void;
  /**
   * A project was opened, switched or reset: each section goes back to its first page. The
   * `initial` load keeps them, since at start they hold the place the URL named.
   */
  setProject(project: ProjectSummary | null, options?: { initial?: boolean }): void;
  setRecent(recent: RecentProject[]): void;
  setSection(section: SectionId): void;
  setConnection(state: ConnectionState): void;
  setSwitcherOpen(open: boolean): void;
  /** Shows a toast; returns its id. */
  toast(toast: Omit<Toast, 'id'>): number;
  /** Changes what a toast on screen says, in its place; false when it is gone (dismissed, timed out). */
  replaceToast(id: number, toast: Omit<Toast, 'id'>): boolean;
  dismiss(id: number): void;
}

let nextToastId = 1;
let monitorVisits = 0;

export const useApp = create<AppState>((set, get) => ({
  info: null,
  project: null,
  recent: [],
  section: 'overview',
  toasts: [],
  connection: 'connected',
  projectEpoch: 0,
  switcherOpen: false,
  experimentsView: { kind: 'runs' },
  openRun: (id) => set({ section: 'experiments', experimentsView: { kind: 'run', id } }),
  openCompare: (ids) => set({ section: 'experiments', experimentsView: { kind: 'compare', ids } }),
  showRuns: () => set({ experimentsView: { kind: 'runs' } }),
  modelsView: { kind: 'list' },
  showModels: () => set({ section: 'models', modelsView: { kind: 'list' } }),
  openModel: (name) => set({ section: 'models', modelsView: { kind: 'model', name } }),
  openModelVersion: (name, version) => set({ section: 'models', modelsView: { kind: 'version', name, version } }),
  monitoringView: { kind: 'list' },
  showMonitors: () => set({ section: 'monitoring', monitoringView: { kind: 'list' } }),
  openMonitor: (name) =>
    set({ section: 'monitoring', monitoringView: { kind: 'monitor', name, visit: ++monitorVisits } }),
  openDriftReport: (preset, monitor) =>
    set({
      section: 'monitoring',
      monitoringView: { kind: 'drift', ...(preset ? { preset } : {}), ...(monitor ? { monitor } : {}) },
    }),
  dataFocus: null,
  openData: (path) => set({ section: 'data', dataFocus: path }),
  takeDataFocus: () => {
    const focus = get().dataFocus;
    if (focus !== null) set({ dataFocus: null });
    return focus;
  },
  reportFocus: null,
  openReport: (path) => set({ section: 'reports', reportFocus: path }),
  goTo: (route) => {
    switch (route.section) {
      case 'experiments':
        return set({ section: route.section, experimentsView: route.view });
      case 'models':
        return set({ section: route.section, modelsView: route.view });
      case 'monitoring':
        return route.view.kind === 'monitor'
          ? get().openMonitor(route.view.name)
          : set({ section: route.section, monitoringView: route.view });
      case 'reports':
        return set({ section: route.section, reportFocus: route.file });
      default:
        return set({ section: route.section });
    }
  },
  openModelCompare: (name, versions) =>
    set({ section: 'models', modelsView: { kind: 'compare', name, versions: [...versions].sort((a, b) => a - b) } }),
  setInfo: (info) => set({ info }),
  setProject: (project, options = {}) =>
    set((s) => ({
      project,
      projectEpoch: s.projectEpoch + 1,
      ...(options.initial
        ? {}
        : {
            experimentsView: { kind: 'runs' },
            modelsView: { kind: 'list' },
            monitoringView: { kind: 'list' },
            reportFocus: null,
          }),
    })),
  setRecent: (recent) => set({ recent }),
  // Reports opened from the sidebar points out no report: only a report's own link does.
  setSection: (section) => set(section === 'reports' ? { section, reportFocus: null } : { section }),
  setConnection: (connection) => set({ connection }),
  setSwitcherOpen: (switcherOpen) => set({ switcherOpen }),
  toast: (toast) => {
    const id = nextToastId++;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { ...toast, id }] }));
    return id;
  },
  replaceToast: (id, toast) => {
    if (!get().toasts.some((t) => t.id === id)) return false;
    set((s) => ({ toasts: s.toasts.map((t) => (t.id === id ? { ...toast, id } : t)) }));
    return true;
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows an error from a contract call as a toast that says what happened and what to do. */
export function toastError(title: string, err: unknown): void {
  const e = err instanceof BenchtopError ? err : null;
  const toast: Omit<Toast, 'id'> = {
    kind: 'error',
    title,
    message: e ? e.message : err instanceof Error ? err.message : String(err),
  };
  if (e?.hint) toast.hint = e.hint;
  useApp.getState().toast(toast);
}

// Any way to another section (the navigation, a link, a toast's button) takes the toasts that
// belonged to the view left behind, so they do not follow the user around.
useApp.subscribe((s, prev) => {
  if (s.section !== prev.section && s.toasts.some((t) => t.untilSectionChange))
    useApp.setState({ toasts: s.toasts.filter((t) => !t.untilSectionChange) });
});

/** The place the app shows, as a URL route (what a link to this view holds). */
export function routeOf(
  s: Pick<AppState, 'section' | 'experimentsView' | 'modelsView' | 'monitoringView' | 'reportFocus'>,
): Route {
  switch (s.section) {
    case 'experiments':
      return { section: s.section, view: s.experimentsView };
    case 'models':
      return { section: s.section, view: s.modelsView };
    case 'monitoring': {
      const v = s.monitoringView;
      return { section: s.section, view: v.kind === 'monitor' ? { kind: 'monitor', name: v.name } : { kind: v.kind } };
    }
    case 'reports':
      return { section: s.section, file: s.reportFocus };
    default:
      return { section: s.section };
  }
}
