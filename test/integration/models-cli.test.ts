import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWire } from '../../shared/contract/wire';
import { runCli, tmpDir } from '../support/helpers';

/** A project with one tracked run (made by `benchtop exec`) that logged params, metrics (NaN and ±∞ too) and artifacts. */
function projectWithRun(): { dir: string; runId: string } {
  const dir = path.join(tmpDir(), 'p');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  writeFileSync(
    path.join(dir, 'train.js'),
    `const fs = require('fs');
const say = (m) => console.log('::benchtop:: ' + JSON.stringify(m));
fs.writeFileSync('model.onnx', 'onnx weights');
fs.mkdirSync('bundle', { recursive: true });
fs.writeFileSync('bundle/weights.bin', 'abc');
fs.writeFileSync('bundle/config.json', '{}');
say({ type: 'param', key: 'lr', value: 0.1 });
say({ type: 'metric', key: 'acc', value: 0.875 });
say({ type: 'metric', key: 'odd', value: 'NaN' });
say({ type: 'metric', key: 'up', value: 'inf' });
say({ type: 'metric', key: 'down', value: '-inf' });
say({ type: 'artifact', path: 'model.onnx' });
say({ type: 'artifact', path: 'bundle/weights.bin' });
say({ type: 'artifact', path: 'bundle/config.json' });
`,
  );
  const exec = runCli(['exec', '--name', 'train', '--', 'node', 'train.js'], { cwd: dir });
  expect(exec.code, exec.stderr).toBe(0);
  const runs = JSON.parse(runCli(['runs', '--json'], { cwd: dir }).stdout) as { id: string }[];
  expect(runs).toHaveLength(1);
  return { dir, runId: runs[0]!.id };
}

/** Each test spawns the CLI dozens of times; on a loaded machine that outlasts the default 60 s. */
const SLOW = 240_000;

function json<T = any>(dir: string, args: string[]): T {
  const r = runCli(['--json', ...args], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return fromWire(r.stdout) as T;
}

describe('benchtop models (CLI)', () => {
  it(
    'registers from a run artifact, a run folder and a path; lists and shows them as text and --json',
    () => {
      const { dir, runId } = projectWithRun();
      expect(runCli(['models', 'list'], { cwd: dir }).stdout).toContain('No registered models yet.');

      const first = runCli(
        [
          'models',
          'register',
          'churn',
          '--run',
          runId,
          '--path',
          'model.onnx',
          '--tag',
          'team=risk',
          '--description',
          'first cut',
        ],
        { cwd: dir },
      );
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^Registered churn v1 \(onnx, 12 B, from run run-/);

      const folder = runCli(['models', 'register', 'churn', '--run', runId, '--path', 'bundle', '--format', 'custom'], {
        cwd: dir,
      });
      expect(folder.code, folder.stderr).toBe(0);
      expect(folder.stdout).toContain('Registered churn v2');

      // Without --run, the path is relative to where the command runs.
      mkdirSync(path.join(dir, 'models'));
      writeFileSync(path.join(dir, 'models', 'tree.pkl'), 'pickled');
      const byPath = runCli(
        ['models', 'register', 'churn', '--path', 'tree.pkl', '--signature', 'age:integer,plan:string'],
        { cwd: path.join(dir, 'models') },
      );
      expect(byPath.code, byPath.stderr).toBe(0);
      expect(byPath.stdout).toMatch(/^Registered churn v3 \(pickle, 7 B\)\./);

      const v1 = json(dir, ['models', 'show', 'churn/1']);
      expect(v1).toMatchObject({
        name: 'churn',
        version: 1,
        format: 'onnx',
        size: 12,
        source: 'run',
        runId,
        runName: 'train',
        params: { lr: '0.1' },
        tags: { team: 'risk' },
        description: 'first cut',
        artifact: { path: 'model.onnx', kind: 'file' },
      });
      expect(v1.metrics.acc).toBe(0.875);
      expect(v1.metrics.odd).toBeNaN();
      expect(v1.metrics.up).toBe(Infinity);
      expect(v1.metrics.down).toBe(-Infinity);
      // The JSON itself keeps them in the contract's wire form rather than turning them into null.
      expect(runCli(['models', 'show', 'churn/1', '--json'], { cwd: dir }).stdout).toContain('"$nonFinite": "NaN"');
      expect(json(dir, ['models', 'show', 'churn/2'])).toMatchObject({
        format: 'custom',
        files: 2,
        size: 5,
        artifact: { path: 'bundle', kind: 'folder' },
      });
      expect(json(dir, ['models', 'show', 'models:/churn/3'])).toMatchObject({
        source: 'path',
        runId: null,
        artifact: { path: 'models/tree.pkl' },
        signature: {
          inputs: [
            { name: 'age', type: 'integer' },
            { name: 'plan', type: 'string' },
          ],
          source: 'given',
        },
      });

      const text = runCli(['models', 'show', 'churn/1'], { cwd: dir }).stdout;
      expect(text).toMatch(/^churn\/1\n/);
      expect(text).toMatch(/artifact\s+model\.onnx \(file, sha256 [0-9a-f]{12}\)/);
      expect(text).toMatch(/source\s+run run-[\w-]+ \(train\)/);
      expect(text).toContain('  odd = NaN\n');
      expect(text).toContain('  up = ∞\n');
      expect(text).toContain('  down = −∞\n');
      expect(text).toContain('  team = risk\n');

      const model = runCli(['models', 'show', 'churn'], { cwd: dir }).stdout;
      expect(model).toMatch(/^churn {2}\(3 versions; updated /);
      expect(model).toMatch(/version\s+aliases\s+format\s+size\s+run\s+created\s+acc\s+down\s+odd\s+up/);
      expect(model).toMatch(/v1\s+-\s+onnx\s+12 B\s+run-[\w-]+\s+\S+ \S+\s+0\.875\s+−∞\s+NaN\s+∞/);
      expect(model).toMatch(/v3\s+-\s+pickle\s+7 B\s+\(path\)/);

      const list = runCli(['models', 'list'], { cwd: dir }).stdout.split('\n');
      expect(list[0]).toMatch(/^name\s+versions\s+latest\s+aliases\s+updated$/);
      expect(list[1]).toMatch(/^churn\s+3\s+v3\s+-\s+\d{4}-/);
      expect(json(dir, ['models', 'list'])).toEqual({
        models: [expect.objectContaining({ name: 'churn', versionCount: 3, latestVersion: 3, aliases: [] })],
      });

      // Bad input names what is wrong, exits non-zero and registers nothing.
      const bad: [string[], number, string][] = [
        [
          ['models', 'register', 'churn', '--run', runId, '--path', 'nope.bin'],
          1,
          `Run ${runId} has no artifact or output nope.bin`,
        ],
        [['models', 'register', 'churn', '--path', 'missing.pkl'], 1, 'There is no file or folder at missing.pkl'],
        [['models', 'register', 'churn', '--path', 'models/tree.pkl', '--format', 'a b'], 1, '--format: a format is'],
        [['models', 'register', 'churn', '--path', 'models/tree.pkl', '--tag', 'oops'], 2, '--tag needs KEY=VALUE'],
        [
          ['models', 'register', 'churn', '--path', 'models/tree.pkl', '--signature', 'age'],
          2,
          '--signature takes COLUMN:TYPE pairs',
        ],
        [['models', 'register', 'bad name', '--path', 'models/tree.pkl'], 1, 'cannot be a model name'],
        [['models', 'register', 'churn'], 2, "required option '--path <path>'"],
      ];
      for (const [args, code, message] of bad) {
        const r = runCli(args, { cwd: dir });
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr).toContain(message);
      }
      expect(json(dir, ['models', 'show', 'churn']).versions).toHaveLength(3);
    },
    SLOW,
  );

  it(
    'sets, moves and removes aliases with reasons in the audit log; refuses reserved aliases and changes nothing',
    () => {
      const { dir, runId } = projectWithRun();
      expect(
        runCli(
          [
            'models',
            'register',
            'churn',
            '--run',
            runId,
            '--path',
            'model.onnx',
            '--alias',
            'champion',
            '--reason',
            'first model',
          ],
          { cwd: dir },
        ).stdout,
      ).toMatch(/^Registered churn v1 as @champion/);
      runCli(['models', 'register', 'churn', '--run', runId, '--path', 'bundle'], { cwd: dir });

      expect(
        runCli(['models', 'alias', 'churn', 'challenger', '2', '--reason', 'try it'], { cwd: dir }).stdout.trim(),
      ).toBe('churn@challenger → v2.');
      expect(
        runCli(['models', 'alias', 'churn', 'champion', 'v2', '--reason', 'beat v1 on holdout'], {
          cwd: dir,
        }).stdout.trim(),
      ).toBe('churn@champion → v2 (moved from v1).');
      expect(runCli(['models', 'alias', 'churn', 'champion', '2'], { cwd: dir }).stdout.trim()).toBe(
        'churn@champion already points to v2; nothing changed.',
      );
      expect(
        runCli(['models', 'alias', 'churn', 'challenger', '--remove', '--reason', 'promoted'], {
          cwd: dir,
        }).stdout.trim(),
      ).toBe('Removed churn@challenger (it pointed to v2).');

      const aliases = json(dir, ['models', 'aliases', 'churn']);
      expect(aliases.aliases).toEqual([{ alias: 'champion', version: 2 }]);
      expect(aliases.aliasLog.map((e: any) => [e.alias, e.fromVersion, e.toVersion, e.reason])).toEqual([
        ['challenger', 2, null, 'promoted'],
        ['champion', 1, 2, 'beat v1 on holdout'],
        ['challenger', null, 2, 'try it'],
        ['champion', null, 1, 'first model'],
      ]);
      const log = runCli(['models', 'aliases', 'churn'], { cwd: dir }).stdout;
      expect(log).toMatch(/^churn: champion→v2\n/);
      expect(log).toMatch(/when\s+alias\s+change\s+reason/);
      expect(log).toMatch(/champion\s+v1 → v2\s+beat v1 on holdout/);
      expect(log).toMatch(/challenger\s+v2 → \(none\)\s+promoted/);
      expect(runCli(['models', 'list'], { cwd: dir }).stdout).toMatch(/churn\s+2\s+v2\s+champion→v2/);
      expect(runCli(['models', 'show', 'churn'], { cwd: dir }).stdout).toMatch(/v2\s+@champion\s+huggingface\s+5 B/);

      // Reserved aliases and bad input: refused, exit code ≠ 0, the registry exactly as before.
      const before = runCli(['models', 'show', 'churn', '--json'], { cwd: dir }).stdout;
      const refused: [string[], string][] = [
        [['models', 'alias', 'churn', 'latest', '1'], '"latest" is reserved'],
        [['models', 'alias', 'churn', 'v1', '1'], '"v1" is reserved'],
        [['models', 'alias', 'churn', 'V7', '1'], '"V7" is reserved'],
        [['models', 'alias', 'churn', 'latest', '--remove'], '"latest" is reserved'],
        [
          ['models', 'register', 'churn', '--run', runId, '--path', 'model.onnx', '--alias', 'latest'],
          '"latest" is reserved',
        ],
        [['models', 'alias', 'churn', 'good.name', '1'], '"good.name" cannot be an alias: an alias is 1–64 letters'],
        [['models', 'alias', 'churn', 'prod', '9'], 'Model churn has no version 9'],
        [['models', 'alias', 'churn', 'prod'], 'Say which version prod should point to'],
        [['models', 'alias', 'churn', 'prod', '1', '--remove'], 'takes no version'],
        [['models', 'alias', 'churn', 'nosuch', '--remove'], 'Model churn has no alias nosuch'],
        [['models', 'alias', 'nope', 'champion', '1'], 'There is no registered model named nope'],
      ];
      for (const [args, message] of refused) {
        const r = runCli(args, { cwd: dir });
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toContain(message);
      }
      expect(runCli(['models', 'show', 'churn', '--json'], { cwd: dir }).stdout).toBe(before);
    },
    SLOW,
  );

  it(
    'resolves references, archives and restores, refuses deleting an aliased version',
    () => {
      const { dir, runId } = projectWithRun();
      for (let i = 0; i < 3; i++)
        expect(runCli(['models', 'register', 'churn', '--run', runId, '--path', 'model.onnx'], { cwd: dir }).code).toBe(
          0,
        );
      expect(runCli(['models', 'alias', 'churn', 'champion', '2'], { cwd: dir }).code).toBe(0);

      const resolve = (ref: string): string => runCli(['models', 'resolve', ref], { cwd: dir }).stdout.trim();
      expect(resolve('churn@champion')).toBe('churn/2');
      expect(resolve('models:/churn@champion')).toBe('churn/2');
      expect(resolve('models:/churn/1')).toBe('churn/1');
      expect(resolve('churn/v3')).toBe('churn/3');
      expect(resolve('churn')).toBe('churn/3');
      expect(json(dir, ['models', 'resolve', 'models:/churn@champion'])).toEqual({ name: 'churn', version: 2 });
      expect(runCli(['models', 'resolve', 'churn@nosuch'], { cwd: dir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Model churn has no alias nosuch'),
      });
      expect(runCli(['models', 'resolve', 'churn/0'], { cwd: dir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('is not a model reference'),
      });
      expect(json(dir, ['models', 'show', 'churn@champion'])).toMatchObject({ version: 2, aliases: ['champion'] });

      // Archive: hidden from the list and from `latest`; restore brings it back.
      expect(runCli(['models', 'archive', 'churn/3'], { cwd: dir }).stdout.trim()).toBe('Archived churn/3.');
      expect(resolve('churn')).toBe('churn/2');
      expect(runCli(['models', 'list'], { cwd: dir }).stdout).toMatch(/churn\s+2\s+v2\s+champion→v2/);
      expect(json(dir, ['models', 'list', '--archived']).models[0]).toMatchObject({
        versionCount: 3,
        latestVersion: 3,
      });
      expect(runCli(['models', 'show', 'churn'], { cwd: dir }).stdout).toContain(
        '1 archived version is not shown; --archived shows it.',
      );
      expect(runCli(['models', 'show', 'churn', '--archived'], { cwd: dir }).stdout).toMatch(/v3 \(archived\)/);
      expect(runCli(['models', 'archive', 'churn@champion'], { cwd: dir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Cannot archive version 2 of churn: @champion points to it'),
      });
      expect(runCli(['models', 'alias', 'churn', 'prod', '3'], { cwd: dir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('is archived'),
      });
      expect(json(dir, ['models', 'restore', 'churn/3'])).toMatchObject({
        version: 3,
        archived: false,
        archivedAt: null,
      });
      expect(resolve('churn')).toBe('churn/3');

      // Delete: refused while aliased (nothing changes), refused for a bare name, done without asking otherwise.
      for (const ref of ['churn/2', 'churn@champion']) {
        const r = runCli(['models', 'delete', ref], { cwd: dir });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          'Cannot delete version 2 of churn: @champion points to it. Move or remove the alias first',
        );
      }
      expect(runCli(['models', 'delete', 'churn'], { cwd: dir })).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('needs one version: churn/N or churn@ALIAS'),
      });
      expect(json(dir, ['models', 'show', 'churn']).versions.map((v: any) => v.version)).toEqual([3, 2, 1]);
      expect(runCli(['models', 'delete', '--help'], { cwd: dir }).stdout).toContain(
        'refused while an alias points to it',
      );
      expect(runCli(['models', 'delete', 'churn/1'], { cwd: dir }).stdout).toMatch(/^Deleted churn\/1\./);
      expect(json(dir, ['models', 'show', 'churn']).versions.map((v: any) => v.version)).toEqual([3, 2]);
      expect(runCli(['models', 'show', 'churn/1'], { cwd: dir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Model churn has no version 1'),
      });
    },
    SLOW,
  );

  it(
    "edits a version's description, card (markdown files) and predict command",
    () => {
      const dir = path.join(tmpDir(), 'p');
      expect(runCli(['init', '--dir', dir]).code).toBe(0);
      writeFileSync(path.join(dir, 'model.pkl'), 'pickled');
      for (let i = 0; i < 2; i++)
        expect(runCli(['models', 'register', 'churn', '--path', 'model.pkl'], { cwd: dir }).code).toBe(0);
      expect(runCli(['models', 'alias', 'churn', 'champion', '2'], { cwd: dir }).code).toBe(0);
      writeFileSync(path.join(dir, 'use.md'), '# Intended use\n\nScoring monthly churn.\n');
      writeFileSync(path.join(dir, 'limits.md'), 'Not for new customers.\n');
      const upd = runCli(
        [
          'models',
          'update',
          'churn@champion',
          '--description',
          'holdout winner',
          '--intended-use-file',
          'use.md',
          '--limitations-file',
          'limits.md',
          '--predict',
          'python3 predict.py',
        ],
        { cwd: dir },
      );
      expect(upd.code, upd.stderr).toBe(0);
      expect(upd.stdout.trim()).toBe('Updated churn/2: description, intended use, limitations, predict command.');
      expect(json(dir, ['models', 'show', 'churn/2'])).toMatchObject({
        description: 'holdout winner',
        intendedUse: '# Intended use\n\nScoring monthly churn.\n',
        limitations: 'Not for new customers.\n',
        predict: 'python3 predict.py',
      });
      expect(runCli(['models', 'show', 'churn/2'], { cwd: dir }).stdout).toMatch(
        /intended use\n# Intended use\n\nScoring monthly churn\.\n\nlimitations\nNot for new customers\./,
      );
      expect(runCli(['models', 'update', 'churn/2', '--no-predict'], { cwd: dir }).code).toBe(0);
      expect(json(dir, ['models', 'show', 'churn/2']).predict).toBeNull();
      expect(runCli(['models', 'update', 'churn/2'], { cwd: dir }).code).toBe(2);
      expect(runCli(['models', 'update', 'churn/2', '--limitations-file', 'nope.md'], { cwd: dir })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('--limitations-file: cannot read nope.md'),
      });
      expect(json(dir, ['models', 'show', 'churn/2']).limitations).toBe('Not for new customers.\n');
      expect(runCli(['models', 'update', 'churn', '--description', 'x'], { cwd: dir })).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('needs one version'),
      });
    },
    SLOW,
  );
});
