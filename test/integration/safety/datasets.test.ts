// Issue 17, "nothing a user made is ever lost": the data commands' regression cases. Each drives the
// built CLI against a real project (SQLite, git, the cache) and checks the user's bytes survive.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, runCli, tmpDir, type CliResult } from '../../support/helpers';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The CLI with a throwaway home, config and data folder: nothing here touches the real ones. */
function cli(dir: string, ...args: string[]): CliResult {
  const home = tmpDir('benchtop-home-');
  return runCli(args, {
    cwd: dir,
    env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), BENCHTOP_DATA_DIR: path.join(home, 'data') },
  });
}

function ok(r: CliResult): CliResult {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

function write(dir: string, rel: string, bytes: string | Buffer): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), bytes);
}

function project(): string {
  const dir = path.join(tmpDir(), 'p');
  ok(cli(tmpDir(), 'init', '--dir', dir));
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  return dir;
}

const objectFile = (dir: string, hash: string): string =>
  path.join(dir, '.benchtop', 'cache', hash.slice(0, 2), hash.slice(2));

/** Everything git and the pointers say, to check a refused command changed nothing. */
function snapshot(dir: string): string {
  const pointers = (rel: string): string[] => {
    const out: string[] = [];
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && e.name !== '.git' && e.name !== '.benchtop') out.push(...pointers(child));
      else if (e.isFile() && e.name.endsWith('.bt')) out.push(`${child}:${sha(readFileSync(path.join(dir, child)))}`);
    }
    return out;
  };
  return [
    git(dir, 'ls-files', '-s'),
    git(dir, 'rev-parse', 'HEAD'),
    readFileSync(path.join(dir, '.gitignore'), 'utf8'),
    ...pointers(''),
  ].join('\n');
}

describe('safety: data commands', () => {
  it('case 3: an edit that kept size and mtime is seen by status, and checkout refuses to overwrite it', () => {
    const dir = project();
    write(dir, 'data/customers.csv', 'id,name\n1,ann\n');
    ok(cli(dir, 'data', 'add', 'data/customers.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'v1'));
    write(dir, 'data/customers.csv', 'id,name\n1,bob\n');
    ok(cli(dir, 'data', 'add', 'data/customers.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'v2'));
    const v1 = git(dir, 'rev-parse', 'HEAD~1').trim();
    // Status records the stat of the committed file; then an edit of the same size with its mtime put back.
    ok(cli(dir, 'data', 'status'));
    const file = path.join(dir, 'data/customers.csv');
    const ref = path.join(dir, 'ref');
    expect(spawnSync('touch', ['-r', file, ref]).status).toBe(0);
    writeFileSync(file, 'id,name\n1,eve\n');
    expect(spawnSync('touch', ['-r', ref, file]).status).toBe(0);
    const status = JSON.parse(ok(cli(dir, '--json', 'data', 'status')).stdout) as { path: string; workspace: string }[];
    expect(status.find((r) => r.path === 'data/customers.csv')?.workspace).toBe('modified');
    const checkout = cli(dir, 'data', 'checkout', v1, 'data/customers.csv');
    expect(checkout.code).toBe(1);
    expect(checkout.stderr).toMatch(/not saved in any version/);
    expect(readFileSync(file, 'utf8')).toBe('id,name\n1,eve\n');
    ok(cli(dir, 'data', 'checkout', '--force', v1, 'data/customers.csv'));
    expect(readFileSync(file, 'utf8')).toBe('id,name\n1,ann\n');
  });

  it('case 3: the pipeline sees a dependency edited with its size and mtime kept, and runs the stage again', () => {
    const dir = project();
    write(dir, 'in.txt', 'alpha\n');
    write(dir, 'copy.js', "require('fs').copyFileSync('in.txt', 'out.txt');\n");
    write(
      dir,
      'benchtop.yaml',
      'stages:\n  copy:\n    cmd: node copy.js\n    deps: [in.txt, copy.js]\n    outs: [out.txt]\n',
    );
    ok(cli(dir, 'run'));
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('alpha\n');
    const file = path.join(dir, 'in.txt');
    const ref = path.join(dir, 'ref');
    expect(spawnSync('touch', ['-r', file, ref]).status).toBe(0);
    writeFileSync(file, 'omega\n');
    expect(spawnSync('touch', ['-r', ref, file]).status).toBe(0);
    ok(cli(dir, 'run'));
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('omega\n');
  });

  it('case 6: tracking a folder that holds a tracked file is refused, and --absorb keeps its history', () => {
    const dir = project();
    write(dir, 'data/customers.csv', 'id\n1\n');
    write(dir, 'data/orders.csv', 'id\n7\n');
    ok(cli(dir, 'data', 'add', 'data/customers.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'customers v1'));
    const before = snapshot(dir);
    const refused = cli(dir, 'data', 'add', 'data');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('data/customers.csv');
    expect(refused.stderr).toMatch(/data untrack data\/customers\.csv/);
    expect(refused.stderr).toMatch(/--absorb/);
    expect(snapshot(dir)).toBe(before);
    // Folded in: the inner pointer is removed in the same commit, and its history stays visible.
    ok(cli(dir, 'data', 'add', '--absorb', 'data'));
    ok(cli(dir, 'data', 'commit', '-m', 'whole folder'));
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    expect(git(dir, 'ls-files').split('\n')).toContain('data.bt');
    expect(git(dir, 'ls-files').split('\n')).not.toContain('data/customers.csv.bt');
    const log = JSON.parse(ok(cli(dir, '--json', 'data', 'log', 'data/customers.csv')).stdout) as { message: string }[];
    expect(log.map((v) => v.message)).toEqual(['whole folder', 'customers v1']);
    expect(ok(cli(dir, 'data', 'status')).stdout).toMatch(/data\s+unchanged/);
  });

  it('case 6: tracking a file inside a tracked folder is refused, with the fix', () => {
    const dir = project();
    write(dir, 'data/customers.csv', 'id\n1\n');
    ok(cli(dir, 'data', 'add', 'data'));
    ok(cli(dir, 'data', 'commit', '-m', 'folder'));
    const before = snapshot(dir);
    const refused = cli(dir, 'data', 'add', 'data/customers.csv');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/inside data, which is tracked/);
    expect(refused.stderr).toMatch(/benchtop data add data\b/);
    expect(snapshot(dir)).toBe(before);
    // untrack: the pointer and the .gitignore line go; the data and the cache stay.
    const pointer = readFileSync(path.join(dir, 'data.bt'), 'utf8');
    const hash = /hash: ([0-9a-f]{64})/.exec(pointer)![1]!;
    ok(cli(dir, 'data', 'untrack', 'data'));
    expect(existsSync(path.join(dir, 'data.bt'))).toBe(false);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).not.toMatch(/^\/data$/m);
    expect(readFileSync(path.join(dir, 'data/customers.csv'), 'utf8')).toBe('id\n1\n');
    expect(existsSync(objectFile(dir, hash))).toBe(true);
    ok(cli(dir, 'data', 'add', 'data/customers.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'file only'));
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    expect(git(dir, 'ls-files').split('\n')).toEqual(expect.arrayContaining(['data/customers.csv.bt']));
    expect(git(dir, 'ls-files').split('\n')).not.toContain('data.bt');
  });

  it('case 7: data commit commits only pointers and .gitignore, leaving other staged changes staged', () => {
    const dir = project();
    write(dir, 'train.py', 'print(1)\n');
    git(dir, 'add', 'train.py');
    const staged = git(dir, 'ls-files', '-s', 'train.py');
    write(dir, 'data/x.csv', 'a\n1\n');
    ok(cli(dir, 'data', 'add', 'data/x.csv'));
    expect(ok(cli(dir, 'data', 'commit', '-m', 'data v1')).stdout).toMatch(/Committed 1 pointer/);
    const shown = git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort();
    expect(shown.every((f) => f.endsWith('.bt') || f === '.gitignore')).toBe(true);
    expect(shown).toContain('data/x.csv.bt');
    expect(git(dir, 'diff', '--cached', '--name-only').trim().split('\n')).toEqual(['train.py']);
    expect(git(dir, 'ls-files', '-s', 'train.py')).toBe(staged);
    expect(git(dir, 'status', '--porcelain', '--', 'data/x.csv.bt', '.gitignore').trim()).toBe('');
    // A second version on top: still only the pointer.
    write(dir, 'data/x.csv', 'a\n2\n');
    ok(cli(dir, 'data', 'add', 'data/x.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'data v2'));
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('data/x.csv.bt');
    expect(git(dir, 'diff', '--cached', '--name-only').trim()).toBe('train.py');
  });

  it('case 8: data add of the good bytes repairs a corrupt cache object', () => {
    const dir = project();
    const bytes = Buffer.from('id,v\n1,2\n3,4\n');
    write(dir, 'data/t.csv', bytes);
    ok(cli(dir, 'data', 'add', 'data/t.csv'));
    const obj = objectFile(dir, sha(bytes));
    writeFileSync(obj, 'id,v\n1,2\n3,5\n');
    expect(cli(dir, 'data', 'verify').code).toBe(1);
    const add = ok(cli(dir, 'data', 'add', 'data/t.csv'));
    expect(add.stdout).toMatch(/[Rr]epaired the cache object for data\/t\.csv/);
    expect(readFileSync(obj).equals(bytes)).toBe(true);
    ok(cli(dir, 'data', 'verify'));
  });

  it('case 8: data pull replaces a corrupt cache object from the remote', () => {
    const dir = project();
    const remote = path.join(tmpDir(), 'remote');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 9);
    write(dir, 'data/big.bin', bytes);
    ok(cli(dir, 'data', 'add', 'data/big.bin'));
    ok(cli(dir, 'data', 'commit', '-m', 'v1'));
    ok(cli(dir, 'data', 'remote', 'add', 'r', remote, '--default'));
    ok(cli(dir, 'data', 'push'));
    const obj = objectFile(dir, sha(bytes));
    // Same size, one byte different: only the hash tells.
    const bad = Buffer.from(bytes);
    bad[100] = 1;
    writeFileSync(obj, bad);
    const pull = ok(cli(dir, 'data', 'pull', '--no-checkout'));
    expect(pull.stdout).toMatch(/[Rr]epaired the cache object for data\/big\.bin/);
    expect(readFileSync(obj).equals(bytes)).toBe(true);
    ok(cli(dir, 'data', 'verify'));
  });

  it('case 13: temp files older than a day in the cache are removed when the project is opened', () => {
    const dir = project();
    const tmp = path.join(dir, '.benchtop', 'cache', 'tmp');
    mkdirSync(tmp, { recursive: true });
    const old = path.join(tmp, '1234-abcd-1-0');
    const fresh = path.join(tmp, '5678-abcd-1-0');
    writeFileSync(old, Buffer.alloc(1024));
    writeFileSync(fresh, Buffer.alloc(1024));
    const twoDaysAgo = Date.now() / 1000 - 2 * 24 * 3600;
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    ok(cli(dir, 'data', 'status'));
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('case 16: a pointer whose size does not match the restored bytes is refused by checkout and verify', () => {
    const dir = project();
    write(dir, 'data/t.csv', 'id\n1\n2\n');
    ok(cli(dir, 'data', 'add', 'data/t.csv'));
    ok(cli(dir, 'data', 'commit', '-m', 'v1'));
    const pointerFile = path.join(dir, 'data/t.csv.bt');
    writeFileSync(pointerFile, readFileSync(pointerFile, 'utf8').replace(/^size: \d+$/m, 'size: 999'));
    ok(cli(dir, 'data', 'commit', '-m', 'bad size'));
    writeFileSync(path.join(dir, 'data/t.csv'), 'something else\n');
    const before = readFileSync(path.join(dir, 'data/t.csv'));
    const checkout = cli(dir, 'data', 'checkout', '--force', 'HEAD', 'data/t.csv');
    expect(checkout.code).toBe(1);
    expect(checkout.stderr).toMatch(/data\/t\.csv\.bt/);
    expect(checkout.stderr).toMatch(/size 999/);
    expect(readFileSync(path.join(dir, 'data/t.csv')).equals(before)).toBe(true);
    const verify = cli(dir, 'data', 'verify');
    expect(verify.code).toBe(1);
    expect(`${verify.stdout}${verify.stderr}`).toMatch(/data\/t\.csv\.bt/);
    expect(statSync(pointerFile).size).toBeGreaterThan(0);
  });
});
