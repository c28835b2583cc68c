// Runs in: renderer. Where the open project stands against its git remote (sync.status), and the push
// or pull under way: its progress, then a toast saying what it did. A look at the remote (a fetch)
// happens when the user asks, or at most once a minute on its own; nothing here blocks the UI.
import { create } from 'zustand';
import { BenchtopError } from '../../../shared/contract';
import type { SyncProgress, SyncPullResult, SyncStatus } from '../../../shared/contract/sync';
import { api } from '../api/client';
import { pullHasDetails, pullWords, pushWords } from '../components/sync-words';
import { toastError, useApp } from './app-store';

/** The shortest time between two fetches the app makes on its own (the Check button is not limited). */
export const AUTO_FETCH_MS = 60_000;

export type SyncOp = 'push' | 'pull';

interface SyncState {
  /** The project the status belongs to (a status of another project is never shown). */
  path: string | null;
  status: SyncStatus | null;
  /** A fetch from the remote is under way. */
  checking: boolean;
  /** When the remote was last fetched from, for this project (ms since the epoch). */
  fetchedAt: number | null;
  op: SyncOp | null;
  progress: SyncProgress | null;
  /** The last pull's result, for its details (conflicts, renumbered versions, notes). */
  lastPull: SyncPullResult | null;
  panelOpen: boolean;
  setPanelOpen(open: boolean): void;
  onProgress(p: SyncProgress): void;
}

export const useSync = create<SyncState>((set, get) => ({
  path: null,
  status: null,
  checking: false,
  fetchedAt: null,
  op: null,
  progress: null,
  lastPull: null,
  panelOpen: false,
  setPanelOpen: (panelOpen) => set({ panelOpen }),
  onProgress: (p) => {
    if (get().op === p.op) set({ progress: p });
  },
}));

/** Last fetch per project path, so a project switched away from and back is not fetched again at once. */
const fetchedAt = new Map<string, number>();

/**
 * Reads where the project stands. `fetch`: true fetches first (the Check button: errors are
 * toasted); 'auto' fetches only if the last fetch is a minute old; false reads what the last fetch
 * left. Quiet on its own: a project without a remote, or one that cannot be reached, says so in the
 * control, not in a toast.
 */
export async function refreshSync(fetch: boolean | 'auto' = false, quiet = fetch !== true): Promise<void> {
  const project = useApp.getState().project;
  if (!project) {
    useSync.setState({ path: null, status: null, checking: false, fetchedAt: null, lastPull: null, panelOpen: false });
    return;
  }
  const path = project.path;
  if (useSync.getState().path !== path)
    useSync.setState({ path, status: null, lastPull: null, panelOpen: false, fetchedAt: fetchedAt.get(path) ?? null });
  const s = useSync.getState();
  // A push or pull moves the refs: its own refresh comes when it ends.
  if (s.op) return;
  if (fetch !== false && s.checking) return;
  const last = fetchedAt.get(path) ?? 0;
  const doFetch = fetch === true || (fetch === 'auto' && Date.now() - last >= AUTO_FETCH_MS);
  if (doFetch) {
    fetchedAt.set(path, Date.now());
    useSync.setState({ checking: true });
  }
  try {
    const status = await api.call('sync.status', { fetch: doFetch });
    if (useApp.getState().project?.path !== path) return;
    useSync.setState({ status, ...(doFetch ? { fetchedAt: Date.now() } : {}) });
  } catch (err) {
    if (!quiet) toastError('Could not check the remote', err);
  } finally {
    if (doFetch && useSync.getState().path === path) useSync.setState({ checking: false });
  }
}

const CONFLICT_HINT = 'Pull first: it merges their records with yours (nothing is lost); then push again.';

/** Runs a push or pull: progress while it runs, a toast at the end, then the new standing. */
export async function runSync(op: SyncOp): Promise<void> {
  const app = useApp.getState();
  const path = app.project?.path;
  if (!path || useSync.getState().op) return;
  useSync.setState({ op, progress: null });
  // A refused push means the remote moved on: the standing then shows by how much.
  let refused = false;
  try {
    if (op === 'push') {
      const r = await api.call('sync.push', {});
      const w = pushWords(r);
      app.toast({ kind: 'info', title: w.title, message: w.message, ...(w.lines.length ? { lines: w.lines } : {}) });
    } else {
      const r = await api.call('sync.pull', { force: false });
      // The pull fetched: that counts as a look at the remote.
      fetchedAt.set(path, Date.now());
      useSync.setState({ lastPull: r, fetchedAt: Date.now() });
      const w = pullWords(r);
      app.toast({
        kind: 'info',
        title: w.title,
        message: w.message,
        ...(w.lines.length ? { lines: w.lines } : {}),
        ...(pullHasDetails(r)
          ? { action: { label: 'Show details', run: () => useSync.getState().setPanelOpen(true) } }
          : {}),
      });
    }
  } catch (err) {
    const conflict = op === 'push' && err instanceof BenchtopError && err.code === 'CONFLICT' ? err : null;
    refused = conflict !== null;
    if (conflict)
      app.toast({
        kind: 'error',
        title: 'Push refused: pull first',
        message: conflict.message,
        hint: CONFLICT_HINT,
        action: { label: 'Pull now', run: () => void runSync('pull') },
      });
    else toastError(op === 'push' ? 'Push failed' : 'Pull failed', err);
  } finally {
    useSync.setState({ op: null, progress: null });
  }
  await refreshSync(refused, true);
}
