// Two people, one project, no server: clone A and clone B of one bare git repository, with one
// data remote (a folder, and an S3 API emulator — s3rver from npm, NOT real S3). Both make runs,
// register a version as churn/3, move @champion, add a monitor and check batches; then A pushes,
// B pulls and pushes, A pulls. Both must end with the same runs, registry (with its audit log),
// monitors and bytes, nothing either made missing, and the conflicts named in pull's output.
// Real git, the built CLI.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, runCli, tmpDir } from '../support/helpers';
import { EMULATOR_KEY, type S3Emulator, startS3Emulator } from '../support/s3-emulator';

const BUCKET = 'benchtop-sync';
let s3: S3Emulator;
let awsDir: string;

beforeAll(async () => {
  s3 = await startS3Emulator([BUCKET]);
  awsDir = tmpDir('benchtop-aws-');
  writeFileSync(path.join(awsDir, 'credentials'), '');
  writeFileSync(path.join(awsDir, 'config'), '');
});

afterAll(async () => {
  await s3?.stop();
});

/** Credentials for the emulator only, from temp files: never the real home's. */
const env = (): NodeJS.ProcessEnv => ({
  AWS_ACCESS_KEY_ID: EMULATOR_KEY,
  AWS_SECRET_ACCESS_KEY: EMULATOR_KEY,
  AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
  AWS_CONFIG_FILE: path.join(awsDir, 'config'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@x',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@x',
});

function cli(cwd: string, ...args: string[]): string {
  const r = runCli(args, { cwd, env: env() });
  if (r.code !== 0 && r.code !== 3)
    throw new Error(`benchtop ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const json = (cwd: string, ...args: string[]): unknown => JSON.parse(cli(cwd, ...args, '--json'));

const write = (dir: string, rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

/** A batch of n rows whose feature drifts by `shift`. */
function batch(n: number, shift: number): string {
  const rows = ['id,age,income,label,prediction'];
  for (let i = 0; i < n; i++) {
    const age = 20 + ((i * 7) % 40) + shift;
    rows.push(`${i},${age},${1000 + ((i * 37) % 500) + shift * 50},${i % 2},${(i + (shift > 0 ? 1 : 0)) % 2}`);
  }
  return `${rows.join('\n')}\n`;
}

/** A run logging a param and a metric over three steps, through the line protocol. */
function run(dir: string, name: string, lr: number): string {
  const script = `for (let s = 0; s < 3; s++) console.log('::benchtop:: metric loss ' + (${lr} / (s + 1)) + ' step=' + s); console.log('::benchtop:: param lr ${lr}');`;
  write(dir, 'train.js', script);
  return cli(dir, 'exec', '--name', name, '--', 'node', 'train.js');
}

function register(dir: string, bytes: string, description: string): void {
  write(dir, 'models/churn.json', bytes);
  cli(dir, 'models', 'register', 'churn', '--path', 'models/churn.json', '--description', description);
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What must be the same on both clones. */
function state(dir: string): Record<string, unknown> {
  const runs = (json(dir, 'runs') as { id: string; name: string }[]).map((r) => ({
    ...r,
    detail: json(dir, 'runs', 'show', r.id),
  }));
  return {
    runs,
    models: json(dir, 'models', 'list'),
    churn: json(dir, 'models', 'show', 'churn'),
    aliases: json(dir, 'models', 'aliases', 'churn'),
    monitors: json(dir, 'monitor', 'list'),
    alertsA: json(dir, 'monitor', 'alerts', 'watch-a'),
    alertsB: json(dir, 'monitor', 'alerts', 'watch-b'),
  };
}

describe.each([
  ['a folder', (base: string) => path.join(base, 'store')],
  ['an S3 API emulator', (base: string) => `s3://${BUCKET}/${path.basename(base)}`],
])('two clones with %s as data remote', (_kind, remoteOf) => {
  it('push, pull, push, pull: both end identical, nothing lost, conflicts listed', () => {
    const base = tmpDir('benchtop-sync-');
    const origin = path.join(base, 'origin.git');
    const a = path.join(base, 'a');
    const b = path.join(base, 'b');
    git(base, 'init', '-q', '--bare', origin);
    mkdirSync(a);
    cli(a, 'init');
    const remote = remoteOf(base);
    cli(
      a,
      'data',
      'remote',
      'add',
      'store',
      remote,
      ...(remote.startsWith('s3://') ? ['--endpoint', s3.endpoint] : []),
    );
    write(a, 'data/reference.csv', batch(200, 0));
    cli(a, 'data', 'add', 'data/reference.csv');
    run(a, 'shared-run', 0.1);
    register(a, '{"w":[1]}', 'first');
    register(a, '{"w":[2]}', 'second');
    cli(a, 'models', 'alias', 'churn', 'champion', '1');
    git(a, 'add', '-A');
    git(a, 'commit', '-qm', 'project');
    git(a, 'remote', 'add', 'origin', origin);
    const branch = git(a, 'branch', '--show-current').trim();
    git(a, 'push', '-q', 'origin', branch);
    git(origin, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
    expect(cli(a, 'push')).toContain('Pushed');

    git(base, 'clone', '-q', origin, b);
    expect(cli(b, 'runs')).toContain('No runs');
    const first = cli(b, 'pull');
    expect(first).toContain('fast-forward');
    expect(readFileSync(path.join(b, 'data/reference.csv'), 'utf8')).toBe(batch(200, 0));
    expect((json(b, 'models', 'show', 'churn') as { versions: unknown[] }).versions).toHaveLength(2);

    // Both sides work in parallel.
    const sharedId = (json(a, 'runs') as { id: string; name: string }[]).find((r) => r.name === 'shared-run')!.id;
    for (const [dir, who, lr] of [
      [a, 'a', 0.2],
      [b, 'b', 0.3],
    ] as const) {
      run(dir, `run-${who}`, lr);
      register(dir, `{"w":[3],"by":"${who}"}`, `third, by ${who}`);
      cli(dir, 'models', 'alias', 'churn', 'champion', '3');
      cli(dir, 'runs', 'rename', sharedId, `renamed-by-${who}`);
      for (let w = 1; w <= 2; w++) write(dir, `batches-${who}/week-${w}.csv`, batch(200, w * 10));
      cli(
        dir,
        'monitor',
        'add',
        `watch-${who}`,
        '--reference',
        'data/reference.csv',
        '--batches',
        `batches-${who}`,
        '--id',
        'id',
        '--target',
        'label',
        '--prediction',
        'prediction',
        '--rule',
        'drift_share >= 0.5',
      );
      cli(dir, 'monitor', 'check', `watch-${who}`);
    }

    expect(cli(a, 'push')).toContain('Pushed');
    // B has not pulled yet: the remote refuses its records until it has.
    const refused = runCli(['push'], { cwd: b, env: env() });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('benchtop pull');
    const merged = cli(b, 'pull');
    expect(merged).toContain('merged');
    // B's churn/3 was registered after A's: it is renumbered, and the pull says so.
    expect(merged).toMatch(/renumbered: churn\/3 \([0-9a-f]{16}\) is now churn\/4/);
    expect(merged).toMatch(/conflict: run .*both sides changed name/);
    cli(b, 'push');
    expect(cli(a, 'pull')).toContain('fast-forward');

    const sa = state(a);
    const sb = state(b);
    expect(sb).toEqual(sa);
    // Nothing either made is missing.
    const names = (sa.runs as { name: string }[]).map((r) => r.name).sort();
    expect(names).toEqual(['run-a', 'run-b', `renamed-by-${names.includes('renamed-by-b') ? 'b' : 'a'}`].sort());
    const versions = (sa.churn as { versions: { version: number; description: string }[] }).versions;
    expect(versions.map((v) => `${v.version}:${v.description}`).sort()).toEqual([
      '1:first',
      '2:second',
      '3:third, by a',
      '4:third, by b',
    ]);
    // Both moves of @champion are in the audit log, in time order; the later one decides.
    const log = JSON.stringify(sa.aliases);
    expect(log).toContain('"toVersion":3');
    expect(log).toContain('"toVersion":4');
    expect((sa.monitors as { monitors: { name: string }[] }).monitors.map((m) => m.name)).toEqual([
      'watch-a',
      'watch-b',
    ]);
    // Byte-identical data and artifacts on both sides.
    expect(sha(path.join(b, 'data/reference.csv'))).toBe(sha(path.join(a, 'data/reference.csv')));
    const artifact = (dir: string, v: number) =>
      (json(dir, 'models', 'show', `churn/${v}`) as { artifact?: { hash: string } }).artifact?.hash;
    expect(artifact(b, 3)).toBe(artifact(a, 3));
    rmSync(path.join(a, 'models/churn.json'));
  }, 240_000);
});
