// Runs in: main (core). The contract's `experiments.*` and `runs.*` handlers, and `reports.compare`
// (a comparison of runs, which the reports folder cannot build: it sits below tracking).
import path from 'node:path';
import type { Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { BenchtopEvent } from '../../../shared/contract/events';
import type { ParsedInput } from '../../../shared/contract/methods';
import type { InboxIngest } from '../../../shared/contract/tracking';
import { insideProject } from '../files/list-files';
import { headCommit, isDirty } from '../git/git';
import { sha256File } from '../git/object-store';
import { writeTransaction } from '../store/database';
import { renderReport } from '../reports/document';
import { UPLOADS_DIR } from '../util/layout';
import { writeProjectReport, writeReportFile } from '../reports/writer';
import type { Workspace } from '../workspace/workspace';
import { previewArtifact } from './artifact-preview';
import { artifactObject, logArtifactFile, recordArtifact } from './artifacts';
import { type InboxTarget, ingestInbox } from './inbox';
import { checkKey } from './limits';
import { compareRuns, comparisonReport } from './compare';
import { deleteRuns, purgeRuns, restoreRuns } from './delete';
import { metricHistory } from './history';
import { importMlflow } from './import-mlflow';
import { createExperiment, experimentById, experimentByName, searchExperiments } from './experiments';
import { listExperiments } from './list';
import { runProvenance } from './run-provenance';
import type { MetricWriter } from './metric-writer';
import { artifactEntries, metricPoints, runRecords } from './records';
import {
  createRun,
  deleteTags as removeTags,
  endRun,
  getRun,
  logInputs,
  logParams,
  requireRun,
  runKeys,
  setTags,
  updateRun,
} from './runs';
import { searchRuns } from './search';

type TrackingHandlers = Pick<
  Handlers,
  Extract<keyof Handlers, `experiments.${string}` | `runs.${string}`> | 'reports.compare'
>;

export interface TrackingContext {
  project(): Workspace;
  emit(e: BenchtopEvent): void;
  /** The open project's metric writer (made on first use). */
  metrics(): MetricWriter;
  /** Writes buffered points, if any: a read after a log must see them. */
  flushMetrics(): void;
  forgetMetrics(runId: string): void;
}

/** An ISO time as stored, from any date-time text Date.parse reads; refused otherwise. */
function isoTime(text: string, field: string): string {
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new BenchtopError('INVALID_INPUT', `${field} "${text}" is not a date and time.`, {
      field,
      hint: 'Give an ISO time such as 2026-01-31T12:00:00Z, or leave it out.',
    });
  return new Date(t).toISOString();
}

export function trackingHandlers(ctx: TrackingContext): TrackingHandlers {
  const db = () => ctx.project().db;

  // runs.create, runs.log and runs.end, shared by the live API and the inbox (inbox.ts), so a
  // script's calls are checked and written the same way whether a server ran or not.
  const create = ({ startedAt, ...input }: ParsedInput<'runs.create'>): string => {
    const runId = createRun(db(), {
      ...input,
      ...(startedAt !== undefined ? { startedAt: isoTime(startedAt, 'startedAt') } : {}),
    });
    ctx.emit({ name: 'run.status', payload: { runId, status: 'running', at: new Date().toISOString() } });
    return runId;
  };
  const logBatch = ({ runId, metrics, params, tags, inputs, name, deleteTags }: ParsedInput<'runs.log'>) => {
    const d = db();
    if (requireRun(d, runId).deleted)
      throw new BenchtopError('CONFLICT', `Run ${runId} is deleted, so nothing more can be logged to it.`, {
        field: 'runId',
        hint: 'Restore it first.',
      });
    // Every key first: a bad one refuses the whole batch, not the points after the ones queued.
    for (const key of new Set(metrics.map((m) => m.key))) checkKey('metric', key);
    logParams(d, runId, params);
    setTags(d, runId, tags);
    if (deleteTags?.length) removeTags(d, runId, deleteTags);
    logInputs(d, runId, inputs);
    metrics.forEach((m, i) => {
      let at: string | undefined;
      if (m.at !== undefined) {
        const t = Date.parse(m.at);
        if (Number.isNaN(t))
          throw new BenchtopError('INVALID_INPUT', `metrics.${i}.at "${m.at}" is not a date and time.`, {
            field: `metrics.${i}.at`,
            hint: 'Give an ISO time such as 2026-01-31T12:00:00Z, or leave it out.',
          });
        at = new Date(t).toISOString();
      }
      ctx.metrics().add({ runId, key: m.key, value: m.value, step: m.step, at });
    });
    // The batch is the caller's own: write it before answering, so a read after a log sees it.
    ctx.metrics().flush();
    // A full disk does not throw from the writer (it keeps the points): the caller still hears of it.
    const full = ctx.metrics().failure;
    if (full)
      throw new BenchtopError(
        'INTERNAL',
        `The metrics could not be saved yet (${full.message}); they are kept and written once there is room.`,
        { hint: 'Free some disk space; there is no need to send them again.' },
      );
    if (name !== undefined) updateRun(d, runId, { name });
    return { metrics: metrics.length };
  };
  const end = ({ runId, status, at, name }: ParsedInput<'runs.end'>) => {
    ctx.flushMetrics();
    const d = db();
    const endedAt = at === undefined ? undefined : isoTime(at, 'at');
    // The name and the end land together, or neither does.
    const ended = writeTransaction(d, () => {
      if (name !== undefined) updateRun(d, runId, { name });
      return endRun(d, runId, status, endedAt);
    });
    ctx.forgetMetrics(runId);
    ctx.emit({ name: 'run.status', payload: { runId, status: ended, at: new Date().toISOString() } });
    return { status: ended };
  };
  const inboxTarget: InboxTarget = {
    create: (input) => void create({ ...input, gitCommit: input.gitCommit ?? null, gitDirty: input.gitDirty ?? null }),
    log: (input) => void logBatch(input),
    end: (input) => void end(input),
    artifact: (runId, name, hash, size) => void recordArtifact(db(), runId, name, hash, size),
  };
  // One ingestion at a time in this process (the app's look at the inbox and a call may meet).
  let ingesting: Promise<InboxIngest> | null = null;
  const ingest = async (): Promise<InboxIngest> => {
    const ws = ctx.project();
    const r = await ingestInbox({
      projectDir: ws.dir,
      db: ws.db,
      target: inboxTarget,
      flush: () => ctx.flushMetrics(),
    });
    if (r.runs.length || r.warnings.length)
      ctx.emit({ name: 'runs.ingested', payload: { runs: r.runs, warnings: r.warnings } });
    return r;
  };

  return {
    'experiments.list': () => listExperiments(db()),
    'runs.search': (q) => ({ runs: searchRuns(db(), q) }),
    'runs.delete': ({ ids }) => ({ changed: deleteRuns(db(), ids) }),
    'runs.restore': ({ ids }) => ({ changed: restoreRuns(db(), ids) }),
    'runs.purge': ({ ids }) => ({ changed: purgeRuns(db(), ids) }),
    'runs.get': ({ id }) => getRun(db(), id),
    'runs.update': ({ id, ...edit }) => {
      const d = db();
      updateRun(d, id, edit);
      return getRun(d, id);
    },
    'runs.keys': () => runKeys(db()),
    'runs.history': ({ ids, keys, maxPoints }) => {
      ctx.flushMetrics();
      return { series: metricHistory(db(), ids, keys, maxPoints) };
    },
    'runs.create': async ({ gitCommit, gitDirty, ...input }) => {
      const ws = ctx.project();
      const runId = create({
        ...input,
        gitCommit: gitCommit !== undefined ? gitCommit : await headCommit(ws.dir),
        gitDirty: gitDirty !== undefined ? gitDirty : await isDirty(ws.dir),
      });
      return { runId };
    },
    'runs.log': (input) => logBatch(input),
    'runs.end': (input) => end(input),
    'runs.ingestInbox': () => {
      ingesting ??= ingest().finally(() => {
        ingesting = null;
      });
      return ingesting;
    },
    'runs.logArtifact': async ({ runId, path: rel, name }) => {
      const ws = ctx.project();
      const logged = await logArtifactFile(ws.dir, ws.db, runId, name ?? rel, insideProject(ws.dir, rel));
      return { ...logged, stage: '', role: 'artifact' as const };
    },
    'runs.artifactPreview': async ({ runId, path: rel }) => {
      const ws = ctx.project();
      return previewArtifact(ws.dir, ws.db, runId, rel);
    },
    'runs.importMlflow': async ({ path: folder }) => {
      const ws = ctx.project();
      return importMlflow(ws.dir, ws.db, path.resolve(ws.dir, folder));
    },
    'runs.provenance': ({ id }) => {
      const d = db();
      requireRun(d, id);
      return runProvenance(d, id);
    },
    'runs.compare': ({ ids }) => {
      ctx.flushMetrics();
      return compareRuns(db(), ids);
    },
    'runs.compareReport': ({ ids, file, metric }) => {
      const ws = ctx.project();
      ctx.flushMetrics();
      const report = comparisonReport(ws.db, ids, { project: ws.name, metric });
      const written = writeReportFile(path.resolve(ws.dir, file), renderReport(report));
      return { file: written.file, size: written.size };
    },
    'experiments.create': ({ name, description }) => ({ id: createExperiment(db(), name, description) }),
    'experiments.get': ({ id, name }) => (id !== undefined ? experimentById(db(), id) : experimentByName(db(), name!)),
    'experiments.search': ({ names, orderBy, ascending, offset, limit }) => ({
      experiments: searchExperiments(db(), { names, orderBy, ascending, offset, limit }),
    }),
    'runs.records': ({ ids }) => {
      ctx.flushMetrics();
      return { runs: runRecords(db(), ids) };
    },
    'runs.metricPoints': ({ runId, key, offset, limit }) => {
      ctx.flushMetrics();
      return { metrics: metricPoints(db(), runId, key, { offset, ...(limit !== undefined ? { limit } : {}) }) };
    },
    'runs.artifactEntries': ({ runId, dir }) => ({ entries: artifactEntries(db(), runId, dir) }),
    'runs.artifactFile': async ({ runId, path: rel }) => {
      const ws = ctx.project();
      const obj = artifactObject(ws.dir, ws.db, runId, rel);
      const actual = await sha256File(obj.file);
      if (actual !== obj.hash)
        throw new BenchtopError(
          'INTERNAL',
          `The cached bytes of artifact ${rel} are corrupt (they hash to ${actual.slice(0, 12)}…, not ${obj.hash.slice(0, 12)}…); nothing was sent.`,
        );
      return { file: obj.file, size: obj.size, hash: obj.hash };
    },
    'runs.logUpload': async ({ runId, upload, name }) => {
      const ws = ctx.project();
      const logged = await logArtifactFile(ws.dir, ws.db, runId, name, path.join(ws.dir, UPLOADS_DIR, upload));
      return { ...logged, stage: '', role: 'artifact' as const };
    },
    'reports.compare': ({ ids, file, metric }) => {
      const ws = ctx.project();
      ctx.flushMetrics();
      const report = comparisonReport(ws.db, ids, { project: ws.name, metric });
      const written = writeProjectReport(ws.dir, renderReport(report), {
        slug: `compare-${ids.length}-runs`,
        name: file,
      });
      return { path: written.path, size: written.size };
    },
  };
}
