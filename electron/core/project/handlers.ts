// Runs in: main (core) and CLI (Node). The contract's `app.*`, `project.*` and `demo.*` handlers:
// they open, create and reset projects, so they sit with the project lifecycle.
import type { Handlers } from '../../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { AppInfo } from '../../../shared/contract/schemas';
import { DEMO_MODEL } from '../demo/demo-monitor';
import { sendWeeks } from '../demo/send-weeks';
import { runDoctor } from '../doctor/doctor';
import { SCHEMA_VERSION } from '../store/database';
import { packageVersion } from '../util/package-root';
import { requireDemo } from './demo-reset';
import { runDemoStory } from './demo-story';
import type { ProjectLifecycle } from './lifecycle';
import { listRecent } from './recent';

type ProjectHandlers = Pick<
  Handlers,
  Extract<keyof Handlers, `app.${string}` | `project.${string}` | `demo.${string}`>
>;

export interface ProjectContext {
  lifecycle: ProjectLifecycle;
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
    'project.doctor': ({ fix, quick }) => runDoctor(lc.require().dir, { fix, quick }),
    'project.counts': () => lc.require().counts(),
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
