// Runs in: renderer. The top bar's sync control, seen from every section: where the project stands
// against its git remote ("origin ↑2 ↓1"), Check (fetch), Pull and Push, a push's or pull's progress,
// and a panel with the whole story (the remote, changes not yet written, the last pull's conflicts).
import { useEffect, useRef, useState } from 'react';
import type { BenchtopEvent } from '../../../shared/contract';
import type { SyncPullResult } from '../../../shared/contract/sync';
import { useEvent } from '../hooks/use-event';
import { useApp } from '../store/app-store';
import { refreshSync, runSync, useSync } from '../store/sync-store';
import { Popover } from './Popover';
import { progressLine, standingSentence } from './sync-words';
import './sync.css';

/** How often the standing is read again while the window shows (local git only: no fetch). */
const POLL_MS = 15_000;
/** Events after which records may have changed; the core writes them to git a moment later. */
const CHANGES = new Set<BenchtopEvent['name']>([
  'run.status',
  'models.changed',
  'runs.ingested',
  'sweep.changed',
  'monitors.alert',
]);
const AFTER_CHANGE_MS = 2_500;

/** Keeps the standing fresh: at once per project (fetching if a minute has passed), on focus, after changes. */
function useSyncRefresh(): void {
  const path = useApp((s) => s.project?.path ?? null);
  const epoch = useApp((s) => s.projectEpoch);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `epoch` is a project reload (a pull, a switch): the standing is read again.
  useEffect(() => {
    void refreshSync('auto');
  }, [path, epoch]);
  useEffect(() => {
    const onFocus = () => void refreshSync('auto');
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshSync(false);
    }, POLL_MS);
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, []);
  const soon = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (soon.current && clearTimeout(soon.current)), []);
  useEvent((event) => {
    if (event.name === 'sync.progress') return useSync.getState().onProgress(event.payload);
    if (!CHANGES.has(event.name)) return;
    if (soon.current) clearTimeout(soon.current);
    soon.current = setTimeout(() => void refreshSync(false), AFTER_CHANGE_MS);
  });
}

export function SyncControl() {
  useSyncRefresh();
  const project = useApp((s) => s.project);
  const status = useSync((s) => s.status);
  const checking = useSync((s) => s.checking);
  const op = useSync((s) => s.op);
  const progress = useSync((s) => s.progress);
  const panelOpen = useSync((s) => s.panelOpen);
  const setPanelOpen = useSync((s) => s.setPanelOpen);
  const [anchor, setAnchor] = useState<HTMLButtonElement | null>(null);
  if (!project || !status) return null;

  const remote = status.gitRemote;
  const busy = op !== null;
  const sentence = standingSentence(status);
  const trouble = status.problem !== null;
  return (
    <div className="sync-control" role="group" aria-label="Sync with the git remote">
      <button
        type="button"
        ref={setAnchor}
        className={`sync-standing${remote ? '' : ' quiet'}${trouble && remote ? ' trouble' : ''}`}
        aria-haspopup="dialog"
        aria-expanded={panelOpen}
        title={status.problem ? `${sentence} ${status.problem}` : sentence}
        onClick={() => setPanelOpen(!panelOpen)}
      >
        {remote ? (
          <>
            <span aria-hidden="true">⇅</span>
            <span className="sync-remote">{remote}</span>
            <span className="sync-counts" aria-hidden="true">
              <span className={status.ahead > 0 ? 'sync-count pending' : 'sync-count'}>↑{status.ahead}</span>
              <span className={status.behind > 0 ? 'sync-count pending' : 'sync-count'}>↓{status.behind}</span>
              {status.unwritten > 0 ? <span className="sync-unwritten">•</span> : null}
              {trouble ? <span className="sync-trouble">⚠</span> : null}
            </span>
            <span className="visually-hidden">
              {': '}
              {sentence}
              {status.problem ? ` ${status.problem}` : ''}
            </span>
          </>
        ) : (
          <>No git remote</>
        )}
      </button>
      {busy ? (
        <span className="sync-progress" role="status" title={progress?.message || undefined}>
          {progressLine(op, progress)}
        </span>
      ) : null}
      {remote ? (
        <>
          <button
            type="button"
            className="icon-button sync-check"
            onClick={() => void refreshSync(true)}
            disabled={busy || checking}
            aria-label={`Check ${remote} for new records`}
            title={`Check ${remote} for new records (git fetch)`}
          >
            <span aria-hidden="true" className={checking ? 'sync-spin' : undefined}>
              ↻
            </span>
          </button>
          <button
            type="button"
            className={status.behind > 0 ? 'primary' : undefined}
            onClick={() => void runSync('pull')}
            disabled={busy}
            title={`Fetch ${remote}'s records and merge them with this clone's`}
          >
            Pull
          </button>
          <button
            type="button"
            className={status.behind === 0 && (status.ahead > 0 || status.unwritten > 0) ? 'primary' : undefined}
            onClick={() => void runSync('push')}
            disabled={busy}
            title={`Send this clone's records to ${remote}`}
          >
            Push
          </button>
        </>
      ) : null}
      {panelOpen ? <SyncPanel anchor={anchor} onClose={() => setPanelOpen(false)} /> : null}
    </div>
  );
}

function SyncPanel({ anchor, onClose }: { anchor: HTMLElement | null; onClose: () => void }) {
  const status = useSync((s) => s.status);
  const fetchedAt = useSync((s) => s.fetchedAt);
  const lastPull = useSync((s) => s.lastPull);
  const checking = useSync((s) => s.checking);
  const op = useSync((s) => s.op);
  if (!status) return null;
  const remote = status.gitRemote;
  return (
    <Popover anchor={anchor} onClose={onClose} label="Sync" className="sync-panel">
      <h2 className="sync-panel-title">{remote ? `Sync with ${remote}` : 'Sync'}</h2>
      <p>{standingSentence(status)}</p>
      {status.problem ? (
        <div className="sync-problem">
          <p>{status.problem}</p>
          {remote ? null : (
            <p className="hint">
              Add one with <code>git remote add origin URL</code> (a bare repository on a server, a NAS or a USB drive
              will do), then check again.
            </p>
          )}
        </div>
      ) : null}
      {remote ? (
        <p className="muted">
          {status.dataRemote ? (
            `Artifacts and tracked data travel through the data remote ${status.dataRemote}.`
          ) : (
            <>
              No data remote: only the records travel; artifacts and data stay here (
              <code>benchtop data remote add</code>).
            </>
          )}{' '}
          {fetchedAt ? `Last checked ${new Date(fetchedAt).toLocaleTimeString()}.` : 'Not checked yet.'}
        </p>
      ) : null}
      {lastPull ? <PullDetails /> : null}
      <div className="row">
        <button type="button" onClick={() => void refreshSync(true)} disabled={checking || op !== null}>
          {checking ? 'Checking…' : remote ? 'Check now' : 'Check again'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Popover>
  );
}

function PullDetails() {
  const r = useSync((s) => s.lastPull)!;
  return (
    <section aria-label="Last pull">
      <h3 className="sync-panel-title">Last pull</h3>
      <p>
        {r.merge === 'up-to-date' ? 'Already up to date.' : r.merge === 'merged' ? 'Merged.' : 'Fast-forward.'}{' '}
        {r.conflicts.length === 0 && r.renumbered.length === 0 ? 'No conflicts.' : null}
      </p>
      {r.conflicts.length ? (
        <details open>
          <summary>
            {r.conflicts.length} conflict{r.conflicts.length === 1 ? '' : 's'} resolved
          </summary>
          <ul className="sync-list" aria-label="Conflicts">
            {r.conflicts.map((c) => (
              <li key={c.path} title={c.path}>
                {c.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {r.renumbered.length ? (
        <details open={r.conflicts.length === 0}>
          <summary>
            {r.renumbered.length} version{r.renumbered.length === 1 ? '' : 's'} renumbered
          </summary>
          <ul className="sync-list" aria-label="Renumbered versions">
            {r.renumbered.map((v) => (
              <li key={v.uid}>
                {v.model}/{v.registeredAs} is now {v.model}/{v.now}: {v.model}/{v.registeredAs} was registered earlier
                on another machine.
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {r.notes.length ? (
        <details>
          <summary>
            {r.notes.length} note{r.notes.length === 1 ? '' : 's'}
          </summary>
          <ul className="sync-list">
            {r.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {missingOf(r).length ? (
        <details>
          <summary>Missing on {r.dataRemote}</summary>
          <ul className="sync-list">
            {missingOf(r).map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** What a pull could find neither here nor on the data remote: artifacts, data, stage outputs. */
function missingOf(r: SyncPullResult): string[] {
  return [...(r.objects?.missing ?? []), ...(r.data?.missing ?? []), ...(r.outputs?.unavailable ?? [])];
}
