// Runs in: main (core) and CLI (Node). One writer per project: `.benchtop/writer.lock` names the
// process that may change the project (files, git index, cache, database) right now. Two writers
// at once tear each other's outputs, .gitignore and git index apart; readers never take it.
//
// The file is created whole and exclusively (written beside it, then hard-linked into place, which
// fails if it exists), so a reader never sees half of it. It holds the holder's pid, the process
// start time (so a reused pid is not mistaken for the holder), the host, the command and a random
// token. A lock whose holder is gone is stale and is taken over under a short guard file, so two
// processes that both saw it stale cannot both take it. Inside one process the lock is shared (the
// app's writes, its pipeline runs and the helpers' calls into it are one writer); child processes
// join it through BENCHTOP_LOCK_HELD, which carries the token while the lock is held.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { createExclusive, removeUnderGuard } from '../util/exclusive-file';
import { ensureGitignore } from './gitignore';
import { BENCHTOP_DIR, BENCHTOP_TEMP_IGNORE, WRITER_LOCK_IGNORE } from '../util/layout';

export const PROJECT_LOCK_FILE = path.join(BENCHTOP_DIR, 'writer.lock');
/** Set in the holder's environment (and so in its stages'): a process whose value matches the lock file's token is part of the holder. */
export const LOCK_ENV = 'BENCHTOP_LOCK_HELD';

export interface LockHolder {
  token: string;
  pid: number;
  /** Linux: field 22 of /proc/PID/stat (clock ticks since boot); null where it cannot be read. */
  startTime: string | null;
  hostname: string;
  command: string;
  since: string;
}

export interface LockOptions {
  /** What takes it, shown to whoever has to wait: `benchtop run`, `the Benchtop app (data.add)`. */
  command: string;
  /** How long to wait for another holder: Infinity waits until it is free, 0 fails at once. */
  waitMs: number;
  /** Called once when the lock is busy and the caller is going to wait. */
  onWait?: (holder: LockHolder | null) => void;
  /** Said after the message when waiting gives up. */
  hint?: string;
}

export type ReleaseLock = () => void;

const POLL_MS = 100;
/** A guard or lock file that is still unreadable after this long was left by a crash mid-write. */
const ABANDONED_MS = 10_000;

export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** True when the process is running and, where start times are known, is the same process. */
export function processAlive(pid: number, startTime: string | null = null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTime === null ? null : processStartTime(pid);
  return now === null || now === startTime;
}

export function readLockHolder(projectDir: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path.join(projectDir, PROJECT_LOCK_FILE), 'utf8')) as LockHolder;
    return typeof h.token === 'string' && typeof h.pid === 'number' ? h : null;
  } catch {
    return null;
  }
}

/** `held by \`benchtop run\` (pid 1234, since 14:02:11)` */
export function describeHolder(h: LockHolder | null): string {
  if (!h) return 'held by another Benchtop process';
  const since = new Date(h.since);
  const at = Number.isNaN(since.getTime()) ? '?' : since.toTimeString().slice(0, 8);
  const host = h.hostname === os.hostname() ? '' : ` on ${h.hostname}`;
  return `held by \`${h.command}\` (pid ${h.pid}${host}, since ${at})`;
}

function isStale(file: string, h: LockHolder | null): boolean {
  if (!h) {
    // Unreadable: being written (the O_EXCL fallback) or abandoned mid-write.
    try {
      return Date.now() - statSync(file).mtimeMs > ABANDONED_MS;
    } catch {
      return false;
    }
  }
  // A holder on another machine (a shared drive) cannot be checked from here: it is never stale.
  if (h.hostname !== os.hostname()) return false;
  return !processAlive(h.pid, h.startTime);
}

/**
 * Removes a stale lock, under a guard so a fresh lock taken meanwhile by another process is never
 * removed. Returns false when another process is taking it over right now.
 */
function takeOver(file: string, stale: LockHolder | null): boolean {
  return removeUnderGuard(
    file,
    () => {
      let now: LockHolder | null;
      try {
        now = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
      } catch {
        now = null;
      }
      // Only the very lock judged stale is removed; anything else is a new holder.
      return (now?.token ?? null) === (stale?.token ?? null) && isStale(file, now);
    },
    ABANDONED_MS,
  );
}

interface Held {
  token: string;
  count: number;
}

/** Locks this process holds, by lock file: shared by everything in the process. */
const held = new Map<string, Held>();
let exitHookInstalled = false;

function removeIfOurs(file: string, token: string): void {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    if (h.token === token) rmSync(file, { force: true });
  } catch {
    // Missing or unreadable: not ours to remove.
  }
}

/** Releases every lock this process holds; for exit paths that cannot wait. */
export function releaseAllProjectLocks(): void {
  for (const [file, h] of held) removeIfOurs(file, h.token);
  held.clear();
  delete process.env[LOCK_ENV];
}

/** True when this process holds the project's lock (itself or as a holder's child). */
export function holdsProjectLock(projectDir: string): boolean {
  const file = path.join(projectDir, PROJECT_LOCK_FILE);
  if (held.has(file)) return true;
  const inherited = process.env[LOCK_ENV];
  return Boolean(inherited) && readLockHolder(projectDir)?.token === inherited;
}

/**
 * Takes the project's lock, waiting up to `waitMs` for another holder; resolves to the release.
 * Fails with BUSY naming the holder when the wait runs out.
 */
export async function acquireProjectLock(projectDir: string, opts: LockOptions): Promise<ReleaseLock> {
  const file = path.join(projectDir, PROJECT_LOCK_FILE);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
    return once(() => release(file, mine));
  }
  // A stage (or any child) of the holder: it writes as part of the holder's lock.
  const inherited = process.env[LOCK_ENV];
  if (inherited && readLockHolder(projectDir)?.token === inherited) return () => undefined;

  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    const again = held.get(file);
    if (again) {
      // Another call in this process took it while this one slept.
      again.count++;
      return once(() => release(file, again));
    }
    const token = randomBytes(12).toString('hex');
    const holder: LockHolder = {
      token,
      pid: process.pid,
      startTime: processStartTime(process.pid),
      hostname: os.hostname(),
      command: opts.command,
      since: new Date().toISOString(),
    };
    // No fsync: after a crash the lock is stale whatever it holds.
    if (createExclusive(file, `${JSON.stringify(holder)}\n`, 0o644, false)) {
      const h: Held = { token, count: 1 };
      held.set(file, h);
      try {
        // Projects made before the lock existed learn to ignore it, so `git add -A` never commits it.
        ensureGitignore(
          projectDir,
          [WRITER_LOCK_IGNORE, BENCHTOP_TEMP_IGNORE],
          'Benchtop: the project lock (which process is writing right now) and its temp files',
        );
      } catch {
        // A read-only .gitignore does not stop the write itself.
      }
      process.env[LOCK_ENV] = token;
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', releaseAllProjectLocks);
      }
      return once(() => release(file, h));
    }
    const current = readLockHolder(projectDir);
    // Released between our attempt and the read: try again at once rather than wait on nobody.
    if (!current && !existsSync(file)) continue;
    if (isStale(file, current)) {
      // Another process is taking it over: let it finish rather than spin.
      if (!takeOver(file, current)) await sleep(POLL_MS);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new BenchtopError('BUSY', `The project lock is ${describeHolder(current)}.`, {
        hint: opts.hint ?? 'Wait for it to finish and try again.',
      });
    }
    if (!told) {
      told = true;
      opts.onWait?.(current);
    }
    // Jittered, so waiters do not all retry at the same moment.
    await sleep(Math.min(POLL_MS + Math.random() * 50, Math.max(1, deadline - Date.now())));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function release(file: string, h: Held): void {
  if (--h.count > 0) return;
  if (held.get(file) === h) held.delete(file);
  if (process.env[LOCK_ENV] === h.token) delete process.env[LOCK_ENV];
  removeIfOurs(file, h.token);
}

function once(fn: () => void): ReleaseLock {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
