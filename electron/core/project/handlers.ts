// Runs in: main (core) and CLI (Node). The contract's `app.*`, `project.*` and `demo.*` handlers:
// they open, create and reset projects, so they sit with the project lifecycle.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { AppInfo } from '../../../shared/contract/schemas';
import { DEMO_MODEL } from '../demo/demo-monitor';
import { sendWeeks } from '../demo/send-weeks';
import { runDoctor } from '../doctor/doctor';
import { SCHEMA_VERSION } from '../store/database';
import { CACHE_DIR, PIPELINE_FILE } from '../util/layout';
import { packageVersion } from '../util/package-root';
import { isProject } from '../workspace/workspace';
import { requireDemo } from './demo-reset';
import { runDemoStory } from './demo-story';
import type { ProjectLifecycle } from './lifecycle';
import { projectOverview } from './overview';
import { listRecent } from './recent';

type ProjectHandlers = Pick<
  Handlers,
  Extract<keyof Handlers, `app.${string}` | `project.${string}` | `demo.${string}`>
>;

export interface ProjectContext {
  lifecycle: ProjectLifecycle;
  /** The doctor's progress while it hashes the cache (`data.progress`, op `doctor`), the demo story's steps. */
  emit(e: BenchtopEvent): void;
  dataDir: string;
  mode: AppInfo['mode'];
}

export function projectHandlers(ctx: ProjectContext): ProjectHandlers {
  const lc = ctx.lifecycle;
  return {
    'app.info': () => ({
      name: 'Benchtop',
      version: packageVersion(),
      mode: ctx.mode,
      platform: process.platform,
      schemaVersion: SCHEMA_VERSION,
      dataDir: ctx.dataDir,
    }),
    'project.current': async () => (lc.current ? lc.current.summary() : null),
    'project.recent': () => listRecent(ctx.dataDir),
    'project.open': ({ path: p }) => lc.open(p),
    'project.init': ({ path: p, demo }) => lc.init(p, demo),
    // The desktop shell overrides this with its folder dialog.
    'project.chooseFolder': () => ({ supported: false, path: null }),
    'project.doctor': ({ fix, quick, path: given }) => {
      const dir = given === undefined ? lc.require().dir : path.resolve(given);
      if (given !== undefined && !isProject(dir))
        throw new BenchtopError('NOT_A_PROJECT', `${dir} is not a Benchtop project.`, {
          field: 'path',
          hint: 'Name the folder that holds its .benchtop/config.yaml.',
        });
      let last = 0;
      return runDoctor(dir, {
        fix,
        quick,
        // At most every 200 ms (and always the last): hashing a large cache takes a while.
        onProgress: (_phase, done, total) => {
          const now = Date.now();
          if (done < total && now - last < 200) return;
          last = now;
          ctx.emit({ name: 'data.progress', payload: { op: 'doctor', path: CACHE_DIR, done, total } });
        },
      });
    },
    'project.counts': () => lc.require().counts(),
    'project.overview': ({ days }) => projectOverview(lc.require(), lc.pipelines, days),
    'project.info': () => {
      const ws = lc.require();
      return {
        name: ws.config.name,
        path: ws.dir,
        isDemo: ws.config.demo,
        schemaVersion: SCHEMA_VERSION,
        hasPipeline: existsSync(path.join(ws.dir, PIPELINE_FILE)),
      };
    },
    'demo.reset': () => lc.resetDemo(),
    'demo.sendWeeks': async ({ weeks }) => {
      const ws = lc.require();
      requireDemo(ws);
      const served = lc.deployments.list(DEMO_MODEL).find((d) => d.managed && d.state === 'running');
      const sent = await sendWeeks(ws.dir, served, weeks);
      lc.deployments.flushLogs();
      return sent;
    },
    // In its own folder, beside whatever project is open: each step is announced as it ends.
    'demo.story': ({ path: p }) => runDemoStory(p, (step) => ctx.emit({ name: 'demo.step', payload: step })),
  };
}
