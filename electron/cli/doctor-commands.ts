// Runs in: CLI (Node). `benchtop doctor`: checks the project's database, cache, pointers and temp
// files, says what is wrong and what it would do; --fix does what loses nothing. Exit code 0 when
// nothing is wrong (or all was fixed), 1 when problems remain. It opens the database itself rather
// than through Workspace.open, which would sweep the temp files it is meant to report and refuse
// the damaged database it is meant to describe.
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import { runDoctor } from '../core/doctor/doctor';
import { isProject } from '../core/workspace/workspace';
import type { GlobalOptions } from './commands';
import { printJson } from './output';
import { enclosingProjectDir } from './project';

/** Progress on stderr, at most every 200 ms: hashing a large cache takes a while. */
function progress(): (phase: string, done: number, total: number) => void {
  let last = 0;
  return (phase, done, total) => {
    const now = Date.now();
    if (done < total && now - last < 200) return;
    last = now;
    if (process.stderr.isTTY) process.stderr.write(`\r${phase} ${done}/${total}${done === total ? '\n' : ''}`);
    else process.stderr.write(`${phase} ${done}/${total}\n`);
  };
}

export function registerDoctorCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('doctor')
    .description('check the database, the cache, the pointers and temp files; --fix does what is safe')
    .option('--fix', 'remove orphan temp files and move corrupt cache objects to .benchtop/cache/quarantine/')
    .option('--quick', 'check sizes only, without reading every cache object')
    .exitOverride()
    .action(async (o: { fix?: boolean; quick?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const dir = enclosingProjectDir(opts) ?? process.cwd();
      if (!isProject(dir))
        throw new BenchtopError('NOT_A_PROJECT', `${dir} is not a Benchtop project.`, {
          hint: 'Run it inside a project, or pass --dir.',
        });
      const report = await runDoctor(dir, { fix: Boolean(o.fix), quick: Boolean(o.quick), onProgress: progress() });
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
