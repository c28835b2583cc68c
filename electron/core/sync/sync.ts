// Runs in: main (core). `benchtop push`, `benchtop pull`, where the project stands against its
// remotes, and `doctor --reindex`.
//
// Push: write pending records, send the objects they name and the tracked data to the data
// remote, then push `refs/benchtop/records` with the user's git (their keys and credential
// helpers), which refuses when the remote has records this clone lacks: pull first, as in git.
// Objects go before the records, so a clone that sees the records finds their objects.
//
// Pull: write pending records, fetch the remote's records into `refs/benchtop/remotes/<remote>/`,
// merge them with ours (merge.ts) into a commit whose parents are both, move our ref, rebuild
// what changed in the database, then fetch the objects and data. Each step can be cut short and
// run again: fetch and ref moves are atomic, the database remembers which records it holds, and
// objects land verified through temp files.
import { BenchtopError } from '../../../shared/contract/errors';
import type {
  SyncPullResult,
  SyncPushResult,
  SyncReindexResult,
  SyncStatus,
  SyncProgress,
} from '../../../shared/contract/sync';
import {
  aheadBehind,
  git,
  isAncestor,
  listTree,
  mergeBase,
  readBlobs,
  readRef,
  updateRef,
  writeCommit,
} from '../git/git-cli';
import { listRemotes, resolveRemote, type Remote } from '../data/remotes';
import { findPointers } from '../data/pointer';
import { pullData, pushData } from '../data/transfer';
import { mergeTrees } from './merge';
import { pullNamedObjects, pushNamedObjects } from './objects';
import { pushStageOutputs, restoreStageOutputs } from './stage-outputs';
import {
  databaseCommit,
  flushRecords,
  importRecords,
  type Project,
  RECORDS_REF,
  unwrittenRecords,
} from './records-store';

export const remoteRecordsRef = (remote: string): string => `refs/benchtop/remotes/${remote}/records`;

export interface SyncOptions {
  /** The git remote (default: origin, or the only one). */
  gitRemote?: string;
  /** The data remote (default: the project's default data remote, if it has one). */
  dataRemote?: string;
  onProgress?: (p: SyncProgress) => void;
  /** Fault injection for tests: the step after which the process kills itself (SIGKILL). */
  killAt?: string;
  /** Fault injection for tests: kill the process part-way through the object after this many (TransferOptions). */
  killAfterObjects?: number;
}

function killPoint(opts: SyncOptions, step: string): void {
  if (opts.killAt === step) process.kill(process.pid, 'SIGKILL');
}

/** The git remote to use: the one named, else origin, else the only one. */
export async function gitRemoteOf(dir: string, named?: string): Promise<string> {
  const remotes = (await git(dir, ['remote'])).stdout.toString().split('\n').filter(Boolean);
  if (named) {
    if (!remotes.includes(named))
      throw new BenchtopError('NOT_FOUND', `The project's git repository has no remote named ${named}.`, {
        field: 'gitRemote',
        hint: remotes.length ? `Its remotes: ${remotes.join(', ')}.` : 'Add one with `git remote add origin URL`.',
      });
    return named;
  }
  if (remotes.includes('origin')) return 'origin';
  if (remotes.length === 1) return remotes[0]!;
  throw new BenchtopError(
    'NOT_FOUND',
    remotes.length
      ? `The project has several git remotes (${remotes.join(', ')}) and none is origin.`
      : 'The project’s git repository has no remote.',
    {
      field: 'gitRemote',
      hint: remotes.length
        ? 'Name one with --git-remote NAME.'
        : 'Add one with `git remote add origin URL` (a bare repository on a server, a NAS or a USB drive will do).',
    },
  );
}

/** The data remote, or null when the project has none (then only the records travel). */
function dataRemoteOf(dir: string, named?: string): Remote | null {
  if (named) return resolveRemote(dir, named);
  return listRemotes(dir).some((r) => r.isDefault) ? resolveRemote(dir, null) : null;
}

/** Fetches the remote's records; false when it has none yet. */
async function fetchRecords(dir: string, remote: string, opts: SyncOptions): Promise<boolean> {
  const r = await git(
    dir,
    ['fetch', '--no-tags', '--progress', remote, `+${RECORDS_REF}:${remoteRecordsRef(remote)}`],
    {
      ok: [128, 1],
      onStderrLine: (line) => opts.onProgress?.({ op: 'pull', phase: 'records', message: line, done: 0, total: 0 }),
    },
  );
  if (r.code === 0) return true;
  if (/couldn't find remote ref/i.test(r.stderr)) return false;
  throw new BenchtopError(
    'GIT_FAILED',
    `git fetch from ${remote} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`,
    {
      hint: 'Check that the remote is reachable (`git fetch` in the project says why not), then pull again.',
    },
  );
}

export async function syncStatus(p: Project, opts: { gitRemote?: string; fetch?: boolean } = {}): Promise<SyncStatus> {
  const local = await readRef(p.dir, RECORDS_REF);
  let gitRemote: string | null = null;
  let problem: string | null = null;
  try {
    gitRemote = await gitRemoteOf(p.dir, opts.gitRemote);
  } catch (err) {
    problem = (err as Error).message;
  }
  if (gitRemote && opts.fetch) {
    try {
      await fetchRecords(p.dir, gitRemote, {});
    } catch (err) {
      problem = (err as Error).message;
    }
  }
  const remote = gitRemote ? await readRef(p.dir, remoteRecordsRef(gitRemote)) : null;
  let ahead = 0;
  let behind = 0;
  if (local && remote) ({ ahead, behind } = await aheadBehind(p.dir, local, remote));
  else if (local) ahead = Number((await git(p.dir, ['rev-list', '--count', local])).stdout.toString().trim());
  const data = (() => {
    try {
      return dataRemoteOf(p.dir);
    } catch {
      return null;
    }
  })();
  return {
    gitRemote,
    dataRemote: data?.name ?? null,
    ahead,
    behind,
    unwritten: unwrittenRecords(p.db),
    everPushed: remote !== null,
    problem,
  };
}

export async function push(p: Project, opts: SyncOptions = {}): Promise<SyncPushResult> {
  const gitRemote = await gitRemoteOf(p.dir, opts.gitRemote);
  const flushed = await flushRecords(p, 'Record changes before a push');
  const progress = (phase: SyncProgress['phase']) => (x: { done: number; total: number; path?: string }) =>
    opts.onProgress?.({ op: 'push', phase, message: x.path ?? '', done: x.done, total: x.total });
  const remote = dataRemoteOf(p.dir, opts.dataRemote);
  let objects = null;
  let data = null;
  if (remote) {
    objects = await pushNamedObjects(p.dir, p.db, remote, progress('objects'), opts.killAfterObjects);
    await pushStageOutputs(p.dir, remote);
    killPoint(opts, 'push-after-objects');
    if (findPointers(p.dir).length)
      data = await pushData(p.dir, {
        remote: remote.name,
        onProgress: progress('data'),
        killAfterObjects: opts.killAfterObjects,
      });
  }
  const local = flushed.commit ?? (await readRef(p.dir, RECORDS_REF));
  if (!local) return { gitRemote, dataRemote: remote?.name ?? null, records: 0, pushed: false, objects, data };
  const r = await git(p.dir, ['push', '--progress', '--porcelain', gitRemote, `${RECORDS_REF}:${RECORDS_REF}`], {
    ok: [1, 128],
    onStderrLine: (line) => opts.onProgress?.({ op: 'push', phase: 'records', message: line, done: 0, total: 0 }),
  });
  if (r.code !== 0) {
    const words = `${r.stdout.toString()}\n${r.stderr}`;
    if (/\[rejected\]|non-fast-forward|fetch first/i.test(words))
      throw new BenchtopError(
        'CONFLICT',
        `${gitRemote} has records this clone does not have yet (someone else pushed).`,
        {
          hint: 'Run `benchtop pull` first: it merges them with yours; then push again. Nothing was lost.',
        },
      );
    throw new BenchtopError(
      'GIT_FAILED',
      `git push to ${gitRemote} failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`,
      {
        hint: 'Check that the remote is reachable and writable (`git push` in the project says why not), then push again.',
      },
    );
  }
  const before = await readRef(p.dir, remoteRecordsRef(gitRemote));
  await updateRef(p.dir, remoteRecordsRef(gitRemote), local, before);
  const records = (await listTree(p.dir, local)).size;
  return { gitRemote, dataRemote: remote?.name ?? null, records, pushed: true, objects, data };
}

export async function pull(p: Project, opts: SyncOptions & { force?: boolean } = {}): Promise<SyncPullResult> {
  const gitRemote = await gitRemoteOf(p.dir, opts.gitRemote);
  await flushRecords(p, 'Record changes before a pull');
  const found = await fetchRecords(p.dir, gitRemote, opts);
  killPoint(opts, 'pull-after-fetch');
  const ours = await readRef(p.dir, RECORDS_REF);
  const theirs = found ? await readRef(p.dir, remoteRecordsRef(gitRemote)) : null;
  const result: SyncPullResult = {
    gitRemote,
    dataRemote: null,
    merge: 'up-to-date',
    runs: 0,
    models: 0,
    monitors: 0,
    conflicts: [],
    renumbered: [],
    notes: [],
    objects: null,
    data: null,
    outputs: null,
  };
  let target = ours;
  if (theirs && !ours) {
    await updateRef(p.dir, RECORDS_REF, theirs, null);
    target = theirs;
    result.merge = 'fast-forward';
  } else if (theirs && ours && !(await isAncestor(p.dir, theirs, ours))) {
    if (await isAncestor(p.dir, ours, theirs)) {
      result.merge = 'fast-forward';
      target = theirs;
    } else {
      const base = await mergeBase(p.dir, ours, theirs);
      const [b, o, t] = await Promise.all([listTree(p.dir, base), listTree(p.dir, ours), listTree(p.dir, theirs)]);
      const blobs = await readBlobs(p.dir, blobsToMerge(b, o, t));
      const merged = mergeTrees({ base: b, ours: o, theirs: t, read: (id) => blobs.get(id)! });
      result.conflicts = merged.conflicts;
      target = await writeCommit(p.dir, {
        parents: [ours, theirs],
        changes: merged.changes,
        message: `Merge records from ${gitRemote}\n\n${merged.conflicts.length} conflict${merged.conflicts.length === 1 ? '' : 's'} resolved`,
      });
      result.merge = 'merged';
    }
    if (!(await updateRef(p.dir, RECORDS_REF, target, ours)))
      throw new BenchtopError('BUSY', 'The project’s records changed during the pull.', {
        hint: 'Run `benchtop pull` again.',
      });
  }
  killPoint(opts, 'pull-after-ref');
  const held = databaseCommit(p.db);
  if (target && held !== target) {
    const imported = await importRecords(p, held, target);
    result.runs = imported.runs;
    result.models = imported.models;
    result.monitors = imported.monitors;
    result.renumbered = imported.renumbered;
    result.notes = imported.notes;
  }
  killPoint(opts, 'pull-after-import');
  const remote = dataRemoteOf(p.dir, opts.dataRemote);
  result.dataRemote = remote?.name ?? null;
  if (remote) {
    const progress = (phase: SyncProgress['phase']) => (x: { done: number; total: number; path?: string }) =>
      opts.onProgress?.({ op: 'pull', phase, message: x.path ?? '', done: x.done, total: x.total });
    result.objects = await pullNamedObjects(p.dir, p.db, remote, progress('objects'), opts.killAfterObjects);
    if (findPointers(p.dir).length) {
      const pulled = await pullData(p.dir, p.db, {
        remote: remote.name,
        force: opts.force,
        killAfterObjects: opts.killAfterObjects,
        onProgress: progress('data'),
      });
      result.data = { objects: pulled.objects, transferred: pulled.transferred, bytes: pulled.bytes, missing: [] };
    }
    result.outputs = await restoreStageOutputs(p.dir, remote);
  }
  return result;
}

/**
 * The blobs a merge reads: every side of a record the two sides disagree on, and every record of
 * a model whose versions or aliases changed (its aliases are checked against its versions).
 */
function blobsToMerge(b: Map<string, string>, o: Map<string, string>, t: Map<string, string>): string[] {
  const ids = new Set<string>();
  const models = new Set<string>();
  for (const path of new Set([...o.keys(), ...t.keys()])) {
    const [bo, oo, to] = [b.get(path), o.get(path), t.get(path)];
    if (oo === to || to === bo) continue;
    for (const id of [bo, oo, to]) if (id) ids.add(id);
    const m = /^models\/([^/]+)\//.exec(path);
    if (m) models.add(`models/${m[1]}/`);
  }
  for (const [path, id] of o) if ([...models].some((m) => path.startsWith(m))) ids.add(id);
  return [...ids];
}

/** Rebuilds the database's runs, registry and monitors from the records (after writing pending ones). */
export async function reindex(p: Project): Promise<SyncReindexResult> {
  const flushed = await flushRecords(p, 'Record changes before a reindex');
  const commit = flushed.commit ?? (await readRef(p.dir, RECORDS_REF));
  if (!commit) return { commit: null, runs: 0, models: 0, monitors: 0 };
  const r = await importRecords(p, null, commit, { full: true });
  return { commit, runs: r.runs, models: r.models, monitors: r.monitors };
}
