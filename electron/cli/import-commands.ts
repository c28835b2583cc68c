// Runs in: CLI (Node). `benchtop import mlflow PATH`: bring an MLflow file store into the project.
import path from 'node:path';
import type { Command } from 'commander';
import { describeImport, importMlflow } from '../core/tracking/import-mlflow';
import { Workspace } from '../core/workspace/workspace';
import type { GlobalOptions } from './commands';
import { printJson, UsageError } from './output';

export async function importCommand(kind: string, source: string, opts: GlobalOptions): Promise<void> {
  if (kind !== 'mlflow') throw new UsageError(`cannot import "${kind}"; only \`benchtop import mlflow PATH\` exists.`);
  const ws = Workspace.open(path.resolve(opts.dir ?? process.cwd()));
  try {
    const summary = await importMlflow(ws.dir, ws.db, path.resolve(source));
    if (opts.json) printJson(summary);
    else console.log(describeImport(summary));
  } finally {
    ws.close();
  }
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
