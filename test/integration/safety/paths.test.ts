// Issue 17, cases 1, 2 and 9: one path policy for what a pipeline may delete and what a run may
// copy into the cache. Each test fails on the code before the policy (the path was accepted and
// deleted, or copied).
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../../electron/core/pipeline/load';
import { RunCache } from '../../../electron/core/pipeline/run-cache';
import { importMlflow } from '../../../electron/core/tracking/import-mlflow';
import { PipelineRun } from '../../../electron/core/pipeline/runner';
import { initProject } from '../../../electron/core/project/init';
import type { Workspace } from '../../../electron/core/workspace/workspace';
import { call, fails, openCore } from '../../support/core';
import { git, runCli, tmpDir } from '../../support/helpers';

function env(): NodeJS.ProcessEnv {
  const home = tmpDir('benchtop-home-');
  return { BENCHTOP_DATA_DIR: path.join(home, 'data'), HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
}

/** A fresh project (git repository with one commit) whose pipeline writes `out`. */
function project(outs: string[], cmd = 'node -e "1"'): { dir: string; env: NodeJS.ProcessEnv } {
  const e = env();
  const dir = path.join(tmpDir(), 'proj');
  expect(runCli(['init', '--dir', dir], { env: e }).code).toBe(0);
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    `stages:\n  build:\n    cmd: ${JSON.stringify(cmd)}\n    outs:\n${outs.map((o) => `      - ${JSON.stringify(o)}\n`).join('')}`,
  );
  return { dir, env: e };
}

describe('case 1: outs may never name the project, git, Benchtop or the pipeline files', () => {
  it('case 1: outs: [.git] is refused by run with file:line:col and a fix, and .git survives', () => {
    const { dir, env: e } = project(['.git']);
    const head = git(dir, 'rev-parse', 'HEAD');
    const r = runCli(['run'], { cwd: dir, env: e });
    expect(existsSync(path.join(dir, '.git', 'HEAD')), '.git survives').toBe(true);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchtop\.yaml:5:\d+: .*outs\[0\] "\.git" .*git/);
    expect(r.stderr).toMatch(/build\/model\.pkl/);
  });

  it('case 1: outs: [.] is refused and the project survives', () => {
    const { dir, env: e } = project(['.']);
    const r = runCli(['run'], { cwd: dir, env: e });
    expect(existsSync(path.join(dir, 'benchtop.yaml')), 'benchtop.yaml survives').toBe(true);
    expect(existsSync(path.join(dir, '.git')), '.git survives').toBe(true);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchtop\.yaml:5:\d+: .*outs\[0\] "\."/);
  });

  it('case 1: outs: [.benchtop] is refused without a stack trace and the database survives', () => {
    const { dir, env: e } = project(['.benchtop']);
    const r = runCli(['run'], { cwd: dir, env: e });
    expect(existsSync(path.join(dir, '.benchtop', 'benchtop.db')), 'the database survives').toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchtop\.yaml:5:\d+: .*outs\[0\] "\.benchtop"/);
  });

  const refused = [
    './',
    'src/..',
    '.git/',
    '.git/objects',
    './.git',
    'src/../.git',
    '.benchtop/benchtop.db',
    'benchtop.yaml',
    'benchtop.lock',
    'params.yaml',
    '.gitignore',
    'data/train.csv.bt',
    '.GIT',
    'Benchtop.yaml',
    '.Benchtop/cache',
    '../elsewhere',
  ];
  it.each(refused)('case 1: run --dry and status refuse outs: [%s] and change nothing', (out) => {
    const { dir, env: e } = project([out]);
    writeFileSync(path.join(dir, 'params.yaml'), 'lr: 1\n');
    const dry = runCli(['run', '--dry'], { cwd: dir, env: e });
    expect(dry.code, dry.stdout).not.toBe(0);
    expect(dry.stderr).toMatch(/benchtop\.yaml:5:\d+: .*outs(\[0\] "|\s)/);
    expect(dry.stderr).toMatch(/inside the project|Name the data itself/i);
    const status = runCli(['status'], { cwd: dir, env: e });
    expect(status.code).not.toBe(0);
    expect(status.stderr).toMatch(/benchtop\.yaml:5:\d+/);
    expect(readFileSync(path.join(dir, 'params.yaml'), 'utf8')).toBe('lr: 1\n');
    expect(existsSync(path.join(dir, '.git', 'HEAD'))).toBe(true);
  });

  it('case 1: a stage may not work inside .git, so its outs cannot land there either', () => {
    const { dir, env: e } = project(['objects']);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'stages:\n  build:\n    cmd: node -e "1"\n    wdir: .git\n    outs: [objects]\n',
    );
    const r = runCli(['run'], { cwd: dir, env: e });
    expect(existsSync(path.join(dir, '.git', 'objects')), '.git/objects survives').toBe(true);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchtop\.yaml:4:\d+: wdir "\.git" is git's own folder/);
  });

  it('case 1: deps may not read git or Benchtop internals, but may read params.yaml', () => {
    const e = env();
    const dir = path.join(tmpDir(), 'proj');
    expect(runCli(['init', '--dir', dir], { env: e }).code).toBe(0);
    writeFileSync(path.join(dir, 'params.yaml'), 'lr: 1\n');
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      "stages:\n  a:\n    cmd: node -e \"require('fs').writeFileSync('o.txt', 'x')\"\n    deps: [params.yaml]\n    outs: [o.txt]\n",
    );
    expect(runCli(['run', '--dry'], { cwd: dir, env: e }).code).toBe(0);
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      'stages:\n  a:\n    cmd: node -e "1"\n    deps: [.benchtop/server.json]\n    outs: [o.txt]\n',
    );
    const r = runCli(['run', '--dry'], { cwd: dir, env: e });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchtop\.yaml:4:\d+: .*deps\[0\] "\.benchtop\/server\.json"/);
  });
});

/** A project opened in-process, with a pipeline that passes validation as written. */
async function workspace(yaml: string): Promise<Workspace> {
  const dir = path.join(tmpDir(), 'p');
  const { workspace: ws } = await initProject(dir, {});
  writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  return ws;
}

describe('case 1: deleting outs is checked again at the moment of deleting', () => {
  it('case 1: a pipeline whose out became .git after validation fails the stage and .git survives', async () => {
    const ws = await workspace('stages:\n  build:\n    cmd: node w.js\n    outs: [build/o.txt]\n');
    try {
      writeFileSync(
        path.join(ws.dir, 'w.js'),
        "require('fs').mkdirSync('build', { recursive: true }); require('fs').writeFileSync('build/o.txt', 'x');\n",
      );
      const pipeline = loadPipeline(ws.dir)!;
      pipeline.stages[0]!.outs[0]!.path = '.git';
      const result = await new PipelineRun({ projectDir: ws.dir, db: ws.db, emit: () => {} }, pipeline, {}).execute();
      expect(existsSync(path.join(ws.dir, '.git', 'HEAD')), '.git survives').toBe(true);
      expect(result.status).toBe('failed');
      expect(result.stages[0]!.reason).toMatch(/\.git/);
    } finally {
      ws.close();
    }
  });

  it('case 1: a run-cache row naming .benchtop cannot make a restore delete it', async () => {
    const ws = await workspace('stages: {}\n');
    try {
      const cache = new RunCache(ws.dir, ws.db, path.join(ws.dir, '.benchtop', 'cache'));
      ws.db
        .prepare('INSERT INTO run_cache (stage, signature, outs, run_id) VALUES (?, ?, ?, ?)')
        .run('s', 'sig', JSON.stringify([{ path: '.benchtop', files: {}, dir: true }]), 'run-x');
      const stage = { name: 's', outs: [{ path: '.benchtop' }] } as unknown as Parameters<RunCache['restore']>[0];
      await expect(cache.restore(stage, 'sig')).rejects.toThrow(/Benchtop's own folder/);
      expect(existsSync(path.join(ws.dir, '.benchtop', 'benchtop.db'))).toBe(true);
    } finally {
      ws.close();
    }
  });
});

describe('case 2: a symlinked folder that leaves the project', () => {
  it('case 2: a folder swapped for a link out after validation is not followed when outs are deleted', async () => {
    const elsewhere = tmpDir('benchtop-elsewhere-');
    writeFileSync(path.join(elsewhere, 'o.txt'), 'precious');
    const ws = await workspace('stages:\n  build:\n    cmd: node -e "1"\n    outs: [build/o.txt]\n');
    try {
      mkdirSync(path.join(ws.dir, 'build'));
      const pipeline = loadPipeline(ws.dir)!;
      rmSync(path.join(ws.dir, 'build'), { recursive: true });
      symlinkSync(elsewhere, path.join(ws.dir, 'build'));
      const result = await new PipelineRun({ projectDir: ws.dir, db: ws.db, emit: () => {} }, pipeline, {}).execute();
      expect(existsSync(path.join(elsewhere, 'o.txt')), 'the file outside survives').toBe(true);
      expect(result.status).toBe('failed');
      expect(result.stages[0]!.reason).toMatch(/symbolic link build, which leads outside the project/);
    } finally {
      ws.close();
    }
  });

  it('case 2: data checkout refuses a pointer under a folder that became a link out of the project', () => {
    const e = env();
    const dir = path.join(tmpDir(), 'proj');
    expect(runCli(['init', '--dir', dir], { env: e }).code).toBe(0);
    mkdirSync(path.join(dir, 'd'));
    writeFileSync(path.join(dir, 'd', 'x.csv'), 'a\n1\n');
    expect(runCli(['data', 'add', 'd/x.csv'], { cwd: dir, env: e }).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'track d/x.csv');
    const elsewhere = tmpDir('benchtop-elsewhere-');
    writeFileSync(path.join(elsewhere, 'x.csv'), 'precious');
    rmSync(path.join(dir, 'd'), { recursive: true });
    symlinkSync(elsewhere, path.join(dir, 'd'));
    const r = runCli(['data', 'checkout', 'HEAD', '--force'], { cwd: dir, env: e });
    expect(readFileSync(path.join(elsewhere, 'x.csv'), 'utf8'), 'the file outside survives').toBe('precious');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/symbolic link d, which leads outside the project/);
  });

  it('case 2: outs under a symlink out of the project are refused and the file outside survives', () => {
    const elsewhere = tmpDir('benchtop-elsewhere-');
    writeFileSync(path.join(elsewhere, 'o.txt'), 'precious');
    const { dir, env: e } = project(['build/o.txt'], `node -e "require('fs').writeFileSync('build/o.txt', 'new')"`);
    symlinkSync(elsewhere, path.join(dir, 'build'));
    const r = runCli(['run'], { cwd: dir, env: e });
    expect(existsSync(path.join(elsewhere, 'o.txt')), 'the file outside survives').toBe(true);
    expect(readFileSync(path.join(elsewhere, 'o.txt'), 'utf8')).toBe('precious');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchtop\.yaml:5:\d+: .*outs\[0\] "build\/o\.txt".*symbolic link/);
  });

  it('case 2: a symlink out named as an out itself is unlinked, never its target emptied', () => {
    const elsewhere = tmpDir('benchtop-elsewhere-');
    writeFileSync(path.join(elsewhere, 'keep.txt'), 'precious');
    const { dir, env: e } = project(
      ['build'],
      `node -e "require('fs').mkdirSync('build'); require('fs').writeFileSync('build/o.txt', 'new')"`,
    );
    symlinkSync(elsewhere, path.join(dir, 'build'));
    runCli(['run'], { cwd: dir, env: e });
    expect(readFileSync(path.join(elsewhere, 'keep.txt'), 'utf8')).toBe('precious');
  });

  it('case 2: a symlink inside the project that points at .git is refused as an out parent', () => {
    const { dir, env: e } = project(['g/objects'], 'node -e "1"');
    symlinkSync(path.join(dir, '.git'), path.join(dir, 'g'));
    const r = runCli(['run'], { cwd: dir, env: e });
    expect(r.code).not.toBe(0);
    expect(existsSync(path.join(dir, '.git', 'objects'))).toBe(true);
  });
});

describe("case 9: runs.logArtifact copies only the project's own files", () => {
  it("case 9: a stage's ::benchtop:: artifact line naming .benchtop/server.json is not copied into the cache", async () => {
    const ws = await workspace('stages:\n  leak:\n    cmd: node leak.js\n    outs: [o.txt]\n');
    try {
      writeFileSync(
        path.join(ws.dir, 'leak.js'),
        "console.log('::benchtop:: ' + JSON.stringify({ type: 'artifact', path: '.benchtop/server.json' })); require('fs').writeFileSync('o.txt', 'x');\n",
      );
      writeFileSync(path.join(ws.dir, '.benchtop', 'server.json'), JSON.stringify({ token: 'secret-token-123' }));
      const events: { name: string; payload: { line?: string } }[] = [];
      const result = await new PipelineRun(
        { projectDir: ws.dir, db: ws.db, emit: (e) => events.push(e as never) },
        loadPipeline(ws.dir)!,
        {},
      ).execute();
      expect(result.status).toBe('succeeded');
      const rows = ws.db
        .prepare(`SELECT path, hash FROM run_artifacts WHERE run_id = ? AND role = 'artifact'`)
        .all(result.runId) as { path: string; hash: string | null }[];
      expect(rows.every((r) => r.hash === null)).toBe(true);
      expect(
        events.some(
          (e) =>
            e.name === 'run.log' &&
            /could not keep artifact \.benchtop\/server\.json: .*Benchtop's own folder/.test(e.payload.line ?? ''),
        ),
      ).toBe(true);
    } finally {
      ws.close();
    }
  });

  it("case 9: an MLflow store whose artifacts are the project's .benchtop files is refused, and nothing is imported", async () => {
    const ws = await workspace('stages: {}\n');
    try {
      writeFileSync(path.join(ws.dir, '.benchtop', 'server.json'), JSON.stringify({ token: 'secret-token-123' }));
      const store = path.join(tmpDir(), 'mlruns');
      const T0 = 1_767_225_600_000;
      const makeRun = (id: string, artifactUri: string): string => {
        const dir = path.join(store, '1', id);
        mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
        writeFileSync(
          path.join(dir, 'meta.yaml'),
          [
            `artifact_uri: ${artifactUri}`,
            `end_time: ${T0 + 1}`,
            "experiment_id: '1'",
            'lifecycle_stage: active',
            `run_id: ${id}`,
            'run_name: r',
            `run_uuid: ${id}`,
            'source_type: 4',
            `start_time: ${T0}`,
            'status: 3',
            'user_id: ada',
            '',
          ].join('\n'),
        );
        return dir;
      };
      mkdirSync(path.join(store, '1'), { recursive: true });
      writeFileSync(
        path.join(store, '1', 'meta.yaml'),
        `artifact_location: file://${path.join(store, '1')}\ncreation_time: ${T0}\nexperiment_id: '1'\nlast_update_time: ${T0}\nlifecycle_stage: active\nname: leak\n`,
      );
      // One run's artifact_uri is the project's own folder; the other's artifacts hold a link to the token.
      makeRun('a'.repeat(32), `file://${path.join(ws.dir, '.benchtop')}`);
      const linked = makeRun('b'.repeat(32), 'file:///nowhere');
      symlinkSync(path.join(ws.dir, '.benchtop', 'server.json'), path.join(linked, 'artifacts', 'server.json'));
      await expect(importMlflow(ws.dir, ws.db, store)).rejects.toThrow(/Benchtop's own folder/);
      rmSync(path.join(store, '1', 'a'.repeat(32)), { recursive: true });
      await expect(importMlflow(ws.dir, ws.db, store)).rejects.toThrow(
        /artifact server\.json, which is inside Benchtop's own folder/,
      );
      expect(ws.db.prepare(`SELECT COUNT(*) AS n FROM run_artifacts`).get()).toEqual({ n: 0 });
      expect(ws.db.prepare(`SELECT COUNT(*) AS n FROM runs`).get()).toEqual({ n: 0 });
    } finally {
      ws.close();
    }
  });

  it('case 9: .benchtop/server.json and .benchtop/benchtop.db are refused as artifacts', async () => {
    const { core, dir } = await openCore();
    try {
      writeFileSync(path.join(dir, '.benchtop', 'server.json'), JSON.stringify({ token: 'secret-token' }));
      const { runId } = await call(core, 'runs.create', { name: 'r' });
      for (const p of [
        '.benchtop/server.json',
        '.benchtop/benchtop.db',
        './.benchtop/server.json',
        '.benchtop//server.json',
        '.git/HEAD',
        '.Benchtop/server.json',
      ]) {
        const err = await fails(core, 'runs.logArtifact', { runId, path: p });
        expect(err.code, p).toMatch(/INVALID_INPUT|NOT_FOUND/);
        if (!p.startsWith('.Benchtop')) expect(err.message, p).toMatch(/\.benchtop|\.git/);
      }
      mkdirSync(path.join(dir, 'out'));
      writeFileSync(path.join(dir, 'out', 'ok.txt'), 'fine');
      expect((await call(core, 'runs.logArtifact', { runId, path: 'out/ok.txt' })).path).toBe('out/ok.txt');
    } finally {
      core.close();
    }
  });

  it('case 9: a file outside the project, or through a link out, is refused as an artifact', async () => {
    const { core, dir } = await openCore();
    try {
      const elsewhere = tmpDir('benchtop-elsewhere-');
      writeFileSync(path.join(elsewhere, 'secret.txt'), 'x');
      symlinkSync(elsewhere, path.join(dir, 'link'));
      const { runId } = await call(core, 'runs.create', { name: 'r' });
      for (const p of [path.join(elsewhere, 'secret.txt'), '../x', 'link/secret.txt']) {
        const err = await fails(core, 'runs.logArtifact', { runId, path: p });
        expect(err.code, p).toMatch(/INVALID_INPUT|NOT_FOUND/);
      }
    } finally {
      core.close();
    }
  });
});
