import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_ACCESS } from '../../../electron/core/app/method-access';
import {
  acquireProjectLock,
  LOCK_ENV,
  processStartTime,
  PROJECT_LOCK_FILE,
  readLockHolder,
} from '../../../electron/core/workspace/project-lock';
import { buildProgram } from '../../../electron/cli/main';
import { COMMAND_WRITES } from '../../../electron/cli/writing-commands';
import { METHOD_NAMES } from '../../../shared/contract/names';
import { tmpDir } from '../../support/helpers';

function leafCommands(cmd: Command, prefix: string[] = []): string[] {
  return cmd.commands.flatMap((c) =>
    c.commands.length ? leafCommands(c, [...prefix, c.name()]) : [[...prefix, c.name()].join(' ')],
  );
}

const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

function project(): string {
  const dir = tmpDir();
  mkdirSync(path.join(dir, '.benchtop'));
  return dir;
}

afterEach(() => {
  delete process.env[LOCK_ENV];
});

describe('what takes the project lock', () => {
  it('classifies every contract method as read, write or local', () => {
    expect(Object.keys(METHOD_ACCESS).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('classifies every CLI command as a writer or a reader', () => {
    expect(Object.keys(COMMAND_WRITES).sort()).toEqual(leafCommands(buildProgram()).sort());
  });
});

describe('the project lock', () => {
  it('is shared inside one process and released by the last holder', async () => {
    const dir = project();
    const a = await acquireProjectLock(dir, { command: 'benchtop test', waitMs: 0 });
    const holder = readLockHolder(dir)!;
    expect(holder).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
      command: 'benchtop test',
      startTime: processStartTime(process.pid),
    });
    expect(process.env[LOCK_ENV]).toBe(holder.token);
    const b = await acquireProjectLock(dir, { command: 'benchtop other', waitMs: 0 });
    a();
    a();
    expect(readLockHolder(dir)?.token).toBe(holder.token);
    b();
    expect(existsSync(path.join(dir, PROJECT_LOCK_FILE))).toBe(false);
    expect(process.env[LOCK_ENV]).toBeUndefined();
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('/.benchtop/writer.lock*');
  });

  it('fails with BUSY naming a live holder; takes over a dead one or a reused pid', async () => {
    const dir = project();
    const file = path.join(dir, PROJECT_LOCK_FILE);
    // A live holder: the test runner's parent, which this process cannot be.
    const live = {
      token: 't1',
      pid: process.ppid,
      startTime: processStartTime(process.ppid),
      hostname: os.hostname(),
      command: 'benchtop run',
      since: new Date().toISOString(),
    };
    writeFileSync(file, JSON.stringify(live));
    let waited = 0;
    await expect(acquireProjectLock(dir, { command: 'x', waitMs: 150, onWait: () => waited++ })).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(
        new RegExp(`held by \`benchtop run\` \\(pid ${process.ppid}, since \\d\\d:\\d\\d:\\d\\d\\)`),
      ),
    });
    expect(waited).toBe(1);
    // The same pid with another start time is another process: the holder is gone.
    if (process.platform === 'linux') {
      writeFileSync(file, JSON.stringify({ ...live, startTime: '1' }));
      (await acquireProjectLock(dir, { command: 'x', waitMs: 0 }))();
    }
    writeFileSync(file, JSON.stringify({ ...live, pid: deadPid() }));
    const release = await acquireProjectLock(dir, { command: 'x', waitMs: 0 });
    expect(readLockHolder(dir)?.pid).toBe(process.pid);
    release();
    // On another machine the holder cannot be checked: never taken over.
    writeFileSync(file, JSON.stringify({ ...live, pid: deadPid(), hostname: 'elsewhere' }));
    await expect(acquireProjectLock(dir, { command: 'x', waitMs: 0 })).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringContaining('on elsewhere'),
    });
  });

  it('lets a child of the holder through with the holder’s token, and no one else', async () => {
    const dir = project();
    const file = path.join(dir, PROJECT_LOCK_FILE);
    writeFileSync(
      file,
      JSON.stringify({
        token: 'parent-token',
        pid: process.ppid,
        startTime: processStartTime(process.ppid),
        hostname: os.hostname(),
        command: 'benchtop run',
        since: new Date().toISOString(),
      }),
    );
    process.env[LOCK_ENV] = 'parent-token';
    const release = await acquireProjectLock(dir, { command: 'benchtop data add', waitMs: 0 });
    release();
    expect(readLockHolder(dir)?.token).toBe('parent-token');
    process.env[LOCK_ENV] = 'some-old-token';
    await expect(acquireProjectLock(dir, { command: 'benchtop data add', waitMs: 0 })).rejects.toMatchObject({
      code: 'BUSY',
    });
  });
});
