// Runs in: tests. Case 10: when a stage times out or the CLI gets Ctrl+C, every process the stage
// started is gone by the time the CLI exits: grandchildren that ignore SIGTERM, and those that
// left the stage's session with setsid (with and without a fork that re-parents them).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli, tmpDir } from '../../support/helpers';

// Three grandchildren that ignore SIGTERM; each writes its pid, then becomes `sleep` (which keeps
// the ignored SIGTERM across exec). The second leaves the session; the third forks first, so its
// parent exits and it is re-parented away from the stage's tree.
const SPAWN = `
sh -c 'trap "" TERM; echo $$ >> pids; exec sleep 1000' > /dev/null 2>&1 &
setsid sh -c 'trap "" TERM; echo $$ >> pids; exec sleep 1000' > /dev/null 2>&1 &
setsid -f sh -c 'trap "" TERM; echo $$ >> pids; exec sleep 1000' > /dev/null 2>&1
while [ "$(cat pids 2>/dev/null | wc -l)" -lt 3 ]; do sleep 0.05; done
echo all-started
sleep 1000
`;

const started: number[] = [];

/** A process is alive while it is neither gone nor a zombie waiting for a parent that never reaps. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

function pidsOf(dir: string): number[] {
  const file = path.join(dir, 'pids');
  const pids = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^\d+$/.test(l))
        .map(Number)
    : [];
  started.push(...pids);
  return pids;
}

afterEach(() => {
  // A failing run must not leave sleeps behind for the rest of the suite.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
});

function project(yaml: string): string {
  const dir = path.join(tmpDir(), 'p');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  writeFileSync(path.join(dir, 'spawn.sh'), SPAWN);
  writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  return dir;
}

/** Starts the CLI, waits until the stage's three grandchildren are up, sends SIGINT, waits for exit. */
async function interrupt(dir: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (out.includes('all-started')) return resolve();
      if (child.exitCode !== null) return reject(new Error(`the CLI exited before the stage started:\n${out}`));
      setTimeout(check, 25);
    };
    check();
  });
  child.kill('SIGINT');
  return { code: await exited, out };
}

describe('safety: no stage process outlives the CLI', () => {
  it('case 10: a stage timeout ends grandchildren that ignore SIGTERM, setsid ones included, before the CLI exits', () => {
    const dir = project('stages:\n  stubborn:\n    cmd: sh spawn.sh\n    timeout: 3s\n');
    const r = runCli(['run'], { cwd: dir });
    const pids = pidsOf(dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('timed out');
    expect(pids, 'the stage started its three grandchildren').toHaveLength(3);
    expect(pids.filter(alive), 'grandchildren still alive after the CLI exited').toEqual([]);
  });

  it('case 10: Ctrl+C during `benchtop run` ends every process of the stage before the CLI exits', async () => {
    const dir = project('stages:\n  stubborn:\n    cmd: sh spawn.sh\n');
    const r = await interrupt(dir, ['run']);
    const pids = pidsOf(dir);
    expect(r.out).toContain('cancelling');
    expect(pids).toHaveLength(3);
    expect(pids.filter(alive), 'grandchildren still alive after the CLI exited').toEqual([]);
  });

  it('case 10: Ctrl+C during `benchtop exec` ends every process of the command before the CLI exits', async () => {
    const dir = project('stages: {}\n');
    const r = await interrupt(dir, ['exec', '--', 'sh', 'spawn.sh']);
    const pids = pidsOf(dir);
    expect(r.code).not.toBe(0);
    expect(pids).toHaveLength(3);
    expect(pids.filter(alive), 'processes still alive after the CLI exited').toEqual([]);
  });

  it('case 10: stopping `benchtop serve` ends every process its predictor started before the CLI exits', async () => {
    const dir = project('stages: {}\n');
    writeFileSync(path.join(dir, 'model.json'), '{}');
    writeFileSync(
      path.join(dir, 'predictor.js'),
      `process.stdout.write('{"$ready": true}\\n');\nrequire('readline').createInterface({ input: process.stdin }).on('line', (l) => process.stdout.write(l + '\\n'));\n`,
    );
    // The same three grandchildren, then the predictor itself.
    writeFileSync(
      path.join(dir, 'serve.sh'),
      SPAWN.replace('echo all-started\nsleep 1000', `exec '${process.execPath}' predictor.js`),
    );
    const registered = runCli(['models', 'register', 'spawner', '--path', 'model.json', '--predict', 'sh serve.sh'], {
      cwd: dir,
    });
    expect(registered.code, registered.stderr).toBe(0);
    const child = spawn(process.execPath, [CLI, 'serve', 'spawner/1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (out.includes('Ctrl+C stops it')) return resolve();
        if (child.exitCode !== null) return reject(new Error(`benchtop serve exited:\n${out}`));
        setTimeout(check, 25);
      };
      check();
    });
    const pids = pidsOf(dir);
    expect(pids).toHaveLength(3);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(pids.filter(alive), 'processes still alive after benchtop serve exited').toEqual([]);
  });
});
