// Runs in: main (core). Reading an MLflow file store (`mlruns/`) as MLflow's FileStore writes it,
// without touching the database: every file is parsed and checked here, so an import can refuse a
// malformed store before it writes anything.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { BenchtopError } from '../../../shared/contract/errors';
import type { RunStatus } from '../../../shared/contract/schemas';
import { checkArtifactName } from './artifacts';
import { RUN_ID_PATTERN } from './ids';
import { checkKey, checkText, checkValue, LIMITS } from './limits';

export interface MlflowMetricPoint {
  /** ISO time of the point. */
  at: string;
  /** NaN and ±Infinity as MLflow wrote them ("nan", "inf", "-inf"). */
  value: number;
  step: number;
}

export interface MlflowRun {
  id: string;
  dir: string;
  name: string;
  status: RunStatus;
  startedAt: string | null;
  endedAt: string | null;
  deleted: boolean;
  params: Map<string, string>;
  tags: Map<string, string>;
  /** Per key, sorted by step then time: the last point of a step is the one kept. */
  metrics: Map<string, MlflowMetricPoint[]>;
  artifacts: { name: string; file: string; size: number }[];
  /** Dataset inputs (MLflow 2.4+): the dataset's name and digest, and the context it was used in. */
  inputs: { dataset: string; version: string; context: string }[];
  source: string | null;
  gitCommit: string | null;
  parentId: string | null;
  notes: string;
}

export interface MlflowExperiment {
  id: string;
  name: string;
  description: string;
  deleted: boolean;
  runs: MlflowRun[];
}

export interface MlflowStore {
  root: string;
  experiments: MlflowExperiment[];
  /** Things MLflow itself tolerates that the import passes over (told to the user, not fatal). */
  warnings: string[];
}

/** MLflow keeps these tags as run fields in Benchtop. */
export const MAPPED_TAGS = {
  runName: 'mlflow.runName',
  source: 'mlflow.source.name',
  gitCommit: 'mlflow.source.git.commit',
  parent: 'mlflow.parentRunId',
  note: 'mlflow.note.content',
} as const;

/** Folders inside an experiment that are not runs (experiment tags, datasets, traces, MLflow 3's logged models). */
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces', 'models']);

/** RunStatus as MLflow stores it: an integer enum (1..5), or its name in hand-edited stores. */
const STATUS: Record<string, RunStatus> = {
  // A run MLflow still lists as running or scheduled has no process here that could end it.
  '1': 'interrupted',
  RUNNING: 'interrupted',
  '2': 'interrupted',
  SCHEDULED: 'interrupted',
  '3': 'succeeded',
  FINISHED: 'succeeded',
  '4': 'failed',
  FAILED: 'failed',
  '5': 'cancelled',
  KILLED: 'cancelled',
};

function bad(
  file: string,
  problem: string,
  hint = 'Fix or remove the file, then import again; nothing was imported.',
): BenchtopError {
  return new BenchtopError('BAD_FILE', `${file}: ${problem}`, { field: 'path', hint });
}

function readMeta(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw bad(
      line ? `${file}:${line}` : file,
      `is not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`,
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw bad(file, 'is not a YAML mapping of fields.');
  return doc as Record<string, unknown>;
}

/** Milliseconds since the epoch (MLflow's times) as ISO; null when absent. */
function time(value: unknown, file: string, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15)
    throw bad(file, `${field} is ${JSON.stringify(value)}, not a time in milliseconds.`);
  return new Date(ms).toISOString();
}

/** Files below `dir`, as `/`-joined paths relative to it (MLflow keys with `/` are subfolders). */
function filesBelow(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(abs, rel));
    else if (e.isFile() || (e.isSymbolicLink() && statSync(abs, { throwIfNoEntry: false })?.isFile())) out.push(rel);
  }
  return out;
}

/** `params/<key>` and `tags/<key>` files: the key is the path, the value the whole content. */
function readPairs(dir: string, kind: 'param' | 'tag'): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of filesBelow(dir)) {
    const file = path.join(dir, ...key.split('/'));
    try {
      checkKey(kind, key);
    } catch (err) {
      throw bad(file, (err as Error).message);
    }
    const value = readFileSync(file, 'utf8');
    // The note is kept as the run's notes, which have their own, larger limit.
    if (!(kind === 'tag' && key === MAPPED_TAGS.note)) {
      try {
        checkValue(kind, key, value);
      } catch (err) {
        throw bad(file, (err as Error).message);
      }
    }
    out.set(key, value);
  }
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE: Record<string, number> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};
const INTEGER = /^[+-]?\d+$/;

/**
 * One `metrics/<key>` file: a line per point, `timestamp value step` (old MLflow wrote no step,
 * which reads as step 0). Any other line is an error naming the file and line.
 */
export function parseMetricLines(text: string, file: string): MlflowMetricPoint[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const points: MlflowMetricPoint[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const parts = line.trim().split(/\s+/);
    const where = `${file}:${i + 1}`;
    const show = JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
    if (parts.length !== 2 && parts.length !== 3)
      throw bad(where, `${show} is not a metric point; MLflow writes "timestamp value step".`);
    const [ts, raw, step = '0'] = parts as [string, string, string?];
    if (!INTEGER.test(ts) || !(Math.abs(Number(ts)) <= 8.64e15))
      throw bad(where, `the timestamp in ${show} is not a whole number of milliseconds.`);
    const lower = raw.toLowerCase();
    const value = NUMBER.test(raw) ? Number(raw) : NON_FINITE[lower];
    if (value === undefined) throw bad(where, `the value in ${show} is not a number (nan, inf and -inf are allowed).`);
    if (!INTEGER.test(step) || !Number.isSafeInteger(Number(step)))
      throw bad(where, `the step in ${show} is not a whole number.`);
    points.push({ at: new Date(Number(ts)).toISOString(), value, step: Number(step) });
  }
  // Stable: points of one step keep their file order after the time order, so the last one wins.
  return points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.step - b.p.step || (a.p.at < b.p.at ? -1 : a.p.at > b.p.at ? 1 : a.i - b.i))
    .map((x) => x.p);
}

function readMetrics(dir: string): Map<string, MlflowMetricPoint[]> {
  const out = new Map<string, MlflowMetricPoint[]>();
  for (const key of filesBelow(dir)) {
    const file = path.join(dir, ...key.split('/'));
    try {
      checkKey('metric', key);
    } catch (err) {
      throw bad(file, (err as Error).message);
    }
    out.set(key, parseMetricLines(readFileSync(file, 'utf8'), file));
  }
  return out;
}

/**
 * The run's artifact folder: `artifacts/` beside its meta.yaml when it holds files (the store may
 * have moved since MLflow wrote the absolute artifact_uri), else the artifact_uri when it is a local
 * folder. A remote artifact store (s3:, gs:, http:, …) is reported, never fetched.
 */
function artifactDir(runDir: string, artifactUri: unknown, warnings: string[], runId: string): string | null {
  const local = path.join(runDir, 'artifacts');
  if (existsSync(local) && filesBelow(local).length > 0) return local;
  if (typeof artifactUri !== 'string' || artifactUri === '') return existsSync(local) ? local : null;
  let dir: string | null = null;
  if (artifactUri.startsWith('file:')) {
    try {
      dir = fileURLToPath(artifactUri);
    } catch {
      dir = null;
    }
  } else if (path.isAbsolute(artifactUri)) dir = artifactUri;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(artifactUri))
    dir = path.resolve(path.dirname(path.dirname(path.dirname(runDir))), artifactUri);
  if (dir && existsSync(dir)) return dir;
  if (!dir)
    warnings.push(
      `Run ${runId} keeps its artifacts at ${artifactUri}, which is not a local folder; its artifacts were not imported.`,
    );
  return existsSync(local) ? local : null;
}

/**
 * `inputs/<id>/meta.yaml` of a run points at `datasets/<dataset id>/meta.yaml` of its experiment
 * (name, digest, source…); the input's `mlflow.data.context` tag says training, evaluation, ….
 */
function readInputs(runDir: string, runId: string, warnings: string[]): MlflowRun['inputs'] {
  const dir = path.join(runDir, 'inputs');
  if (!existsSync(dir)) return [];
  const out: MlflowRun['inputs'] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const metaFile = path.join(dir, e.name, 'meta.yaml');
    if (!e.isDirectory() || !existsSync(metaFile)) continue;
    const meta = readMeta(metaFile);
    if (meta.source_type !== 'DATASET') continue; // MLflow reads only dataset inputs too
    const datasetFile = path.join(path.dirname(runDir), 'datasets', String(meta.source_id ?? ''), 'meta.yaml');
    if (typeof meta.source_id !== 'string' || !existsSync(datasetFile)) {
      warnings.push(
        `Run ${runId} names dataset ${JSON.stringify(meta.source_id)} as an input, but ${datasetFile} does not exist; that input was left out.`,
      );
      continue;
    }
    const dataset = readMeta(datasetFile);
    if (typeof dataset.name !== 'string' || dataset.name === '' || typeof dataset.digest !== 'string')
      throw bad(datasetFile, 'a dataset needs a name and a digest.');
    const tags = meta.tags !== null && typeof meta.tags === 'object' ? (meta.tags as Record<string, unknown>) : {};
    const context =
      typeof tags['mlflow.data.context'] === 'string' && tags['mlflow.data.context'] !== ''
        ? tags['mlflow.data.context']
        : 'training';
    out.push({ dataset: dataset.name, version: dataset.digest, context });
  }
  return out;
}

function readRun(runDir: string, experiment: MlflowExperiment, inTrash: boolean, warnings: string[]): MlflowRun | null {
  const metaFile = path.join(runDir, 'meta.yaml');
  const folder = path.basename(runDir);
  if (!existsSync(metaFile)) {
    warnings.push(`${runDir} has no meta.yaml, so it is not a run MLflow can read; it was passed over.`);
    return null;
  }
  const meta = readMeta(metaFile);
  const id = String(meta.run_id ?? meta.run_uuid ?? '');
  if (id !== folder) throw bad(metaFile, `run_id is ${JSON.stringify(id)} but the run's folder is ${folder}.`);
  if (!RUN_ID_PATTERN.test(id)) throw bad(metaFile, `"${id}" cannot be a run id.`);
  const status = STATUS[String(meta.status ?? 1).toUpperCase()];
  if (!status)
    throw bad(
      metaFile,
      `status is ${JSON.stringify(meta.status)}; MLflow's statuses are 1 to 5 (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED).`,
    );
  const lifecycle = String(meta.lifecycle_stage ?? 'active');
  if (lifecycle !== 'active' && lifecycle !== 'deleted')
    throw bad(metaFile, `lifecycle_stage is ${JSON.stringify(lifecycle)}, neither active nor deleted.`);
  const tags = readPairs(path.join(runDir, 'tags'), 'tag');
  const dir = artifactDir(runDir, meta.artifact_uri, warnings, id);
  const artifacts = dir
    ? filesBelow(dir).map((rel) => {
        const file = path.join(dir, ...rel.split('/'));
        try {
          return { name: checkArtifactName(rel), file, size: statSync(file).size };
        } catch (err) {
          throw bad(file, (err as Error).message);
        }
      })
    : [];
  const name =
    [meta.run_name, tags.get(MAPPED_TAGS.runName), meta.name].find(
      (n): n is string => typeof n === 'string' && n.trim() !== '',
    ) ?? id;
  try {
    checkText('run name', name, LIMITS.runName, 'name');
    checkText('notes', tags.get(MAPPED_TAGS.note) ?? '', LIMITS.notes, 'notes');
  } catch (err) {
    throw bad(metaFile, (err as Error).message);
  }
  const parent = tags.get(MAPPED_TAGS.parent);
  return {
    id,
    dir: runDir,
    name: name.trim(),
    status,
    startedAt: time(meta.start_time, metaFile, 'start_time'),
    endedAt: time(meta.end_time, metaFile, 'end_time'),
    deleted: inTrash || experiment.deleted || lifecycle === 'deleted',
    params: readPairs(path.join(runDir, 'params'), 'param'),
    tags,
    metrics: readMetrics(path.join(runDir, 'metrics')),
    artifacts,
    inputs: readInputs(runDir, id, warnings),
    source: tags.get(MAPPED_TAGS.source) ?? null,
    gitCommit: tags.get(MAPPED_TAGS.gitCommit) ?? null,
    parentId: parent && RUN_ID_PATTERN.test(parent) ? parent : null,
    notes: tags.get(MAPPED_TAGS.note) ?? '',
  };
}

function readExperiment(expDir: string, inTrash: boolean, warnings: string[]): MlflowExperiment | null {
  const metaFile = path.join(expDir, 'meta.yaml');
  if (!existsSync(metaFile)) return null; // `models/` (the registry) and other folders that are not experiments
  const meta = readMeta(metaFile);
  const id = String(meta.experiment_id ?? '');
  if (id !== path.basename(expDir))
    throw bad(
      metaFile,
      `experiment_id is ${JSON.stringify(meta.experiment_id)} but the experiment's folder is ${path.basename(expDir)}.`,
    );
  if (typeof meta.name !== 'string' || meta.name.trim() === '') throw bad(metaFile, 'the experiment has no name.');
  try {
    checkText('experiment name', meta.name, LIMITS.experimentName, 'experiment');
  } catch (err) {
    throw bad(metaFile, (err as Error).message);
  }
  const noteFile = path.join(expDir, 'tags', MAPPED_TAGS.note);
  const experiment: MlflowExperiment = {
    id,
    name: meta.name,
    description: existsSync(noteFile) ? readFileSync(noteFile, 'utf8') : '',
    deleted: inTrash || meta.lifecycle_stage === 'deleted',
    runs: [],
  };
  for (const e of readdirSync(expDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!e.isDirectory() || RESERVED_EXPERIMENT_FOLDERS.has(e.name)) continue;
    const run = readRun(path.join(expDir, e.name), experiment, inTrash, warnings);
    if (run) experiment.runs.push(run);
  }
  return experiment;
}

/**
 * Reads a whole store. `folder` is the `mlruns` folder itself, or a folder that holds one.
 * Throws BAD_FILE naming the file (and line) of the first problem.
 */
export function readMlflowStore(folder: string): MlflowStore {
  const given = path.resolve(folder);
  if (!existsSync(given) || !statSync(given).isDirectory()) {
    throw new BenchtopError('NOT_FOUND', `There is no folder at ${given}.`, {
      field: 'path',
      hint: 'Give the path of an MLflow mlruns folder.',
    });
  }
  const looksLikeStore = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some(
      (e) => e.isDirectory() && e.name !== '.trash' && existsSync(path.join(dir, e.name, 'meta.yaml')),
    );
  const root = !looksLikeStore(given) && existsSync(path.join(given, 'mlruns')) ? path.join(given, 'mlruns') : given;
  if (!looksLikeStore(root) && !existsSync(path.join(root, '.trash'))) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `${given} is not an MLflow file store: it has no experiment folders with a meta.yaml.`,
      { field: 'path', hint: 'Give the mlruns folder MLflow wrote (it holds 0/meta.yaml for the Default experiment).' },
    );
  }
  const warnings: string[] = [];
  const experiments: MlflowExperiment[] = [];
  const seen = new Map<string, string>();
  for (const [dir, inTrash] of [
    [root, false],
    [path.join(root, '.trash'), true],
  ] as const) {
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!e.isDirectory() || e.name === '.trash') continue;
      const exp = readExperiment(path.join(dir, e.name), inTrash, warnings);
      if (!exp) continue;
      for (const r of exp.runs) {
        const other = seen.get(r.id);
        if (other) throw bad(r.dir, `run ${r.id} is also at ${other}; a run id must be unique in the store.`);
        seen.set(r.id, r.dir);
      }
      experiments.push(exp);
    }
  }
  return { root, experiments, warnings };
}
