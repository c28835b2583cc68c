// Runs in: main (core). `benchtop import mlflow`: an MLflow file store becomes Benchtop runs, with
// MLflow's run ids kept, so a run can be found by the id its MLflow client printed. The store is
// read and checked whole first, artifacts go into the cache next, and only then are rows written,
// all in one transaction: a bad store changes nothing, and importing it again adds nothing twice.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { isInside, refusal } from '../util/path-policy';
import { writeTransaction } from '../store/database';
import { artifactStore, artifactType } from './artifacts';
import { ensureExperiment } from './runs';
import { MAPPED_TAGS, readMlflowStore, type MlflowRun } from './mlflow-store';

export interface MlflowImportSummary {
  /** The mlruns folder read. */
  store: string;
  /** Experiments of the store (deleted ones only when they had runs to import), and how many are new here. */
  experiments: number;
  experimentsCreated: number;
  runs: number;
  deletedRuns: number;
  params: number;
  metricPoints: number;
  tags: number;
  artifacts: number;
  /** Dataset inputs (name, digest, context). */
  inputs: number;
  /** Runs already in the project (imported before), left as they are. */
  skipped: string[];
  warnings: string[];
}

export async function importMlflow(projectDir: string, db: Database, folder: string): Promise<MlflowImportSummary> {
  const store = readMlflowStore(folder);
  const warnings = [...store.warnings];
  const exists = db.prepare('SELECT 1 FROM runs WHERE id = ?');
  const skipped: string[] = [];
  const todo: { run: MlflowRun; experiment: string }[] = [];
  for (const exp of store.experiments) {
    for (const run of exp.runs) {
      if (exists.get(run.id)) skipped.push(run.id);
      else todo.push({ run, experiment: exp.name });
    }
  }
  // Live experiments come over even when empty; a deleted one only to hold its deleted runs.
  const wanted = store.experiments.filter((e) => !e.deleted || todo.some((t) => t.experiment === e.name));

  // Bytes first: a failure here leaves at most unreferenced objects in the cache, never rows
  // pointing at missing bytes.
  // A store may sit anywhere, but it may not make this project's own files (the server token,
  // the database, git's objects) into artifacts: an artifact_uri or a link pointing there is refused.
  const root = realpathSync(projectDir);
  for (const { run } of todo) {
    for (const a of run.artifacts) {
      const real = realpathSync(a.file);
      const why = isInside(root, real)
        ? refusal(path.relative(root, real).split(path.sep).join('/') || '.', 'read')
        : null;
      if (why) {
        throw new BenchtopError(
          'INVALID_INPUT',
          `Run ${run.id} of the MLflow store names ${a.file} as its artifact ${a.name}, which ${why.reason}; nothing was imported.`,
          {
            field: 'path',
            hint: "Fix the run's artifact_uri in its meta.yaml, or remove the link from its artifacts folder.",
          },
        );
      }
    }
  }
  const objects = artifactStore(projectDir);
  const hashes = new Map<string, string>();
  for (const { run } of todo) {
    for (const a of run.artifacts) hashes.set(a.file, await objects.put(a.file));
  }

  const ids = new Set(todo.map((t) => t.run.id));
  const summary: MlflowImportSummary = {
    store: store.root,
    experiments: 0,
    experimentsCreated: 0,
    runs: 0,
    deletedRuns: 0,
    params: 0,
    metricPoints: 0,
    tags: 0,
    artifacts: 0,
    inputs: 0,
    skipped,
    warnings,
  };
  writeTransaction(db, () => {
    const expIds = new Map<string, number>();
    const findExp = db.prepare('SELECT id FROM experiments WHERE name = ?');
    const insertRun = db.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, started_at, ended_at, git_commit, git_dirty, pid, kind, trigger, source, notes, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'script', 'import', ?, ?, ?)`,
    );
    const insertParam = db.prepare('INSERT INTO run_params (run_id, key, value) VALUES (?, ?, ?)');
    const insertTag = db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
    const insertMetric = db.prepare(
      'INSERT OR REPLACE INTO run_metrics (run_id, key, step, value, at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertArtifact = db.prepare(
      `INSERT INTO run_artifacts (run_id, stage, role, path, hash, size, type) VALUES (?, '', 'artifact', ?, ?, ?, ?)`,
    );
    const insertInput = db.prepare(
      'INSERT OR REPLACE INTO run_inputs (run_id, dataset, version, context) VALUES (?, ?, ?, ?)',
    );
    const setParent = db.prepare('UPDATE runs SET parent_id = ? WHERE id = ?');
    const importedAt = new Date().toISOString();
    let folded = 0;
    for (const exp of wanted) {
      if (expIds.has(exp.name)) continue;
      if (!findExp.get(exp.name)) summary.experimentsCreated++;
      expIds.set(exp.name, ensureExperiment(db, exp.name, exp.description));
    }
    for (const { run, experiment } of todo) {
      // Another process may have imported it since the store was read.
      if (exists.get(run.id)) {
        skipped.push(run.id);
        continue;
      }
      insertRun.run(
        run.id,
        expIds.get(experiment)!,
        run.name,
        run.status,
        run.startedAt,
        run.endedAt,
        run.gitCommit,
        run.source ?? 'mlflow',
        run.notes,
        run.deleted ? importedAt : null,
      );
      for (const [k, v] of run.params) insertParam.run(run.id, k, v);
      for (const [k, v] of run.tags) {
        if (k === MAPPED_TAGS.note) continue; // kept as the run's notes
        insertTag.run(run.id, k, v);
        summary.tags++;
      }
      for (const [key, points] of run.metrics) {
        // Several points may share a step; only two at the same step and the same millisecond fold.
        const seen = new Set<string>();
        for (const p of points) {
          const id = `${p.step}\u0000${p.at}`;
          if (seen.has(id)) folded++;
          else summary.metricPoints++;
          seen.add(id);
          insertMetric.run(run.id, key, p.step, p.value, p.at);
        }
      }
      for (const a of run.artifacts)
        insertArtifact.run(run.id, a.name, hashes.get(a.file)!, a.size, artifactType(a.name));
      for (const i of run.inputs) insertInput.run(run.id, i.dataset, i.version, i.context);
      summary.inputs += run.inputs.length;
      summary.runs++;
      if (run.deleted) summary.deletedRuns++;
      summary.params += run.params.size;
      summary.artifacts += run.artifacts.length;
    }
    // Parents after every run is in, so the order of folders never matters.
    for (const { run } of todo) {
      if (!run.parentId) continue;
      if (ids.has(run.parentId) || exists.get(run.parentId)) setParent.run(run.parentId, run.id);
      else
        warnings.push(
          `Run ${run.id} names parent ${run.parentId}, which is in neither the store nor the project; it was imported without a parent (the ${MAPPED_TAGS.parent} tag keeps the id).`,
        );
    }
    summary.experiments = expIds.size;
    if (folded)
      warnings.push(
        `${folded} metric point${folded === 1 ? '' : 's'} shared both step and time with a later point of the same metric; Benchtop keeps the later one.`,
      );
  });
  return summary;
}
