// Runs in: main (core). The contract's `sync.*` handlers: push, pull, status and reindex.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { EventPayload } from '../../../shared/contract/events';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { Workspace } from '../workspace/workspace';
import { databaseCommit } from './records-store';
import { pull, push, reindex, syncStatus } from './sync';

type SyncHandlers = Pick<Handlers, Extract<keyof Handlers, `sync.${string}`>>;

export interface SyncContext {
  project(): Workspace;
  emit(e: BenchtopEvent): void;
}

/** Fault injection for tests of interrupted pushes and pulls (sync.ts names the steps). */
const killAt = (): string | undefined => process.env.BENCHTOP_FAULT_SYNC_KILL_AT || undefined;
/** As data/handlers.ts: BENCHTOP_FAULT_KILL_AFTER_OBJECTS=N kills a transfer part-way through object N+1. */
function killAfterObjects(): number | undefined {
  const v = process.env.BENCHTOP_FAULT_KILL_AFTER_OBJECTS;
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}
const faults = () => ({ killAt: killAt(), killAfterObjects: killAfterObjects() });

export function syncHandlers(ctx: SyncContext): SyncHandlers {
  /** Progress at most every 100 ms (git's own lines always: they are few). */
  const progress = () => {
    let last = 0;
    return (p: EventPayload<'sync.progress'>) => {
      const now = Date.now();
      if (p.phase !== 'records' && p.done < p.total && now - last < 100) return;
      last = now;
      ctx.emit({ name: 'sync.progress', payload: p });
    };
  };
  /** Every view reloads: runs, models and monitors may all have changed. */
  const emitChanged = async () => {
    ctx.emit({ name: 'project.changed', payload: { project: await ctx.project().summary() } });
  };
  return {
    'sync.status': ({ gitRemote, fetch }) => syncStatus(ctx.project(), { gitRemote, fetch }),
    'sync.push': ({ gitRemote, dataRemote }) =>
      push(ctx.project(), { gitRemote, dataRemote, onProgress: progress(), ...faults() }),
    'sync.pull': async ({ gitRemote, dataRemote, force }) => {
      const held = databaseCommit(ctx.project().db);
      const r = await pull(ctx.project(), { gitRemote, dataRemote, force, onProgress: progress(), ...faults() });
      // A pull resuming one killed after it moved the ref finds the records up to date, but its
      // first flush imported them into the database: the views reload then too.
      if (r.merge !== 'up-to-date' || databaseCommit(ctx.project().db) !== held) await emitChanged();
      return r;
    },
    'sync.reindex': async () => {
      const r = await reindex(ctx.project());
      await emitChanged();
      return r;
    },
  };
}
