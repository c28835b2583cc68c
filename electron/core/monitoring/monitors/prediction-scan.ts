// Runs in: main (core). Which windows of a model's prediction log a check must read. A check remembers
// how far it read (the highest prediction id, the model's highest change number, the log's epoch; see
// migration 0019) and every window it saw with the hash the check recorded for it; the next check
// reads only the windows that new predictions or changed ones (labels joined later) fall in, and those
// not recorded yet (open then, or whose report failed). It reads the whole log, as every check did
// before, when it has no marks, when the monitor's source changed, when a prediction was deleted or
// moved (the epoch), or when a calendar monitor meets a time not written by toISOString (text order is
// then not time order, so a window is not a range of the index).
import type { Database } from 'better-sqlite3';
import type { PredictionWindow } from '../../../../shared/contract/schemas';
import { writeTransaction } from '../../store/database';
import { isCanonicalTime, recordWindow, timeWindow, type LogRow, type Window } from './prediction-windows';

/** A window this check writes and hands to the batch checking, with its predictions in file order. */
export interface WindowRead {
  window: Window;
  rows: LogRow[];
}

/** What a monitor keeps of a window between checks: a calendar window by its bounds, a record window by its id range. */
export interface KnownWindow {
  label: string;
  start_at: string | null;
  end_at: string | null;
  first_id: number | null;
  last_id: number | null;
  rows: number | null;
  /** The content the check recorded; null until it is recorded. */
  hash: string | null;
}

export interface LogMarks {
  /** The monitor's model, window and column names, which make the window files' text. */
  source: string;
  epoch: number;
  max_id: number;
  max_seq: number;
  /** The model's predictions with an id up to max_id: where the next record window starts. */
  seen: number;
  /** 1 while every time read was in toISOString form. */
  canonical: number;
}

export interface LogScan {
  /** The whole log was read. */
  full: boolean;
  /** Windows to write and check, oldest first. */
  read: WindowRead[];
  /** Windows recorded with their current content and due (closed, or open ones asked for): not read again. */
  skipped: number;
  /** Predictions read whole (inputs, outputs, labels). */
  rowsRead: number;
  /** Windows not due (still open) that this scan saw change: kept as not recorded. */
  waiting: KnownWindow[];
  record: boolean;
  marks: LogMarks;
}

export interface ScanOptions {
  now: Date;
  includeOpen: boolean;
  /** Whether a recorded window's file is still there (a missing one is written again). */
  fileExists: (label: string) => boolean;
}

const ROW = 'id, at, input_json, output_json, label_json';

export function scanPredictionLog(
  db: Database,
  monitorId: number,
  source: { model: string; window: PredictionWindow },
  key: string,
  options: ScanOptions,
): LogScan {
  // One read transaction: every query sees the same log, so the marks saved match what was read.
  return db
    .transaction((): LogScan => {
      const epoch = (db.prepare(`SELECT epoch FROM prediction_log_epoch WHERE id = 1`).get() as { epoch: number })
        .epoch;
      const hiId = (db.prepare(`SELECT max(id) AS n FROM predictions`).get() as { n: number | null }).n ?? 0;
      const hiSeq =
        (
          db
            .prepare(`SELECT max(changed_seq) AS n FROM predictions WHERE model_name = ? AND changed_seq > 0`)
            .get(source.model) as { n: number | null }
        ).n ?? 0;
      const head = { epoch, hiId, hiSeq };
      const marks = db
        .prepare(`SELECT source, epoch, max_id, max_seq, seen, canonical FROM monitor_log_marks WHERE monitor_id = ?`)
        .get(monitorId) as LogMarks | undefined;
      if (marks && marks.source === key && marks.epoch === epoch) {
        const known = db
          .prepare(
            `SELECT label, start_at, end_at, first_id, last_id, rows, hash FROM monitor_log_windows WHERE monitor_id = ?`,
          )
          .all(monitorId) as KnownWindow[];
        const scan =
          typeof source.window === 'number'
            ? recordScan(db, source.model, source.window, key, marks, known, head, options)
            : marks.canonical
              ? calendarScan(db, source.model, source.window, key, marks, known, head, options)
              : null;
        if (scan) return scan;
      }
      return fullScan(db, source, key, head, options);
    })
    .deferred();
}

interface Head {
  epoch: number;
  hiId: number;
  hiSeq: number;
}

const isDue = (w: Pick<Window, 'closed'>, options: ScanOptions): boolean => w.closed || options.includeOpen;

function fullScan(
  db: Database,
  source: { model: string; window: PredictionWindow },
  key: string,
  head: Head,
  options: ScanOptions,
): LogScan {
  const record = typeof source.window === 'number';
  // Record windows follow the order predictions were logged (rowid); calendar windows follow their time.
  const all = db
    .prepare(`SELECT ${ROW} FROM predictions WHERE model_name = ? ORDER BY ${record ? 'id' : 'at, id'}`)
    .all(source.model) as LogRow[];
  const windows: WindowRead[] = [];
  if (typeof source.window === 'number') {
    for (let first = 0; first < all.length; first += source.window) {
      const rows = all.slice(first, first + source.window);
      windows.push({ window: recordWindow(first, source.window, rows), rows });
    }
  } else {
    // Grouped by label rather than by runs of rows: times written with different offsets sort apart as text.
    const groups = new Map<string, WindowRead>();
    for (const row of all) {
      const w = timeWindow(row.at, source.window, options.now);
      const g = groups.get(w.label);
      if (g) g.rows.push(row);
      else groups.set(w.label, { window: w, rows: [row] });
    }
    windows.push(...groups.values());
    windows.sort((a, b) => (a.window.start < b.window.start ? -1 : a.window.start > b.window.start ? 1 : 0));
  }
  return {
    full: true,
    read: windows.filter((g) => isDue(g.window, options)),
    skipped: 0,
    rowsRead: all.length,
    waiting: windows.filter((g) => !isDue(g.window, options)).map((g) => knownOf(g, record, null)),
    record,
    marks: {
      source: key,
      epoch: head.epoch,
      max_id: head.hiId,
      max_seq: head.hiSeq,
      seen: all.length,
      canonical: all.every((r) => isCanonicalTime(r.at)) ? 1 : 0,
    },
  };
}

/** Predictions logged since the last check, of this model; `+model_name` keeps SQLite on the id range rather than the model's whole index. */
function freshRows(db: Database, model: string, marks: LogMarks, head: Head): { id: number; at: string }[] {
  return db
    .prepare(`SELECT id, at FROM predictions WHERE id > ? AND id <= ? AND +model_name = ? ORDER BY id`)
    .all(marks.max_id, head.hiId, model) as { id: number; at: string }[];
}

/** Predictions changed since the last check (labels joined, through the trigger of migration 0019). */
function changedRows(db: Database, model: string, marks: LogMarks): { id: number; at: string }[] {
  return db
    .prepare(`SELECT id, at FROM predictions WHERE model_name = ? AND changed_seq > 0 AND changed_seq > ?`)
    .all(model, marks.max_seq) as { id: number; at: string }[];
}

function calendarScan(
  db: Database,
  model: string,
  kind: 'hour' | 'day' | 'week',
  key: string,
  marks: LogMarks,
  known: KnownWindow[],
  head: Head,
  options: ScanOptions,
): LogScan | null {
  const fresh = freshRows(db, model, marks, head);
  if (!fresh.every((r) => isCanonicalTime(r.at))) return null;
  const candidates = new Map<string, Window>();
  for (const r of [...fresh, ...changedRows(db, model, marks)]) {
    const w = timeWindow(r.at, kind, options.now);
    candidates.set(w.label, w);
  }
  const dirty = new Set(candidates.keys());
  let skipped = 0;
  for (const k of known) {
    if (dirty.has(k.label) || k.start_at === null || k.end_at === null) continue;
    const w: Window = {
      label: k.label,
      start: k.start_at,
      end: k.end_at,
      endInclusive: false,
      closed: Date.parse(k.end_at) <= options.now.getTime(),
    };
    if (!isDue(w, options)) continue;
    if (k.hash !== null && options.fileExists(k.label)) skipped++;
    else candidates.set(k.label, w);
  }
  const rowsOf = db.prepare(
    `SELECT ${ROW} FROM predictions WHERE model_name = ? AND at >= ? AND at < ? ORDER BY at, id`,
  );
  const read: WindowRead[] = [];
  const waiting: KnownWindow[] = [];
  let rowsRead = 0;
  for (const w of [...candidates.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
    if (!isDue(w, options)) {
      waiting.push(knownOf({ window: w, rows: [] }, false, null));
      continue;
    }
    const rows = rowsOf.all(model, w.start, w.end) as LogRow[];
    rowsRead += rows.length;
    if (rows.length) read.push({ window: w, rows });
  }
  return {
    full: false,
    read,
    skipped,
    rowsRead,
    waiting,
    record: false,
    marks: {
      source: key,
      epoch: head.epoch,
      max_id: head.hiId,
      max_seq: head.hiSeq,
      seen: marks.seen + fresh.length,
      canonical: 1,
    },
  };
}

interface Span {
  first: number;
  last: number;
  rows: number;
}

function recordScan(
  db: Database,
  model: string,
  size: number,
  key: string,
  marks: LogMarks,
  known: KnownWindow[],
  head: Head,
  options: ScanOptions,
): LogScan | null {
  const ranges = known
    .filter((k) => k.first_id !== null && k.last_id !== null && k.rows !== null)
    .sort((a, b) => a.first_id! - b.first_id!);
  // The windows kept must tile the log read so far, full ones then at most one partial; if not, the
  // marks cannot place new records and the whole log is read.
  let counted = 0;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (
      r.label !== `records-${i * size + 1}-${(i + 1) * size}` ||
      r.rows! < 1 ||
      r.rows! > size ||
      (i < ranges.length - 1 && r.rows !== size)
    )
      return null;
    counted += r.rows!;
  }
  if (counted !== marks.seen || ranges.length !== known.length) return null;

  const fresh = freshRows(db, model, marks, head);
  const total = marks.seen + fresh.length;
  const spans = new Map<number, Span>();
  const dirty = new Set<number>();
  if (fresh.length) {
    for (let k = Math.floor(marks.seen / size); k * size < total; k++) {
      const from = k * size;
      const to = Math.min(from + size, total);
      spans.set(k, {
        first: from < marks.seen ? ranges[k]!.first_id! : fresh[from - marks.seen]!.id,
        last: fresh[to - 1 - marks.seen]!.id,
        rows: to - from,
      });
      dirty.add(k);
    }
  }
  for (const { id } of changedRows(db, model, marks)) {
    if (id > marks.max_id) continue; // a new record, in a window counted above
    const k = windowHolding(ranges, id);
    if (k < 0) return null;
    dirty.add(k);
  }
  let skipped = 0;
  ranges.forEach((r, k) => {
    if (dirty.has(k)) return;
    if (!isDue({ closed: r.rows === size }, options)) return;
    if (r.hash !== null && options.fileExists(r.label)) skipped++;
    else dirty.add(k);
  });

  const rowsOf = db.prepare(`SELECT ${ROW} FROM predictions WHERE id >= ? AND id <= ? AND +model_name = ? ORDER BY id`);
  const read: WindowRead[] = [];
  const waiting: KnownWindow[] = [];
  let rowsRead = 0;
  for (const k of [...dirty].sort((a, b) => a - b)) {
    const span = spans.get(k) ?? { first: ranges[k]!.first_id!, last: ranges[k]!.last_id!, rows: ranges[k]!.rows! };
    const label = `records-${k * size + 1}-${(k + 1) * size}`;
    if (!isDue({ closed: span.rows === size }, options)) {
      waiting.push({
        label,
        start_at: null,
        end_at: null,
        first_id: span.first,
        last_id: span.last,
        rows: span.rows,
        hash: null,
      });
      continue;
    }
    const rows = rowsOf.all(span.first, span.last, model) as LogRow[];
    rowsRead += rows.length;
    if (rows.length !== span.rows) return null;
    read.push({ window: recordWindow(k * size, size, rows), rows });
  }
  const canonical = marks.canonical && fresh.every((r) => isCanonicalTime(r.at)) ? 1 : 0;
  return {
    full: false,
    read,
    skipped,
    rowsRead,
    waiting,
    record: true,
    marks: { source: key, epoch: head.epoch, max_id: head.hiId, max_seq: head.hiSeq, seen: total, canonical },
  };
}

/** The index of the kept record window whose id range holds `id`, or -1. */
function windowHolding(ranges: readonly KnownWindow[], id: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (id < r.first_id!) hi = mid - 1;
    else if (id > r.last_id!) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function knownOf(g: WindowRead, record: boolean, hash: string | null): KnownWindow {
  if (!record)
    return {
      label: g.window.label,
      start_at: g.window.start,
      end_at: g.window.end,
      first_id: null,
      last_id: null,
      rows: null,
      hash,
    };
  return {
    label: g.window.label,
    start_at: null,
    end_at: null,
    first_id: g.rows[0]!.id,
    last_id: g.rows[g.rows.length - 1]!.id,
    rows: g.rows.length,
    hash,
  };
}

/**
 * Remembers what the check did with the scan: `recorded` maps a read window's label to the hash the
 * check recorded (or found recorded) for it; a window without one (its report failed) stays not
 * recorded and is read again next time.
 */
export function saveScan(db: Database, monitorId: number, scan: LogScan, recorded: ReadonlyMap<string, string>): void {
  writeTransaction(db, () => {
    if (scan.full) db.prepare(`DELETE FROM monitor_log_windows WHERE monitor_id = ?`).run(monitorId);
    const put = db.prepare(
      `INSERT INTO monitor_log_windows (monitor_id, label, start_at, end_at, first_id, last_id, rows, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (monitor_id, label) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at, first_id = excluded.first_id, last_id = excluded.last_id, rows = excluded.rows, hash = excluded.hash`,
    );
    const keep = (k: KnownWindow): void =>
      void put.run(monitorId, k.label, k.start_at, k.end_at, k.first_id, k.last_id, k.rows, k.hash);
    for (const g of scan.read) keep(knownOf(g, scan.record, recorded.get(g.window.label) ?? null));
    for (const k of scan.waiting) keep(k);
    const m = scan.marks;
    db.prepare(
      `INSERT INTO monitor_log_marks (monitor_id, source, epoch, max_id, max_seq, seen, canonical) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (monitor_id) DO UPDATE SET source = excluded.source, epoch = excluded.epoch, max_id = excluded.max_id, max_seq = excluded.max_seq, seen = excluded.seen, canonical = excluded.canonical`,
    ).run(monitorId, m.source, m.epoch, m.max_id, m.max_seq, m.seen, m.canonical);
  });
}
