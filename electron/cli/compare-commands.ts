// Runs in: CLI (Node). `benchtop compare ID ID…`: params and latest metrics of runs side by side,
// as a table, as JSON, or as a self-contained HTML report.
import path from 'node:path';
import type { Command } from 'commander';
import { formatValue } from '../../shared/format/number';
import type { GlobalOptions } from './project';
import { withProject } from './core-client';
import { table, UsageError } from './output';

export interface CompareOptions extends GlobalOptions {
  html?: string;
  diff?: boolean;
  metric?: string;
}

/** JSON keeps NaN and ±Infinity as the contract's wire format does ({"$nonFinite":"NaN"}), not as null. */
function printWireJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $nonFinite: String(v) } : v), 2)}\n`,
  );
}

export async function compareCommand(ids: string[], opts: CompareOptions): Promise<void> {
  if (ids.length < 2) throw new UsageError('`benchtop compare` needs two or more run ids (see `benchtop runs`).');
  await withProject(opts, async (call) => {
    if (opts.html !== undefined) {
      const written = await call('runs.compareReport', {
        ids,
        file: path.resolve(opts.html),
        ...(opts.metric !== undefined ? { metric: opts.metric } : {}),
      });
      if (opts.json) printWireJson({ file: written.file, size: written.size });
      else
        console.log(
          `Wrote the comparison of ${ids.length} runs to ${written.file} (${written.size} bytes, self-contained).`,
        );
      return;
    }
    const cmp = await call('runs.compare', { ids });
    if (opts.json) return printWireJson(cmp);
    const rows: string[][] = [['', '', ...cmp.runs.map((r) => r.name)]];
    rows.push(['', 'id', ...cmp.runs.map((r) => r.id)]);
    rows.push([
      cmp.runs.some((r) => r.status !== cmp.runs[0]!.status) ? '*' : '',
      'status',
      ...cmp.runs.map((r) => r.status),
    ]);
    const add = (prefix: string, list: { key: string; values: (string | number | null)[]; differs: boolean }[]) => {
      for (const row of list) {
        if (opts.diff && !row.differs) continue;
        rows.push([
          row.differs ? '*' : '',
          `${prefix}.${row.key}`,
          ...row.values.map((v) => (typeof v === 'number' ? formatValue(v) : (v ?? '-'))),
        ]);
      }
    };
    add('params', cmp.params);
    add('metrics', cmp.metrics);
    console.log(table(rows));
    const differing = cmp.params.filter((p) => p.differs).length + cmp.metrics.filter((m) => m.differs).length;
    console.log(
      `\n* differs (${differing} of ${cmp.params.length + cmp.metrics.length} params and metrics)${opts.diff ? '; only differences shown' : '; --diff shows only those'}.`,
    );
  });
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'params and latest metrics of runs side by side (* marks differences); --html writes a self-contained report',
    )
    .argument('<ids...>', 'two or more run ids')
    .option('--diff', 'only the params and metrics that differ')
    .option('--html <file>', 'write a self-contained HTML report (charts included) to this file; never overwrites')
    .option('--metric <key>', 'in the report, the metric that params are plotted against (default: the first)')
    .exitOverride()
    .action((ids: string[], opts: CompareOptions, cmd: Command) =>
      compareCommand(ids, { ...cmd.optsWithGlobals<GlobalOptions>(), ...opts }),
    );
}
