// Runs in: main (core). Creating a project, or adopting a folder (and its git repository).
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { resourcePath } from '../util/package-root';
import { commitFiles, initOrAdopt } from '../git/git';
import { writeConfig } from '../workspace/config';
import { DEMO_DATA, ensureDemoChampion, ensureDemoMonitor, trackDemoData } from '../demo/demo-monitor';
import { ensureGitignore } from '../workspace/gitignore';
import { CACHE_DIR, CONFIG_FILE, LOGS_DIR, SCHEMA_FILE, TMP_DIR } from '../util/layout';
import { isProject, Workspace } from '../workspace/workspace';

export interface InitOptions {
  demo?: boolean;
  name?: string;
}

export interface InitResult {
  workspace: Workspace;
  /** False when the folder was a Benchtop project already (nothing was changed). */
  created: boolean;
  /** False when an existing git repository was adopted. */
  repoCreated: boolean;
  /** Files written, relative to the project. */
  written: string[];
  commit: string | null;
}

/** Lists files under `root` relative to it. */
function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else if (entry.isFile()) out.push(child);
  }
  return out.sort();
}

export function demoSourceDir(): string {
  return resourcePath('demo');
}

/**
 * The demo's scripts require src/benchtop.cjs so they also run with plain `node`; it is the stage
 * helper Benchtop ships, kept once in resources/helpers/js and copied in when a demo is created.
 */
const DEMO_HELPER = path.join('src', 'benchtop.cjs');

/** Every file of a new demo project: where it goes, relative to the project, and where it comes from. */
export function demoFiles(): { rel: string; from: string }[] {
  const dir = demoSourceDir();
  return [
    ...listFiles(dir).map((rel) => ({ rel, from: path.join(dir, rel) })),
    { rel: DEMO_HELPER, from: resourcePath('helpers', 'js', 'benchtop.cjs') },
  ].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export async function initProject(dirInput: string, opts: InitOptions = {}): Promise<InitResult> {
  const dir = path.resolve(dirInput);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new BenchtopError('ALREADY_EXISTS', `${dir} is a file, not a folder.`, {
      field: 'path',
      hint: 'Choose a folder.',
    });
  }
  if (isProject(dir)) {
    // Idempotent: an existing project is opened as it is; demo files are never copied over it.
    return { workspace: Workspace.open(dir), created: false, repoCreated: false, written: [], commit: null };
  }

  const files = opts.demo ? demoFiles() : [];
  // Check every conflict before writing anything, so a refused init changes nothing.
  const clashes = files.map((f) => f.rel).filter((f) => existsSync(path.join(dir, f)));
  if (clashes.length > 0) {
    throw new BenchtopError(
      'ALREADY_EXISTS',
      `${dir} already has ${clashes.slice(0, 3).join(', ')}${clashes.length > 3 ? ` and ${clashes.length - 3} more` : ''}; the demo would overwrite them.`,
      {
        field: 'path',
        hint: 'Create the demo in an empty folder.',
      },
    );
  }

  mkdirSync(dir, { recursive: true });
  const repoCreated = await initOrAdopt(dir);
  const written: string[] = [];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f.rel)), { recursive: true });
    cpSync(f.from, path.join(dir, f.rel), { errorOnExist: true, force: false });
    written.push(f.rel);
  }
  const name = opts.name ?? (opts.demo ? 'Benchtop demo' : path.basename(dir));
  writeConfig(dir, { version: 1, name, demo: Boolean(opts.demo), remotes: {} });
  written.push(CONFIG_FILE);
  // The JSON Schema of benchtop.yaml, so editors complete and check it offline.
  if (!existsSync(path.join(dir, SCHEMA_FILE))) {
    cpSync(resourcePath('schema', 'benchtop.schema.json'), path.join(dir, SCHEMA_FILE));
    written.push(SCHEMA_FILE);
  }
  if (ensureGitignore(dir)) written.push('.gitignore');
  for (const d of [CACHE_DIR, LOGS_DIR, TMP_DIR]) mkdirSync(path.join(dir, d), { recursive: true });

  const workspace = Workspace.open(dir);
  // The monitor lives in the database, not in files: it is added here rather than copied.
  let toCommit = written;
  if (opts.demo) {
    // The training data is versioned from the start: its pointer is committed, its bytes are in the cache.
    const tracked = await trackDemoData(workspace);
    if (tracked.length) {
      toCommit = [...written.filter((f) => f !== DEMO_DATA && f !== '.gitignore'), ...tracked];
      for (const f of tracked) if (!written.includes(f)) written.push(f);
    }
    await ensureDemoChampion(workspace);
    await ensureDemoMonitor(workspace);
  }
  let commit: string | null = null;
  if (repoCreated) {
    try {
      commit = await commitFiles(
        dir,
        toCommit,
        opts.demo ? 'Create the Benchtop demo project' : 'Create Benchtop project',
      );
    } catch (err) {
      workspace.close();
      throw err;
    }
  }
  // In an adopted repository the user's index and history are theirs: files are left for them to commit.
  return { workspace, created: true, repoCreated, written, commit };
}
