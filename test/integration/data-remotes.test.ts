// Data remotes: configuration in .benchtop/config.yaml, push and pull (into a fresh `git clone`),
// interrupted pushes resumed, corrupt remote objects refused. Real git, real files, the built CLI.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { addRemote, listRemotes, removeRemote, resolveRemote } from '../../electron/core/data/remotes';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../shared/contract/events';
import { git, runCli, tmpDir } from '../support/helpers';

const write = (dir: string, rel: string, text: string | Buffer): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

/** Every object under a cache-layout folder, as name → sha256 of its bytes. */
function objects(root: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(root)) return out;
  for (const d of readdirSync(root).filter((x) => /^[0-9a-f]{2}$/.test(x))) {
    for (const f of readdirSync(path.join(root, d)))
      out.set(
        d + f,
        createHash('sha256')
          .update(readFileSync(path.join(root, d, f)))
          .digest('hex'),
      );
  }
  return out;
}

const temps = (root: string): string[] =>
  existsSync(path.join(root, 'tmp')) ? readdirSync(path.join(root, 'tmp')) : [];

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof runCli> {
  return runCli(args, { cwd, env });
}

/** A project with a tracked CSV and a tracked folder of `files` files, committed, and remote `store` at ../store committed in its config. */
function projectWithData(files = 3): { base: string; dir: string; store: string } {
  const base = tmpDir();
  const dir = path.join(base, 'p');
  expect(cli(['init', '--dir', dir], base).code).toBe(0);
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  write(dir, 'data/train.csv', 'id,x\n1,0.5\n2,1.5\n');
  for (let i = 0; i < files; i++)
    write(dir, `data/images/img${String(i).padStart(2, '0')}.bin`, Buffer.from(`image ${i} ${'x'.repeat(i * 10)}`));
  expect(cli(['data', 'add', 'data/train.csv', 'data/images'], dir).code).toBe(0);
  expect(cli(['data', 'commit', '-m', 'data v1'], dir).code).toBe(0);
  const added = cli(['data', 'remote', 'add', 'store', '../store'], dir);
  expect(added.code, added.stderr).toBe(0);
  git(dir, 'add', '.benchtop/config.yaml');
  git(dir, 'commit', '-q', '-m', 'data remote');
  return { base, dir, store: path.join(base, 'store') };
}

describe('data remotes', () => {
  it('adds, lists and removes remotes, refusing bad names and paths without changing the config', async () => {
    const base = tmpDir();
    const dir = path.join(base, 'p');
    (await initProject(dir)).workspace.close();
    const config = path.join(dir, '.benchtop', 'config.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}# keep this note\ncustom: kept\n`);
    const before = readFileSync(config, 'utf8');
    expect(() => addRemote(dir, 'bad name', path.join(base, 's'))).toThrow(/"bad name" cannot be a remote name/);
    expect(() => addRemote(dir, 'in', path.join(dir, 'store'))).toThrow(/inside the project/);
    write(base, 'a-file', 'x');
    expect(() => addRemote(dir, 'f', path.join(base, 'a-file'))).toThrow(/is a file, not a folder/);
    expect(() => addRemote(dir, 'p', path.join(base, 'a-file', 'below'))).toThrow(/cannot be used as a remote/);
    expect(existsSync(path.join(dir, 'store'))).toBe(false);
    expect(() => resolveRemote(dir)).toThrow(/has no data remote/);
    expect(readFileSync(config, 'utf8')).toBe(before);

    const [nas] = addRemote(dir, 'nas', '../store', { base: dir });
    expect(nas).toMatchObject({
      name: 'nas',
      url: '../store',
      path: path.join(base, 'store'),
      isDefault: true,
      exists: true,
    });
    expect(() => addRemote(dir, 'nas', path.join(base, 'other'))).toThrow(/already a remote named nas/);
    expect(() => addRemote(dir, 'again', path.join(base, 'store'))).toThrow(/Remote nas already uses/);
    addRemote(dir, 'usb', path.join(base, 'usb'));
    expect(listRemotes(dir).map((r) => [r.name, r.isDefault])).toEqual([
      ['nas', false],
      ['usb', false],
    ]);
    expect(() => resolveRemote(dir)).toThrow(/2 remotes and none is the default/);
    expect(resolveRemote(dir, 'usb').path).toBe(path.join(base, 'usb'));
    addRemote(dir, 'third', path.join(base, 'third'), { makeDefault: true });
    expect(resolveRemote(dir).name).toBe('third');
    const text = readFileSync(config, 'utf8');
    expect(text).toContain('# keep this note');
    expect(text).toContain('custom: kept');
    expect(text).toMatch(/remotes:\n\s+nas:\n\s+url: \.\.\/store\n/);
    removeRemote(dir, 'third');
    removeRemote(dir, 'usb');
    expect(() => removeRemote(dir, 'usb')).toThrow(/no remote named usb/);
    expect(listRemotes(dir)).toEqual([expect.objectContaining({ name: 'nas', isDefault: true })]);
    // The folder of a removed remote stays.
    expect(existsSync(path.join(base, 'usb'))).toBe(true);

    const bad = cli(['data', 'remote', 'add', 'no/slash', '../x'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cannot be a remote name');
    expect(JSON.parse(cli(['--json', 'data', 'remote', 'list'], dir).stdout)).toEqual([
      expect.objectContaining({ name: 'nas', url: '../store', isDefault: true }),
    ]);
  });

  it('pushes only missing objects, and a fresh git clone pulls the data back byte for byte', () => {
    const { base, dir, store } = projectWithData(3);
    const push = cli(['--json', 'data', 'push'], dir);
    expect(push.code, push.stderr).toBe(0);
    // The CSV, the folder's manifest and its three files.
    expect(JSON.parse(push.stdout)).toMatchObject({ remote: 'store', objects: 5, transferred: 5, present: 0 });
    const remote = objects(store);
    expect(remote.size).toBe(5);
    const storeBytes = [...remote.keys()].reduce(
      (n, h) => n + statSync(path.join(store, h.slice(0, 2), h.slice(2))).size,
      0,
    );
    expect(JSON.parse(push.stdout).bytes).toBe(storeBytes);
    for (const [name, actual] of remote) expect(actual).toBe(name);
    expect(JSON.parse(cli(['--json', 'data', 'push'], dir).stdout)).toMatchObject({
      objects: 5,
      transferred: 0,
      present: 5,
    });

    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    expect(existsSync(path.join(clone, 'data', 'train.csv'))).toBe(false);
    const pull = cli(['--json', 'data', 'pull'], clone);
    expect(pull.code, pull.stderr).toBe(0);
    const pulled = JSON.parse(pull.stdout);
    expect(pulled).toMatchObject({ remote: 'store', objects: 5, transferred: 5, present: 0, bytes: storeBytes });
    expect(pulled.checkout.restored.map((r: { path: string }) => r.path).sort()).toEqual([
      'data/images',
      'data/train.csv',
    ]);
    for (const f of ['data/train.csv', 'data/images/img00.bin', 'data/images/img01.bin', 'data/images/img02.bin']) {
      expect(readFileSync(path.join(clone, f)).equals(readFileSync(path.join(dir, f))), f).toBe(true);
    }
    const status = JSON.parse(cli(['--json', 'data', 'status'], clone).stdout) as {
      workspace: string;
      inCache: boolean;
      git: string;
    }[];
    expect(status.every((s) => s.workspace === 'unchanged' && s.inCache && s.git === 'committed')).toBe(true);
    expect(JSON.parse(cli(['--json', 'data', 'pull'], clone).stdout)).toMatchObject({
      transferred: 0,
      present: 5,
      checkout: { restored: [], unchanged: ['data/images', 'data/train.csv'] },
    });

    // Unsaved changes are refused like checkout refuses them; nothing is overwritten.
    write(clone, 'data/train.csv', 'mine\n');
    const refused = cli(['data', 'pull'], clone);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('data/train.csv has changes that are not saved');
    expect(readFileSync(path.join(clone, 'data', 'train.csv'), 'utf8')).toBe('mine\n');
    expect(cli(['data', 'pull', '--force', 'data/train.csv'], clone).code).toBe(0);
    expect(readFileSync(path.join(clone, 'data', 'train.csv'), 'utf8')).toBe('id,x\n1,0.5\n2,1.5\n');

    // The everyday loop: a new version is pushed; the clone takes it with `git pull` + `data pull`
    // (the data left from the previous version is in the cache, so it is not unsaved work).
    write(dir, 'data/train.csv', 'id,x\n1,0.5\n2,1.5\n3,2.5\n');
    expect(cli(['data', 'add', 'data/train.csv'], dir).code).toBe(0);
    expect(cli(['data', 'commit', '-m', 'data v2'], dir).code).toBe(0);
    expect(JSON.parse(cli(['--json', 'data', 'push'], dir).stdout)).toMatchObject({ transferred: 1, present: 4 });
    git(clone, 'pull', '-q', '--ff-only');
    const next = cli(['--json', 'data', 'pull'], clone);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({
      transferred: 1,
      checkout: { restored: [{ path: 'data/train.csv' }], unchanged: ['data/images'] },
    });
    expect(
      readFileSync(path.join(clone, 'data', 'train.csv')).equals(readFileSync(path.join(dir, 'data', 'train.csv'))),
    ).toBe(true);
  });

  it('resumes an interrupted push: no half object is left under its name, the rerun sends only the rest and leaves no temp files', () => {
    const { dir, store } = projectWithData(12);
    const killed = cli(['data', 'push'], dir, { BENCHTOP_FAULT_KILL_AFTER_OBJECTS: '3' });
    expect(killed.code).toBeNull();
    const after = objects(store);
    expect(after.size).toBeGreaterThanOrEqual(3);
    expect(after.size).toBeLessThan(14);
    for (const [name, actual] of after) expect(actual, 'an object under its name is whole').toBe(name);
    expect(temps(store).length, 'the killed copy left its temp file').toBeGreaterThan(0);

    const rerun = cli(['--json', 'data', 'push'], dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ objects: 14, transferred: 14 - after.size, present: after.size });
    expect(temps(store)).toEqual([]);
    const all = objects(store);
    expect(all.size).toBe(14);
    for (const [name, actual] of all) expect(actual).toBe(name);
  });

  it('refuses a corrupt object on the remote, naming it, and stores nothing of it', () => {
    const { base, dir, store } = projectWithData(2);
    expect(cli(['data', 'push'], dir).code).toBe(0);
    const csvHash = readFileSync(path.join(dir, 'data', 'train.csv.bt'), 'utf8').match(/hash: ([0-9a-f]{64})/)![1]!;
    const remoteFile = path.join(store, csvHash.slice(0, 2), csvHash.slice(2));
    writeFileSync(remoteFile, 'id,x\n1,666\n');
    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    const pull = cli(['data', 'pull'], clone);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain(`Object ${csvHash} in remote store`);
    expect(pull.stderr).toContain('is corrupt');
    const cache = path.join(clone, '.benchtop', 'cache');
    expect(objects(cache).has(csvHash)).toBe(false);
    expect(temps(cache).filter((t) => t.startsWith(csvHash))).toEqual([]);
    expect(existsSync(path.join(clone, 'data', 'train.csv'))).toBe(false);
    // The remote is repaired by deleting the bad object and pushing again; the pull then succeeds.
    rmSync(remoteFile);
    expect(JSON.parse(cli(['--json', 'data', 'push'], dir).stdout)).toMatchObject({ transferred: 1 });
    const again = cli(['data', 'pull'], clone);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(path.join(clone, 'data', 'train.csv'), 'utf8')).toBe('id,x\n1,0.5\n2,1.5\n');
  });

  it('works through the contract, with data.progress events for push and pull', async () => {
    const { base, dir } = projectWithData(2);
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    const events: BenchtopEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    await core.open(dir);
    expect(await dispatch(core.handlers, 'data.remotes', {}, { checkOutput: true })).toMatchObject({
      ok: true,
      value: { remotes: [{ name: 'store', isDefault: true }] },
    });
    expect(
      await dispatch(core.handlers, 'data.remoteAdd', { name: 'bad name', path: path.join(base, 'x') }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'name' } });
    expect(
      await dispatch(
        core.handlers,
        'data.remoteAdd',
        { name: 'usb', path: path.join(base, 'usb') },
        { checkOutput: true },
      ),
    ).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'data.push', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'remote' },
    });
    expect(await dispatch(core.handlers, 'data.push', { remote: 'usb' }, { checkOutput: true })).toMatchObject({
      ok: true,
      value: { objects: 4, transferred: 4 },
    });
    expect(events.filter((e) => e.name === 'data.progress' && e.payload.op === 'push').at(-1)).toMatchObject({
      payload: { done: 4, total: 4 },
    });
    expect(await dispatch(core.handlers, 'data.remoteRemove', { name: 'store' }, { checkOutput: true })).toMatchObject({
      ok: true,
      value: { remotes: [{ name: 'usb', isDefault: true }] },
    });
    core.close();

    const clone = path.join(base, 'clone');
    git(base, 'clone', '-q', dir, clone);
    const core2 = new Core({ dataDir: tmpDir(), mode: 'browser' });
    core2.events.subscribe((e) => events.push(e));
    await core2.open(clone);
    // The clone has the committed config, which names only `store`: usb is added here.
    expect(
      await dispatch(
        core2.handlers,
        'data.remoteAdd',
        { name: 'usb', path: path.join(base, 'usb'), default: true },
        { checkOutput: true },
      ),
    ).toMatchObject({ ok: true });
    // Nothing was pushed to `store` in this test: the pull says what is missing and changes nothing.
    const missing = await dispatch(core2.handlers, 'data.pull', { remote: 'store', paths: ['data/train.csv'] });
    expect(missing).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: expect.stringMatching(/^Object [0-9a-f]{64} of data\/train\.csv is not on remote store\.$/),
      },
    });
    expect(existsSync(path.join(clone, 'data', 'train.csv'))).toBe(false);
    const pulled = await dispatch(core2.handlers, 'data.pull', { paths: ['data/images'] }, { checkOutput: true });
    expect(pulled).toMatchObject({
      ok: true,
      value: { remote: 'usb', objects: 3, transferred: 3, checkout: { restored: [{ path: 'data/images', files: 2 }] } },
    });
    expect(events.some((e) => e.name === 'data.progress' && e.payload.op === 'pull')).toBe(true);
    expect(existsSync(path.join(clone, 'data', 'train.csv'))).toBe(false);
    core2.close();
  });

  it('gc --remote on a folder remote lists, then deletes, only objects nothing refers to', () => {
    const { dir, store } = projectWithData(2);
    expect(cli(['data', 'push'], dir).code).toBe(0);
    const orphan = Buffer.from('no version names me');
    const orphanHash = createHash('sha256').update(orphan).digest('hex');
    write(store, `${orphanHash.slice(0, 2)}/${orphanHash.slice(2)}`, orphan);
    const before = objects(store);
    const dry = cli(['--json', 'data', 'gc', '--remote', 'store', '--dry-run', '--keep-recent', '0'], dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      remote: 'store',
      objects: before.size,
      removed: 1,
      bytes: orphan.length,
      removedObjects: [{ hash: orphanHash, size: orphan.length }],
    });
    expect(objects(store)).toEqual(before);
    const gc = cli(['--json', 'data', 'gc', '--remote', 'store', '--keep-recent', '0'], dir);
    expect(gc.code, gc.stderr).toBe(0);
    expect(JSON.parse(gc.stdout)).toMatchObject({ removed: 1, kept: before.size - 1 });
    const after = objects(store);
    expect(after.has(orphanHash)).toBe(false);
    expect(after.size).toBe(before.size - 1);
  });
});
