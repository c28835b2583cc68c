// Runs in: CLI (Node). `benchtop models export|import|card|lineage|compare`: bundles that carry a
// version to another project, its card (HTML, PDF, JSON), its lineage, and versions side by side.
// Each calls the contract's `models.*` methods through dispatch and formats the result.
import path from 'node:path';
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import { checkModelName } from '../../shared/contract/models';
import { bytes } from '../../shared/format/data-diff';
import { formatValue } from '../../shared/format/number';
import { fromHere } from './project-paths';
import type { GlobalOptions } from './project';
import { type Call, withProject as withCore } from './core-client';
import { printWireJson, table, UsageError } from './output';
import { PAPER_FLAGS, PAPER_HELP, paperOption } from './paper-option';

function withProject<T>(cmd: Command, body: (call: Call, opts: GlobalOptions) => Promise<T>): Promise<T> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  return withCore(opts, (call) => body(call, opts));
}

const FORMATS = ['html', 'pdf', 'json'] as const;
type ReportFormat = (typeof FORMATS)[number];

export function addModelBundleCommands(models: Command): void {
  models
    .command('export')
    .description(
      'write a version as one .zip bundle: artifact, card.html, lineage.json, signature.json and bundle.json with every sha256',
    )
    .argument('<ref>', 'NAME@ALIAS, NAME/N or NAME (the latest version)')
    .argument('<file>', 'the .zip to write; never overwritten without --force')
    .option('--force', 'replace the file if it exists')
    .exitOverride()
    .action((ref: string, file: string, o: { force?: boolean }, cmd: Command) =>
      withProject(cmd, async (call, opts) => {
        const r = await call('models.export', {
          ref,
          file: await fromHere(call, file),
          force: Boolean(o.force),
          details: true,
        });
        if (opts.json) return printWireJson(r);
        console.log(`Exported ${r.name!} v${r.version!} to ${r.path} (${r.entries!} entries, ${bytes(r.size)}).`);
      }),
    );

  models
    .command('import')
    .description(
      'import a bundle as a new version, after checking every entry against its sha256; a tampered bundle is refused whole',
    )
    .argument('<file>', 'a .zip written by `benchtop models export`')
    .option('--name <name>', "register under this name instead of the bundle's")
    .exitOverride()
    .action((file: string, o: { name?: string }, cmd: Command) =>
      withProject(cmd, async (call, opts) => {
        // Checked here so a bad --name reads as the core's own message, not as a schema error.
        if (o.name !== undefined) checkModelName(o.name, 'name');
        const v = await call('models.import', {
          file: await fromHere(call, file),
          ...(o.name !== undefined ? { name: o.name } : {}),
        });
        if (opts.json) return printWireJson(v);
        console.log(
          `Imported ${v.tags['bundle.source_version'] ?? 'the bundle'} as ${v.name} v${v.version} (${v.format}, ${v.files} ${v.files === 1 ? 'file' : 'files'}, ${bytes(v.size)}); every hash checked.`,
        );
        // Hashes prove the bundle is what was exported, not that its command is safe to run.
        if (v.predict) {
          console.log(`This bundle runs: ${v.predict}`);
          console.log(
            `Review it (and the model files it uses) before serving; serve it with --trust: benchtop serve ${v.name}/${v.version} --trust`,
          );
        }
      }),
    );

  models
    .command('card')
    .description(
      "write a version's model card (lineage, metrics, signature, intended use and limitations) as self-contained HTML, PDF or JSON",
    )
    .argument('<ref>', 'NAME@ALIAS, NAME/N or NAME')
    .option('--format <format>', 'html, pdf (printed by headless Chromium) or json', 'html')
    .option('--out <file>', 'write here instead of into reports/ (never overwritten)')
    .option(PAPER_FLAGS, PAPER_HELP)
    .exitOverride()
    .action((ref: string, o: { format: string; out?: string; paper?: string }, cmd: Command) =>
      withProject(cmd, async (call, opts) => {
        const format = o.format.toLowerCase() as ReportFormat;
        if (!FORMATS.includes(format)) throw new UsageError(`--format must be html, pdf or json, not "${o.format}".`);
        const paper = paperOption(o.paper);
        const { name, version } = await call('models.resolve', { ref });
        const written = await call('models.card', {
          name,
          version,
          format,
          ...(o.out !== undefined ? { out: path.resolve(o.out) } : {}),
          ...(format === 'pdf' ? paper : {}),
        });
        if (opts.json) return printWireJson({ path: written.file, size: written.size });
        console.log(
          `Wrote the model card of ${name} v${version} to ${written.file} (${bytes(written.size)}${format === 'json' ? '' : ', self-contained'}).`,
        );
      }),
    );

  models
    .command('lineage')
    .description(
      'a version back to its run, params, metrics, data versions and commits, and on to the monitors that watch it',
    )
    .argument('<ref>', 'NAME@ALIAS, NAME/N or NAME')
    .exitOverride()
    .action((ref: string, _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, opts) => {
        const graph = await call('models.lineage', await call('models.resolve', { ref }));
        if (opts.json) return printWireJson(graph);
        const byId = new Map(graph.nodes.map((n) => [n.id, n]));
        // Depth-first from the version, so each line sits under what it came from.
        const printed = new Set<string>();
        const walk = (id: string, depth: number): void => {
          for (const e of graph.edges.filter((x) => x.from === id)) {
            const to = byId.get(e.to)!;
            console.log(
              `${'  '.repeat(depth)}${e.label} → ${to.kind} ${to.label}${to.detail ? `  (${to.detail})` : ''}`,
            );
            if (!printed.has(to.id)) {
              printed.add(to.id);
              walk(to.id, depth + 1);
            }
          }
        };
        const root = byId.get(graph.nodes[0]!.id)!;
        console.log(`${root.label}${root.detail ? `  (${root.detail})` : ''}`);
        walk(root.id, 1);
      }),
    );

  models
    .command('compare')
    .description('versions of one model side by side (* marks differences), and a metric across them')
    .argument('<refs...>', 'two or more versions: NAME/1 NAME/2, NAME@champion NAME@challenger')
    .option('--metric <key>', 'the metric listed across versions (default: the first)')
    .option('--diff', 'only the params and metrics that differ')
    .exitOverride()
    .action((refs: string[], o: { metric?: string; diff?: boolean }, cmd: Command) =>
      withProject(cmd, async (call, opts) => {
        if (refs.length < 2)
          throw new UsageError('`benchtop models compare` needs two or more versions, such as churn/1 churn/2.');
        const resolved: { name: string; version: number }[] = [];
        for (const r of refs) resolved.push(await call('models.resolve', { ref: r }));
        const names = [...new Set(resolved.map((r) => r.name))];
        if (names.length > 1)
          throw new BenchtopError('INVALID_INPUT', `These versions belong to different models (${names.join(', ')}).`, {
            field: 'refs',
            hint: 'Compare versions of one model; runs of different models compare with `benchtop compare RUN RUN`.',
          });
        const cmp = await call('models.compare', {
          name: names[0]!,
          versions: resolved.map((r) => r.version),
          ...(o.metric !== undefined ? { metric: o.metric } : {}),
          onlyDifferences: Boolean(o.diff),
        });
        if (opts.json) return printWireJson(cmp);
        const rows: string[][] = [['', '', ...cmp.versions.map((v) => `v${v.version}`)]];
        rows.push([
          '',
          'aliases',
          ...cmp.versions.map((v) => (v.aliases.length ? v.aliases.map((a) => `@${a}`).join(' ') : '-')),
        ]);
        rows.push(['', 'run', ...cmp.versions.map((v) => v.runName ?? v.runId ?? `(${v.source})`)]);
        for (const p of cmp.params)
          rows.push([p.differs ? '*' : '', `params.${p.key}`, ...p.values.map((x) => x ?? '-')]);
        for (const m of cmp.metrics)
          rows.push([
            m.differs ? '*' : '',
            `metrics.${m.key}`,
            ...m.values.map((x) => (x === null ? '-' : formatValue(x))),
          ]);
        console.log(table(rows));
        if (cmp.hiddenSame)
          console.log(`\n${cmp.hiddenSame} rows that are the same in every version are hidden (--diff).`);
        if (cmp.series)
          console.log(
            `\n${cmp.series.metric} by version: ${cmp.series.points.map((p) => `v${p.version} ${p.value === null ? '-' : formatValue(p.value)}`).join(', ')}`,
          );
      }),
    );
}
