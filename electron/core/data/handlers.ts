// Runs in: main (core). The contract's `data.*` handlers: the project's data files and the tracked
// data's versions, remotes and cache. Long operations report progress as `data.progress` events.
import type { Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { previewCsv } from '../files/csv-summary';
import { insideProject, listDataFiles } from '../files/list-files';
import { DATA_DIR } from '../util/layout';
import type { Workspace } from '../workspace/workspace';
import { checkoutData } from './checkout';
import { diffData } from './diff/diff-data';
import { gcCache } from './gc';
import { gcRemote } from './remote-gc';
import { commitData, dataLog } from './history';
import { dataUsage } from './lineage';
import { unlinkData } from './materialize';
import { addRemote, listRemotes, removeRemote, setDefaultRemote } from './remotes';
import { dataStatus } from './status';
import { addData } from './track';
import { pullData, pushData } from './transfer';
import { untrackData } from './untrack';
import { verifyCache } from './verify';

type DataHandlers = Pick<Handlers, Extract<keyof Handlers, `data.${string}`>>;

export interface DataContext {
  project(): Workspace;
  emit(e: BenchtopEvent): void;
}

/**
 * Test hook for interrupted transfers (BENCHTOP_FAULT_KILL_AFTER_OBJECTS=N): the process is killed
 * part-way through the object after N, as a crash would (see TransferOptions.killAfterObjects).
 */
function faultKillAfter(): number | undefined {
  const v = process.env.BENCHTOP_FAULT_KILL_AFTER_OBJECTS;
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function dataHandlers(ctx: DataContext): DataHandlers {
  const dir = () => ctx.project().dir;
  /** Progress events for long data work, at most every 100 ms per operation (and always the last). */
  const progressOf = (
    op: 'add' | 'checkout' | 'push' | 'pull' | 'verify',
  ): ((p: { path: string; done: number; total: number }) => void) => {
    let last = 0;
    return ({ path, done, total }) => {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      ctx.emit({ name: 'data.progress', payload: { op, path, done, total } });
    };
  };
  return {
    'data.list': async () => ({ folder: DATA_DIR, files: await listDataFiles(dir()) }),
    'data.preview': async ({ path: rel, limit }) => {
      const abs = insideProject(dir(), rel);
      if (!/\.csv$/i.test(rel)) {
        throw new BenchtopError('UNSUPPORTED', `${rel} is not a CSV file, so it cannot be previewed.`, {
          field: 'path',
          hint: 'Preview works for .csv files.',
        });
      }
      return previewCsv(abs, rel, limit);
    },
    'data.tracked': async ({ paths }) => {
      const ws = ctx.project();
      return { items: await dataStatus(ws.dir, ws.db, paths) };
    },
    'data.add': async ({ paths, absorb }) => {
      const ws = ctx.project();
      const results = await addData(ws.dir, ws.db, paths, { absorb, onProgress: progressOf('add') });
      return {
        results: results.map((r) => ({
          path: r.path,
          pointer: r.pointer,
          status: r.status,
          data: r.pointerData,
          repaired: r.repaired,
          ...(r.schemaProblem ? { schemaProblem: r.schemaProblem } : {}),
        })),
      };
    },
    'data.untrack': async ({ paths }) => ({ untracked: await untrackData(dir(), paths) }),
    'data.commit': async ({ message }) => {
      const result = await commitData(dir(), message);
      return result ?? { commit: null, pointers: [] };
    },
    'data.log': async ({ path: rel }) => ({ versions: await dataLog(dir(), rel) }),
    'data.checkout': async ({ rev, paths, force, link, verify }) => {
      const ws = ctx.project();
      return checkoutData(ws.dir, ws.db, rev, paths, {
        force,
        verify,
        ...(link ? { link } : {}),
        onProgress: progressOf('checkout'),
      });
    },
    'data.unlink': async ({ paths }) => ({ results: await unlinkData(dir(), paths) }),
    'data.diff': async ({ from, to, path: rel, key }) => {
      const ws = ctx.project();
      return (await diffData(ws.dir, ws.db, { from, to, path: rel, key: key ?? null }))[0]!;
    },
    'data.diffAll': async ({ from, to, key }) => {
      const ws = ctx.project();
      return { diffs: await diffData(ws.dir, ws.db, { from, to, path: null, key: key ?? null }) };
    },
    'data.verify': async () => {
      const ws = ctx.project();
      const progress = progressOf('verify');
      return verifyCache(ws.dir, ws.db, (done, total) => progress({ path: '', done, total }));
    },
    'data.remotes': () => ({ remotes: listRemotes(dir()) }),
    'data.remoteAdd': ({ name, path: p, default: makeDefault, endpoint, profile, region }) => ({
      remotes: addRemote(dir(), name, p, { makeDefault, endpoint, profile, region }),
    }),
    'data.remoteRemove': ({ name }) => ({ remotes: removeRemote(dir(), name) }),
    'data.remoteDefault': ({ name }) => ({ remotes: setDefaultRemote(dir(), name) }),
    'data.push': async ({ remote, paths }) =>
      pushData(dir(), { remote, paths, onProgress: progressOf('push'), killAfterObjects: faultKillAfter() }),
    'data.pull': async ({ remote, paths, checkout, force }) => {
      const ws = ctx.project();
      return pullData(ws.dir, ws.db, {
        remote,
        paths,
        checkout,
        force,
        onProgress: progressOf('pull'),
        killAfterObjects: faultKillAfter(),
      });
    },
    'data.gc': async ({ dryRun, graceMinutes, remote }) => {
      const ws = ctx.project();
      if (remote !== undefined) return gcRemote(ws.dir, ws.db, remote, { dryRun, graceMs: graceMinutes * 60_000 });
      return gcCache(ws.dir, ws.db, { dryRun, graceMs: graceMinutes * 60_000 });
    },
    'data.usage': async ({ path: rel }) => {
      const ws = ctx.project();
      return dataUsage(ws.dir, ws.db, rel);
    },
  };
}
