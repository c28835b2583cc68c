// Runs in: CLI (Node). `benchtop monitor add|list|check|show|alerts|ack|delete`: monitors from the terminal.
// `check` exits 3 when a rule raised an alert, 1 when a batch could not be read, 0 otherwise, so a scheduled job or CI can act on it;
// an alert that asks for retraining runs the pipeline here and waits for it. Every command calls
// the contract's `monitors.*` methods through dispatch; the retraining run is followed by its events.
import type { Command } from 'commander';
import { BenchtopError } from '../../shared/contract/errors';
import type { MethodInput } from '../../shared/contract/methods';
import { monitorAddInput } from '../../shared/contract/monitors';
import type { MonitorBatch, MonitorCheckResult, MonitorDetail } from '../../shared/contract/schemas';
import type { Core } from '../core/app/core';
import { sourceFromHere } from './project-paths';
import type { GlobalOptions } from './project';
import { type Call, withProject as withCore } from './core-client';
import { collect } from './project';
import { driftRequestFrom, type DriftRequestOptions } from './drift-commands';
import { cell, printJson, printWireJson, table, UsageError } from './output';

export const ALERT_EXIT = 3;

interface AddOptions extends DriftRequestOptions {
  reference: string;
  batches?: string;
  batch: string[];
  predictions?: string;
  window?: string;
  model?: string;
  rule: string[];
  retrain?: boolean;
}

/** How a retraining run ended, as its last `run.status` event said. */
interface RunSummary {
  runId: string;
  status: string;
}

function withProject<T>(cmd: Command, fn: (call: Call, json: boolean, core: Core) => Promise<T>): Promise<T> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  return withCore(opts, (call, core) => fn(call, Boolean(opts.json), core));
}

/** The monitor's settings checked as the core checks them, so a bad one reads the same as before dispatch. */
function checkAddInput(input: unknown): void {
  const parsed = monitorAddInput.safeParse(input);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'monitor';
  throw new BenchtopError('INVALID_INPUT', `The monitor's ${field} is not valid: ${issue.message}.`, {
    field,
    hint: field === 'name' ? 'Name it with letters, digits, _ . and - only.' : 'See `benchtop monitor add --help`.',
  });
}

const PERF_KEYS = ['accuracy', 'f1', 'roc_auc', 'mae', 'rmse', 'r2'];

function performanceText(b: MonitorBatch): string {
  if (!b.performance) return '-';
  return Object.entries(b.performance.metrics)
    .filter(([k, v]) => PERF_KEYS.includes(k) && v !== null)
    .map(([k, v]) => `${k} ${cell(v)}`)
    .join(', ');
}

/** A prediction-log window's serving figures: requests, error rate, p50/p95/p99 latency. */
function servingText(b: MonitorBatch): string {
  const s = b.serving;
  if (!s) return '-';
  return `${s.requests} req, errors ${cell(s.error_rate)}, p50/p95/p99 ${[s.latency_p50, s.latency_p95, s.latency_p99].map((v) => (v === null ? '-' : cell(Math.round(v * 10) / 10))).join('/')} ms`;
}

/** --window: hour, day, week, or a number of records. */
function windowOption(given: string | undefined): string | number {
  const w = (given ?? 'day').trim().toLowerCase();
  if (w === 'hour' || w === 'day' || w === 'week') return w;
  if (/^\d{1,8}$/.test(w) && Number(w) >= 1) return Number(w);
  throw new UsageError(`--window ${given} is not hour, day, week or a number of records.`);
}

function batchLine(b: MonitorBatch): string {
  const drifted = b.columns.filter((c) => c.drifted).map((c) => c.name);
  const perf = (b.performance ? `; ${performanceText(b)}` : '') + (b.serving ? `; ${servingText(b)}` : '');
  return `${b.label}: drift share ${cell(b.share)} (${b.datasetDrift ? 'DRIFT' : 'no drift'}, ≥ ${cell(b.shareThreshold)} drifts); ${b.drifted} of ${b.tested} columns drifted${drifted.length ? `: ${drifted.join(', ')}` : ''}${perf}\n  report: ${b.report ?? '-'}`;
}

function checkText(r: MonitorCheckResult, run: RunSummary | null): string {
  const lines: string[] = [];
  for (const b of r.batches) {
    lines.push(batchLine(b));
    for (const a of r.alerts.filter((x) => x.batchId === b.id)) lines.push(`  ALERT ${a.rule}: ${a.message}`);
  }
  for (const f of r.failed) lines.push(`${f.label}: not checked: ${f.message}`);
  if (!r.batches.length && !r.failed.length) lines.push(`No new batches (${r.unchanged} already checked).`);
  else if (r.unchanged) lines.push(`${r.unchanged} batch${r.unchanged === 1 ? '' : 'es'} already checked.`);
  if (r.runId) lines.push(`Retraining: pipeline run ${r.runId} ${run ? run.status : 'started'}.`);
  if (r.retrainError) lines.push(`Retraining did not start: ${r.retrainError}`);
  lines.push(r.alerts.length ? `${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'} raised.` : 'No alerts.');
  return lines.join('\n') + '\n';
}

export function timelineTable(m: MonitorDetail): string {
  const alertsBy = new Map<number, number>();
  for (const a of m.alerts) if (a.batchId !== null) alertsBy.set(a.batchId, (alertsBy.get(a.batchId) ?? 0) + 1);
  // Only prediction-log monitors have serving figures; file monitors keep their columns.
  const serving = m.batches.some((b) => b.serving);
  return table([
    [
      'batch',
      'checked',
      'rows',
      'share',
      'drift',
      'drifted columns',
      'performance',
      ...(serving ? ['serving'] : []),
      'alerts',
    ],
    ...m.batches.map((b) => [
      b.label,
      b.checkedAt.slice(0, 19).replace('T', ' '),
      String(b.rows),
      `${cell(b.share)} / ${cell(b.shareThreshold)}`,
      b.datasetDrift ? 'YES' : 'no',
      b.columns
        .filter((c) => c.drifted)
        .map((c) => c.name)
        .join(', ') || '-',
      performanceText(b),
      ...(serving ? [servingText(b)] : []),
      String(alertsBy.get(b.id) ?? 0),
    ]),
  ]);
}

function showText(m: MonitorDetail): string {
  const c = m.config;
  const lines = [
    `Monitor ${m.name}${c.model ? ` watching ${c.model}` : ''}`,
    `reference: ${c.reference}   batches: ${c.predictions ? `prediction log of ${c.predictions.model}, per ${typeof c.predictions.window === 'number' ? `${c.predictions.window} records` : c.predictions.window}` : c.folder !== null ? `${c.folder}/ (every table file)` : c.files.join(', ')}`,
    `rules: ${c.rules.length ? c.rules.join('; ') : 'none'}${c.retrain ? ' (every alert retrains)' : ''}`,
    '',
    m.batches.length ? timelineTable(m) : 'No batches checked yet: run `benchtop monitor check ' + m.name + '`.',
  ];
  const open = m.alerts.filter((a) => a.acknowledgedAt === null);
  if (m.alerts.length)
    lines.push(
      '',
      `Alerts (${open.length} open):`,
      ...m.alerts
        .slice(0, 20)
        .map(
          (a) =>
            `  #${a.id} ${a.at.slice(0, 19).replace('T', ' ')} ${a.rule}: ${a.message}${a.runId ? ` → run ${a.runId}` : ''}${a.acknowledgedAt ? ' (acknowledged)' : ''}`,
        ),
    );
  return lines.join('\n') + '\n';
}

export function registerMonitorCommands(program: Command, setExitCode: (code: number) => void): void {
  const monitor = program
    .command('monitor')
    .description('watch batches of production data against a reference, with alert rules');

  monitor
    .command('add')
    .description('add a monitor; everything it names is checked first')
    .argument('<name>', 'letters, digits, _ . -')
    .requiredOption('--reference <source>', 'the reference data: a table file, data/x.csv@REV, or run:RUN_ID/path')
    .option('--batches <folder>', 'every CSV, TSV, JSONL or Parquet file in this folder is a batch, in name order')
    .option('--batch <file>', 'a batch file (repeatable), instead of --batches', collect, [])
    .option('--predictions <model>', "batches from this model's prediction log instead of files: one per closed window")
    .option('--window <window>', 'with --predictions: hour, day (default) or week (UTC), or a number of records')
    .option('--model <ref>', 'the model version it watches: NAME@ALIAS or NAME/N')
    .option('--target <column>', 'the true label or value')
    .option('--prediction <column>', "the model's prediction")
    .option('--score <column>', 'the positive class score, for ROC AUC')
    .option('--id <column>', 'an ID column, not tested (repeatable)', collect, [])
    .option('--timestamp <column>', 'a timestamp column (not tested)')
    .option('--test <column=name>', 'the test for a column (repeatable)', collect, [])
    .option('--threshold <column=x>', 'the threshold for a column (repeatable)', collect, [])
    .option('--type <column=type>', 'the type of a column (repeatable)', collect, [])
    .option('--exclude <column>', 'leave a column out (repeatable)', collect, [])
    .option('--share-threshold <x>', 'a batch drifts when at least this share of columns drift (default 0.5)')
    .option(
      '--rule <rule>',
      'an alert rule (repeatable), e.g. "drift_share >= 0.5 for 2", "accuracy < 0.85", "column:income drifted"',
      collect,
      [],
    )
    .option('--retrain', 'every alert starts the pipeline (a rule can also end in "retrain")')
    .exitOverride()
    .action((name: string, o: AddOptions, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        if (o.window !== undefined && o.predictions === undefined)
          throw new UsageError('--window goes with --predictions MODEL.');
        // The drift command's parsing of --test/--threshold/--type gives the same errors here.
        const request = driftRequestFrom(o.reference, o.reference, { ...o, json }) as Record<string, unknown>;
        const input = {
          name,
          reference: await sourceFromHere(call, o.reference),
          ...(o.batches !== undefined ? { folder: await sourceFromHere(call, o.batches) } : {}),
          ...(o.batch.length ? { files: await Promise.all(o.batch.map((f) => sourceFromHere(call, f))) } : {}),
          ...(o.predictions !== undefined
            ? { predictions: { model: o.predictions, window: windowOption(o.window) } }
            : {}),
          ...(o.model !== undefined ? { model: o.model } : {}),
          ...Object.fromEntries(
            ['target', 'prediction', 'score', 'id', 'timestamp', 'shareThreshold']
              .filter((k) => request[k] !== undefined)
              .map((k) => [k, request[k]]),
          ),
          columns: request.columns,
          exclude: request.exclude,
          rules: o.rule,
          retrain: Boolean(o.retrain),
        };
        checkAddInput(input);
        const m = await call('monitors.add', input as MethodInput<'monitors.add'>);
        if (json) printJson(m);
        else
          process.stdout.write(
            `Added monitor ${m.name}: ${m.config.rules.length} rule${m.config.rules.length === 1 ? '' : 's'}. Check it with \`benchtop monitor check ${m.name}\`.\n`,
          );
      }),
    );

  monitor
    .command('list')
    .description('monitors with their last check and open alerts')
    .exitOverride()
    .action((_o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const { monitors } = await call('monitors.list', {});
        if (json) return printJson({ monitors });
        if (!monitors.length)
          return void process.stdout.write('No monitors yet: add one with `benchtop monitor add`.\n');
        process.stdout.write(
          table([
            ['name', 'model', 'batches', 'open alerts', 'last status', 'last check'],
            ...monitors.map((m) => [
              m.name,
              m.model ?? '-',
              String(m.batches),
              String(m.openAlerts),
              m.lastStatus,
              m.lastRunAt?.slice(0, 19).replace('T', ' ') ?? '-',
            ]),
          ]) + '\n',
        );
      }),
    );

  monitor
    .command('check')
    .description(`check the batches not yet checked; exits ${ALERT_EXIT} when an alert was raised`)
    .argument('<name>', 'the monitor')
    .exitOverride()
    .action((name: string, _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json, core) => {
        // A retraining run starts in the background; its log streams here and its last status
        // event says how it ended (kept by run id, as it may end before the check returns).
        const ended = new Map<string, string>();
        let wake: (() => void) | null = null;
        const unsubscribe = core.events.subscribe((e) => {
          if (e.name === 'run.log' && !e.payload.sweep) {
            if (!json) process.stderr.write(`${e.payload.stage} | ${e.payload.line}\n`);
          } else if (e.name === 'run.status' && !e.payload.sweep && e.payload.status !== 'running') {
            ended.set(e.payload.runId, e.payload.status);
            wake?.();
          }
        });
        let run: RunSummary | null = null;
        let result: MonitorCheckResult;
        try {
          result = await call('monitors.check', { name });
          // The process must not end (and close the database) under a running pipeline.
          const runId = result.runId;
          if (runId) {
            while (!ended.has(runId)) await new Promise<void>((resolve) => (wake = resolve));
            // Let the pipeline service see its run finished before the core shuts down.
            await new Promise((resolve) => setImmediate(resolve));
            await new Promise((resolve) => setImmediate(resolve));
            run = { runId, status: ended.get(runId)! };
          }
        } finally {
          unsubscribe();
        }
        if (json) printWireJson({ ...result, run: run ? { id: run.runId, status: run.status } : null });
        else process.stdout.write(checkText(result, run));
        // An alert matters most; a batch that could not be read is still a failure to report.
        setExitCode(result.alerts.length ? ALERT_EXIT : result.failed.length ? 1 : 0);
      }),
    );

  monitor
    .command('show')
    .description("a monitor's settings, its timeline of batches and its alerts")
    .argument('<name>', 'the monitor')
    .option(
      '--html [file]',
      'also write the timeline as an HTML report into reports/ (this file name, or monitor-NAME-DATE.html)',
    )
    .exitOverride()
    .action((name: string, o: { html?: string | boolean }, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const m = await call('monitors.get', { name });
        const written = o.html
          ? await call('monitors.report', { name, ...(typeof o.html === 'string' ? { file: o.html } : {}) })
          : null;
        if (json) printWireJson(written ? { ...m, report: written } : m);
        else process.stdout.write(showText(m) + (written ? `\nWrote ${written.path} (${written.size} bytes).\n` : ''));
      }),
    );

  monitor
    .command('alerts')
    .description("alerts, newest first: one monitor's or every monitor's")
    .argument('[name]', 'only this monitor')
    .option('--open', 'leave out acknowledged alerts')
    .exitOverride()
    .action((name: string | undefined, o: { open?: boolean }, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const { alerts } = await call('monitors.alerts', {
          ...(name !== undefined ? { name } : {}),
          open: Boolean(o.open),
        });
        if (json) return printJson({ alerts });
        if (!alerts.length) return void process.stdout.write(o.open ? 'No open alerts.\n' : 'No alerts.\n');
        process.stdout.write(
          table([
            ['id', 'at', 'monitor', 'batch', 'rule', 'message', 'run', 'acknowledged'],
            ...alerts.map((a) => [
              String(a.id),
              a.at.slice(0, 19).replace('T', ' '),
              a.monitor,
              a.batch ?? '-',
              a.rule,
              a.message,
              a.runId ?? '-',
              a.acknowledgedAt ? 'yes' : 'no',
            ]),
          ]) + '\n',
        );
      }),
    );

  monitor
    .command('ack')
    .description('acknowledge alerts (mark them as seen)')
    .argument('<ids...>', 'alert ids, as `benchtop monitor alerts` shows them')
    .exitOverride()
    .action((ids: string[], _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const numbers = ids.map((id) => {
          if (!/^\d{1,15}$/.test(id) || Number(id) < 1)
            throw new UsageError(`"${id}" is not an alert id (a whole number, as \`benchtop monitor alerts\` shows).`);
          return Number(id);
        });
        const done = [];
        for (const id of numbers) done.push(await call('monitors.acknowledge', { id }));
        if (json) printJson({ alerts: done });
        else process.stdout.write(`Acknowledged ${done.length} alert${done.length === 1 ? '' : 's'}.\n`);
      }),
    );

  monitor
    .command('delete')
    .description('delete a monitor with its batches and alerts (its reports stay)')
    .argument('<name>', 'the monitor')
    .exitOverride()
    .action((name: string, _o: unknown, cmd: Command) =>
      withProject(cmd, async (call, json) => {
        const r = await call('monitors.delete', { name });
        if (json) printJson(r);
        else process.stdout.write(`Deleted monitor ${name} (${r.batches} batches, ${r.alerts} alerts).\n`);
      }),
    );
}
