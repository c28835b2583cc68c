// Runs in: main (core), called by the CLI's `benchtop demo`. The whole lifecycle of the demo project,
// headless, in the order people learn it: a data version, a pipeline run, a sweep, the comparison,
// the champion, a local endpoint answering each production week, the monitor's drift alert, the
// retraining run it starts, and the new champion; with the reports written to the project's reports/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { BenchtopError } from '../../../shared/contract/errors';
import type { MonitorCheckResult } from '../../../shared/contract/schemas';
import { dataLog } from '../data/history';
import { checkMonitor } from '../monitoring/monitors';
import { runSweep } from '../pipeline/sweeps';
import { loadPipeline } from '../pipeline/load';
import { PipelineRun, type RunSummary } from '../pipeline/runner';
import { cardHtml, modelCard } from '../registry/card';
import { resolveModelRef } from '../registry/refs';
import { renderReport } from '../reports/document';
import { writeMonitorReport } from '../reports/monitor';
import { writeProjectReport } from '../reports/writer';
import { startEndpoint } from '../serving/endpoint';
import { REPORTS_DIR } from '../util/layout';
import { compareRuns, comparisonReport } from '../tracking/compare';
import { getMonitor } from '../monitoring/monitors';
import { initProject } from './init';
import { DEMO_DATA, DEMO_MODEL, DEMO_MONITOR } from '../demo/demo-monitor';
import type { Workspace } from '../workspace/workspace';
import { deliverWeek, productionWeeks } from '../demo/deliver';
import { flushRecords } from '../sync/records-store';

export interface DemoStep {
  step: string;
  ok: boolean;
  summary: string;
  seconds: number;
}

export interface DemoResult {
  dir: string;
  seconds: number;
  steps: DemoStep[];
  dataVersions: number;
  pipelineRun: { runId: string; status: string };
  sweep: { runId: string; status: string; params: Record<string, string> }[];
  champion: { before: number; first: number; after: number };
  endpoint: { url: string; weeks: number; records: number; versions: number[] };
  monitor: {
    batches: { label: string; share: number; datasetDrift: boolean; accuracy: number | null }[];
    alerts: { batch: string; rule: string; message: string }[];
  };
  retrain: { runId: string | null; status: string | null; error: string | null };
  reports: string[];
}

/** The files reports/ may hold, as the Reports list reads them. */
const REPORT_FILE = /\.(html|pdf|json)$/i;
const FORMAT_NAMES: Record<string, string> = { html: 'HTML', pdf: 'PDF', json: 'JSON' };

/**
 * "11 reports (13 files: HTML and JSON)": a report written in two formats (run-comparison.html and
 * .json) is one report in two files, so both are counted, and the formats named.
 */
export function reportsSummary(files: readonly string[]): string {
  const reports = new Set(files.map((f) => f.replace(/\.[^.]+$/, ''))).size;
  const formats = Object.keys(FORMAT_NAMES)
    .filter((ext) => files.some((f) => f.toLowerCase().endsWith(`.${ext}`)))
    .map((ext) => FORMAT_NAMES[ext]!);
  const named =
    formats.length > 1 ? `${formats.slice(0, -1).join(', ')} and ${formats[formats.length - 1]}` : formats[0];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(reports, 'report')} (${plural(files.length, 'file')}${named ? `: ${named}` : ''})`;
}

/** The sweep: the other family at three depths (the first run was logistic regression). */
export const DEMO_SWEEP = ['model.family=boosted', 'boost.depth=1,2,3'];

function checkTarget(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new BenchtopError('ALREADY_EXISTS', `${dir} is a file.`, {
        field: 'dir',
        hint: 'Give a new or empty folder for the demo.',
      });
    if (readdirSync(dir).length > 0)
      throw new BenchtopError('ALREADY_EXISTS', `${dir} is not empty.`, {
        field: 'dir',
        hint: 'Give a new or empty folder: the demo creates a whole project there.',
      });
  }
}

async function runPipeline(ws: Workspace, emit: (e: BenchtopEvent) => void, trigger: string): Promise<RunSummary> {
  const pipeline = loadPipeline(ws.dir);
  if (!pipeline) throw new BenchtopError('NOT_FOUND', `${ws.dir} has no benchtop.yaml.`);
  return new PipelineRun({ projectDir: ws.dir, db: ws.db, emit }, pipeline, { trigger }).execute();
}

function championVersion(ws: Workspace): number {
  return resolveModelRef(ws.db, `${DEMO_MODEL}@champion`).version;
}

/** Runs the story in `dirInput` (created; must be new or empty). `say` hears one line per step as it ends. */
export async function runDemoStory(
  dirInput: string,
  say: (step: DemoStep) => void = () => undefined,
): Promise<DemoResult> {
  const dir = path.resolve(dirInput);
  checkTarget(dir);
  const started = Date.now();
  const steps: DemoStep[] = [];
  const step = async <T>(name: string, fn: () => Promise<{ value: T; summary: string; ok?: boolean }>): Promise<T> => {
    const t = Date.now();
    const { value, summary, ok } = await fn();
    const s = { step: name, ok: ok ?? true, summary, seconds: (Date.now() - t) / 1000 };
    steps.push(s);
    say(s);
    return value;
  };
  const emit = (): void => undefined;

  const ws = await step('create', async () => {
    const r = await initProject(dir, { demo: true });
    return {
      value: r.workspace,
      summary: `demo project created in ${dir} (${r.written.length} files, committed to a new git repository)`,
    };
  });
  try {
    const dataVersions = await step('data version', async () => {
      const log = await dataLog(ws.dir, DEMO_DATA);
      const rows = readFileSync(path.join(ws.dir, DEMO_DATA), 'utf8').trim().split('\n').length - 1;
      return {
        value: log.length,
        ok: log.length > 0,
        summary: `${DEMO_DATA} (${rows} applications) tracked by ${DEMO_DATA}.bt: ${log.length} version${log.length === 1 ? '' : 's'} in \`benchtop data log\``,
      };
    });
    const before = championVersion(ws);
    const first = await step('pipeline', async () => {
      const r = await runPipeline(ws, emit, 'benchtop demo');
      return {
        value: r,
        ok: r.status === 'succeeded',
        summary: `run ${r.runId} ${r.status} (prepare → train → evaluate, logistic regression)`,
      };
    });
    const sweep = await step('sweep', async () => {
      // One at a time: each run's evaluate then meets the champion the previous run left.
      const r = await runSweep(ws.dir, ws.db, emit, { sweeps: DEMO_SWEEP, jobs: 1 });
      const runs = r.runs.map((x) => ({
        runId: x.summary?.runId ?? '',
        status: x.summary?.status ?? 'error',
        params: Object.fromEntries(x.overrides.map((o) => [o.key, String(o.value)])),
      }));
      const ok = runs.every((x) => x.status === 'succeeded');
      return {
        value: runs,
        ok,
        summary: `sweep ${r.sweepId}: ${runs.length} runs of boosted trees (depth 1, 2, 3): ${runs.map((x) => x.status).join(', ')}`,
      };
    });
    const runIds = [first.runId, ...sweep.map((s) => s.runId)].filter((id) => id !== '');
    await step('compare', async () => {
      const cmp = compareRuns(ws.db, runIds);
      const html = writeProjectReport(
        ws.dir,
        renderReport(comparisonReport(ws.db, runIds, { project: ws.name, metric: 'auc' })),
        { slug: 'comparison', name: 'run-comparison.html' },
      );
      writeProjectReport(ws.dir, JSON.stringify(cmp, null, 2) + '\n', {
        slug: 'comparison',
        name: 'run-comparison.json',
        ext: 'json',
      });
      const auc = cmp.metrics.find((m) => m.key === 'auc');
      return {
        value: null,
        summary: `${runIds.length} runs compared (AUC ${auc ? auc.values.map((v) => (typeof v === 'number' ? v.toFixed(3) : '-')).join(', ') : '-'}): ${html.path}`,
      };
    });
    const firstChampion = await step('champion', async () => {
      const v = championVersion(ws);
      return {
        value: v,
        ok: v !== before,
        summary: `${DEMO_MODEL}@champion moved from version ${before} (the scorecard) to version ${v}, the best by AUC on the same test rows`,
      };
    });

    const served = await step('serve and production', async () => {
      const endpoint = await startEndpoint({ projectDir: ws.dir, db: ws.db, ref: `${DEMO_MODEL}@champion` });
      try {
        const url = endpoint.status().url;
        const versions = new Set<number>();
        let records = 0;
        const weeks = productionWeeks(ws.dir);
        for (const week of weeks) {
          const r = await deliverWeek(ws.dir, week, url);
          records += r.records;
          versions.add(r.version);
        }
        return {
          value: { url, weeks: weeks.length, records, versions: [...versions] },
          summary: `${DEMO_MODEL}@champion served at ${url}; ${weeks.length} weeks of applications (${records} requests' records) answered and written to data/batches with their outcomes`,
        };
      } finally {
        await endpoint.close('benchtop demo is done with it');
      }
    });

    let check: MonitorCheckResult | null = null;
    let retrainSummary: RunSummary | null = null;
    await step('monitor', async () => {
      check = await checkMonitor(ws.dir, ws.db, DEMO_MONITOR.name, {
        project: ws.name,
        retrain: async (reason) => {
          retrainSummary = await runPipeline(ws, emit, `triggered: ${reason}`);
          return retrainSummary.runId;
        },
      });
      const drifted = check.batches.filter((b) => b.datasetDrift).map((b) => b.label);
      return {
        value: null,
        ok: check.alerts.length > 0,
        summary: `${DEMO_MONITOR.name}: ${check.batches.length} weeks checked, drift in ${drifted.join(', ') || 'none'}; ${check.alerts.length} alerts (${[...new Set(check.alerts.map((a) => a.rule))].join('; ')})`,
      };
    });
    const result = check as MonitorCheckResult | null;
    const retrained = retrainSummary as RunSummary | null;
    await step('retrain', async () => ({
      value: null,
      ok: retrained?.status === 'succeeded',
      summary: retrained
        ? `run ${retrained.runId} ${retrained.status}, triggered by the alert, on the history and the ${result?.batches.length ?? 0} labeled weeks`
        : `no retraining run: ${result?.retrainError ?? 'no alert asked for one'}`,
    }));
    const after = await step('new champion', async () => {
      const v = championVersion(ws);
      return {
        value: v,
        ok: v > firstChampion,
        summary:
          v > firstChampion
            ? `${DEMO_MODEL}@champion moved from version ${firstChampion} to ${v}: it beat the old champion on the current test rows`
            : `${DEMO_MODEL}@champion stayed at version ${v}`,
      };
    });

    const reports = await step('reports', async () => {
      // The week-by-week drift reports are the monitor's (written by its check above); a drift report
      // of the story's own for week 8 would be a second one, with other column roles, that disagrees.
      const card = await modelCard(ws.dir, ws.db, DEMO_MODEL, after);
      writeProjectReport(ws.dir, cardHtml(card, ws.name), {
        slug: 'card',
        name: `model-card-${DEMO_MODEL}-v${after}.html`,
      });
      writeProjectReport(ws.dir, JSON.stringify(card, null, 2) + '\n', {
        slug: 'card',
        name: `model-card-${DEMO_MODEL}-v${after}.json`,
        ext: 'json',
      });
      writeMonitorReport(ws.dir, getMonitor(ws.db, DEMO_MONITOR.name), {
        project: ws.name,
        file: `monitor-${DEMO_MONITOR.name}.html`,
      });
      // What reports/ holds is what is counted and listed, so the two cannot drift apart.
      const written = readdirSync(path.join(ws.dir, REPORTS_DIR))
        .filter((f) => REPORT_FILE.test(f))
        .sort();
      return { value: written, summary: `${reportsSummary(written)} in ${path.join(ws.dir, REPORTS_DIR)}` };
    });

    return {
      dir: ws.dir,
      seconds: (Date.now() - started) / 1000,
      steps,
      dataVersions,
      pipelineRun: { runId: first.runId, status: first.status },
      sweep,
      champion: { before, first: firstChampion, after },
      endpoint: served,
      monitor: {
        batches: (result?.batches ?? []).map((b) => ({
          label: b.label,
          share: b.share,
          datasetDrift: b.datasetDrift,
          accuracy: b.performance?.metrics.accuracy ?? null,
        })),
        alerts: (result?.alerts ?? []).map((a) => ({
          batch: result!.batches.find((b) => b.id === a.batchId)?.label ?? '',
          rule: a.rule,
          message: a.message,
        })),
      },
      retrain: {
        runId: retrained?.runId ?? null,
        status: retrained?.status ?? null,
        error: result?.retrainError ?? null,
      },
      reports: reports.map((f) => path.join(ws.dir, REPORTS_DIR, f)),
    };
  } finally {
    // The story's runs, registry and monitor are written as records, ready for `benchtop push`.
    await flushRecords(ws).catch(() => undefined);
    ws.close();
  }
}
