// Runs in: main (core). Which contract methods change the project, and so take the project lock
// (one writer per project) for the call: the app and `benchtop ui` lock each write, never their
// lifetime, so `benchtop run` in a terminal works while the app is open. Each method's access is
// declared with its spec (shared/contract/<domain>.ts), so a new one cannot be forgotten.
import type { Handlers } from '../../../shared/contract/dispatch';
import { methods, type MethodAccess } from '../../../shared/contract/methods';
import type { MethodName } from '../../../shared/contract/names';
import { acquireProjectLock, type LockOptions } from '../workspace/project-lock';

export type { MethodAccess };

/** Each method's access, as its domain's contract file declares it beside the method. */
export const METHOD_ACCESS = Object.fromEntries(
  Object.entries(methods).map(([name, spec]) => [name, spec.access]),
) as Record<MethodName, MethodAccess>;

export interface LockContext {
  /** The open project's folder, or null (the handler then fails with NO_PROJECT itself). */
  projectDir: () => string | null;
  /** Names the holder for whoever has to wait: `benchtop ui`, `the Benchtop app`. */
  holder: string;
  /** How long a write waits for another process's lock before failing with BUSY. */
  waitMs: number;
  /** Hears each time a write is still waiting for another process's lock. */
  onWait?: LockOptions['onWait'];
}

/** Takes the project lock for a write made by this process (shared with its other writes). */
export function lockForWrite(ctx: LockContext, what: string): Promise<() => void> {
  const dir = ctx.projectDir();
  if (!dir) return Promise.resolve(() => undefined);
  return acquireProjectLock(dir, {
    command: `${ctx.holder} (${what})`,
    waitMs: ctx.waitMs,
    ...(ctx.onWait ? { onWait: ctx.onWait } : {}),
    hint: 'Another command is changing this project; try again when it has finished.',
  });
}

/** The handlers, each write wrapped to hold the project lock while it runs. */
export function withProjectLock(handlers: Handlers, ctx: LockContext): Handlers {
  const out = { ...handlers } as Record<MethodName, (input: unknown) => unknown>;
  for (const [name, access] of Object.entries(METHOD_ACCESS) as [MethodName, MethodAccess][]) {
    if (access !== 'write') continue;
    const inner = out[name];
    out[name] = async (input: unknown) => {
      const release = await lockForWrite(ctx, name);
      try {
        return await inner(input);
      } finally {
        release();
      }
    };
  }
  return out as Handlers;
}
