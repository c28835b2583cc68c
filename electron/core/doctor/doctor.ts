// Runs in: main (core). `benchtop doctor`: what in a project is damaged, and what can be done about
// it safely. It checks the database (opens, integrity, schema version), the cache (each object's bytes
// against its name, or with `quick` only the sizes pointers give), the pointers of the working tree
// and of HEAD (parse, object present, size right) and orphan temp files. With `fix` it does only what
// loses nothing: temp files are removed, a corrupt object is moved to .benchtop/cache/quarantine/
// (a `data pull` or `data add` then restores it). The database and the user's files are never changed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../shared/contract/errors';
import { pointersAt } from '../data/checkout';
import { runHashTasks } from '../data/hash-pool';
import { decodeManifest } from '../data/manifest';
import { dataPathOf, parsePointer, type DataPointer } from '../data/pointer';
import { findPointers } from '../data/pointer';
import { dataStore } from '../data/track';
import { VerifiedObjects } from '../data/verified-objects';
import { openDatabase, SCHEMA_VERSION } from '../store/database';
import { headCommit } from '../git/git';
import { CACHE_DIR, DATABASE_FILE } from '../util/layout';
import { findOrphanTemps } from '../workspace/temp-files';

export type DoctorArea = 'database' | 'cache' | 'pointers' | 'temp';

export interface DoctorProblem {
  area: DoctorArea;
  /** The file concerned, relative to the project. */
  path: string;
  problem: string;
  /** What --fix does about it, or what the user can do when it is not safe to do automatically. */
  fix: string;
  /** Whether --fix can do it (safe: nothing anybody made is lost). */
  fixable: boolean;
  /** Done in this run (only with fix). */
  fixed: boolean;
}

export interface DoctorReport {
  /** No problem remains. */
  ok: boolean;
  problems: DoctorProblem[];
  checked: { database: boolean; objects: number; hashed: number; pointers: number; tempFiles: number };
}

export interface DoctorOptions {
  fix?: boolean;
  /** Sizes only: no object is read. */
  quick?: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export const QUARANTINE_DIR = path.join(CACHE_DIR, 'quarantine');

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function checkDatabase(projectDir: string, problems: DoctorProblem[]): Database | null {
  const file = path.join(projectDir, DATABASE_FILE);
  if (!existsSync(file)) return null; // a new project: the next command creates it
  let db: Database;
  try {
    db = openDatabase(file);
  } catch (err) {
    const hint = err instanceof BenchtopError && err.hint ? ` ${err.hint}` : '';
    problems.push({
      area: 'database',
      path: DATABASE_FILE,
      problem: message(err),
      fix: `Restore it from a backup, or move it aside to start a new one.${hint}`,
      fixable: false,
      fixed: false,
    });
    return null;
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const bad = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (bad.length)
      problems.push({
        area: 'database',
        path: DATABASE_FILE,
        problem: `integrity check failed: ${bad.slice(0, 3).join('; ')}${bad.length > 3 ? ` (and ${bad.length - 3} more)` : ''}`,
        fix: 'Restore it from a backup; copy it aside before anything else.',
        fixable: false,
        fixed: false,
      });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION)
      problems.push({
        area: 'database',
        path: DATABASE_FILE,
        problem: `schema version ${version}, expected ${SCHEMA_VERSION}`,
        fix: 'Open it with the Benchtop that wrote it.',
        fixable: false,
        fixed: false,
      });
  } catch (err) {
    problems.push({
      area: 'database',
      path: DATABASE_FILE,
      problem: message(err),
      fix: 'Restore it from a backup, or move it aside to start a new one.',
      fixable: false,
      fixed: false,
    });
  }
  return db;
}

/** Every object in the cache, as hash → size. */
function listObjects(root: string): Map<string, number> {
  const out = new Map<string, number>();
  let shards: string[];
  try {
    shards = readdirSync(root).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
    return out;
  }
  for (const d of shards) {
    for (const f of readdirSync(path.join(root, d))) {
      if (!/^[0-9a-f]{62}$/.test(f)) continue;
      const st = statSync(path.join(root, d, f), { throwIfNoEntry: false });
      if (st?.isFile()) out.set(d + f, st.size);
    }
  }
  return out;
}

const ROUND = 2048;

export async function runDoctor(projectDir: string, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const problems: DoctorProblem[] = [];
  const db = checkDatabase(projectDir, problems);
  try {
    const store = dataStore(projectDir);
    const objects = listObjects(store.root);
    const corrupt = new Set<string>();
    let hashed = 0;
    // Cache: every object's bytes against its name (the slow part, in rounds with progress).
    if (!opts.quick) {
      const all = [...objects.keys()].sort();
      for (let from = 0; from < all.length; from += ROUND) {
        const round = all.slice(from, from + ROUND);
        const actual = await runHashTasks(
          round.map((h) => ({ file: store.pathOf(h), size: objects.get(h)! })),
          (done) => opts.onProgress?.('hashing the cache', from + done, all.length),
        ).catch(() => null);
        if (actual) round.forEach((h, i) => actual[i] !== h && corrupt.add(h));
        hashed += round.length;
      }
    }
    // Pointers of the working tree and of HEAD: each names an object that is here, of its size.
    const pointerTexts = new Map<string, string>();
    for (const p of findPointers(projectDir)) pointerTexts.set(p, readFileSync(path.join(projectDir, p), 'utf8'));
    const head = await headCommit(projectDir).catch(() => null);
    if (head)
      for (const [p, text] of await pointersAt(projectDir, head))
        if (!pointerTexts.has(p)) pointerTexts.set(`${p} (HEAD)`, text.toString('utf8'));
    const sizeOf = (hash: string): number | undefined => objects.get(hash);
    for (const [name, text] of pointerTexts) {
      const pointerRel = name.replace(/ \(HEAD\)$/, '');
      let p: DataPointer;
      try {
        p = parsePointer(text, name);
      } catch (err) {
        problems.push({
          area: 'pointers',
          path: pointerRel,
          problem: message(err),
          fix: 'Restore the pointer from git (`git checkout -- FILE`), or run `benchtop data add` on its data again.',
          fixable: false,
          fixed: false,
        });
        continue;
      }
      const rel = dataPathOf(pointerRel);
      const missing = (what: string): void => {
        problems.push({
          area: 'pointers',
          path: pointerRel,
          problem: `${what} of ${rel} is not in the cache`,
          fix: 'Fetch it with `benchtop data pull`, or run `benchtop data add` on the data if you still have it.',
          fixable: false,
          fixed: false,
        });
      };
      if (sizeOf(p.hash) === undefined) {
        missing('the data');
        continue;
      }
      if (corrupt.has(p.hash)) continue; // reported with the cache
      let actual: number;
      if (p.kind === 'folder') {
        let entries: ReturnType<typeof decodeManifest>;
        try {
          entries = decodeManifest(store.readBytes(p.hash), p.hash);
        } catch (err) {
          problems.push({
            area: 'pointers',
            path: pointerRel,
            problem: message(err),
            fix: 'Fetch it again with `benchtop data pull`, or run `benchtop data add` on the folder again.',
            fixable: false,
            fixed: false,
          });
          continue;
        }
        const lacking = entries.filter((e) => sizeOf(e.hash) === undefined);
        if (lacking.length)
          missing(
            `${lacking.length} file${lacking.length === 1 ? '' : 's'} (${lacking[0]!.path}${lacking.length > 1 ? ', …' : ''})`,
          );
        const wrong = entries.filter(
          (e) => sizeOf(e.hash) !== undefined && !corrupt.has(e.hash) && sizeOf(e.hash) !== e.size,
        );
        for (const e of wrong) corrupt.add(e.hash);
        actual = entries.reduce((n, e) => n + e.size, 0);
      } else {
        actual = sizeOf(p.hash)!;
        if (opts.quick && actual !== p.size) {
          // Quick mode cannot tell a short object from a wrong pointer without reading; say both.
          problems.push({
            area: 'pointers',
            path: pointerRel,
            problem: `says size ${p.size}, but its object is ${actual} bytes`,
            fix: 'Run `benchtop doctor` without --quick to tell a damaged object from a damaged pointer.',
            fixable: false,
            fixed: false,
          });
          continue;
        }
      }
      if (actual !== p.size)
        problems.push({
          area: 'pointers',
          path: pointerRel,
          problem: `says size ${p.size}, but the data it names is ${actual} bytes`,
          fix: 'Restore the pointer from git (`git checkout -- FILE` or an earlier commit), or run `benchtop data add` on its data again.',
          fixable: false,
          fixed: false,
        });
    }
    // Overlapping tracked data (left by a Benchtop that allowed it): the inner pointer sits in a
    // git-ignored folder and the folder's pointer holds its data too.
    const working = findPointers(projectDir).map(dataPathOf);
    for (const inner of working) {
      const outer = working.find((o) => inner.startsWith(`${o}/`));
      if (outer)
        problems.push({
          area: 'pointers',
          path: `${inner}.bt`,
          problem: `${inner} is tracked on its own and inside ${outer}, which is tracked as a whole`,
          fix: `Run \`benchtop data untrack ${inner}\` (its versions stay in data log), or \`benchtop data untrack ${outer}\` to track the parts instead.`,
          fixable: false,
          fixed: false,
        });
    }
    // Corrupt objects: moved aside (never deleted) when fixing, so a pull or add can put back good ones.
    const quarantine = path.join(projectDir, QUARANTINE_DIR);
    const forgotten: string[] = [];
    for (const h of [...corrupt].sort()) {
      const problem: DoctorProblem = {
        area: 'cache',
        path: path.relative(projectDir, store.pathOf(h)).split(path.sep).join('/'),
        problem: `object ${h.slice(0, 12)}… does not hold the bytes its name says`,
        fix: `move it to ${QUARANTINE_DIR.split(path.sep).join('/')}/; then \`benchtop data pull\` or \`benchtop data add\` restores it`,
        fixable: true,
        fixed: false,
      };
      if (opts.fix) {
        mkdirSync(quarantine, { recursive: true });
        renameSync(store.pathOf(h), path.join(quarantine, `${h}.${Date.now()}`));
        forgotten.push(h);
        problem.fixed = true;
      }
      problems.push(problem);
    }
    if (db && forgotten.length) new VerifiedObjects(db).forget(forgotten);
    // Temp files of killed commands.
    const temps = findOrphanTemps(projectDir);
    for (const t of temps) {
      const problem: DoctorProblem = {
        area: 'temp',
        path: t.path,
        problem: `orphan temp file (${t.size} bytes, untouched since ${new Date(t.mtimeMs).toISOString()})`,
        fix: 'remove it',
        fixable: true,
        fixed: false,
      };
      if (opts.fix) {
        rmSync(path.join(projectDir, t.path), { force: true });
        problem.fixed = true;
      }
      problems.push(problem);
    }
    return {
      ok: problems.every((p) => p.fixed),
      problems,
      checked: {
        database: db !== null,
        objects: objects.size,
        hashed,
        pointers: pointerTexts.size,
        tempFiles: temps.length,
      },
    };
  } finally {
    db?.close();
  }
}
