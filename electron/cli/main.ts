// Runs in: CLI (Node). `benchtop`: argument parsing, exit codes and error printing.
// Exit codes: 0 success, 1 failure, 2 usage error.
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../core/util/package-root';
import { registerCompareCommand } from './compare-commands';
import { initCommand, statusCommand, uiCommand } from './commands';
import type { GlobalOptions } from './project';
import {
  dagCommand,
  execCommand,
  logsCommand,
  reproduceCommand,
  runCommand,
  schedulerCommand,
  type RunCommandOptions,
} from './pipeline-commands';
import { registerImportCommands } from './import-commands';
import { describeError, UsageError } from './output';
import { exportCommand, runsCommand, type RunsOptions } from './runs-commands';
import { registerDataCommands } from './data-commands';
import { registerDriftCommand } from './drift-commands';
import { registerModelsCommands } from './models-commands';
import { registerMonitorCommands } from './monitor-commands';
import { registerPredictionsCommands } from './predictions-commands';
import { addModelBundleCommands } from './models-bundle-commands';
import { registerServeCommand } from './serve-commands';
import { registerDemoCommand } from './demo-commands';
import { holdProjectLock, releaseProjectLock } from './project-lock';
import { registerDoctorCommand } from './doctor-commands';
import { registerSyncCommands } from './sync-commands';

export function buildProgram(): Command {
  const program = new Command('benchtop')
    .description('Benchtop: the machine-learning lifecycle on your laptop, offline.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .option('-d, --dir <folder>', 'project folder (default: the current folder)')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-wait', 'when another command is changing the project, fail at once instead of waiting for it')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(`benchtop: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // One writer per project: every writing command holds the project lock while its action runs.
    .hook('preAction', (_program, action) => holdProjectLock(action));

  program
    .command('init')
    .description('create a Benchtop project in the folder, or adopt its git repository')
    .option('--demo', 'fill it with the demo project (data, pipeline, scripts)')
    .exitOverride()
    .action(async (opts: { demo?: boolean }, cmd: Command) =>
      initCommand({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }),
    );

  program
    .command('ui')
    .description('serve the Benchtop UI in your browser on 127.0.0.1 (browser mode)')
    .option('-p, --port <port>', 'port to listen on; 0 picks a free one', '0')
    .option('--no-open', 'print the address without opening a browser')
    .exitOverride()
    .action(async (opts: { port?: string; open?: boolean }, cmd: Command) =>
      uiCommand({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }),
    );

  program
    .command('status')
    .description('show the project, and which pipeline stages would run and why')
    .exitOverride()
    .action(async (_opts: unknown, cmd: Command) => statusCommand(cmd.optsWithGlobals<GlobalOptions>()));

  program
    .command('run')
    .description('run the pipeline: the stages whose inputs changed, in dependency order, in parallel')
    .argument('[stages...]', 'run only these stages (and what they need)')
    .option(
      '-S, --set <key=value>',
      'set a param for this run only (repeatable): -S train.lr=0.01',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option(
      '--sweep <key=a,b,c>',
      'run the grid of these values as a queue, each run in its own working copy (repeatable)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('-f, --force', 'run the stages even if nothing changed')
    .option('--downstream', 'also run every stage that depends on the named stages')
    .option(
      '-j, --jobs <n>',
      'how many stages may run at once (default: the number of cores); with --sweep, how many runs (default: 2)',
    )
    .option(
      '--executor <name>',
      'with --sweep: run every stage on this Slurm executor of benchtop.yaml, each stage as one array job',
    )
    .option('--dry', 'say what would run, and why, without running anything')
    .option('--name <name>', 'the run name (default: a readable one made up, such as brisk-otter-3)')
    .exitOverride()
    .action(async (stages: string[], opts: RunCommandOptions, cmd: Command) => {
      exitCode = await runCommand(stages, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts });
    });

  program
    .command('dag')
    .description('print the pipeline graph (stage ← the stages it needs)')
    .option('--dot', 'print it in Graphviz dot format')
    .exitOverride()
    .action((opts: { dot?: boolean }, cmd: Command) =>
      dagCommand({ ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }),
    );

  program
    .command('exec')
    .description(
      'run any command as a tracked run: it reports params, metrics, tags and artifacts with the ::benchtop:: line protocol (or the helpers)',
    )
    .argument('<command...>', 'the command, after --: benchtop exec -- python3 train.py')
    .option('--name <name>', 'the run name (default: the command)')
    .option('--experiment <name>', 'the experiment (default: scripts)')
    .exitOverride()
    .action(async (command: string[], opts: { name?: string; experiment?: string }, cmd: Command) => {
      exitCode = await execCommand(command, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts });
    });

  program
    .command('runs')
    .description(
      'list runs, filtered and sorted; `runs show ID`, `runs rename ID NAME`, `runs delete ID…`, `runs restore ID…`, `runs purge [ID…]`',
    )
    .argument('[action]', 'show, rename, delete (restorable), restore, or purge (removes deleted runs for good)')
    .argument('[ids...]', 'run ids for the action (rename: the id, then the new name)')
    .option('--deleted', 'list the deleted runs (restorable until purged)')
    .option('--filter <expr>', 'e.g. "metrics.accuracy > 0.9 and params.model = \'rf\'"')
    .option('--sort <field>', 'sort by a field, - in front for descending (default: -start_time)')
    .option('--limit <n>', 'at most this many runs (default: 100)')
    .exitOverride()
    .action((action: string | undefined, ids: string[], opts: RunsOptions, cmd: Command) =>
      runsCommand(action, ids, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }),
    );

  program
    .command('export')
    .description('export runs as CSV (a column per param, metric and tag) or JSON')
    .argument('<what>', '"runs"')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--filter <expr>', 'only the runs matching this query')
    .option('--sort <field>', 'order of the rows (default: -start_time)')
    .option('-o, --output <file>', 'write to this file (never overwritten) instead of stdout')
    .exitOverride()
    .action((what: string, opts: RunsOptions & { format?: string; output?: string }, cmd: Command) =>
      exportCommand(what, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }),
    );

  registerCompareCommand(program);
  registerImportCommands(program);

  program
    .command('reproduce')
    .description('re-run a past pipeline run from its exact commit and params in a working copy, and compare metrics')
    .argument('<run>', 'the run id')
    .exitOverride()
    .action(async (run: string, _opts: unknown, cmd: Command) => {
      exitCode = await reproduceCommand(run, cmd.optsWithGlobals<GlobalOptions>());
    });

  program
    .command('scheduler')
    .description("run the pipeline on its schedule (benchtop.yaml's schedule:) until stopped")
    .exitOverride()
    .action(async (_opts: unknown, cmd: Command) => {
      exitCode = await schedulerCommand(cmd.optsWithGlobals<GlobalOptions>());
    });

  program
    .command('logs')
    .description("print a pipeline run's logs, of every stage or of one")
    .argument('<run>', 'the run id (benchtop run prints it)')
    .argument('[stage]', 'only this stage')
    .exitOverride()
    .action((run: string, stage: string | undefined, _opts: unknown, cmd: Command) =>
      logsCommand(run, stage, cmd.optsWithGlobals<GlobalOptions>()),
    );

  registerDataCommands(program);
  registerDriftCommand(program, (code) => (exitCode = code));
  addModelBundleCommands(registerModelsCommands(program));
  registerMonitorCommands(program, (code) => (exitCode = code));
  registerPredictionsCommands(program);
  registerServeCommand(program);
  registerDemoCommand(program, (code) => (exitCode = code));
  registerDoctorCommand(program, (code) => (exitCode = code));
  registerSyncCommands(program);

  return program;
}

/** Set by commands whose outcome is not simply success (a pipeline run that failed). */
let exitCode = 0;

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  exitCode = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (err.exitCode === 0) return 0;
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`benchtop: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`benchtop: ${describeError(err)}\n`);
    return 1;
  } finally {
    releaseProjectLock();
  }
}
