// Runs in: renderer. The words of the sync control: where the project stands against its git remote
// ("↑2 ↓1" and the sentence behind it), a push's or pull's progress line, and what a push or pull did.
import type { SyncProgress, SyncPullResult, SyncPushResult, SyncStatus } from '../../../shared/contract/sync';
import { formatBytes, plural } from './format';

/** "2 record commits to push, 1 to pull from origin", and the changes not yet written, if any. */
export function standingSentence(s: SyncStatus): string {
  if (!s.gitRemote) return 'No git remote: the runs, registry and monitors stay in this clone.';
  const parts =
    s.ahead === 0 && s.behind === 0
      ? [s.everPushed ? `Up to date with ${s.gitRemote}` : `Nothing pushed to ${s.gitRemote} yet`]
      : [`${plural(s.ahead, 'record commit')} to push, ${s.behind.toLocaleString()} to pull from ${s.gitRemote}`];
  if (s.unwritten > 0)
    parts.push(
      `${plural(s.unwritten, 'change')} not yet written to git (the next push takes ${s.unwritten === 1 ? 'it' : 'them'})`,
    );
  return `${parts.join('; ')}.`;
}

const PHASE: Record<SyncProgress['phase'], string> = { records: 'records', objects: 'artifacts', data: 'data' };

/**
 * The progress line: "Pushing records 3/5", "Pulling artifacts 2/10", or "Pulling records…" while
 * git has not yet counted (its own lines carry the counts in brackets: "Receiving objects: 60% (3/5)").
 */
export function progressLine(op: 'push' | 'pull', p: SyncProgress | null): string {
  const verb = op === 'push' ? 'Pushing' : 'Pulling';
  if (!p) return `${verb}…`;
  let { done, total } = p;
  if (p.phase === 'records' && total === 0) {
    const m = /\((\d+)\/(\d+)\)/.exec(p.message);
    if (m) [done, total] = [Number(m[1]), Number(m[2])];
  }
  return total > 0 ? `${verb} ${PHASE[p.phase]} ${done}/${total}` : `${verb} ${PHASE[p.phase]}…`;
}

export interface ToastWords {
  title: string;
  message: string;
  lines: string[];
}

export function pushWords(r: SyncPushResult): ToastWords {
  const lines: string[] = [];
  if (r.objects && r.objects.transferred > 0)
    lines.push(
      `${plural(r.objects.transferred, 'artifact')} sent to ${r.dataRemote} (${formatBytes(r.objects.bytes)})`,
    );
  if (r.data && r.data.transferred > 0)
    lines.push(`${plural(r.data.transferred, 'data object')} sent to ${r.dataRemote} (${formatBytes(r.data.bytes)})`);
  for (const m of r.objects?.missing ?? []) lines.push(`missing: ${m} is neither here nor on ${r.dataRemote}`);
  return {
    title: r.pushed ? `Pushed to ${r.gitRemote}` : 'Nothing to push',
    message: r.pushed
      ? `${plural(r.records, 'record')} on ${r.gitRemote}.${r.dataRemote ? '' : ' No data remote: artifacts and data stayed here.'}`
      : 'The project has no records yet: runs, models and monitors become records once written.',
    lines,
  };
}

export function pullWords(r: SyncPullResult): ToastWords {
  const rebuilt = `${plural(r.runs, 'run')}, ${plural(r.models, 'model')} and ${plural(r.monitors, 'monitor')}`;
  const message = {
    'up-to-date': `Already up to date with ${r.gitRemote}.`,
    'fast-forward': `Took ${r.gitRemote}'s records: ${rebuilt} rebuilt.`,
    merged: `Merged ${r.gitRemote}'s records with this clone's: ${rebuilt} rebuilt.`,
  }[r.merge];
  const lines: string[] = [];
  if (r.conflicts.length) lines.push(`${plural(r.conflicts.length, 'conflict')} resolved (nothing lost)`);
  if (r.renumbered.length) lines.push(`${plural(r.renumbered.length, 'model version')} renumbered`);
  if (r.notes.length) lines.push(plural(r.notes.length, 'note'));
  if (r.objects && r.objects.transferred > 0)
    lines.push(`${plural(r.objects.transferred, 'artifact')} fetched (${formatBytes(r.objects.bytes)})`);
  if (r.data && r.data.transferred > 0)
    lines.push(`${plural(r.data.transferred, 'data object')} fetched (${formatBytes(r.data.bytes)})`);
  if (r.outputs?.restored.length) lines.push(`${plural(r.outputs.restored.length, 'stage output')} restored`);
  const missing =
    (r.objects?.missing.length ?? 0) + (r.data?.missing.length ?? 0) + (r.outputs?.unavailable.length ?? 0);
  if (missing) lines.push(`${plural(missing, 'file')} missing on ${r.dataRemote}`);
  return { title: `Pulled from ${r.gitRemote}`, message, lines };
}

/** Whether a pull left something worth reading in full (the details in the sync panel). */
export function pullHasDetails(r: SyncPullResult): boolean {
  return (
    r.conflicts.length > 0 ||
    r.renumbered.length > 0 ||
    r.notes.length > 0 ||
    (r.objects?.missing.length ?? 0) > 0 ||
    (r.data?.missing.length ?? 0) > 0 ||
    (r.outputs?.unavailable.length ?? 0) > 0
  );
}
