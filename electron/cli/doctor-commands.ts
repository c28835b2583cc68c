// Runs in: CLI (Node). `benchtop doctor`: checks the project's database, cache, pointers and temp
// files, says what is wrong and what it would do; --fix does what loses nothing. Exit code 0 when
// nothing is wrong (or all was fixed), 1 when problems remain. It names the folder to
// `project.doctor` rather than opening the project, which would sweep the temp files it is meant to
// report and refuse the damaged database it is meant to describe.
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import type { GlobalOptions } from './project';
import { callMethod, cliCore, withProject } from './core-client';
import { printJson } from './output';
import { enclosingProjectDir } from './project';

/** The core's progress (at most every 200 ms) on stderr: hashing a large cache takes a while. */
function printProgress(done: number, total: number): void {
  const phase = 'hashing the cache';
  if (process.stderr.isTTY) process.stderr.write(`\r${phase} ${done}/${total}${done === total ? '\n' : ''}`);
  else process.stderr.write(`${phase} ${done}/${total}\n`);
}

export function registerDoctorCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('doctor')
    .description('check the database, the cache, the pointers and temp files; --fix does what is safe')
    .option('--fix', 'remove orphan temp files and move corrupt cache objects to .benchtop/cache/quarantine/')
    .option('--quick', 'check sizes only, without reading every cache object')
    .option(
      '--reindex',
      "rebuild the database's runs, registry and monitors from the project's records (refs/benchtop/records)",
    )
    .exitOverride()
    .action(async (o: { fix?: boolean; quick?: boolean; reindex?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const dir = enclosingProjectDir(opts) ?? process.cwd();
      const { isProject } = await import('../core/app/shell-support');
      if (!isProject(dir))
        throw new BenchtopError('NOT_A_PROJECT', `${dir} is not a Benchtop project.`, {
          hint: 'Run it inside a project, or pass --dir.',
        });
      if (o.reindex) {
        const r = await withProject(opts, (call) => call('sync.reindex', {}));
        if (opts.json) return printJson(r);
        console.log(
          r.commit
            ? `Rebuilt the database from the records (${r.commit.slice(0, 12)}): ${r.runs} runs, ${r.models} models, ${r.monitors} monitors.`
            : 'The project has no records yet (they are written by every change; nothing to rebuild from).',
        );
        return;
      }
      const core = await cliCore();
      const unsubscribe = core.events.subscribe((e) => {
        if (e.name === 'data.progress' && e.payload.op === 'doctor') printProgress(e.payload.done, e.payload.total);
      });
      const report = await callMethod(core.handlers, 'project.doctor', {
        path: dir,
        fix: Boolean(o.fix),
        quick: Boolean(o.quick),
      }).finally(async () => {
        unsubscribe();
        await core.shutdown();
      });
      setExitCode(report.ok ? 0 : 1);
      if (opts.json) return printJson(report);
      const c = report.checked;
      console.log(
        `Checked: database ${c.database ? 'opened' : 'not opened'}, ${c.objects} cache objects (${o.quick ? 'sizes only' : `${c.hashed} hashed`}), ${c.pointers} pointers, ${c.tempFiles} orphan temp files.`,
      );
      if (report.problems.length === 0) {
        console.log('No problems found.');
        return;
      }
      for (const p of report.problems)
        console.log(
          `${p.fixed ? 'fixed' : 'problem'} [${p.area}] ${p.path}: ${p.problem}\n    ${p.fixed ? 'done: ' : p.fixable ? 'would (with --fix): ' : 'to do: '}${p.fix}`,
        );
      const left = report.problems.filter((p) => !p.fixed);
      if (left.length === 0) console.log('Every problem was fixed.');
      else
        console.log(
          `${left.length} problem${left.length === 1 ? '' : 's'} remain${left.length === 1 ? 's' : ''}${left.some((p) => p.fixable) ? '; run `benchtop doctor --fix` for those it can fix' : ''}.`,
        );
    });
}
