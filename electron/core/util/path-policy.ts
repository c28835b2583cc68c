// Runs in: main (core). The one path policy: every path a user or a file names (outs, deps,
// pointers, artifacts, remotes, bundle entries) is checked here, so that nothing Benchtop is asked
// to write, delete or copy can be the project itself, git's history, Benchtop's own state, the
// pipeline's definition, or anything outside the project (by `..` or through a symbolic link).
// Pure functions decide on a normalised project-relative path; `resolveInProject` and
// `removeInProject` then check the same rules against the real file system, at the moment of use.
import { existsSync, lstatSync, realpathSync, rmSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { BENCHTOP_DIR, LOCK_FILE, PIPELINE_FILE, POINTER_SUFFIX } from './layout';

/** What the path is for: `read` (deps, artifacts copied into the cache) or `write` (outs, targets Benchtop deletes or replaces). */
export type PathUse = 'read' | 'write';

/** Why a path is refused, and how to fix it: `reason` follows the path in a message (`".git" is …`). */
export interface PathRefusal {
  reason: string;
  hint: string;
}

export const GIT_DIR = '.git';
export const DEFAULT_PARAMS = 'params.yaml';
/** Files a stage may read but never write or delete: the pipeline, its lock and its params. */
export const PROTECTED_FILES: readonly string[] = [PIPELINE_FILE, LOCK_FILE, DEFAULT_PARAMS];
const GITIGNORE = '.gitignore';
const WRITE_HINT = 'Name a file or folder inside the project, such as build/model.pkl.';
const READ_HINT = 'Name a file or folder of your own inside the project, such as data/train.csv.';

/**
 * How a name compares on the file systems projects live on: macOS and Windows fold case, and
 * Windows drops trailing dots and spaces, so `.GIT` and `.git.` are the git folder there.
 */
export function sameName(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

function comparable(name: string): string {
  return name === '.' || name === '..' ? name : name.replace(/[. ]+$/, '').toLowerCase();
}

/**
 * A path as written (relative to `wdir`, itself project-relative) made project-relative and
 * `/`-separated: `.` for the project folder, no `.`/`..` parts, no repeated or trailing slashes.
 * Null when it is absolute, leaves the project, or holds a NUL character.
 */
export function normalizeProjectPath(given: string, wdir = '.'): string | null {
  if (given.includes('\0')) return null;
  const p = given.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return null;
  const joined = path.posix.normalize(path.posix.join(wdir.replace(/\\/g, '/'), p)).replace(/\/+$/, '');
  if (joined === '' || joined === '.') return '.';
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return null;
  return joined;
}

/** Is `a` the same path as `b`, or a folder that holds it (by the comparison the file system makes)? */
export function isSameOrAncestor(a: string, b: string): boolean {
  if (a === '.') return true;
  const pa = a.split('/');
  const pb = b.split('/');
  return pa.length <= pb.length && pa.every((part, i) => sameName(part, pb[i]!));
}

/**
 * Why a normalised project-relative path may not be used this way, or null when it may.
 * `protectedFiles` adds the params files the pipeline declares to the ones always protected.
 */
export function refusal(rel: string, use: PathUse, protectedFiles: readonly string[] = []): PathRefusal | null {
  if (rel === '.') return { reason: 'is the project folder itself', hint: use === 'write' ? WRITE_HINT : READ_HINT };
  const parts = rel.split('/');
  if (parts.some((p) => sameName(p, GIT_DIR))) {
    return {
      reason: `is ${parts.length === 1 ? "git's own folder" : "inside git's own folder"} (.git), which holds the project's history`,
      hint: use === 'write' ? WRITE_HINT : READ_HINT,
    };
  }
  if (sameName(parts[0]!, BENCHTOP_DIR)) {
    return {
      reason: `is ${parts.length === 1 ? "Benchtop's own folder" : "inside Benchtop's own folder"} (.benchtop: the database, cache and server token)`,
      hint: use === 'write' ? WRITE_HINT : READ_HINT,
    };
  }
  if (use === 'read') return null;
  for (const f of [...PROTECTED_FILES, ...protectedFiles]) {
    if (sameName(f, rel) || (f.includes('/') && isSameOrAncestor(rel, f))) {
      const what = sameName(f, PIPELINE_FILE)
        ? 'the pipeline definition'
        : sameName(f, LOCK_FILE)
          ? "the pipeline's lock file"
          : 'a params file the pipeline reads';
      return {
        reason: `${sameName(f, rel) ? 'is' : 'holds'} ${what} (${f}), which a stage may read but never write`,
        hint: WRITE_HINT,
      };
    }
  }
  const base = parts[parts.length - 1]!;
  if (sameName(base, GITIGNORE)) return { reason: "is git's list of ignored files", hint: WRITE_HINT };
  if (comparable(base).endsWith(POINTER_SUFFIX))
    return {
      reason: 'is a pointer file, which records tracked data',
      hint: `Name the data itself, such as ${rel.slice(0, -POINTER_SUFFIX.length)}.`,
    };
  return null;
}

/** `given` checked as written: its normalised project-relative path, or why it is refused. */
export function checkProjectPath(
  given: string,
  use: PathUse,
  opts: { wdir?: string; protectedFiles?: readonly string[] } = {},
): { path: string } | { refusal: PathRefusal } {
  const rel = normalizeProjectPath(given, opts.wdir);
  if (rel === null) {
    return {
      refusal: {
        reason: 'is outside the project',
        hint:
          use === 'write'
            ? 'Stages may only write inside the project folder; name a path such as build/model.pkl.'
            : 'Copy the file into the project, so that it is versioned with it.',
      },
    };
  }
  const why = refusal(rel, use, opts.protectedFiles);
  return why ? { refusal: why } : { path: rel };
}

export function policyError(given: string, why: PathRefusal, field = 'path'): BenchtopError {
  return new BenchtopError('INVALID_INPUT', `"${given.slice(0, 300)}" ${why.reason}.`, { field, hint: why.hint });
}

/** Is `real` (an absolute path with links followed) the folder `root` or inside it? Both must be real paths. */
export function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The real path of `candidate` when it is an existing regular file inside the folder `root`, with
 * links followed on both sides; null otherwise (missing, a folder, root itself, or a link leading
 * out). `directly`: only a file in `root` itself counts, not one in a subfolder. For the servers
 * that hand out files of one folder (the renderer, reports): what a link makes of a name is what
 * is judged, so a link planted in the folder cannot serve a file from elsewhere.
 */
export function realFileInside(root: string, candidate: string, opts: { directly?: boolean } = {}): string | null {
  if (!existsSync(candidate)) return null;
  const realRoot = realpathSync(root);
  const real = realpathSync(candidate);
  const inside = opts.directly ? path.dirname(real) === realRoot : real !== realRoot && isInside(realRoot, real);
  return inside && statSync(real).isFile() ? real : null;
}

/**
 * Where an absolute path really is: links followed as far as the path exists, the rest appended
 * as written, so a path to be created under a link that leads out is seen to lead out.
 */
export function realPathOf(abs: string): string {
  let real = abs;
  let tail = '';
  while (!existsSync(real) && path.dirname(real) !== real) {
    tail = path.join(path.basename(real), tail);
    real = path.dirname(real);
  }
  return path.join(realpathSync(real), tail);
}

function lstatOrNull(p: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

export interface Resolved {
  /** Where the path is on disk, with every symbolic link in its folders followed. */
  abs: string;
  /** The same, relative to the project's real folder (`/`-separated). */
  rel: string;
  /** The last part is itself a symbolic link (followed for `read`, left alone for `write`). */
  link: boolean;
}

/**
 * Checks a normalised project-relative path against the real file system: every folder on the way
 * that is a symbolic link must lead to a folder inside the project, and the path it really names
 * must pass the policy too (a link `g -> .git` makes `g/x` git's). For `read` the last part is
 * followed when it is a link; for `write` it is not: a link may be replaced or unlinked, never
 * its target. What does not exist yet is checked by name.
 */
export function resolveInProject(
  projectDir: string,
  rel: string,
  use: PathUse,
  opts: { field?: string; protectedFiles?: readonly string[]; given?: string } = {},
): Resolved {
  const given = opts.given ?? rel;
  const field = opts.field ?? 'path';
  const first = refusal(rel, use, opts.protectedFiles);
  if (first) throw policyError(given, first, field);
  const root = realpathSync(projectDir);
  const parts = rel.split('/');
  let cur = root;
  let link = false;
  for (let i = 0; i < parts.length; i++) {
    const next = path.join(cur, parts[i]!);
    const st = lstatOrNull(next);
    if (!st) {
      cur = path.join(next, ...parts.slice(i + 1));
      break;
    }
    const last = i === parts.length - 1;
    if (st.isSymbolicLink() && (!last || use === 'read')) {
      let real: string;
      try {
        real = realpathSync(next);
      } catch {
        throw new BenchtopError(
          'INVALID_INPUT',
          `"${given}" goes through the symbolic link ${parts.slice(0, i + 1).join('/')}, which leads nowhere.`,
          { field, hint: 'Replace the link with the folder itself, or remove it.' },
        );
      }
      if (!isInside(root, real)) {
        throw new BenchtopError(
          'INVALID_INPUT',
          `"${given}" goes through the symbolic link ${parts.slice(0, i + 1).join('/')}, which leads outside the project (to ${real}).`,
          {
            field,
            hint: 'Replace the link with a real folder inside the project, or name a path that does not go through it.',
          },
        );
      }
      cur = real;
    } else {
      cur = next;
      if (last && st.isSymbolicLink()) link = true;
    }
  }
  const realRel = path.relative(root, cur).split(path.sep).join('/') || '.';
  if (realRel !== rel) {
    const why = refusal(realRel, use, opts.protectedFiles);
    if (why)
      throw new BenchtopError(
        'INVALID_INPUT',
        `"${given}" leads, through a symbolic link, to ${realRel}, which ${why.reason}.`,
        { field, hint: why.hint },
      );
  }
  return { abs: cur, rel: realRel, link };
}

/** What `removeInProject` would remove, or the BenchtopError saying why it may not; deletes nothing. */
export function checkRemovable(
  projectDir: string,
  rel: string,
  opts: { field?: string; protectedFiles?: readonly string[] } = {},
): Resolved {
  const normal = normalizeProjectPath(rel);
  if (normal === null) throw policyError(rel, { reason: 'is outside the project', hint: WRITE_HINT }, opts.field);
  return resolveInProject(projectDir, normal, 'write', { ...opts, given: rel });
}

/**
 * Deletes what a stage writes, checked at the moment of deleting so that a definition that slipped
 * past validation still cannot remove a protected path or anything outside the project. A symbolic
 * link is unlinked, never followed. Throws BenchtopError when the path is refused.
 */
export function removeInProject(
  projectDir: string,
  rel: string,
  opts: { field?: string; protectedFiles?: readonly string[] } = {},
): void {
  const r = checkRemovable(projectDir, rel, opts);
  if (r.link) unlinkSync(r.abs);
  else rmSync(r.abs, { recursive: true, force: true });
}
