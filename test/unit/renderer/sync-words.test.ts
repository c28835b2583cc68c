// The sync control's words: the standing sentence behind "↑2 ↓1", the progress line (git's own
// counts read from its lines), and what a push's or pull's toast says.
import { describe, expect, it } from 'vitest';
import {
  progressLine,
  pullHasDetails,
  pullWords,
  pushWords,
  standingSentence,
} from '../../../renderer/src/components/sync-words';
import type { SyncPullResult, SyncStatus } from '../../../shared/contract/sync';

const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  gitRemote: 'origin',
  dataRemote: null,
  ahead: 0,
  behind: 0,
  unwritten: 0,
  everPushed: true,
  problem: null,
  ...over,
});

const pull = (over: Partial<SyncPullResult> = {}): SyncPullResult => ({
  gitRemote: 'origin',
  dataRemote: null,
  merge: 'fast-forward',
  runs: 1,
  models: 0,
  monitors: 0,
  conflicts: [],
  renumbered: [],
  notes: [],
  objects: null,
  data: null,
  outputs: null,
  ...over,
});

describe('standingSentence', () => {
  it('says how many record commits go each way', () => {
    expect(standingSentence(status({ ahead: 2, behind: 1 }))).toBe('2 record commits to push, 1 to pull from origin.');
    expect(standingSentence(status({ ahead: 1 }))).toBe('1 record commit to push, 0 to pull from origin.');
  });

  it('tells up to date from never pushed, and counts changes not yet written', () => {
    expect(standingSentence(status())).toBe('Up to date with origin.');
    expect(standingSentence(status({ everPushed: false }))).toBe('Nothing pushed to origin yet.');
    expect(standingSentence(status({ unwritten: 3 }))).toBe(
      'Up to date with origin; 3 changes not yet written to git (the next push takes them).',
    );
  });

  it('says when there is no git remote', () => {
    expect(standingSentence(status({ gitRemote: null }))).toMatch(/^No git remote/);
  });
});

describe('progressLine', () => {
  it('reads the counts in git’s own lines, and the counts of artifacts and data', () => {
    expect(progressLine('push', null)).toBe('Pushing…');
    const records = { op: 'push' as const, phase: 'records' as const, done: 0, total: 0 };
    expect(progressLine('push', { ...records, message: 'Writing objects:  60% (3/5)' })).toBe('Pushing records 3/5');
    expect(progressLine('push', { ...records, message: 'Enumerating objects: done.' })).toBe('Pushing records…');
    expect(progressLine('pull', { op: 'pull', phase: 'objects', message: 'models/m/1', done: 2, total: 10 })).toBe(
      'Pulling artifacts 2/10',
    );
  });
});

describe('what a push or pull did', () => {
  it('a push names the records and the artifacts sent', () => {
    const w = pushWords({
      gitRemote: 'origin',
      dataRemote: 'usb',
      records: 12,
      pushed: true,
      objects: { objects: 3, transferred: 2, bytes: 2048, missing: ['run: r1/model.pkl'] },
      data: null,
    });
    expect(w.title).toBe('Pushed to origin');
    expect(w.message).toBe('12 records on origin.');
    expect(w.lines).toEqual([
      '2 artifacts sent to usb (2.0 KiB)',
      'missing: run: r1/model.pkl is neither here nor on usb',
    ]);
  });

  it('a pull counts conflicts and renumbered versions, and has details only then', () => {
    expect(pullWords(pull()).message).toBe("Took origin's records: 1 run, 0 models and 0 monitors rebuilt.");
    expect(pullWords(pull({ merge: 'up-to-date' })).message).toBe('Already up to date with origin.');
    expect(pullHasDetails(pull())).toBe(false);
    const merged = pull({
      merge: 'merged',
      conflicts: [
        { path: 'runs/a.json', message: 'a' },
        { path: 'runs/b.json', message: 'b' },
      ],
      renumbered: [{ model: 'm', uid: 'u', registeredAs: 2, before: 2, now: 3 }],
    });
    expect(pullWords(merged).lines).toEqual(['2 conflicts resolved (nothing lost)', '1 model version renumbered']);
    expect(pullHasDetails(merged)).toBe(true);
  });
});
