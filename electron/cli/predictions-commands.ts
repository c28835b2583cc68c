// Runs in: CLI (Node). `benchtop predictions label|export`: ground truth joined to a model's logged
// predictions by record ID, and the log as CSV, through the contract's `predictions.*` methods.
import path from 'node:path';
import type { Command } from 'commander';
import { fromHere } from './project-paths';
import type { GlobalOptions } from './project';
import { withProject } from './core-client';
import { printJson } from './output';

export function registerPredictionsCommands(program: Command): void {
  const predictions = program.command('predictions').description("a model's prediction log: join ground truth, export");

  predictions
    .command('label')
    .description(
      'join true labels from a table file to logged predictions by record ID (one transaction; nothing changes on an error)',
    )
    .argument('<model>', 'the model name')
    .argument('<file>', 'a CSV, TSV, JSONL or Parquet file with an ID column and a target column')
    .requiredOption('--id <column>', 'the column with the record IDs the endpoint was given (or answered with)')
    .requiredOption('--target <column>', 'the column with the true label or value')
    .option('--force', 'replace labels already joined with a different value')
    .exitOverride()
    .action(async (model: string, file: string, o: { id: string; target: string; force?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call) => {
        const r = await call('predictions.label', {
          model,
          file: await fromHere(call, file),
          idColumn: o.id,
          targetColumn: o.target,
          force: Boolean(o.force),
        });
        if (opts.json) return printJson(r);
        const lines = [
          `Labeled ${r.labeledPredictions} prediction${r.labeledPredictions === 1 ? '' : 's'} of ${r.model}: ${r.matched} of ${r.ids} IDs matched.`,
          ...(r.unmatched
            ? [
                `${r.unmatched} ID${r.unmatched === 1 ? '' : 's'} of the file matched no logged prediction (${r.unmatchedSample.join(', ')}${r.unmatched > r.unmatchedSample.length ? ', …' : ''}).`,
              ]
            : []),
          ...(r.alreadyLabeled ? [`${r.alreadyLabeled} already had this label.`] : []),
          ...(r.relabeled ? [`${r.relabeled} had a different label, replaced (--force).`] : []),
          ...(r.emptyTargets
            ? [`${r.emptyTargets} row${r.emptyTargets === 1 ? '' : 's'} had an empty target and were skipped.`]
            : []),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      });
    });

  predictions
    .command('export')
    .description(
      "a model's logged predictions as CSV: record_id, at, version, the inputs as columns, prediction, label",
    )
    .argument('<model>', 'the model name')
    .option('--since <time>', 'from this date or ISO time (inclusive)')
    .option('--until <time>', 'up to this date or ISO time (exclusive)')
    .option('--out <file>', 'write to this file (never over an existing one) instead of stdout')
    .exitOverride()
    .action(async (model: string, o: { since?: string; until?: string; out?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withProject(opts, async (call) => {
        const r = await call('predictions.export', {
          model,
          ...(o.since !== undefined ? { since: o.since } : {}),
          ...(o.until !== undefined ? { until: o.until } : {}),
          ...(o.out === undefined ? { inline: true } : { out: path.resolve(o.out) }),
        });
        if (o.out === undefined) return void process.stdout.write(r.csv ?? '');
        if (opts.json) printJson({ path: r.path, rows: r.rows, size: r.size, columns: r.columns });
        else process.stderr.write(`Wrote ${r.rows} prediction${r.rows === 1 ? '' : 's'} to ${r.path}.\n`);
      });
    });
}
