// Runs in: CLI (Node). `benchtop demo [--dir D] [--json]`: creates the demo project in a new folder
// and runs its whole story headless (data version → pipeline → sweep → comparison → champion →
// local endpoint → monitor alert → retraining → new champion), printing each step and where the
// reports are. Exits 1 when a step did not turn out as the story says.
import path from 'node:path';
import type { Command } from 'commander';
import type { MethodOutput } from '../../shared/contract/methods';
import type { GlobalOptions } from './project';
import { callMethod, cliCore } from './core-client';
import { printJson } from './output';

function defaultDir(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return path.resolve(`benchtop-demo-${stamp}`);
}

export function registerDemoCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description(
      'create the demo project (in --dir, new or empty; default ./benchtop-demo-<time>) and run the whole lifecycle headless, writing its reports to reports/',
    )
    .exitOverride()
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const dir = opts.dir ? path.resolve(opts.dir) : defaultDir();
      if (!opts.json) console.log(`Benchtop demo in ${dir}`);
      // A Core with no project open: the story makes its own, and reports each step as an event.
      const core = await cliCore();
      const unsubscribe = core.events.subscribe((e) => {
        if (e.name !== 'demo.step' || opts.json) return;
        const s = e.payload;
        console.log(`${s.ok ? '✓' : '✗'} ${s.step} (${s.seconds.toFixed(1)} s): ${s.summary}`);
      });
      let result: MethodOutput<'demo.story'>;
      try {
        result = await callMethod(core.handlers, 'demo.story', { path: dir });
      } finally {
        unsubscribe();
        await core.shutdown();
      }
      const ok = result.steps.every((s) => s.ok);
      if (opts.json) printJson({ ok, ...result });
      else {
        console.log(`\nReports (open them in a browser, offline):`);
        for (const r of result.reports) console.log(`  ${r}`);
        console.log(
          `\n${ok ? 'The story ran as told' : 'Some steps did not turn out as the story says'} in ${result.seconds.toFixed(1)} s. Open the project: benchtop ui --dir ${JSON.stringify(dir)}`,
        );
      }
      if (!ok) setExit(1);
    });
}
