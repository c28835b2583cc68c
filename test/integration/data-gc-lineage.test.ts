// Garbage collection of the cache (each kind of reference keeps its object) and lineage (a real
// pipeline run records the versions of the tracked data it read; data.usage reads them back).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { checkoutData } from '../../electron/core/data/checkout';
import { gcCache } from '../../electron/core/data/gc';
import { commitData } from '../../electron/core/data/history';
import { dataUsage } from '../../electron/core/data/lineage';
import { decodeManifest } from '../../electron/core/data/manifest';
import { readPointer } from '../../electron/core/data/pointer';
import { addData, dataStore } from '../../electron/core/data/track';
import { loadPipeline } from '../../electron/core/pipeline/load';
import { PipelineRun } from '../../electron/core/pipeline/runner';
import { ObjectStore } from '../../electron/core/git/object-store';
import { logArtifactFile } from '../../electron/core/tracking/artifacts';
import { createRun, endRun } from '../../electron/core/tracking/runs';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { dispatch } from '../../shared/contract/dispatch';
import { git, runCli, tmpDir } from '../support/helpers';

async function project(): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  (await initProject(dir, {})).workspace.close();
  git(dir, 'config', 'user.name', 'Ada');
  git(dir, 'config', 'user.email', 'ada@example.com');
  return Workspace.open(dir);
}

const write = (dir: string, rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

async function version(ws: Workspace, rel: string, text: string): Promise<string> {
  write(ws.dir, rel, text);
  await addData(ws.dir, ws.db, [rel]);
  return readPointer(ws.dir, `${rel}.bt`).hash;
}

describe('benchtop data gc', () => {
  it('removes only objects nothing refers to: commits on any branch, working-tree pointers, runs, the run cache and the registry keep theirs', async () => {
    const ws = await project();
    const store = dataStore(ws.dir);
    const a1 = await version(ws, 'data/a.csv', 'a\n1\n');
    await commitData(ws.dir, 'a v1');
    const a2 = await version(ws, 'data/a.csv', 'a\n1\n2\n');
    write(ws.dir, 'data/imgs/x.txt', 'x');
    write(ws.dir, 'data/imgs/y.txt', 'y');
    await addData(ws.dir, ws.db, ['data/imgs']);
    const manifest = readPointer(ws.dir, 'data/imgs.bt').hash;
    const c2 = await commitData(ws.dir, 'a v2, imgs');
    // A version committed only on another branch.
    git(ws.dir, 'checkout', '-q', '-b', 'experiment');
    const onBranch = await version(ws, 'data/a.csv', 'a\nbranch\n');
    await commitData(ws.dir, 'a on a branch');
    git(ws.dir, 'checkout', '-q', 'main');
    // A version reachable only through an annotated tag (its branch deleted).
    git(ws.dir, 'checkout', '-q', '-b', 'release');
    const tagged = await version(ws, 'data/a.csv', 'a\ntagged\n');
    await commitData(ws.dir, 'a for a release');
    git(ws.dir, 'tag', '-a', 'v1.0', '-m', 'release');
    git(ws.dir, 'checkout', '-q', 'main');
    git(ws.dir, 'branch', '-q', '-D', 'release');
    // Versions never committed: one superseded (garbage), one still in the working tree.
    const superseded = await version(ws, 'data/b.csv', 'b\nold\n');
    const uncommitted = await version(ws, 'data/b.csv', 'b\nnew\n');
    // A version a run read, then superseded and never committed.
    const usedByRun = await version(ws, 'data/c.csv', 'c\nused\n');
    const garbage = await version(ws, 'data/c.csv', 'c\nlater\n');
    rmSync(path.join(ws.dir, 'data/c.csv.bt'));
    // A run's artifact (its source file deleted since), and its dataset input.
    const run = createRun(ws.db, { name: 'r' });
    write(ws.dir, 'model.bin', 'weights');
    const artifact = (await logArtifactFile(ws.dir, ws.db, run, 'model.bin', path.join(ws.dir, 'model.bin'))).hash;
    rmSync(path.join(ws.dir, 'model.bin'));
    ws.db
      .prepare(`INSERT INTO run_inputs (run_id, dataset, version, context) VALUES (?, 'data/c.csv', ?, 'training')`)
      .run(run, usedByRun);
    // The run cache's own objects: one entry's output, and one object no entry names.
    const runCacheStore = new ObjectStore(path.join(ws.dir, '.benchtop', 'cache', 'objects'));
    write(ws.dir, 'out.txt', 'cached output');
    write(ws.dir, 'stray.txt', 'stray output');
    const cachedOut = await runCacheStore.put(path.join(ws.dir, 'out.txt'));
    const strayOut = await runCacheStore.put(path.join(ws.dir, 'stray.txt'));
    ws.db
      .prepare('INSERT INTO run_cache (stage, signature, outs, run_id) VALUES (?, ?, ?, ?)')
      .run('train', 'sig', JSON.stringify([{ path: 'out.txt', files: { '': cachedOut }, dir: false }]), run);
    // The registry: a model version whose row names an object (as a model file's hash column would).
    write(ws.dir, 'registered.onnx', 'onnx bytes');
    const registered = await store.put(path.join(ws.dir, 'registered.onnx'));
    ws.db.exec('ALTER TABLE model_versions ADD COLUMN file_hash TEXT');
    ws.db.prepare(`INSERT INTO registered_models (name) VALUES ('m')`).run();
    ws.db
      .prepare(`INSERT INTO model_versions (model_name, version, run_id, file_hash) VALUES ('m', 1, ?, ?)`)
      .run(run, registered);

    // A running run may be about to record objects: only a dry run is allowed meanwhile.
    await expect(gcCache(ws.dir, ws.db)).rejects.toThrow(/is running/);
    endRun(ws.db, run, 'succeeded');

    const kept = [a1, a2, manifest, onBranch, tagged, uncommitted, usedByRun, artifact, registered];
    const gone = [superseded, garbage];
    const dry = await gcCache(ws.dir, ws.db, { dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      removed: 3,
      bytes: 'b\nold\n'.length + 'c\nlater\n'.length + 'stray output'.length,
      recent: 0,
    });
    for (const h of [...kept, ...gone]) expect(store.has(h), h).toBe(true);
    // A grace period keeps objects that were written a moment ago.
    expect(await gcCache(ws.dir, ws.db, { dryRun: true, graceMs: 3_600_000 })).toMatchObject({ removed: 0, recent: 3 });

    const real = await gcCache(ws.dir, ws.db);
    expect(real).toMatchObject({ dryRun: false, removed: 3, kept: dry.objects - 3 });
    for (const h of kept) expect(store.has(h), `kept ${h}`).toBe(true);
    for (const e of decodeManifest(store.readBytes(manifest), manifest)) expect(store.has(e.hash), e.path).toBe(true);
    for (const h of gone) expect(store.has(h), `removed ${h}`).toBe(false);
    expect(runCacheStore.has(cachedOut)).toBe(true);
    expect(runCacheStore.has(strayOut)).toBe(false);
    expect((await gcCache(ws.dir, ws.db, { dryRun: true })).removed).toBe(0);
    // Old versions still check out after the collection.
    await checkoutData(ws.dir, ws.db, c2!.commit, ['data/imgs', 'data/a.csv'], { force: true });
    await checkoutData(ws.dir, ws.db, 'experiment', ['data/a.csv']);
    expect(readFileSync(path.join(ws.dir, 'data/a.csv'), 'utf8')).toBe('a\nbranch\n');
    ws.close();
  });

  it('prints what it would free and what it freed (CLI)', () => {
    const dir = path.join(tmpDir(), 'p');
    runCli(['init', '--dir', dir]);
    write(dir, 'd.csv', 'v\n1\n');
    runCli(['data', 'add', 'd.csv'], { cwd: dir });
    write(dir, 'd.csv', 'v\n2\n');
    runCli(['data', 'add', 'd.csv'], { cwd: dir });
    expect(runCli(['data', 'gc', '--dry-run'], { cwd: dir }).stdout).toContain(
      'Would free 0 objects (0 B); 2 of 2 objects are kept.\n1 unreferenced object is newer than 10 minutes and kept',
    );
    expect(runCli(['data', 'gc', '--dry-run', '--keep-recent', '0'], { cwd: dir }).stdout).toContain(
      'Would free 1 object (4 B); 1 of 2 objects are kept.',
    );
    expect(runCli(['data', 'gc', '--keep-recent', '0'], { cwd: dir }).stdout).toContain(
      'Freed 1 object (4 B); 1 of 2 objects are kept.',
    );
    const bad = runCli(['data', 'gc', '--keep-recent', 'soon'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--keep-recent soon is not a number of minutes');
  });
});

describe('lineage', () => {
  it('records the tracked data versions a pipeline stage read, and data.usage lists runs and models per version', async () => {
    const ws = await project();
    write(
      ws.dir,
      'benchtop.yaml',
      `stages:
  count:
    cmd: wc -l < data/train.csv > count.txt
    deps: [data/train.csv, count.sh]
    outs: [count.txt]
  first:
    cmd: cat data/images/a.txt > first.txt
    deps: [data/images/a.txt]
    outs: [first.txt]
`,
    );
    write(ws.dir, 'count.sh', 'not tracked\n');
    const v1 = await version(ws, 'data/train.csv', 'x\n1\n2\n');
    write(ws.dir, 'data/images/a.txt', 'A');
    write(ws.dir, 'data/images/b.txt', 'B');
    await addData(ws.dir, ws.db, ['data/images']);
    const images = readPointer(ws.dir, 'data/images.bt').hash;
    const c1 = (await commitData(ws.dir, 'data v1'))!.commit;
    git(ws.dir, 'add', 'benchtop.yaml', 'count.sh');
    git(ws.dir, 'commit', '-q', '-m', 'pipeline');
    const run = (): Promise<{ runId: string; status: string }> =>
      new PipelineRun({ projectDir: ws.dir, db: ws.db, emit: () => undefined }, loadPipeline(ws.dir)!, {}).execute();

    const r1 = await run();
    expect(r1.status).toBe('succeeded');
    const inputs = (id: string): unknown[] =>
      ws.db.prepare('SELECT dataset, version, context FROM run_inputs WHERE run_id = ? ORDER BY dataset').all(id);
    expect(inputs(r1.runId)).toEqual([
      { dataset: 'data/images', version: images, context: 'training' },
      { dataset: 'data/train.csv', version: v1, context: 'training' },
    ]);
    ws.db.prepare(`INSERT INTO registered_models (name) VALUES ('counter')`).run();
    ws.db.prepare(`INSERT INTO model_versions (model_name, version, run_id) VALUES ('counter', 1, ?)`).run(r1.runId);

    const v2 = await version(ws, 'data/train.csv', 'x\n1\n2\n3\n');
    const c2 = (await commitData(ws.dir, 'data v2'))!.commit;
    const r2 = await run();
    expect(r2.status).toBe('succeeded');
    // Only the stage reading train.csv ran again.
    expect(inputs(r2.runId)).toEqual([{ dataset: 'data/train.csv', version: v2, context: 'training' }]);

    const usage = await dataUsage(ws.dir, ws.db, 'data/train.csv');
    expect(
      usage.versions.map((v) => ({
        hash: v.hash,
        commits: v.commits.map((c) => c.commit),
        current: v.current,
        runs: v.runs.map((r) => r.id),
        models: v.models,
      })),
    ).toEqual([
      { hash: v2, commits: [c2], current: true, runs: [r2.runId], models: [] },
      {
        hash: v1,
        commits: [c1],
        current: false,
        runs: [r1.runId],
        models: [{ name: 'counter', version: 1, runId: r1.runId }],
      },
    ]);
    expect(usage.versions[1]!.runs[0]).toMatchObject({
      status: 'succeeded',
      context: 'training',
      deleted: false,
      gitCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    ws.close();

    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(ws.dir);
    const viaContract = await dispatch(core.handlers, 'data.usage', { path: 'data/images' }, { checkOutput: true });
    expect(viaContract).toMatchObject({
      ok: true,
      value: {
        path: 'data/images',
        versions: [{ hash: images, current: true, runs: [{ id: r1.runId }], models: [{ name: 'counter' }] }],
      },
    });
    expect(await dispatch(core.handlers, 'data.usage', { path: 'count.sh' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // A dataset version a run used is kept by gc even when no commit names it any more.
    expect(
      await dispatch(core.handlers, 'data.gc', { dryRun: true, graceMinutes: 0 }, { checkOutput: true }),
    ).toMatchObject({ ok: true, value: { removed: 0 } });
    core.close();
    expect(existsSync(path.join(ws.dir, 'count.txt'))).toBe(true);
  });
});
