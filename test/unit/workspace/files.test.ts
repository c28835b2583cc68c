import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import { readConfig } from '../../../electron/core/workspace/config';
import { ensureGitignore } from '../../../electron/core/workspace/gitignore';
import { GITIGNORE_ENTRIES } from '../../../electron/core/util/layout';
import { listRecent, rememberRecent } from '../../../electron/core/project/recent';
import { defaultDataDir } from '../../../electron/core/workspace/user-data';
import { FileProblemError, parseYaml } from '../../../electron/core/util/yaml-file';
import { tmpDir } from '../../support/helpers';

describe('.gitignore entries', () => {
  it('appends only missing lines and keeps the user lines and order', () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n/.benchtop/cache/\n*.tmp');
    expect(ensureGitignore(dir)).toBe(true);
    const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    expect(text.startsWith('node_modules\n/.benchtop/cache/\n*.tmp\n')).toBe(true);
    for (const e of GITIGNORE_ENTRIES) expect(text.split('\n').filter((l) => l === e)).toHaveLength(1);
    expect(ensureGitignore(dir)).toBe(false);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(text);
  });
});

describe('.benchtop/config.yaml', () => {
  it('names the file and line of a YAML syntax error', () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, '.benchtop'));
    writeFileSync(path.join(dir, '.benchtop', 'config.yaml'), 'version: 1\nname: "unclosed\ndemo: false\n');
    const err = (() => {
      try {
        readConfig(dir);
      } catch (e) {
        return e;
      }
    })() as FileProblemError;
    expect(err).toBeInstanceOf(FileProblemError);
    expect(err.problem.file).toBe(path.join('.benchtop', 'config.yaml'));
    expect(err.problem.line).toBeGreaterThanOrEqual(2);
    expect(err.message).toMatch(/config\.yaml:\d+/);
  });

  it('names the key and line of a wrong value', () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, '.benchtop'));
    writeFileSync(path.join(dir, '.benchtop', 'config.yaml'), 'version: 1\nname: ""\n');
    expect(() => readConfig(dir)).toThrow(/config\.yaml:2:7: name: name must not be empty/);
  });
});

describe('parseYaml', () => {
  it('never throws anything but a FileProblemError with the file name (property)', () => {
    const schema = z.object({ stages: z.record(z.string(), z.object({ cmd: z.string() })) });
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseYaml(text, 'benchtop.yaml', schema, 'fix it');
        } catch (err) {
          expect(err).toBeInstanceOf(FileProblemError);
          expect(err).toBeInstanceOf(BenchtopError);
          expect((err as FileProblemError).problem.file).toBe('benchtop.yaml');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('recent projects', () => {
  it('keeps newest first without duplicates and marks missing folders', () => {
    const data = tmpDir();
    const a = tmpDir();
    mkdirSync(path.join(a, '.benchtop'));
    writeFileSync(path.join(a, '.benchtop', 'config.yaml'), 'version: 1\nname: a\n');
    rememberRecent(data, { path: a, name: 'a' }, new Date('2026-01-01'));
    rememberRecent(data, { path: '/nowhere/b', name: 'b' }, new Date('2026-01-02'));
    rememberRecent(data, { path: a, name: 'a' }, new Date('2026-01-03'));
    expect(listRecent(data)).toEqual([
      { path: a, name: 'a', openedAt: '2026-01-03T00:00:00.000Z', exists: true },
      { path: '/nowhere/b', name: 'b', openedAt: '2026-01-02T00:00:00.000Z', exists: false },
    ]);
  });

  it('survives a damaged list', () => {
    const data = tmpDir();
    writeFileSync(path.join(data, 'recent-projects.json'), '{oops');
    expect(listRecent(data)).toEqual([]);
  });
});

describe('user data folder', () => {
  it('honours BENCHTOP_DATA_DIR and follows each platform', () => {
    expect(defaultDataDir({ BENCHTOP_DATA_DIR: '/x/y' }, 'linux')).toBe('/x/y');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Benchtop');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Benchtop$/);
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toMatch(/Benchtop$/);
  });
});
