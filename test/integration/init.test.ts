import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/database';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { git, tmpDir } from '../support/helpers';

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else
        out[r] = createHash('sha256')
          .update(readFileSync(path.join(dir, r)))
          .digest('hex');
    }
  };
  walk('');
  return out;
}

describe('benchtop init (core)', () => {
  it('creates a git repository the git CLI reads, with the database at the current schema', async () => {
    const dir = path.join(tmpDir(), 'fresh');
    const r = await initProject(dir, { demo: true });
    r.workspace.close();
    expect(r.created && r.repoCreated).toBe(true);
    expect(git(dir, 'log', '--format=%s')).toBe('Create the Benchtop demo project\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const tracked = git(dir, 'ls-files').split('\n');
    expect(tracked).toEqual(
      expect.arrayContaining([
        '.benchtop/config.yaml',
        '.gitignore',
        'benchtop.yaml',
        'params.yaml',
        'data/loans.csv.bt',
        '.github/workflows/benchtop.yml',
        'src/train.js',
        'src/benchtop.cjs',
      ]),
    );
    // The training data is versioned by its pointer, not committed itself.
    expect(tracked).not.toContain('data/loans.csv');
    expect(tracked.some((f) => f.includes('benchtop.db'))).toBe(false);
    expect(
      git(dir, 'check-ignore', '.benchtop/benchtop.db', '.benchtop/cache/x', '.benchtop/logs/x').trim().split('\n'),
    ).toHaveLength(3);
    const ws = Workspace.open(dir);
    expect(ws.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    ws.close();
  });

  it('adopts an existing repository without re-initialising it or touching its history', async () => {
    const dir = tmpDir();
    git(dir, 'init', '-q', '-b', 'trunk');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    writeFileSync(path.join(dir, '.gitignore'), 'secret/\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'user commit');
    const head = git(dir, 'rev-parse', 'HEAD');
    const gitConfig = readFileSync(path.join(dir, '.git', 'config'), 'utf8');
    const r = await initProject(dir);
    r.workspace.close();
    expect(r.repoCreated).toBe(false);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('trunk');
    expect(readFileSync(path.join(dir, '.git', 'config'), 'utf8')).toBe(gitConfig);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').startsWith('secret/\n')).toBe(true);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(dir, '.benchtop', 'benchtop.db'))).toBe(true);
  });

  it('is idempotent on an existing project and never copies the demo over it', async () => {
    const dir = tmpDir();
    (await initProject(dir)).workspace.close();
    writeFileSync(path.join(dir, 'params.yaml'), 'mine: 1\n');
    const before = snapshot(dir);
    const again = await initProject(dir, { demo: true });
    again.workspace.close();
    expect(again.created).toBe(false);
    const after = snapshot(dir);
    for (const [f, h] of Object.entries(before)) if (!f.includes('benchtop.db')) expect(after[f], f).toBe(h);
  });

  it('refuses a demo that would overwrite user files, and changes nothing', async () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'loans.csv'), 'my,own\n1,2\n');
    writeFileSync(path.join(dir, 'params.yaml'), 'mine: 1\n');
    const before = snapshot(dir);
    await expect(initProject(dir, { demo: true })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: expect.stringContaining('params.yaml'),
    });
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
  });

  it('refuses a path that is a file', async () => {
    const file = path.join(tmpDir(), 'f');
    writeFileSync(file, 'x');
    await expect(initProject(file)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });
});
