// Runs in: CLI (Node). `benchtop import mlflow PATH`: bring an MLflow file store into the project.
import path from 'node:path';
import type { Command } from 'commander';
import type { MethodOutput } from '../../shared/contract/methods';
import type { GlobalOptions } from './project';
import { withProject } from './core-client';
import { printJson, UsageError } from './output';

/** The summary in a few lines. */
function describeImport(s: MethodOutput<'runs.importMlflow'>): string {
  const lines = [
    `Imported ${s.runs} run${s.runs === 1 ? '' : 's'} (${s.deletedRuns} deleted) into ${s.experiments} experiment${s.experiments === 1 ? '' : 's'} (${s.experimentsCreated} new) from ${path.normalize(s.store)}:`,
    `  ${s.params} params, ${s.metricPoints} metric points, ${s.tags} tags, ${s.artifacts} artifacts, ${s.inputs} dataset inputs.`,
  ];
  if (s.skipped.length)
    lines.push(
      `Skipped ${s.skipped.length} run${s.skipped.length === 1 ? '' : 's'} already in the project: ${s.skipped.slice(0, 10).join(', ')}${s.skipped.length > 10 ? ', …' : ''}`,
    );
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export async function importCommand(kind: string, source: string, opts: GlobalOptions): Promise<void> {
  if (kind !== 'mlflow') throw new UsageError(`cannot import "${kind}"; only \`benchtop import mlflow PATH\` exists.`);
  await withProject(opts, async (call) => {
    const summary = await call('runs.importMlflow', { path: path.resolve(source) });
    if (opts.json) printJson(summary);
    else console.log(describeImport(summary));
  });
}

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description(
      'import runs from elsewhere: `import mlflow PATH` reads an MLflow mlruns folder (ids kept; runs already imported are skipped)',
    )
    .argument('<kind>', '"mlflow"')
    .argument('<path>', 'the mlruns folder (or the folder that holds it)')
    .exitOverride()
    .action(async (kind: string, source: string, _opts: unknown, cmd: Command) =>
      importCommand(kind, source, cmd.optsWithGlobals<GlobalOptions>()),
    );
}
