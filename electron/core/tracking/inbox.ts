// Runs in: main (core) and CLI (Node). The inbox: what the helpers (resources/helpers) logged while
// no Benchtop server ran, so a notebook or a plain script can log with nothing else running.
//
// Each run a helper starts is one append-only file, `.benchtop/inbox/<run id>.jsonl`: one JSON line
// per call, `{"v":1,"call":"runs.log","input":{…}}`, with the very inputs the local API takes
// (NaN and ±Infinity tagged as on the wire). Each line is one append, so a crash leaves at most a
// torn last line. An artifact's bytes are copied beside it, into `<run id>.files/`, when logged:
// the line names the copy, and a later change to the file cannot change what the run logged.
//
// Taking a file in validates every line with the contract's own schemas (validateInput) and applies
// it through the functions the live API's handlers use (the InboxTarget the tracking handlers give),
// inside one transaction that also records how far the file was read (`meta`, key `inbox:<file>`):
// a file read twice changes nothing, and a crash mid-way leaves it as it was. A line that cannot be
// used is skipped and named (file:line: why), never failing the rest. A file whose script still runs
// (its run not ended, its process alive) is read up to its last whole line and read on from there
// next time; a closed one (its run ended, or its process gone) moves whole, bad lines and all, to
// `.benchtop/inbox/done/`, so nothing is ever lost.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { validateInput } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import type { InboxIngest } from '../../../shared/contract/tracking';
import type { ParsedInput } from '../../../shared/contract/methods';
import { fromWire } from '../../../shared/contract/wire';
import { writeTransaction } from '../store/database';
import { INBOX_DIR } from '../util/layout';
import { ensureGitignore } from '../workspace/gitignore';
import { processAlive } from '../workspace/project-lock';
import { artifactStore } from './artifacts';

export const INBOX_FORMAT_VERSION = 1;
const DONE = 'done';
const UNFINISHED_START_MS = 60_000;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}\.jsonl$/;
/** A copy an artifact line names: inside the run's own `.files` folder, no way out of it. */
const COPY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}\.files\/[A-Za-z0-9][A-Za-z0-9_.-]{0,300}$/;
/** Problems with a line's content: the line is skipped. Anything else (a full disk) rolls the file back. */
const LINE_PROBLEMS = new Set(['INVALID_INPUT', 'CONFLICT', 'NOT_FOUND', 'ALREADY_EXISTS']);

/** Applies one call, synchronously, inside the inbox's transaction: the live API's own functions. */
export interface InboxTarget {
  create(input: ParsedInput<'runs.create'>): void;
  log(input: ParsedInput<'runs.log'>): void;
  end(input: ParsedInput<'runs.end'>): void;
  artifact(runId: string, name: string, hash: string, size: number): void;
}

type Line =
  | { n: number; call: 'runs.create'; input: ParsedInput<'runs.create'> }
  | { n: number; call: 'runs.log'; input: ParsedInput<'runs.log'> }
  | { n: number; call: 'runs.end'; input: ParsedInput<'runs.end'> }
  | {
      n: number;
      call: 'runs.logArtifact';
      input: ParsedInput<'runs.logArtifact'>;
      stored: { hash: string; size: number } | null;
    };

interface Progress {
  offset: number;
  line: number;
}

/** Whether the inbox has files to look at (cheap: one readdir). */
export function inboxHasFiles(projectDir: string): boolean {
  return inboxFileNames(projectDir).length > 0;
}

function inboxFileNames(projectDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(projectDir, INBOX_DIR));
  } catch {
    return [];
  }
  return names.filter((n) => FILE_NAME.test(n)).sort();
}

const metaKey = (file: string) => `inbox:${file}`;

function readProgress(db: Database, file: string): Progress {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(metaKey(file)) as { value: string } | undefined;
  if (!row) return { offset: 0, line: 0 };
  try {
    const p = JSON.parse(row.value) as Progress;
    if (Number.isSafeInteger(p.offset) && Number.isSafeInteger(p.line)) return p;
  } catch {
    // A value this code did not write: start over (each line is then applied again, and the
    // functions it goes through keep params and ended runs as they are).
  }
  return { offset: 0, line: 0 };
}

/** The first line, read a chunk at a time (a long file is not read whole for it); null while it has no end. */
function readFirstLine(file: string): Buffer | null {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, pos);
      const got = buf.subarray(0, n);
      const nl = got.indexOf(10);
      if (nl >= 0) {
        chunks.push(got.subarray(0, nl));
        return Buffer.concat(chunks);
      }
      if (n === 0) return null;
      chunks.push(got);
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

function readFrom(file: string, offset: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The run a file is about and the process writing it, from its first line (a runs.create). */
function header(file: string): { runId: string | null; pid: number | null; whole: boolean } {
  const first = readFirstLine(file);
  if (first === null) return { runId: null, pid: null, whole: false };
  try {
    const line = JSON.parse(first.toString('utf8')) as {
      call?: unknown;
      input?: { id?: unknown; pid?: unknown };
    };
    if (line.call !== 'runs.create') return { runId: null, pid: null, whole: true };
    return {
      runId: typeof line.input?.id === 'string' ? line.input.id : null,
      pid: typeof line.input?.pid === 'number' ? line.input.pid : null,
      whole: true,
    };
  } catch {
    return { runId: null, pid: null, whole: true };
  }
}

function describe(err: unknown): string {
  if (err instanceof BenchtopError) return err.message + (err.hint ? ` ${err.hint}` : '');
  return err instanceof Error ? err.message : String(err);
}

/** Parses and validates one line; a string says why it cannot be used. */
function parseLine(text: string, n: number): Omit<Line, 'stored'> | string {
  let raw: unknown;
  try {
    raw = fromWire(text);
  } catch {
    return 'not a JSON line';
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'not a JSON object';
  const { v, call, input } = raw as { v?: unknown; call?: unknown; input?: unknown };
  if (v !== INBOX_FORMAT_VERSION) return `written in inbox format ${String(v)}, which this Benchtop does not read`;
  if (call !== 'runs.create' && call !== 'runs.log' && call !== 'runs.end' && call !== 'runs.logArtifact')
    return `"${String(call)}" is not a call the inbox takes`;
  const checked = validateInput(call, input);
  if (!checked.ok) return checked.error.message;
  return { n, call, input: checked.input } as Omit<Line, 'stored'>;
}

export interface IngestOptions {
  projectDir: string;
  db: Database;
  target: InboxTarget;
  /** Writes the metric writer's waiting points, so a file's transaction holds only the inbox's. */
  flush?: () => void;
  /** Whether the process that wrote a file still runs (tests stand in for it). */
  alive?: (pid: number) => boolean;
}

/**
 * Takes in every file of the inbox. The caller holds the project lock.
 */
export async function ingestInbox(opts: IngestOptions): Promise<InboxIngest> {
  const { projectDir, db, target } = opts;
  const alive = opts.alive ?? ((pid: number) => processAlive(pid));
  const result: InboxIngest = { runs: [], files: 0, lines: 0, warnings: [] };
  const runs = new Set<string>();
  const names = inboxFileNames(projectDir);
  if (names.length > 0) {
    try {
      // A project made before the inbox existed learns to keep it out of git (`data commit`, `git add -A`).
      ensureGitignore(projectDir);
    } catch {
      // A read-only .gitignore does not stop the inbox from being taken in.
    }
  }
  for (const name of names) {
    const rel = path.posix.join(INBOX_DIR.split(path.sep).join('/'), name);
    const file = path.join(projectDir, INBOX_DIR, name);
    const start = readProgress(db, name);
    const { runId, pid, whole: started } = header(file);
    // Its first line still being written (a script that has just started): the process it names
    // is not known yet, so the file waits; one left that way for a minute is a crash's.
    if (!started && Date.now() - statSync(file).mtimeMs < UNFINISHED_START_MS) continue;
    const writerAlive = pid !== null && alive(pid);
    const bytes = readFrom(file, start.offset);
    // Nothing new from a script still logging: nothing to do (the app looks often).
    if (bytes.length === 0 && writerAlive && !(runId !== null && runEnded(db, runId))) continue;
    const lastNewline = bytes.lastIndexOf(10);
    const whole = lastNewline < 0 ? Buffer.alloc(0) : bytes.subarray(0, lastNewline + 1);
    const rest = bytes.subarray(whole.length);

    const lines: Line[] = [];
    const warnings: string[] = [];
    let n = start.line;
    for (const text of whole.toString('utf8').split('\n').slice(0, -1)) {
      n++;
      if (text.trim() === '') continue;
      const parsed = parseLine(text, n);
      if (typeof parsed === 'string') {
        warnings.push(`${rel}:${n}: skipped: ${parsed}`);
        continue;
      }
      if (parsed.call !== 'runs.logArtifact') {
        lines.push(parsed as Line);
        continue;
      }
      // The bytes go into the cache first (content-addressed: storing them twice is harmless).
      const copy = (JSON.parse(text) as { copy?: unknown }).copy;
      let stored: { hash: string; size: number } | null = null;
      if (typeof copy === 'string' && COPY_NAME.test(copy)) {
        const source = path.join(projectDir, INBOX_DIR, ...copy.split('/'));
        if (existsSync(source))
          stored = { hash: await artifactStore(projectDir).put(source), size: statSync(source).size };
      }
      lines.push({ ...(parsed as Omit<Line & { call: 'runs.logArtifact' }, 'stored'>), stored });
    }

    opts.flush?.();
    const applied = writeTransaction(db, () => {
      // Another ingestion (in another process, between this one's reads) got here first.
      const now = readProgress(db, name);
      if (now.offset !== start.offset) return false;
      for (const line of lines) {
        try {
          writeTransaction(db, () => apply(target, line));
          const id = lineRun(line);
          if (id) runs.add(id);
        } catch (err) {
          if (!(err instanceof BenchtopError) || !LINE_PROBLEMS.has(err.code)) throw err;
          warnings.push(`${rel}:${line.n}: skipped: ${describe(err)}`);
        }
      }
      let offset = start.offset + whole.length;
      let line = n;
      const closed = !writerAlive || (runId !== null && runEnded(db, runId));
      if (closed && rest.length > 0) {
        line++;
        warnings.push(`${rel}:${line}: skipped a line cut short (the script stopped while writing it)`);
        offset += rest.length;
      }
      if (closed && runId !== null && runIsRunning(db, runId)) {
        // Its script is gone without ending it: what a dead process's run becomes anywhere else.
        target.end({ runId, status: 'interrupted' });
        runs.add(runId);
      }
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
        metaKey(name),
        JSON.stringify({ offset, line }),
      );
      return closed;
    });
    if (lines.length > 0 || warnings.length > 0) result.files++;
    result.lines += lines.length;
    result.warnings.push(...warnings);
    if (applied) moveToDone(projectDir, name);
  }
  result.runs = [...runs];
  return result;
}

function lineRun(line: Line): string {
  return line.call === 'runs.create' ? (line.input.id ?? '') : line.input.runId;
}

function apply(target: InboxTarget, line: Line): void {
  switch (line.call) {
    case 'runs.create':
      if (!line.input.id)
        throw new BenchtopError('INVALID_INPUT', 'A run in the inbox needs the id its script gave it.', {
          field: 'id',
        });
      return target.create(line.input);
    case 'runs.log':
      return target.log(line.input);
    case 'runs.end':
      return target.end(line.input);
    case 'runs.logArtifact':
      if (!line.stored)
        throw new BenchtopError('NOT_FOUND', `The copy of artifact ${line.input.path} is missing from the inbox.`);
      return target.artifact(line.input.runId, line.input.name ?? line.input.path, line.stored.hash, line.stored.size);
  }
}

function runStatus(db: Database, runId: string): string | null {
  const row = db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string } | undefined;
  return row?.status ?? null;
}

function runEnded(db: Database, runId: string): boolean {
  const s = runStatus(db, runId);
  return s !== null && s !== 'running' && s !== 'queued';
}

function runIsRunning(db: Database, runId: string): boolean {
  const s = runStatus(db, runId);
  return s === 'running' || s === 'queued';
}

/** A closed file and its copies, kept whole in done/ (the progress row says it was all read). */
function moveToDone(projectDir: string, name: string): void {
  const inbox = path.join(projectDir, INBOX_DIR);
  const done = path.join(inbox, DONE);
  mkdirSync(done, { recursive: true });
  const stem = name.slice(0, -'.jsonl'.length);
  try {
    renameSync(path.join(inbox, name), path.join(done, name));
    if (existsSync(path.join(inbox, `${stem}.files`)))
      renameSync(path.join(inbox, `${stem}.files`), path.join(done, `${stem}.files`));
  } catch {
    // Left where it is: its progress row keeps it from being taken in twice; moved next time.
  }
}
