// `benchtop push` and `pull` killed (SIGKILL) at each seeded point, then run again: nothing is
// duplicated or lost. Project A is the demo (runs, a registry with aliases, a monitor with alerts,
// tracked data) plus an exec run that logs an artifact; it pushes to a bare origin and a folder
// data remote; clones pull from them. Also a flush killed after it moved the records ref but before
// it unlisted the rows it wrote. Real git, real files, the built CLI.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Core } from '../../electron/core/app/core';
import { dispatch } from '../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../shared/contract/events';
import { CLI, git, tmpDir } from '../support/helpers';

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    // The faults come only from the test that names them.
    env: { ...process.env, BENCHTOP_FAULT_SYNC_KILL_AT: '', BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], cwd: string): string {
  const r = cli(args, cwd);
  expect(r.code, `benchtop ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function killed(args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const r = cli(args, cwd, env);
  expect(r.signal, `benchtop ${args.join(' ')} with ${JSON.stringify(env)} was not killed: ${r.stderr}`).toBe(
    'SIGKILL',
  );
  expect(r.code).toBeNull();
}

/** Every object under a cache-layout folder, as name → sha256 of its bytes. */
function objects(root: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(root)) return out;
  for (const d of readdirSync(root).filter((x) => /^[0-9a-f]{2}$/.test(x)))
    for (const f of readdirSync(path.join(root, d)))
      out.set(
        d + f,
        createHash('sha256')
          .update(readFileSync(path.join(root, d, f)))
          .digest('hex'),
      );
  return out;
}

const temps = (root: string): string[] =>
  existsSync(path.join(root, 'tmp')) ? readdirSync(path.join(root, 'tmp')) : [];

function query<T>(dir: string, sql: string): T[] {
  const db = new Database(path.join(dir, '.benchtop', 'benchtop.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Rows per table of what the records carry: a duplicate or a loss shows as another count. */
const TABLES = [
  'runs',
  'run_params',
  'run_metrics',
  'run_tags',
  'experiments',
  'registered_models',
  'model_versions',
  'model_aliases',
  'model_alias_log',
  'monitors',
  'monitor_batches',
  'monitor_alerts',
  'monitor_checks',
];
function counts(dir: string): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, query<{ n: number }>(dir, `SELECT count(*) AS n FROM ${t}`)[0]!.n]));
}

const dirty = (dir: string): number => query<{ n: number }>(dir, 'SELECT count(*) AS n FROM record_dirty')[0]!.n;

/** What a user sees of runs, registry and monitors. */
function views(dir: string): Record<string, unknown> {
  return {
    runs: JSON.parse(ok(['--json', 'runs'], dir)),
    models: JSON.parse(ok(['--json', 'models', 'list'], dir)),
    monitors: JSON.parse(ok(['--json', 'monitor', 'list'], dir)),
  };
}

const recordsRef = (dir: string): string => git(dir, 'rev-parse', 'refs/benchtop/records').trim();
const remoteRef = (origin: string): string =>
  git(origin, 'for-each-ref', '--format=%(objectname)', 'refs/benchtop/records').trim();

describe('push and pull killed at each seeded point resume with nothing duplicated or lost', () => {
  let base: string;
  let a: string;
  let origin: string;
  let store: string;
  /** The objects a push must leave on the data remote: artifacts the records name, and the tracked data. */
  let expected: string[];
  /** Of those, the artifacts (the rest is tracked data). */
  let named: string[];
  let aViews: Record<string, unknown>;
  let aCounts: Record<string, number>;

  /** An empty bare origin and data remote, as before A's first push. */
  function freshRemotes(): void {
    rmSync(origin, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
    mkdirSync(store);
    git(base, 'init', '-q', '--bare', origin);
    git(origin, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    git(a, 'push', '-q', 'origin', 'main');
    git(a, 'update-ref', '-d', 'refs/benchtop/remotes/origin/records');
  }

  /** The remotes hold A's records and objects (whichever tests ran before). */
  function pushedA(): void {
    if (!existsSync(origin)) freshRemotes();
    if (remoteRef(origin) !== recordsRef(a)) ok(['push'], a);
  }

  function expectRemotesComplete(): void {
    expect(remoteRef(origin)).toBe(recordsRef(a));
    const there = objects(store);
    expect([...there.keys()].sort()).toEqual(expected);
    for (const [name, actual] of there) expect(actual, 'an object under its name is whole').toBe(name);
    expect(temps(store), 'no temp file is left on the data remote').toEqual([]);
  }

  /** A clone of A's git history, its records not pulled yet. */
  function clone(name: string): string {
    const b = path.join(base, name);
    git(base, 'clone', '-q', origin, b);
    return b;
  }

  function expectCloneComplete(b: string): void {
    expect(views(b)).toEqual(aViews);
    expect(counts(b)).toEqual(aCounts);
    expect(dirty(b)).toBe(0);
    expect(recordsRef(b)).toBe(recordsRef(a));
    const cache = path.join(b, '.benchtop', 'cache');
    // Stage outputs land in the run cache's objects/, beside the data cache's.
    const here = new Map([...objects(cache), ...objects(path.join(cache, 'objects'))]);
    for (const h of expected) expect(here.get(h), `object ${h} is in the clone's cache, whole`).toBe(h);
    expect(temps(cache), 'no temp file is left in the cache').toEqual([]);
    expect(readFileSync(path.join(b, 'data', 'loans.csv'))).toEqual(readFileSync(path.join(a, 'data', 'loans.csv')));
    const again = JSON.parse(ok(['--json', 'pull'], b));
    expect(again).toMatchObject({ merge: 'up-to-date', objects: { transferred: 0, missing: [] } });
    expect(counts(b)).toEqual(aCounts);
  }

  beforeAll(() => {
    base = tmpDir();
    a = path.join(base, 'a');
    origin = path.join(base, 'origin.git');
    store = path.join(base, 'store');
    ok(['demo', '--dir', a], base);
    // A run that logs a file as an artifact: the records name it, the push sends it.
    mkdirSync(path.join(a, 'out'));
    ok(
      [
        'exec',
        '--',
        'sh',
        '-c',
        `echo trained > out/model.txt; echo '::benchtop:: {"type":"artifact","path":"out/model.txt"}'`,
      ],
      a,
    );
    git(a, 'remote', 'add', 'origin', origin);
    ok(['data', 'remote', 'add', 'store', '../store'], a);
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'demo, with a data remote');
    const pointers = readdirSync(path.join(a, 'data'))
      .filter((f) => f.endsWith('.bt'))
      .map((f) => /hash: ([0-9a-f]{64})/.exec(readFileSync(path.join(a, 'data', f), 'utf8'))![1]!);
    named = query<{ hash: string }>(
      a,
      `SELECT artifact_hash AS hash FROM model_versions WHERE artifact_hash IS NOT NULL
       UNION SELECT hash FROM run_artifacts WHERE role = 'artifact' AND hash IS NOT NULL`,
    ).map((r) => r.hash);
    // Stage outputs benchtop.lock names travel too (sync/stage-outputs.ts).
    const lock = parseYaml(readFileSync(path.join(a, 'benchtop.lock'), 'utf8')) as {
      stages: Record<string, { outs?: Record<string, string | null> }>;
    };
    const outputs = Object.values(lock.stages)
      .flatMap((s) => Object.values(s.outs ?? {}))
      .filter((h): h is string => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h));
    expected = [...new Set([...named, ...pointers, ...outputs])].sort();
    aViews = views(a);
    aCounts = counts(a);
    expect(aCounts.model_aliases).toBeGreaterThan(0);
    expect(aCounts.monitor_alerts).toBeGreaterThan(0);
    expect(query(a, `SELECT 1 FROM run_artifacts WHERE role = 'artifact'`)).toHaveLength(1);
  }, 120_000);

  it.each<[string, NodeJS.ProcessEnv]>([
    ['push-after-objects', { BENCHTOP_FAULT_SYNC_KILL_AT: 'push-after-objects' }],
    ['an artifact transfer', { BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '1' }],
  ])('push killed at %s: the rerun completes the remotes, each object once', (_, env) => {
    freshRemotes();
    killed(['push'], a, env);
    expect(remoteRef(origin), 'the records went after the objects').toBe('');
    const pushed = JSON.parse(ok(['--json', 'push'], a));
    expect(pushed).toMatchObject({ pushed: true, objects: { missing: [] } });
    expectRemotesComplete();
    expect(dirty(a)).toBe(0);
    expect(views(a)).toEqual(aViews);
    expect(counts(a)).toEqual(aCounts);
  });

  it('push killed while sending tracked data: the rerun sends the rest', () => {
    freshRemotes();
    // The artifacts go first; with them on the remote, the next push's first copy is the data's.
    killed(['push'], a, { BENCHTOP_FAULT_SYNC_KILL_AT: 'push-after-objects' });
    killed(['push'], a, { BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '0' });
    expect(temps(store), 'the killed copy left its temp file').toHaveLength(1);
    expect(JSON.parse(ok(['--json', 'push'], a))).toMatchObject({
      objects: { transferred: 0 },
      data: { transferred: 1 },
    });
    expectRemotesComplete();
  });

  it.each<[string, NodeJS.ProcessEnv]>([
    ['pull-after-fetch', { BENCHTOP_FAULT_SYNC_KILL_AT: 'pull-after-fetch' }],
    ['pull-after-ref', { BENCHTOP_FAULT_SYNC_KILL_AT: 'pull-after-ref' }],
    ['pull-after-import', { BENCHTOP_FAULT_SYNC_KILL_AT: 'pull-after-import' }],
    ['an artifact transfer', { BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '1' }],
  ])('pull into a clone killed at %s: the rerun brings everything, once', (name, env) => {
    pushedA();
    const b = clone(`b-${name.replace(/\W+/g, '-')}`);
    killed(['pull'], b, env);
    const pulled = JSON.parse(ok(['--json', 'pull'], b));
    expect(pulled.objects).toMatchObject({ missing: [] });
    // Killed before any artifact came: the rerun fetches them all and counts their bytes right.
    if (env.BENCHTOP_FAULT_SYNC_KILL_AT) {
      const cache = path.join(b, '.benchtop', 'cache');
      const sizes = named.map((h) => statSync(path.join(cache, h.slice(0, 2), h.slice(2))).size);
      expect(pulled.objects).toMatchObject({ transferred: named.length, bytes: sizes.reduce((x, y) => x + y, 0) });
    }
    expectCloneComplete(b);
  });

  it('pull killed after merging with the clone’s own run: both sides keep everything, once', {
    timeout: 120_000,
  }, () => {
    pushedA();
    const b = clone('b-merge');
    ok(['exec', '--', 'sh', '-c', `echo '::benchtop:: {"type":"metric","key":"acc","value":0.75}'`], b);
    const own = query<{ id: string }>(b, 'SELECT id FROM runs').map((r) => r.id);
    expect(own).toHaveLength(1);
    killed(['pull'], b, { BENCHTOP_FAULT_SYNC_KILL_AT: 'pull-after-ref' });
    expect(JSON.parse(ok(['--json', 'pull'], b)).objects).toMatchObject({ missing: [] });
    expect(dirty(b)).toBe(0);
    const ids = query<{ id: string }>(b, 'SELECT id FROM runs ORDER BY id').map((r) => r.id);
    const aIds = query<{ id: string }>(a, 'SELECT id FROM runs ORDER BY id').map((r) => r.id);
    expect(ids).toEqual([...aIds, own[0]!].sort());
    // One run more, with its one metric; nothing else changed, nothing twice.
    expect(counts(b)).toEqual({ ...aCounts, runs: aCounts.runs! + 1, run_metrics: aCounts.run_metrics! + 1 });
    expect(JSON.parse(ok(['--json', 'pull'], b))).toMatchObject({ merge: 'up-to-date' });
    // B's push carries the merge; A pulls it and sees what B sees.
    ok(['push'], b);
    killed(['pull'], a, { BENCHTOP_FAULT_SYNC_KILL_AT: 'pull-after-ref' });
    ok(['pull'], a);
    expect(recordsRef(a)).toBe(recordsRef(b));
    expect(views(a)).toEqual(views(b));
    expect(counts(a)).toEqual(counts(b));
    expect(dirty(a)).toBe(0);
  });

  it('a flush killed after moving the ref writes nothing twice on the next command', () => {
    const before = recordsRef(a);
    killed(['exec', '--', 'sh', '-c', `echo '::benchtop:: {"type":"metric","key":"acc","value":0.9}'`], a, {
      BENCHTOP_FAULT_SYNC_KILL_AT: 'flush-after-commit',
    });
    const written = recordsRef(a);
    expect(written, 'the killed flush moved the ref').not.toBe(before);
    expect(dirty(a), 'and left its rows listed').toBeGreaterThan(0);
    const run = query<{ id: string }>(a, 'SELECT id FROM runs ORDER BY started_at DESC LIMIT 1')[0]!.id;
    // A twin as if the kill came before the ref moved: its next flush writes the same records.
    const twin = path.join(base, 'a-twin');
    cpSync(a, twin, { recursive: true });
    git(twin, 'update-ref', 'refs/benchtop/records', before, written);

    const shown = ok(['--json', 'runs', 'show', run], a);
    expect(recordsRef(a), 'the next flush wrote no new commit').toBe(written);
    expect(dirty(a)).toBe(0);
    const tree = git(a, 'ls-tree', '-r', '--name-only', 'refs/benchtop/records', 'runs/').trim().split('\n');
    expect(tree.filter((p) => p.includes(run))).toEqual([`runs/${run}.json`]);
    expect(new Set(tree).size).toBe(query(a, 'SELECT id FROM runs').length);

    expect(ok(['--json', 'runs', 'show', run], twin)).toBe(shown);
    expect(git(twin, 'rev-parse', 'refs/benchtop/records^{tree}')).toBe(git(a, 'rev-parse', `${written}^{tree}`));
    expect(views(a)).toEqual(views(twin));
    expect(counts(a)).toEqual(counts(twin));
    // A second command changes nothing either.
    ok(['runs'], a);
    expect(recordsRef(a)).toBe(written);
  });
});

describe('a project that tracks no data, only artifacts', () => {
  it('push and pull sweep the temp files of a killed transfer; a resumed pull reloads the views', async () => {
    const base = tmpDir();
    const p = path.join(base, 'p');
    const store = path.join(base, 'store');
    const origin = path.join(base, 'origin.git');
    ok(['init', '--dir', p], base);
    // A folder artifact: its manifest names files that travel too.
    mkdirSync(path.join(p, 'bundle'));
    for (let i = 0; i < 3; i++)
      writeFileSync(path.join(p, 'bundle', `part${i}.bin`), `part ${i} ${'x'.repeat(i * 100)}`);
    ok(['models', 'register', 'churn', '--path', 'bundle', '--format', 'custom'], p);
    ok(['exec', '--', 'sh', '-c', `echo w > w.txt; echo '::benchtop:: {"type":"artifact","path":"w.txt"}'`], p);
    mkdirSync(store);
    git(base, 'init', '-q', '--bare', origin);
    git(origin, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    git(p, 'remote', 'add', 'origin', origin);
    ok(['data', 'remote', 'add', 'store', '../store'], p);
    git(p, 'add', '-A');
    git(p, 'commit', '-q', '-m', 'project');
    git(p, 'push', '-q', 'origin', 'main');

    killed(['push'], p, { BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '0' });
    expect(temps(store), 'the killed copy left its temp file').not.toEqual([]);
    const pushed = JSON.parse(ok(['--json', 'push'], p));
    expect(pushed).toMatchObject({ pushed: true, data: null, objects: { objects: 5, transferred: 5, missing: [] } });
    expect(temps(store)).toEqual([]);
    expect(objects(store).size).toBe(5);
    for (const [name, actual] of objects(store)) expect(actual).toBe(name);

    const b = path.join(base, 'b');
    git(base, 'clone', '-q', origin, b);
    killed(['pull'], b, { BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '0' });
    const cache = path.join(b, '.benchtop', 'cache');
    expect(temps(cache), 'the killed copy left its temp file').not.toEqual([]);
    const pulled = JSON.parse(ok(['--json', 'pull'], b));
    expect(pulled).toMatchObject({ data: null, objects: { objects: 5, missing: [] } });
    expect(temps(cache)).toEqual([]);
    const here = objects(cache);
    for (const [name] of objects(store)) expect(here.get(name)).toBe(name);
    expect(views(b)).toEqual(views(p));
    expect(dirty(b)).toBe(0);

    // Through the contract: a pull resuming one killed after it moved the ref finds the records
    // up to date, yet it brought them into the database, so the app's views must reload.
    const c = path.join(base, 'c');
    git(base, 'clone', '-q', origin, c);
    killed(['pull'], c, { BENCHTOP_FAULT_SYNC_KILL_AT: 'pull-after-ref' });
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    const events: BenchtopEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    try {
      await core.open(c);
      events.length = 0;
      const r = await dispatch(core.handlers, 'sync.pull', {}, { checkOutput: true });
      expect(r).toMatchObject({ ok: true, value: { merge: 'up-to-date' } });
      expect(events.map((e) => e.name)).toContain('project.changed');
    } finally {
      core.close();
    }
    expect(views(c)).toEqual(views(p));
  });
});
