// Runs in: CLI (Node). `benchtop monitor add|list|check|show|alerts|ack|delete`: monitors from the terminal.
// `check` exits 3 when a rule raised an alert, 1 when a batch could not be read, 0 otherwise, so a scheduled job or CI can act on it;
// an alert that asks for retraining runs the pipeline here and waits for it.
import type { Command } from 'commander';
import type { MonitorBatch, MonitorCheckResult, MonitorDetail } from '../../shared/contract/schemas';
import { listMonitors } from '../core/monitoring/list';
import {
  acknowledgeAlert,
  addMonitor,
  checkMonitor,
  deleteMonitor,
  getMonitor,
  listAlerts,
} from '../core/monitoring/monitors';
import type { RunSummary } from '../core/pipeline/runner';
import { PipelineService } from '../core/pipeline/service';
import { writeMonitorReport } from '../core/reports/monitor';
import type { Workspace } from '../core/workspace/workspace';
import type { GlobalOptions } from './commands';
import { collect, openProject } from './project';
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

async function withProject<T>(cmd: Command, fn: (ws: Workspace, json: boolean) => Promise<T> | T): Promise<T> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const ws = openProject(opts);
  try {
    return await fn(ws, Boolean(opts.json));
  } finally {
    ws.close();
  }
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
    .option('--id <column>', 'an ID column (not tested)')
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
      withProject(cmd, async (ws, json) => {
        if (o.window !== undefined && o.predictions === undefined)
          throw new UsageError('--window goes with --predictions MODEL.');
        // The drift command's parsing of --test/--threshold/--type gives the same errors here.
        const request = driftRequestFrom(o.reference, o.reference, { ...o, json }) as Record<string, unknown>;
        const input = {
          name,
          reference: o.reference,
          ...(o.batches !== undefined ? { folder: o.batches } : {}),
          ...(o.batch.length ? { files: o.batch } : {}),
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
        const m = await addMonitor(ws.dir, ws.db, input as Parameters<typeof addMonitor>[2], process.cwd());
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
      withProject(cmd, (ws, json) => {
        const { monitors } = listMonitors(ws.db);
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
      withProject(cmd, async (ws, json) => {
        const service = new PipelineService(ws.dir, ws.db, (e) => {
          if (!json && e.name === 'run.log') process.stderr.write(`${e.payload.stage} | ${e.payload.line}\n`);
        });
        let done: Promise<RunSummary> | null = null;
        const result = await checkMonitor(ws.dir, ws.db, name, {
          project: ws.name,
          retrain: async (reason) => {
            const started = await service.start({ trigger: `triggered: ${reason}` });
            done = started.done;
            return started.runId;
          },
        });
        // The process must not end (and close the database) under a running pipeline.
        const run: RunSummary | null = done ? await (done as Promise<RunSummary>) : null;
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
      withProject(cmd, (ws, json) => {
        const m = getMonitor(ws.db, name);
        const written = o.html
          ? writeMonitorReport(ws.dir, m, { project: ws.name, ...(typeof o.html === 'string' ? { file: o.html } : {}) })
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
      withProject(cmd, (ws, json) => {
        const alerts = listAlerts(ws.db, name, Boolean(o.open));
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
      withProject(cmd, (ws, json) => {
        const numbers = ids.map((id) => {
          if (!/^\d{1,15}$/.test(id) || Number(id) < 1)
            throw new UsageError(`"${id}" is not an alert id (a whole number, as \`benchtop monitor alerts\` shows).`);
          return Number(id);
        });
        const done = numbers.map((id) => acknowledgeAlert(ws.db, id));
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
      withProject(cmd, (ws, json) => {
        const r = deleteMonitor(ws.db, name);
        if (json) printJson(r);
        else process.stdout.write(`Deleted monitor ${name} (${r.batches} batches, ${r.alerts} alerts).\n`);
      }),
    );
}
