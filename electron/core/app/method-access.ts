// Runs in: main (core). Which contract methods change the project, and so take the project lock
// (one writer per project) for the call: the app and `benchtop ui` lock each write, never their
// lifetime, so `benchtop run` in a terminal works while the app is open. Every method is listed,
// so a new one cannot be forgotten (a unit test checks).
import type { Handlers } from '../../../shared/contract/dispatch';
import type { MethodName } from '../../../shared/contract/names';
import { acquireProjectLock } from '../workspace/project-lock';

/**
 * read: changes nothing. write: changes project files, git, the cache or shared rows; holds the
 * lock. local: appends that SQLite serialises by itself (tracking logged by scripts and MLflow
 * clients, prediction logs) or machine-local state; never waits, since refusing them would lose
 * what a script logged while a long run in a terminal holds the lock.
 */
export type MethodAccess = 'read' | 'write' | 'local';

export const METHOD_ACCESS: Record<MethodName, MethodAccess> = {
  'app.info': 'read',
  'project.current': 'read',
  'project.recent': 'read',
  // Opening or creating switches the app's project; an existing project is not changed by either.
  'project.open': 'read',
  'project.init': 'read',
  // Doctor repairs with fix (removes temp files, quarantines objects), so it is taken as a writer.
  'project.doctor': 'write',
  'project.chooseFolder': 'read',
  'experiments.list': 'read',
  'runs.search': 'read',
  'runs.delete': 'write',
  'runs.restore': 'write',
  'runs.purge': 'write',
  'runs.get': 'read',
  'runs.update': 'write',
  'runs.keys': 'read',
  'runs.history': 'read',
  'runs.create': 'local',
  'runs.log': 'local',
  'runs.end': 'local',
  'runs.logArtifact': 'local',
  'runs.artifactPreview': 'read',
  'runs.importMlflow': 'write',
  'data.list': 'read',
  'data.preview': 'read',
  'data.tracked': 'read',
  'data.add': 'write',
  'data.commit': 'write',
  'data.log': 'read',
  'data.checkout': 'write',
  'data.unlink': 'write',
  'data.diff': 'read',
  'data.remotes': 'read',
  'data.remoteAdd': 'write',
  'data.remoteRemove': 'write',
  'data.push': 'write',
  'data.pull': 'write',
  'data.gc': 'write',
  'data.usage': 'read',
  'pipelines.get': 'read',
  'pipelines.status': 'read',
  // The pipeline service keeps holding it until the run (or sweep) ends.
  'pipelines.run': 'write',
  // Cancelling stops the app's own run (its end releases the lock), or signals a terminal's run,
  // which ends and records itself.
  'pipelines.cancel': 'read',
  'pipelines.runs': 'read',
  'pipelines.log': 'read',
  'pipelines.sweep': 'write',
  'pipelines.sweepStatus': 'read',
  'pipelines.cancelSweep': 'read',
  'models.list': 'read',
  'models.get': 'read',
  'models.version': 'read',
  'models.register': 'write',
  'models.setAlias': 'write',
  'models.removeAlias': 'write',
  'models.update': 'write',
  'models.archive': 'write',
  'models.restore': 'write',
  'models.delete': 'write',
  'models.resolve': 'read',
  // Reports and exports are new files of their own under reports/ or outside the project.
  'models.card': 'read',
  'models.lineage': 'read',
  'models.compare': 'read',
  'models.export': 'read',
  'models.import': 'write',
  'drift.report': 'read',
  'drift.export': 'read',
  'monitors.list': 'read',
  'monitors.add': 'write',
  'monitors.get': 'read',
  'monitors.check': 'write',
  'monitors.delete': 'write',
  'monitors.alerts': 'read',
  'monitors.acknowledge': 'write',
  'monitors.report': 'read',
  'predictions.label': 'write',
  'predictions.export': 'read',
  'reports.list': 'read',
  'reports.open': 'read',
  'reports.compare': 'read',
  'deployments.list': 'read',
  // Endpoints serve copies under .benchtop/serving and append prediction logs.
  'deployments.start': 'local',
  'deployments.stop': 'local',
  'deployments.stats': 'read',
  'deployments.requests': 'read',
  'deployments.try': 'local',
  'tour.get': 'read',
  'tour.save': 'local',
  'demo.reset': 'write',
  'demo.sendWeeks': 'write',
};

export interface LockContext {
  /** The open project's folder, or null (the handler then fails with NO_PROJECT itself). */
  projectDir: () => string | null;
  /** Names the holder for whoever has to wait: `benchtop ui`, `the Benchtop app`. */
  holder: string;
  /** How long a write waits for another process's lock before failing with BUSY. */
  waitMs: number;
}

/** Takes the project lock for a write made by this process (shared with its other writes). */
export function lockForWrite(ctx: LockContext, what: string): Promise<() => void> {
  const dir = ctx.projectDir();
  if (!dir) return Promise.resolve(() => undefined);
  return acquireProjectLock(dir, {
    command: `${ctx.holder} (${what})`,
    waitMs: ctx.waitMs,
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
