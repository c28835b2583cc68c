// Runs in: CLI (Node). `benchtop runs`: find runs with the query language; `runs show ID`,
// `runs rename ID NAME`, delete, restore and purge.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../shared/contract/errors';
import { writeFileAtomic } from '../core/util/atomic-write';
import type { GlobalOptions } from './project';
import { type Call, withProject } from './core-client';
import { cell, printJson, table, UsageError } from './output';
import { runsToCsv } from './runs-csv';

export interface RunsOptions extends GlobalOptions {
  deleted?: boolean;
  filter?: string;
  sort?: string;
  limit?: string;
}

const ACTIONS = ['show', 'rename', 'delete', 'restore', 'purge'];

/** The most runs.search returns at once; a larger --limit lists them all, as it always did. */
const MAX_LIMIT = 100_000;

export async function runsCommand(action: string | undefined, ids: string[], opts: RunsOptions): Promise<void> {
  if (action !== undefined && !ACTIONS.includes(action))
    throw new UsageError(`unknown runs action "${action}"; use show, rename, delete, restore or purge.`);
  if ((action === 'show' || action === 'delete' || action === 'restore') && ids.length === 0)
    throw new UsageError(`\`benchtop runs ${action}\` needs a run id.`);
  if (action === 'rename' && ids.length !== 2)
    throw new UsageError('`benchtop runs rename` needs a run id and the new name: benchtop runs rename ID "new name".');
  const id = ids[0];
  const limit = opts.limit === undefined ? 100 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a whole number of at least 1, not "${opts.limit}".`);
  await withProject(opts, async (call) => {
    if (action === 'show') return showRun(call, id!, Boolean(opts.json));
    if (action === 'rename') {
      const run = await call('runs.update', { id: id!, name: ids[1]! });
      if (opts.json) return printJson({ id: run.id, name: run.name });
      console.log(`Renamed ${run.id} to "${run.name}".`);
      return;
    }
    if (action === 'delete' || action === 'restore' || action === 'purge') {
      const { changed } =
        action === 'delete'
          ? await call('runs.delete', { ids })
          : action === 'restore'
            ? await call('runs.restore', { ids })
            : await call('runs.purge', ids.length ? { ids } : {});
      if (opts.json) return printJson({ changed });
      const verb = { delete: 'Deleted', restore: 'Restored', purge: 'Purged' }[action];
      console.log(
        `${verb} ${changed} run${changed === 1 ? '' : 's'}.${action === 'delete' && changed ? ' `benchtop runs restore ID` brings a run back; `benchtop runs purge` removes deleted runs for good.' : ''}`,
      );
      return;
    }
    const { runs } = await call('runs.search', {
      filter: opts.filter ?? '',
      sort: opts.sort ?? '-start_time',
      limit: Math.min(limit, MAX_LIMIT),
      deleted: opts.deleted ? 'only' : 'hide',
    });
    if (opts.json) return printJson(runs);
    if (runs.length === 0) {
      console.log(opts.filter ? 'No run matches the filter.' : 'No runs yet.');
      return;
    }
    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort().slice(0, 6);
    const rows = [['id', 'name', 'status', 'experiment', 'started', ...metricKeys]];
    for (const r of runs)
      rows.push([
        r.id,
        r.name,
        r.status,
        r.experiment,
        r.startTime?.replace('T', ' ').slice(0, 19) ?? '-',
        ...metricKeys.map((k) => cell(r.metrics[k])),
      ]);
    console.log(table(rows));
  });
}

async function showRun(call: Call, id: string, json: boolean): Promise<void> {
  const {
    runs: [run],
  } = await call('runs.search', { filter: `id = '${id.replace(/'/g, "''")}'`, limit: 1, deleted: 'include' });
  if (!run)
    throw new BenchtopError('NOT_FOUND', `There is no run ${id} in this project.`, {
      hint: 'List runs with `benchtop runs`.',
    });
  const { stages, artifacts: io, points, gitCommit, trigger } = await call('runs.provenance', { id });
  const commit = { c: gitCommit, trigger };
  if (json) return printJson({ ...run, gitCommit: commit.c, trigger: commit.trigger, stages, artifacts: io });
  console.log(`${run.id}  ${run.status}  (${run.experiment})`);
  console.log(`name ${run.name}`);
  console.log(
    `started ${run.startTime ?? '-'}, ended ${run.endTime ?? '-'}${run.duration !== null ? `, ${cell(run.duration)} s` : ''}; commit ${commit.c?.slice(0, 7) ?? '-'}; trigger ${commit.trigger}`,
  );
  const section = (title: string, entries: [string, string][]): void => {
    if (entries.length === 0) return;
    console.log(`\n${title}`);
    for (const [k, v] of entries) console.log(`  ${k} = ${v}`);
  };
  section(
    'params',
    Object.entries(run.params).map(([k, v]) => [k, v]),
  );
  section(
    'metrics (latest)',
    Object.entries(run.metrics).map(([k, v]) => [
      k,
      `${cell(v)}${(points.find((p) => p.key === k)?.n ?? 1) > 1 ? `  (${points.find((p) => p.key === k)!.n} points)` : ''}`,
    ]),
  );
  section('tags', Object.entries(run.tags));
  section(
    'stages',
    stages.map((s) => [
      s.stage,
      `${s.status}${s.durationMs !== null ? ` in ${cell(s.durationMs / 1000)} s` : ''}${s.reason ? ` (${s.reason})` : ''}`,
    ]),
  );
  section(
    'inputs and outputs',
    io.map((a) => [`${a.stage} ${a.role} ${a.path}`, a.hash ? a.hash.slice(0, 12) : '-']),
  );
}

/** `benchtop export runs [--format csv|json] [--filter EXPR] [--output FILE]`. */
export async function exportCommand(
  what: string,
  opts: RunsOptions & { format?: string; output?: string },
): Promise<void> {
  if (what !== 'runs') throw new UsageError(`cannot export "${what}"; only \`benchtop export runs\` exists.`);
  const format = opts.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not "${format}".`);
  await withProject(opts, async (call) => {
    const { runs } = await call('runs.search', {
      filter: opts.filter ?? '',
      sort: opts.sort ?? '-start_time',
      limit: MAX_LIMIT,
    });
    const text = format === 'csv' ? runsToCsv(runs) : `${JSON.stringify(runs, null, 2)}\n`;
    if (!opts.output) {
      process.stdout.write(text);
      return;
    }
    const file = path.resolve(opts.output);
    if (existsSync(file))
      throw new BenchtopError('ALREADY_EXISTS', `${file} exists already; Benchtop does not overwrite files.`, {
        hint: 'Choose another --output, or move the file away first.',
      });
    writeFileAtomic(file, text);
    console.error(`Exported ${runs.length} run${runs.length === 1 ? '' : 's'} to ${file}.`);
  });
}
