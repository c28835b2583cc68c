// Runs in: main (core). The user's own `git` command, for what must reach another machine: it
// carries their SSH keys, credential helpers and proxy settings, which an in-process git cannot.
// Also the plumbing the project's records need in bulk (core/sync/): one fast-import writes a
// commit of thousands of records, one cat-file reads them back.
import { spawn } from 'node:child_process';
import { BenchtopError } from '../../../shared/contract/errors';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  input?: Buffer | string;
  /** Exit codes that are answers rather than failures (for example 1 from merge-base --is-ancestor). */
  ok?: readonly number[];
  /** Hears each line git prints on stderr (progress of push and fetch). */
  onStderrLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Runs git in `dir`; fails with git's own words unless the exit code is 0 or listed in `ok`. */
export function git(dir: string, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    let partial = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      err += text;
      if (!opts.onStderrLine) return;
      const lines = (partial + text).split(/\r|\n/);
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) opts.onStderrLine(l);
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new BenchtopError('NOT_FOUND', 'The git command was not found.', {
              hint: 'Install git (https://git-scm.com/downloads, or your system’s package manager) and try again.',
            })
          : e,
      ),
    );
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout: Buffer.concat(out), stderr: err };
      if (code === 0 || (code !== null && opts.ok?.includes(code))) resolve(result);
      else
        reject(
          new BenchtopError(
            'GIT_FAILED',
            `git ${args[0]} failed: ${err.trim().split('\n').slice(-3).join(' ') || `exit ${code}`}`,
            {
              hint: 'The message above is git’s own; fix what it names and run the command again.',
            },
          ),
        );
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The commit a ref points to, or null when there is no such ref. */
export async function readRef(dir: string, ref: string): Promise<string | null> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { ok: [1] });
  return r.code === 0 ? r.stdout.toString().trim() : null;
}

/** Points `ref` at `to` only if it still points at `from` (null: only if it does not exist). */
export async function updateRef(dir: string, ref: string, to: string, from: string | null): Promise<boolean> {
  const r = await git(dir, ['update-ref', ref, to, from ?? '0'.repeat(40)], { ok: [128, 1] });
  return r.code === 0;
}

/** Every file of a commit's tree: path → blob id. */
export async function listTree(dir: string, commit: string | null): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!commit) return out;
  const r = await git(dir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && id) out.set(entry.slice(tab + 1), id);
  }
  return out;
}

/** The contents of blobs, by id, in one git process. */
export async function readBlobs(dir: string, ids: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const wanted = [...new Set(ids)];
  if (!wanted.length) return out;
  const r = await git(dir, ['cat-file', '--batch'], { input: `${wanted.join('\n')}\n` });
  const buf = r.stdout;
  let at = 0;
  for (const id of wanted) {
    const nl = buf.indexOf(0x0a, at);
    const header = buf.subarray(at, nl).toString();
    const [got, , size] = header.split(' ');
    if (got !== id || size === undefined)
      throw new BenchtopError('GIT_FAILED', `git could not read object ${id}: ${header}.`, {
        hint: 'Run `git fsck` in the project to see what is damaged.',
      });
    const start = nl + 1;
    out.set(id, buf.subarray(start, start + Number(size)));
    at = start + Number(size) + 1;
  }
  return out;
}

/** Whether `a` is an ancestor of (or the same commit as) `b`. */
export async function isAncestor(dir: string, a: string, b: string): Promise<boolean> {
  return (await git(dir, ['merge-base', '--is-ancestor', a, b], { ok: [1] })).code === 0;
}

export async function mergeBase(dir: string, a: string, b: string): Promise<string | null> {
  const r = await git(dir, ['merge-base', a, b], { ok: [1] });
  return r.code === 0 ? r.stdout.toString().trim() : null;
}

/** How many commits each side has that the other lacks. */
export async function aheadBehind(
  dir: string,
  ours: string,
  theirs: string,
): Promise<{ ahead: number; behind: number }> {
  const r = await git(dir, ['rev-list', '--left-right', '--count', `${ours}...${theirs}`]);
  const [ahead, behind] = r.stdout.toString().trim().split(/\s+/).map(Number);
  return { ahead: ahead ?? 0, behind: behind ?? 0 };
}

export interface CommitWrite {
  /** First parent (the tree starts from its tree), then any others (a merge). */
  parents: readonly string[];
  /** path → new bytes, or null to remove the path (a file or a whole folder). */
  changes: ReadonlyMap<string, Buffer | string | null>;
  message: string;
}

/**
 * Writes a commit with fast-import (one process whatever the number of records) under a
 * throwaway ref, and returns its id; the caller moves the real ref with `updateRef`.
 */
export async function writeCommit(dir: string, c: CommitWrite): Promise<string> {
  const scratch = `refs/benchtop/scratch/${process.pid}-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
  const data = (b: Buffer) => {
    text(`data ${b.length}\n`);
    chunks.push(b, Buffer.from('\n'));
  };
  const when = Math.floor(Date.now() / 1000);
  text(`commit ${scratch}\ncommitter Benchtop <benchtop@localhost> ${when} +0000\n`);
  data(Buffer.from(c.message, 'utf8'));
  const [first, ...others] = c.parents;
  if (first) text(`from ${first}\n`);
  for (const p of others) text(`merge ${p}\n`);
  for (const p of [...c.changes.keys()].sort()) {
    if (/[\n"]/.test(p) || p.startsWith('/'))
      throw new BenchtopError('INVALID_INPUT', `A record path cannot be ${JSON.stringify(p)}.`);
    const bytes = c.changes.get(p);
    if (bytes === null || bytes === undefined) text(`D ${p}\n`);
    else {
      text(`M 100644 inline ${p}\n`);
      data(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    }
  }
  text('done\n');
  await git(dir, ['fast-import', '--quiet', '--done', '--date-format=raw'], { input: Buffer.concat(chunks) });
  const id = await readRef(dir, scratch);
  await git(dir, ['update-ref', '-d', scratch]);
  if (!id) throw new BenchtopError('GIT_FAILED', 'git fast-import wrote no commit.');
  return id;
}

/** The paths whose blob differs between two commits (null: the empty tree). */
export async function changedPaths(dir: string, from: string | null, to: string): Promise<string[]> {
  if (!from) return [...(await listTree(dir, to)).keys()];
  const r = await git(dir, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', from, to]);
  return r.stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p.length > 0);
}
