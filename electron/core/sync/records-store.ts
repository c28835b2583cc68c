// Runs in: main (core). The project's records in git and the database that indexes them.
//
// - `flushRecords` writes what changed in the database (listed by migration 0022's triggers) as a
//   commit on `refs/benchtop/records`. It runs after each writing command and, in the app, a
//   moment after each write: the records are the history that travels and the source a lost
//   database is rebuilt from.
// - `importRecords` brings the database up to a records commit (after a pull, or `doctor
//   --reindex`), rebuilding each run, model and monitor whose records changed.
//
// The database remembers which records commit it holds (`sync_state.commit`): a pull killed
// between moving the ref and updating the tables is finished by the next flush or pull.
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { changedPaths, git, listTree, readBlobs, readRef, updateRef, writeCommit } from '../git/git-cli';
import { writeTransaction } from '../store/database';
import {
  aliasMoveRecord,
  alertRecord,
  batchRecord,
  canonicalJson,
  checkRecord,
  experimentRecord,
  modelRecord,
  monitorRecord,
  parseRecord,
  readAlert,
  readAliasMove,
  readBatch,
  readCheck,
  readExperiment,
  readModel,
  readMonitor,
  readRun,
  readVersion,
  removeRun,
  runRecord,
  versionRecord,
  writeExperiment,
  writeRun,
} from './records';
import { modelFolder, monitorFolder, parseRecordPath, type RecordPath } from './record-paths';
import { type ModelRebuild, rebuildModel, rebuildMonitors } from './rebuild';

export const RECORDS_REF = 'refs/benchtop/records';

/** Records read per transaction when writing them. */
const FLUSH_CHUNK = 500;

export interface Project {
  dir: string;
  db: Database;
}

/** The records commit the database holds, or null (a new database: nothing imported yet). */
export function databaseCommit(db: Database): string | null {
  const row = db.prepare(`SELECT value FROM sync_state WHERE key = 'commit'`).get() as { value: string } | undefined;
  return row?.value ?? null;
}

function setDatabaseCommit(db: Database, commit: string): void {
  db.prepare(
    `INSERT INTO sync_state (key, value) VALUES ('commit', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(commit);
}

/** How many records changed since they were last written to git. */
export function unwrittenRecords(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM record_dirty').get() as { n: number }).n;
}

/** A record's current bytes from the database, or null when what it describes is gone. */
export function recordBytes(db: Database, r: RecordPath): string | null {
  const rec = (() => {
    switch (r.kind) {
      case 'run':
        return readRun(db, r.id);
      case 'experiment':
        return readExperiment(db, r.name);
      case 'model':
        return readModel(db, r.model);
      case 'version':
        return readVersion(db, r.model, r.uid);
      case 'alias':
        return readAliasMove(db, r.model, r.uid);
      case 'monitor':
        return readMonitor(db, r.monitor);
      case 'batch':
        return readBatch(db, r.monitor, r.uid);
      case 'alert':
        return readAlert(db, r.monitor, r.uid);
      case 'check':
        return readCheck(db, r.monitor, r.uid);
    }
  })();
  return rec ? canonicalJson(rec) : null;
}

/**
 * Fault injection for tests (BENCHTOP_FAULT_SYNC_KILL_AT=flush-after-commit): the process kills
 * itself once a flush has moved the ref but before it unlists the rows it wrote, as a crash would.
 */
function flushKillPoint(): void {
  if (process.env.BENCHTOP_FAULT_SYNC_KILL_AT === 'flush-after-commit') process.kill(process.pid, 'SIGKILL');
}

/** Whether two commits have the same tree. */
async function sameTree(dir: string, a: string, b: string): Promise<boolean> {
  const r = await git(dir, ['rev-parse', `${a}^{tree}`, `${b}^{tree}`]);
  const [x, y] = r.stdout.toString().trim().split('\n');
  return x === y;
}

export interface FlushResult {
  /** Records written (made, changed or removed). */
  written: number;
  commit: string | null;
}

/**
 * Writes the changed records as one commit on the records ref. Call it holding the project lock.
 * Rows listed as changed are claimed first and unlisted only once the ref has moved, so a write
 * made meanwhile (which unclaims its row) or a crash leaves them for the next flush.
 */
export async function flushRecords(p: Project, message = 'Record changes'): Promise<FlushResult> {
  const { db } = p;
  const claim = `${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  // In chunks, each read in its own transaction, yielding between them: the app goes on answering
  // while a backlog of thousands of records is read.
  const changes = new Map<string, string | null>();
  for (;;) {
    const chunk = writeTransaction(db, () => {
      const paths = (
        db
          .prepare('SELECT path FROM record_dirty WHERE claim IS NULL OR claim <> ? LIMIT ?')
          .all(claim, FLUSH_CHUNK) as { path: string }[]
      ).map((r) => r.path);
      const mark = db.prepare('UPDATE record_dirty SET claim = ? WHERE path = ?');
      for (const path of paths) {
        mark.run(claim, path);
        const r = parseRecordPath(path);
        if (r) changes.set(path, recordBytes(db, r));
      }
      return paths.length;
    });
    if (chunk < FLUSH_CHUNK) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const parent = await readRef(p.dir, RECORDS_REF);
  if (changes.size === 0) {
    if (parent) await catchUp(p, parent);
    return { written: 0, commit: parent };
  }
  let commit = parent;
  for (let attempt = 0; ; attempt++) {
    const base = await readRef(p.dir, RECORDS_REF);
    const next = await writeCommit(p.dir, {
      parents: base ? [base] : [],
      changes,
      message: `${message}\n\n${changes.size} record${changes.size === 1 ? '' : 's'}`,
    });
    // The rows say what the ref already has (a flush killed before it unlisted them, or a change
    // undone): no empty commit; the rows are unlisted below all the same.
    if (base && (await sameTree(p.dir, next, base))) {
      commit = base;
      break;
    }
    if (await updateRef(p.dir, RECORDS_REF, next, base)) {
      commit = next;
      break;
    }
    if (attempt >= 4)
      throw new BenchtopError('BUSY', 'The project’s records kept changing while they were being written.', {
        hint: 'Another process is writing them; run the command again.',
      });
  }
  flushKillPoint();
  const held = databaseCommit(db);
  writeTransaction(db, () => {
    db.prepare('DELETE FROM record_dirty WHERE claim = ?').run(claim);
    if (held === parent) setDatabaseCommit(db, commit!);
  });
  // The database lacked records the ref had (a pull cut short, or a new database): it takes them in.
  if (held !== parent) await catchUp(p, commit!);
  return { written: changes.size, commit };
}

/** Brings the database up to `commit` when it holds an older records commit. */
async function catchUp(p: Project, commit: string): Promise<ImportResult | null> {
  const held = databaseCommit(p.db);
  if (held === commit) return null;
  return importRecords(p, held, commit);
}

export interface ImportResult {
  runs: number;
  models: number;
  monitors: number;
  renumbered: (ModelRebuild['renumbered'][number] & { model: string })[];
  notes: string[];
}

/**
 * Rebuilds what changed between two records commits (from null: everything) in the database, in
 * one transaction. With `full`, runs, models and monitors the database has but the records lack
 * are removed too (a reindex).
 */
export async function importRecords(
  p: Project,
  from: string | null,
  to: string,
  opts: { full?: boolean } = {},
): Promise<ImportResult> {
  const { db } = p;
  const tree = await listTree(p.dir, to);
  const changed = opts.full ? [...tree.keys()] : await changedPaths(p.dir, from, to);
  const runs = new Set<string>();
  const experiments = new Set<string>();
  const models = new Set<string>();
  const monitors = new Set<string>();
  for (const path of changed) {
    const r = parseRecordPath(path);
    if (!r) continue;
    if (r.kind === 'run') runs.add(r.id);
    else if (r.kind === 'experiment') experiments.add(r.name);
    else if (r.kind === 'model' || r.kind === 'version' || r.kind === 'alias') models.add(r.model);
    else monitors.add(r.monitor);
  }
  if (opts.full) {
    for (const { id } of db.prepare('SELECT id FROM runs').all() as { id: string }[]) runs.add(id);
    for (const { name } of db.prepare('SELECT name FROM registered_models').all() as { name: string }[])
      models.add(name);
  }
  // Monitors are rebuilt all together, or not at all (rebuildMonitors says why).
  if (opts.full || monitors.size) {
    for (const { name } of db.prepare('SELECT name FROM monitors').all() as { name: string }[]) monitors.add(name);
    for (const path of tree.keys()) {
      const r = parseRecordPath(path);
      if (r?.kind === 'monitor') monitors.add(r.monitor);
    }
  }
  // Every record the rebuild needs, read in one git process.
  const wanted: string[] = [];
  const owners = [...[...models].map(modelFolder), ...[...monitors].map(monitorFolder)];
  for (const [path, id] of tree) {
    const r = parseRecordPath(path);
    if (!r) continue;
    if (
      (r.kind === 'run' && runs.has(r.id)) ||
      (r.kind === 'experiment' && experiments.has(r.name)) ||
      owners.some((o) => path.startsWith(o))
    )
      wanted.push(id);
  }
  const blobs = await readBlobs(p.dir, wanted);
  const at = (path: string): Buffer | null => {
    const id = tree.get(path);
    return id ? (blobs.get(id) ?? null) : null;
  };
  const under = (prefix: string, kind: RecordPath['kind']) =>
    [...tree.keys()].filter((k) => k.startsWith(prefix) && parseRecordPath(k)?.kind === kind);

  // Parsed before the transaction: a bad record fails the import with nothing changed.
  const runRecords = [...runs].map((id) => {
    const bytes = at(`runs/${id}.json`);
    return { id, rec: bytes ? parseRecord(runRecord, bytes, `runs/${id}.json`) : null };
  });
  const experimentRecords = [...experiments].flatMap((name) => {
    const path = [...tree.keys()].find((k) => {
      const r = parseRecordPath(k);
      return r?.kind === 'experiment' && r.name === name;
    });
    const bytes = path ? at(path) : null;
    return bytes && path ? [parseRecord(experimentRecord, bytes, path)] : [];
  });
  const modelRecords = [...models].map((name) => {
    const folder = modelFolder(name);
    const model = at(`${folder}model.json`);
    return {
      name,
      recs: {
        model: model ? parseRecord(modelRecord, model, `${folder}model.json`) : null,
        versions: under(folder, 'version').map((k) => parseRecord(versionRecord, at(k)!, k)),
        moves: under(folder, 'alias').map((k) => parseRecord(aliasMoveRecord, at(k)!, k)),
      },
    };
  });
  const monitorRecords = [...monitors].map((name) => {
    const folder = monitorFolder(name);
    const monitor = at(`${folder}monitor.json`);
    return {
      name,
      recs: {
        monitor: monitor ? parseRecord(monitorRecord, monitor, `${folder}monitor.json`) : null,
        batches: under(folder, 'batch').map((k) => parseRecord(batchRecord, at(k)!, k)),
        alerts: under(folder, 'alert').map((k) => parseRecord(alertRecord, at(k)!, k)),
        checks: under(folder, 'check').map((k) => parseRecord(checkRecord, at(k)!, k)),
      },
    };
  });

  const result: ImportResult = {
    runs: runRecords.length,
    models: modelRecords.length,
    monitors: monitorRecords.length,
    renumbered: [],
    notes: [],
  };
  writeTransaction(db, () => {
    // Changes not yet written to git would be overwritten here: the caller flushes first.
    const pending = new Set(
      (db.prepare('SELECT path FROM record_dirty').all() as { path: string }[]).map((r) => r.path),
    );
    if (pending.size && !opts.full)
      throw new BenchtopError('BUSY', 'The project changed while its records were being merged.', {
        hint: 'Run the command again.',
      });
    db.pragma('defer_foreign_keys = ON');
    for (const e of experimentRecords) writeExperiment(db, e);
    for (const { rec } of runRecords) if (rec) writeRun(db, rec);
    for (const { id, rec } of runRecords) if (!rec) removeRun(db, id);
    for (const { name, recs } of modelRecords) {
      const r = rebuildModel(db, name, recs);
      result.renumbered.push(...r.renumbered.map((x) => ({ ...x, model: name })));
      result.notes.push(...r.aliasNotes);
    }
    if (monitorRecords.length) rebuildMonitors(db, monitorRecords);
    // Writing the rows listed them as changed; they are what the records already say.
    db.prepare('DELETE FROM record_dirty').run();
    setDatabaseCommit(db, to);
  });
  return result;
}

/** Whether the records ref exists (a project that has written or pulled records). */
export async function hasRecords(dir: string): Promise<boolean> {
  return (await readRef(dir, RECORDS_REF)) !== null;
}
