// Runs in: main (core). Rebuilds a model's or a monitor's rows from all of its records. Version
// numbers and aliases are not records of their own: they follow from the versions and the alias
// moves by the rules below, so every machine holding the same records shows the same registry.
//
// - Numbers: each version keeps the number it was registered as, unless an earlier version took
//   it (the same number registered on two machines): then it gets the next free one. "Earlier" is
//   by registration time, then uid, so the outcome does not depend on who pulled first.
// - Aliases: the moves of an alias are replayed in time order; the last one decides. A move onto a
//   version deleted elsewhere cannot stand: the alias stays on the latest earlier target that
//   still exists, or removed if it was removed since (merge.ts restores an archived target
//   instead, as an alias needs a live version).
// - Monitors: two machines that checked the same batch (same file, same bytes) keep one check, the
//   earlier; alerts of the same rule on the same batch become one, acknowledged if either was.
import type { Database } from 'better-sqlite3';
import {
  type AlertRecord,
  type AliasMoveRecord,
  type BatchRecord,
  type CheckRecord,
  type ModelRecord,
  type MonitorRecord,
  realIn,
  type VersionRecord,
} from './records';

export interface ModelRecords {
  model: ModelRecord | null;
  versions: VersionRecord[];
  moves: AliasMoveRecord[];
}

export interface MonitorRecords {
  monitor: MonitorRecord | null;
  batches: BatchRecord[];
  alerts: AlertRecord[];
  checks: CheckRecord[];
}

/** Monitor rows in the order they were made: time, then their number there, then uid. */
const bySeq =
  <T extends { uid: string; seq: number }>(time: (t: T) => string) =>
  (a: T, b: T): number =>
    time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : a.seq - b.seq || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);

const byTimeThenUid =
  <T extends { uid: string }>(time: (t: T) => string) =>
  (a: T, b: T): number =>
    time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;

/** Each version's number: the one it was registered as, or the next free one after an earlier claim. */
export function numberVersions(
  versions: readonly Pick<VersionRecord, 'uid' | 'registeredAs' | 'createdAt'>[],
): Map<string, number> {
  const order = [...versions].sort(
    (a, b) => a.registeredAs - b.registeredAs || byTimeThenUid<(typeof versions)[number]>((v) => v.createdAt)(a, b),
  );
  const out = new Map<string, number>();
  let last = 0;
  for (const v of order) {
    last = Math.max(v.registeredAs, last + 1);
    out.set(v.uid, last);
  }
  return out;
}

export interface AliasOutcome {
  alias: string;
  /** The version uid the alias points to, or null when it was removed or has nothing to point at. */
  uid: string | null;
  /** Set when the last move could not stand: why the alias is where it is. */
  note: string | null;
}

/** Where each alias ends up after replaying its moves in time order. */
export function resolveAliases(moves: readonly AliasMoveRecord[], live: ReadonlySet<string>): AliasOutcome[] {
  const byAlias = new Map<string, AliasMoveRecord[]>();
  for (const m of [...moves].sort(byTimeThenUid<AliasMoveRecord>((m) => m.at))) {
    const list = byAlias.get(m.alias) ?? [];
    list.push(m);
    byAlias.set(m.alias, list);
  }
  const out: AliasOutcome[] = [];
  for (const [alias, list] of [...byAlias].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const last = list[list.length - 1]!;
    const target = last.to?.uid ?? null;
    if (last.to === null || (target && live.has(target))) {
      out.push({ alias, uid: last.to === null ? null : target, note: null });
      continue;
    }
    // Back to the latest move that stands: onto a live version, or a removal (the alias was gone).
    const earlier = [...list].reverse().find((m) => m.to === null || (m.to.uid && live.has(m.to.uid)))?.to;
    out.push({
      alias,
      uid: earlier?.uid ?? null,
      note: `@${alias} was moved to version ${last.to.version}, which was deleted elsewhere; it ${earlier ? `stays on the version it pointed to before (registered as ${earlier.version})` : 'is removed'}`,
    });
  }
  return out;
}

export interface ModelRebuild {
  /** Versions shown under another number than before (or than they were registered as). */
  renumbered: { uid: string; registeredAs: number; before: number | null; now: number }[];
  aliasNotes: string[];
}

/** Rewrites a model's registry rows from its records (inside the caller's transaction). */
export function rebuildModel(db: Database, name: string, recs: ModelRecords): ModelRebuild {
  const prior = new Map(
    (
      db.prepare('SELECT uid, version, predict_trusted_at FROM model_versions WHERE model_name = ?').all(name) as {
        uid: string;
        version: number;
        predict_trusted_at: string | null;
      }[]
    ).map((r) => [r.uid, r]),
  );
  db.prepare('DELETE FROM model_aliases WHERE model_name = ?').run(name);
  db.prepare('DELETE FROM model_alias_log WHERE model_name = ?').run(name);
  db.prepare('DELETE FROM model_version_tags WHERE model_name = ?').run(name);
  db.prepare('DELETE FROM model_versions WHERE model_name = ?').run(name);
  const result: ModelRebuild = { renumbered: [], aliasNotes: [] };
  if (!recs.model && recs.versions.length === 0 && recs.moves.length === 0) {
    db.prepare('DELETE FROM registered_models WHERE name = ?').run(name);
    return result;
  }
  const now = new Date().toISOString();
  const model = recs.model ?? { name, description: '', createdAt: recs.versions[0]?.createdAt ?? now, updatedAt: now };
  db.prepare(
    `INSERT INTO registered_models (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET description = excluded.description, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  ).run(name, model.description, model.createdAt, model.updatedAt);
  const numbers = numberVersions(recs.versions);
  const runExists = db.prepare('SELECT 1 FROM runs WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO model_versions (model_name, version, uid, registered_as, run_id, created_at, artifact_path, artifact_kind,
       artifact_hash, size, files, format, source, params_json, metrics_json, data_json, git_commit, signature_json,
       description, intended_use, limitations, predict, archived_at, updated_at, predict_trusted_at)
     VALUES (@model, @number, @uid, @registeredAs, @runId, @createdAt, @artifactPath, @artifactKind, @artifactHash, @size,
       @files, @format, @source, @paramsJson, @metricsJson, @dataJson, @gitCommit, @signatureJson, @description,
       @intendedUse, @limitations, @predict, @archivedAt, @updatedAt, @trusted)`,
  );
  const tag = db.prepare('INSERT INTO model_version_tags (model_name, version, key, value) VALUES (?, ?, ?, ?)');
  const moved: { from: number; to: number }[] = [];
  for (const v of recs.versions) {
    const number = numbers.get(v.uid)!;
    const before = prior.get(v.uid);
    insert.run({
      ...v,
      model: name,
      number,
      // The run may have been purged where this version was not: the version stays, unlinked.
      runId: v.runId && runExists.get(v.runId) ? v.runId : null,
      // Trust in a predict command is this machine's own; a teammate's trust does not travel.
      trusted: before?.predict_trusted_at ?? null,
    });
    for (const [k, val] of Object.entries(v.tags)) tag.run(name, number, k, val);
    if (number !== (before?.version ?? v.registeredAs))
      result.renumbered.push({
        uid: v.uid,
        registeredAs: v.registeredAs,
        before: before?.version ?? null,
        now: number,
      });
    if (before && before.version !== number) moved.push({ from: before.version, to: number });
  }
  // This machine's prediction log (predictions and their requests) names versions by number: it
  // follows the renumbering.
  if (moved.length)
    for (const table of ['predictions', 'prediction_requests']) {
      const shift = db.prepare(`UPDATE ${table} SET version = ? WHERE model_name = ? AND version = ?`);
      for (const m of moved) shift.run(-m.to, name, m.from);
      for (const m of moved) shift.run(m.to, name, -m.to);
    }
  const numberOf = (ref: AliasMoveRecord['from']): number | null =>
    ref === null ? null : ((ref.uid ? numbers.get(ref.uid) : undefined) ?? ref.version);
  const log = db.prepare(
    'INSERT INTO model_alias_log (model_name, alias, from_version, to_version, reason, at, uid) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const m of [...recs.moves].sort(byTimeThenUid<AliasMoveRecord>((x) => x.at)))
    log.run(name, m.alias, numberOf(m.from), numberOf(m.to), m.reason, m.at, m.uid);
  const setAlias = db.prepare('INSERT INTO model_aliases (model_name, alias, version) VALUES (?, ?, ?)');
  for (const a of resolveAliases(recs.moves, new Set(numbers.keys()))) {
    if (a.note) result.aliasNotes.push(`${name}: ${a.note}.`);
    if (a.uid) setAlias.run(name, a.alias, numbers.get(a.uid)!);
  }
  return result;
}

/** Rewrites a monitor's rows from its records; the monitor keeps its row (local state points at it). */
export function rebuildMonitor(db: Database, name: string, recs: MonitorRecords): void {
  if (!recs.monitor) {
    db.prepare('DELETE FROM monitors WHERE name = ?').run(name);
    return;
  }
  const m = recs.monitor;
  db.prepare(
    `INSERT INTO monitors (name, kind, config, created_at, seq) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, config = excluded.config, created_at = excluded.created_at, seq = excluded.seq`,
  ).run(name, m.kind, m.config, m.createdAt, m.seq);
  const id = (db.prepare('SELECT id FROM monitors WHERE name = ?').get(name) as { id: number }).id;
  for (const t of ['monitor_alerts', 'monitor_batches', 'monitor_checks'])
    db.prepare(`DELETE FROM ${t} WHERE monitor_id = ?`).run(id);

  const batchIds = new Map<string, number>();
  const kept = new Map<string, string>();
  const insertBatch = db.prepare(
    `INSERT INTO monitor_batches (monitor_id, uid, seq, label, path, hash, checked_at, rows, drift_share, share_threshold,
       dataset_drift, drifted_columns, tested_columns, columns_json, performance_json, report_path, serving_json)
     VALUES (@id, @uid, @seq, @label, @path, @hash, @checkedAt, @rows, @driftShare, @shareThreshold, @datasetDrift,
       @driftedColumns, @testedColumns, @columnsJson, @performanceJson, @reportPath, @servingJson)`,
  );
  for (const b of [...recs.batches].sort(bySeq<BatchRecord>((x) => x.checkedAt))) {
    const key = `${b.path}\0${b.hash}`;
    const first = kept.get(key);
    if (first) {
      batchIds.set(b.uid, batchIds.get(first)!);
      continue;
    }
    kept.set(key, b.uid);
    batchIds.set(b.uid, Number(insertBatch.run({ ...b, id }).lastInsertRowid));
  }
  const alerts = new Map<string, AlertRecord>();
  for (const a of [...recs.alerts].sort(bySeq<AlertRecord>((x) => x.at))) {
    const batchId = a.batch ? (batchIds.get(a.batch) ?? null) : null;
    const key = batchId === null ? `uid:${a.uid}` : `${batchId}\0${a.rule}`;
    const first = alerts.get(key);
    if (first) {
      if (!first.acknowledgedAt && a.acknowledgedAt) alerts.set(key, { ...first, acknowledgedAt: a.acknowledgedAt });
      continue;
    }
    alerts.set(key, a);
  }
  const insertAlert = db.prepare(
    `INSERT INTO monitor_alerts (monitor_id, uid, seq, batch_id, rule, message, value, threshold, at, acknowledged_at, run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const a of alerts.values())
    insertAlert.run(
      id,
      a.uid,
      a.seq,
      a.batch ? (batchIds.get(a.batch) ?? null) : null,
      a.rule,
      a.message,
      realIn(a.value),
      realIn(a.threshold),
      a.at,
      a.acknowledgedAt,
      a.runId,
    );
  const insertCheck = db.prepare(
    'INSERT INTO monitor_checks (monitor_id, uid, seq, status, summary, ran_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const c of [...recs.checks].sort(bySeq<CheckRecord>((x) => x.ranAt)))
    insertCheck.run(id, c.uid, c.seq, c.status, c.summary, c.ranAt);
}

/**
 * Rewrites every monitor from its records, all rows anew in the order they were made, so that
 * every clone numbers monitors, batches and alerts alike (`monitor ack 3` means the same alert).
 * Monitors' local state (where the prediction log was last scanned) is rebuilt by the next check.
 */
export function rebuildMonitors(db: Database, all: readonly { name: string; recs: MonitorRecords }[]): void {
  db.prepare('DELETE FROM monitors').run();
  const live = all.filter((m) => m.recs.monitor !== null);
  live.sort((a, b) => {
    const [x, y] = [a.recs.monitor!, b.recs.monitor!];
    return x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.seq - y.seq || (a.name < b.name ? -1 : 1);
  });
  for (const m of live) rebuildMonitor(db, m.name, m.recs);
}
