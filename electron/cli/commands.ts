// Runs in: CLI (Node). The `benchtop` commands, each a thin wrapper over the core.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../shared/contract/errors';
import type { MethodOutput } from '../../shared/contract/methods';
import { Core } from '../core/app/core';
import { defaultDataDir, isProject } from '../core/app/shell-support';
import { packageRoot } from '../core/util/package-root';
import { startBrowserServer } from '../server/http-server';
import { callMethod, cliCore, reportInbox, withProject } from './core-client';
import { openInBrowser } from './open-browser';
import { pipelineStatusLines } from './pipeline-commands';
import { printJson, UsageError } from './output';
import type { GlobalOptions } from './project';
import { claimServerFile, liveServer, removeServerFile, SERVER_FILE, type ServerInfo } from './server-file';

function projectDir(opts: GlobalOptions): string {
  return path.resolve(opts.dir ?? process.cwd());
}

export async function initCommand(opts: GlobalOptions & { demo?: boolean }): Promise<void> {
  // Here --dir (or the current folder) is the folder to make a project of, never an enclosing one.
  const dir = projectDir(opts);
  const core = cliCore();
  let result: MethodOutput<'project.init'>;
  try {
    result = await callMethod(core.handlers, 'project.init', { path: dir, demo: Boolean(opts.demo) });
  } finally {
    await core.shutdown();
  }
  const { created, repoCreated, written, commit, ...summary } = result;
  if (opts.json) {
    printJson({ ...summary, created, repoCreated, written, commit });
    return;
  }
  if (!created) {
    console.log(`${dir} is already a Benchtop project (schema version ${summary.schemaVersion}); nothing was changed.`);
    return;
  }
  console.log(`Created ${summary.isDemo ? 'the demo project' : 'a Benchtop project'} in ${dir}.`);
  console.log(
    repoCreated
      ? `New git repository; first commit ${commit?.slice(0, 7)}.`
      : 'Adopted the existing git repository; commit .benchtop/config.yaml and .gitignore when ready.',
  );
  console.log(`Open it with: benchtop ui --dir ${JSON.stringify(dir)}`);
}

export async function statusCommand(opts: GlobalOptions): Promise<void> {
  // The enclosing project, found from a subfolder too, like every other command.
  await withProject(opts, async (call) => {
    const summary = (await call('project.current', {}))!;
    const counts = await call('project.counts', {});
    const pipeline = await pipelineStatusLines(call);
    // Runs still open, with what each running stage waits on (a Slurm job no one follows says so).
    const open = (await call('pipelines.runs', { limit: 20 })).runs.filter((r) => r.status === 'running');
    if (opts.json)
      return printJson({
        ...summary,
        counts,
        pipeline: pipeline.json,
        running: open.map((r) => ({ id: r.id, stages: r.stages.filter((s) => s.status === 'running') })),
      });
    console.log(`${summary.name} (${summary.path})`);
    console.log(
      `schema version ${summary.schemaVersion}; git ${summary.git.branch ?? '(no branch)'} at ${summary.git.head ?? '(no commits)'}${summary.git.message ? ` "${summary.git.message}"` : ''}`,
    );
    console.log(
      `${counts.experiments} experiments, ${counts.runs} runs, ${counts.models} models, ${counts.monitors} monitors`,
    );
    for (const line of pipeline.lines) console.log(line);
    for (const r of open) {
      console.log(`run ${r.id} is running:`);
      for (const st of r.stages.filter((x) => x.status === 'running'))
        console.log(`  ${st.name}: running${st.reason ? ` (${st.reason})` : ''}`);
    }
  });
}

export function rendererDir(): string {
  const dir = path.join(packageRoot(), 'dist', 'renderer');
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`The user interface is not built (${dir} is missing); run \`npm run build\` first.`);
  }
  return dir;
}

export async function uiCommand(opts: GlobalOptions & { port?: string; open?: boolean }): Promise<void> {
  const port = Number(opts.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${opts.port}".`);
  const core = new Core({
    dataDir: defaultDataDir(),
    mode: 'browser',
    scheduler: (e) => console.log(`benchtop: ${e.message}`),
  });
  // --dir given: that project. Otherwise the current folder if it is a project, else the demo.
  const project = opts.dir
    ? await core.open(projectDir(opts))
    : isProject(process.cwd())
      ? await core.open(process.cwd())
      : await core.openDefault();
  reportInbox(core);
  // One server per project: a second would replace the first's server.json, and remove it on stopping.
  const running = liveServer(project.path);
  if (running) {
    const dir = project.path;
    await core.shutdown();
    throw new BenchtopError(
      'CONFLICT',
      `benchtop ui is already serving ${dir} at ${running.url} (pid ${running.pid}).`,
      {
        hint: 'Use that one (its address with the token is in its terminal), or stop it first.',
      },
    );
  }
  const server = await startBrowserServer({ core, port, staticDir: rendererDir(), log: (l) => console.error(l) });
  const base = `http://127.0.0.1:${server.port}`;
  // Scripts in the project (the helpers' start_run) find the server through this file; it follows
  // the project when the UI opens another one.
  let served = project.path;
  /** Claims `dir` for this server; the other live server when one has it already. */
  const announce = async (dir: string): Promise<ServerInfo | null> => {
    try {
      const claim = await claimServerFile(dir, { url: base, port: server.port, token: server.token, pid: process.pid });
      return claim.ok ? null : claim.other;
    } catch (err) {
      // The UI works without it; only scripts looking for the server will not find it.
      console.error(
        `benchtop: could not write ${path.join(dir, SERVER_FILE)} (${err instanceof Error ? err.message : String(err)}); scripts can use BENCHTOP_URL and BENCHTOP_TOKEN instead.`,
      );
      return null;
    }
  };
  // The check above is quick but not atomic: of two servers started at the same instant, the
  // exclusive creation of server.json lets exactly one through.
  const other = await announce(served);
  if (other) {
    await server.close();
    await core.shutdown();
    throw new BenchtopError(
      'CONFLICT',
      `benchtop ui is already serving ${project.path} at ${other.url} (pid ${other.pid}).`,
      {
        hint: 'Use that one (its address with the token is in its terminal), or stop it first.',
      },
    );
  }
  const unsubscribe = core.events.subscribe((event) => {
    if (event.name !== 'project.changed') return;
    const next = event.payload.project?.path;
    if (!next || next === served) return;
    removeServerFile(served, server.token);
    served = next;
    void announce(next).then((taken) => {
      if (taken)
        console.error(
          `benchtop: another benchtop ui serves ${next} at ${taken.url}; its server.json is left as it is.`,
        );
    });
  });
  process.once('exit', () => removeServerFile(served, server.token));
  // Before the address is printed: whoever reads it may stop the server at once, and the stop must
  // still remove server.json.
  const stop = async (): Promise<void> => {
    unsubscribe();
    removeServerFile(served, server.token);
    await server.close();
    await core.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (opts.json)
    printJson({
      url: server.url,
      port: server.port,
      project: project.path,
      serverFile: path.join(project.path, SERVER_FILE),
      mlflowTrackingUri: base,
      mlflowTrackingToken: server.token,
    });
  else {
    console.log(`Benchtop is serving ${project.path} in browser mode. Open this address (Ctrl+C stops it):`);
    console.log(server.url);
    console.log('MLflow code logs here with:');
    console.log(`export MLFLOW_TRACKING_URI=${base}`);
    console.log(`export MLFLOW_TRACKING_TOKEN=${server.token}`);
  }
  if (opts.open !== false) {
    const opened = await openInBrowser(server.url);
    if (!opened && !opts.json) console.log('Could not open a browser; copy the address above into one.');
  }
}
