// The demo project after its whole story travels: `git clone` + `benchtop pull` restores the runs
// table, the registry with @champion on the retrained version, the monitor with its alerts, and
// `benchtop status` says what the original's says. And the database is only an index: deleted,
// `benchtop doctor --reindex` rebuilds the same state from the records. Real git, the built CLI.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, runCli, tmpDir } from '../support/helpers';

let base: string;
let a: string;

function cli(cwd: string, ...args: string[]): string {
  const r = runCli(args, { cwd });
  if (r.code !== 0) throw new Error(`benchtop ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** What a user sees of the project, with the folder's own path taken out. */
function seen(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const args of [
    ['runs', '--json'],
    ['models', 'list', '--json'],
    ['models', 'show', 'loan-default', '--json'],
    ['models', 'aliases', 'loan-default', '--json'],
    ['monitor', 'list', '--json'],
    ['monitor', 'show', 'loan-weekly', '--json'],
    ['monitor', 'alerts', 'loan-weekly', '--json'],
    ['status'],
  ])
    out[args.join(' ')] = cli(dir, ...args).replaceAll(dir, '<project>');
  return out;
}

beforeAll(() => {
  base = tmpDir('benchtop-sync-demo-');
  a = path.join(base, 'a');
  cli(base, 'demo', '--dir', a);
  cli(a, 'data', 'remote', 'add', 'store', path.join(base, 'store'));
  git(a, 'add', '-A');
  git(a, 'commit', '-qm', 'after the story');
  git(base, 'init', '-q', '--bare', 'origin.git');
  git(a, 'remote', 'add', 'origin', path.join(base, 'origin.git'));
  const branch = git(a, 'branch', '--show-current').trim();
  git(a, 'push', '-q', 'origin', branch);
  git(path.join(base, 'origin.git'), 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
}, 120_000);

describe('the demo project, taken elsewhere', () => {
  it('git clone + benchtop pull restores runs, registry, monitor and status', () => {
    expect(cli(a, 'push')).toMatch(/Pushed \d+ records to origin/);
    const b = path.join(base, 'b');
    git(base, 'clone', '-q', 'origin.git', 'b');
    const pulled = cli(b, 'pull');
    expect(pulled).toContain('Records from origin: fast-forward.');
    expect(pulled).toMatch(/Rebuilt 5 runs, 1 model and 1 monitor/);
    const original = seen(a);
    const clone = seen(b);
    expect(clone).toEqual(original);
    // @champion is on the version the retraining registered, not the first.
    const aliases = JSON.parse(original['models show loan-default --json']!).aliases as {
      alias: string;
      version: number;
    }[];
    expect(aliases.find((x) => x.alias === 'champion')!.version).toBeGreaterThan(1);
    expect(JSON.parse(original['monitor alerts loan-weekly --json']!).alerts.length).toBeGreaterThan(0);
    expect(original.status).toMatch(/evaluate: up-to-date/);
    // Pulling again changes nothing.
    expect(cli(b, 'pull')).toContain('already up to date');
  }, 120_000);

  it('doctor --reindex rebuilds a deleted database to the same state', () => {
    const before = seen(a);
    for (const f of readdirSync(path.join(a, '.benchtop')))
      if (f.startsWith('benchtop.db')) rmSync(path.join(a, '.benchtop', f));
    expect(cli(a, 'doctor', '--reindex')).toMatch(
      /Rebuilt the database from the records \([0-9a-f]{12}\): 5 runs, 1 models, 1 monitors/,
    );
    expect(seen(a)).toEqual(before);
  }, 120_000);
});
