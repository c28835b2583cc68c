// Runs in: main (core). The project's git repository through isomorphic-git; the git CLI sees the
// same repository, so nothing here may write anything git itself would not.
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import type { gitInfo } from '../../../shared/contract/schemas';
import { gitFs } from './git-fs';

export type GitInfo = z.infer<typeof gitInfo>;

const FALLBACK_AUTHOR = { name: 'Benchtop', email: 'benchtop@localhost' };

export function hasRepo(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.git'));
}

/** Creates a repository unless one is there already. Returns whether it was created. */
export async function initOrAdopt(dir: string): Promise<boolean> {
  if (hasRepo(dir)) return false;
  await git.init({ fs: gitFs, dir, defaultBranch: 'main' });
  return true;
}

async function author(dir: string): Promise<{ name: string; email: string }> {
  const name = (await git.getConfig({ fs: gitFs, dir, path: 'user.name' })) as string | undefined;
  const email = (await git.getConfig({ fs: gitFs, dir, path: 'user.email' })) as string | undefined;
  return { name: name || FALLBACK_AUTHOR.name, email: email || FALLBACK_AUTHOR.email };
}

/** Stages exactly `files` (paths relative to dir) and commits them. Returns the commit id. */
export async function commitFiles(dir: string, files: readonly string[], message: string): Promise<string> {
  for (const filepath of files) await git.add({ fs: gitFs, dir, filepath: filepath.split(path.sep).join('/') });
  return git.commit({ fs: gitFs, dir, message, author: await author(dir) });
}

type TreeEntry = { mode: string; path: string; oid: string; type: 'blob' | 'tree' | 'commit' };

/**
 * Commits the working-tree state of exactly `files` (a missing file: its deletion) on top of HEAD,
 * whatever else is staged: the commit's tree is HEAD's with only those paths replaced, and then
 * only those paths' index entries are brought in step. Another staged change (a `git add train.py`)
 * is neither committed nor unstaged. Returns the commit id.
 */
export async function commitPaths(dir: string, files: readonly string[], message: string): Promise<string> {
  const head = await headCommit(dir);
  const changes = new Map<string, string | null>();
  for (const f of files.map((x) => x.split(path.sep).join('/'))) {
    const abs = path.join(dir, f);
    changes.set(f, fs.existsSync(abs) ? await git.writeBlob({ fs: gitFs, dir, blob: fs.readFileSync(abs) }) : null);
  }
  const rewrite = async (treeOid: string | null, prefix: string): Promise<string | null> => {
    const entries: TreeEntry[] = treeOid
      ? ((await git.readTree({ fs: gitFs, dir, oid: treeOid })).tree as TreeEntry[])
      : [];
    const byName = new Map(entries.map((e) => [e.path, e]));
    const here = new Set<string>();
    for (const f of changes.keys()) if (f.startsWith(prefix)) here.add(f.slice(prefix.length).split('/')[0]!);
    for (const name of here) {
      const full = prefix + name;
      const old = byName.get(name);
      if (changes.has(full)) {
        const oid = changes.get(full)!;
        if (oid === null) byName.delete(name);
        else byName.set(name, { mode: old?.type === 'blob' ? old.mode : '100644', path: name, oid, type: 'blob' });
      } else {
        const sub = await rewrite(old?.type === 'tree' ? old.oid : null, `${full}/`);
        if (sub === null) byName.delete(name);
        else byName.set(name, { mode: '040000', path: name, oid: sub, type: 'tree' });
      }
    }
    if (byName.size === 0 && prefix !== '') return null;
    return git.writeTree({ fs: gitFs, dir, tree: [...byName.values()] });
  };
  const rootTree = head ? (await git.readCommit({ fs: gitFs, dir, oid: head })).commit.tree : null;
  const tree = (await rewrite(rootTree, ''))!;
  const commit = await git.commit({
    fs: gitFs,
    dir,
    message,
    author: await author(dir),
    tree,
    ...(head ? { parent: [head] } : { parent: [] }),
  });
  for (const [f, oid] of changes) {
    if (oid === null) await git.remove({ fs: gitFs, dir, filepath: f });
    else await git.add({ fs: gitFs, dir, filepath: f });
  }
  return commit;
}

/**
 * The app asks for HEAD's branch, commit and log with every project summary, and reading them
 * through isomorphic-git (refs, packed refs, up to 200 commits) costs a millisecond or more. The
 * answer is kept per project and read again only when one of the files it comes from changes:
 * HEAD (its text), the branch's ref file, packed-refs and the shallow list. Git replaces each of
 * them by renaming a new file over it, so a change gives it a new inode as well as a new time.
 */
const headInfos = new Map<string, { stamp: string; info: GitInfo }>();
const HEAD_INFOS_KEPT = 16;

function statStamp(file: string): string {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return '-';
  }
}

/** What the head's answer depends on, or null where this cannot tell (HEAD unreadable, .git a file). */
function headStamp(dir: string): string | null {
  const gitDir = path.join(dir, '.git');
  let head: string;
  try {
    head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8');
  } catch {
    return null;
  }
  const ref = /^ref: (refs\/[^\0\n]+)\n?$/.exec(head)?.[1];
  if (ref?.split('/').includes('..')) return null;
  const files = ['packed-refs', 'shallow', ...(ref === undefined ? [] : [ref])];
  return [head, ...files.map((f) => statStamp(path.join(gitDir, f)))].join('\0');
}

export async function headInfo(dir: string): Promise<GitInfo> {
  if (!hasRepo(dir)) return { branch: null, head: null, message: null, commits: 0 };
  const stamp = headStamp(dir);
  const kept = headInfos.get(dir);
  if (stamp !== null && kept?.stamp === stamp) return { ...kept.info };
  const info = await readHeadInfo(dir);
  // Read again after: a commit made while the log was being read must not be hidden behind it.
  if (stamp !== null && headStamp(dir) === stamp) {
    headInfos.delete(dir);
    if (headInfos.size >= HEAD_INFOS_KEPT) headInfos.delete(headInfos.keys().next().value!);
    headInfos.set(dir, { stamp, info: { ...info } });
  }
  return info;
}

async function readHeadInfo(dir: string): Promise<GitInfo> {
  const branch = (await git.currentBranch({ fs: gitFs, dir, fullname: false })) ?? null;
  try {
    const log = await git.log({ fs: gitFs, dir, depth: 200 });
    const top = log[0];
    return {
      branch,
      head: top ? top.oid.slice(0, 7) : null,
      message: top ? (top.commit.message.split('\n')[0] ?? '') : null,
      commits: log.length,
    };
  } catch {
    // An unborn branch (no commits yet) has no log.
    return { branch, head: null, message: null, commits: 0 };
  }
}

export type FileGitStatus = 'committed' | 'modified' | 'untracked' | 'ignored';

export async function fileStatus(dir: string, filepath: string): Promise<FileGitStatus> {
  if (!hasRepo(dir)) return 'untracked';
  const rel = filepath.split(path.sep).join('/');
  if (await git.isIgnored({ fs: gitFs, dir, filepath: rel })) return 'ignored';
  const status = await git.status({ fs: gitFs, dir, filepath: rel });
  if (status === 'unmodified') return 'committed';
  if (status === 'absent' || status === '*added' || status === 'added') return 'untracked';
  return 'modified';
}

/** The full id of HEAD's commit, or null before the first commit. */
export async function headCommit(dir: string): Promise<string | null> {
  if (!hasRepo(dir)) return null;
  try {
    return await git.resolveRef({ fs: gitFs, dir, ref: 'HEAD' });
  } catch {
    return null;
  }
}

/**
 * Whether tracked files differ from HEAD (untracked and ignored files do not count): a run made
 * from a dirty tree cannot be reproduced from its commit alone. Null outside a repository.
 */
/**
 * git's status of the work tree. isomorphic-git stats every name a folder lists before it looks at
 * .gitignore, so a temp file that another process renames away in between (a lock being taken, an
 * atomic write) fails the whole walk with ENOENT; the walk is simply made again.
 */
export async function workTreeStatus(
  dir: string,
  filter?: (file: string) => boolean,
): Promise<Array<[string, number, number, number]>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await git.statusMatrix({ fs: gitFs, dir, ...(filter ? { filter } : {}) });
    } catch (err) {
      const vanished = err instanceof Error && /^ENOENT: no such file or directory, lstat /.test(err.message);
      if (!vanished || attempt >= 5) throw err;
    }
  }
}

export async function isDirty(dir: string): Promise<boolean | null> {
  if (!hasRepo(dir)) return null;
  try {
    const rows = await workTreeStatus(dir);
    return rows.some(
      ([, head, workdir, stage]) => !(head === 1 && workdir === 1 && stage === 1) && !(head === 0 && stage === 0),
    );
  } catch {
    return null;
  }
}

/** An annotated tag names a tag object; what a revision means is the commit it points to. */
async function peel(dir: string, oid: string): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const o = await git.readObject({ fs: gitFs, dir, oid, format: 'parsed' });
    if (o.type !== 'tag') return oid;
    oid = (o.object as { object: string }).object;
  }
  return oid;
}

/**
 * The commit a revision names, read as git reads it: a branch, tag (annotated or not), HEAD, or
 * full or abbreviated commit id, followed by any chain of `~N` (N first parents back), `^` and
 * `^N` (the Nth parent; `^0` the commit itself). isomorphic-git parses none of the suffixes.
 * `hint` says where the caller's user finds revisions.
 */
export async function resolveRevision(
  dir: string,
  rev: string,
  hint = 'See the history with `git log`.',
): Promise<string> {
  const m = /^(.+?)((?:~\d*|\^\d*)*)$/.exec(rev.trim());
  const base = m?.[1] ?? rev;
  const notFound = (why: string) => new BenchtopError('NOT_FOUND', why, { field: 'rev', hint });
  let found: string | null = null;
  try {
    found = await git.resolveRef({ fs: gitFs, dir, ref: base });
  } catch {
    if (/^[0-9a-f]{4,40}$/i.test(base)) {
      try {
        found = await git.expandOid({ fs: gitFs, dir, oid: base.toLowerCase() });
      } catch {
        /* neither a ref nor a known commit */
      }
    }
  }
  if (found === null) throw notFound(`"${rev}" is not a commit, branch or tag of this repository.`);
  let commit: string = await peel(dir, found);
  for (const step of m?.[2]?.match(/~\d*|\^\d*/g) ?? []) {
    const n = step.length === 1 ? 1 : Number(step.slice(1));
    const parents = async (oid: string): Promise<string[]> =>
      (await git.readCommit({ fs: gitFs, dir, oid })).commit.parent;
    if (step[0] === '~') {
      for (let i = 0; i < n; i++) {
        const first: string | undefined = (await parents(commit))[0];
        if (!first) throw notFound(`"${rev}" goes back further than the first commit.`);
        commit = first;
      }
    } else if (n > 0) {
      const parent: string | undefined = (await parents(commit))[n - 1];
      if (!parent) throw notFound(`"${rev}" names a parent that commit does not have.`);
      commit = parent;
    }
  }
  return commit;
}

/** Writes every file of `commit` into `dest` (which must not be a git work tree of `dir`). */
export async function exportCommit(dir: string, commit: string, dest: string): Promise<number> {
  let count = 0;
  await git.walk({
    fs: gitFs,
    dir,
    trees: [git.TREE({ ref: commit })],
    map: async (filepath, [entry]) => {
      if (!entry || filepath === '.') return true;
      const type = await entry.type();
      if (type === 'tree') return true;
      if (type !== 'blob') return null;
      const content = await entry.content();
      const target = path.join(dest, filepath);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content ?? new Uint8Array(), {
        mode: (await entry.mode()) === 0o100755 ? 0o755 : 0o644,
      });
      count++;
      return true;
    },
  });
  return count;
}
