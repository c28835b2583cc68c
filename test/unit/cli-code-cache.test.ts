// The CLI's loader with a V8 code cache (bin/code-cache.cjs): the loaded file behaves as under
// `require`, and a cache never runs code other than the file's current bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT, tmpDir } from '../support/helpers';

const LOADER = path.join(ROOT, 'bin', 'code-cache.cjs');

function load(file: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(LOADER)}).loadWithCodeCache(${JSON.stringify(file)})`],
    { encoding: 'utf8' },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('loadWithCodeCache', () => {
  it('runs the file as require would: its folder, require and exit code', () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'peer.cjs'), 'module.exports = "peer";\n');
    const file = path.join(dir, 'main.cjs');
    writeFileSync(
      file,
      'console.log(__filename, __dirname, require("./peer.cjs"), typeof module.exports);\nprocess.exitCode = 3;\n',
    );
    for (const round of [1, 2]) {
      const r = load(file);
      expect(r.stdout, `round ${round}: ${r.stderr}`).toBe(`${file} ${dir} peer object\n`);
      expect(r.code).toBe(3);
    }
  });

  it('is given a CLI bundle without import(), which a cached vm.Script cannot run on Node 20', () => {
    // esbuild drops the comments, which mention import() in type annotations.
    const { code } = transformSync(readFileSync(path.join(ROOT, 'dist', 'cli.cjs'), 'utf8'), {
      minifyWhitespace: true,
      legalComments: 'none',
    });
    expect(code.match(/(?<![\w$.])import\(/g) ?? []).toEqual([]);
  });

  it('writes the cache once and reuses it while the file is unchanged', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'main.cjs');
    writeFileSync(file, 'function f(x) { return x * 2; }\nconsole.log(f(21));\n');
    expect(load(file).stdout).toBe('42\n');
    const cache = `${file}.cache`;
    expect(existsSync(cache)).toBe(true);
    const made = readFileSync(cache);
    const mtime = statSync(cache).mtimeMs;
    expect(load(file).stdout).toBe('42\n');
    expect(readFileSync(cache).equals(made)).toBe(true);
    expect(statSync(cache).mtimeMs).toBe(mtime);
  });

  it('never runs a stale cache: an edit of the same length runs the new code and remakes the cache', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'main.cjs');
    // V8 itself compares only the source's length, so a same-length edit is the case to guard.
    writeFileSync(file, 'console.log("old");\n');
    expect(load(file).stdout).toBe('old\n');
    const stale = readFileSync(`${file}.cache`);
    writeFileSync(file, 'console.log("new");\n');
    expect(load(file).stdout).toBe('new\n');
    expect(readFileSync(`${file}.cache`).equals(stale)).toBe(false);
    expect(load(file).stdout).toBe('new\n');
  });

  it('ignores a damaged cache and replaces it', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'main.cjs');
    writeFileSync(file, 'console.log(6 * 7);\n');
    writeFileSync(`${file}.cache`, 'not a code cache');
    const r = load(file);
    expect(r).toEqual({ code: 0, stdout: '42\n', stderr: '' });
    expect(readFileSync(`${file}.cache`).subarray(0, 21).toString()).toBe('benchtop-code-cache-1');
  });
});
