// One `benchtop ui` per project (issue 17, case 17): server.json is claimed by exclusive creation,
// so of several servers claiming at the same instant exactly one gets it, even when all of them
// passed the quick "is one running?" check before.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimServerFile, SERVER_FILE } from '../../../electron/cli/server-file';
import { ROOT, tmpDir } from '../../support/helpers';

const JITI = path.join(ROOT, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs');
const SOURCE = path.join(ROOT, 'electron', 'cli', 'server-file.ts');

/**
 * Does what `benchtop ui` does: waits for `go`, makes the quick check, starts its server (here a
 * pause, wide enough for the others to pass the check too), claims, prints the outcome, then stays
 * alive until `done` (a winner must look alive to the others).
 */
const CLAIMER = `import { claimServerFile, liveServer } from ${JSON.stringify(SOURCE)};
import { existsSync } from 'node:fs';
const [dir, go, done] = process.argv.slice(2);
const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
while (!existsSync(go)) pause();
const info = { url: 'http://127.0.0.1:' + process.pid, port: process.pid, token: 't' + process.pid, pid: process.pid };
const running = liveServer(dir);
const claim = running ? Promise.resolve({ ok: false, other: running }) : new Promise((r) => setTimeout(r, 200)).then(() => claimServerFile(dir, info));
claim.then((c) => {
  console.log(c.ok ? 'ok' : 'other ' + c.other.url);
  const wait = setInterval(() => existsSync(done) && clearInterval(wait), 10);
});
`;

const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

function project(): string {
  const dir = path.join(tmpDir(), 'p');
  mkdirSync(path.join(dir, '.benchtop'), { recursive: true });
  return dir;
}

describe('server.json claim', () => {
  it('case 17: of six servers claiming at the same instant exactly one gets it; the others are told its address', async () => {
    expect(existsSync(JITI), JITI).toBe(true);
    const dir = project();
    const work = tmpDir();
    const script = path.join(work, 'claim.ts');
    writeFileSync(script, CLAIMER);
    const go = path.join(work, 'go');
    const done = path.join(work, 'done');
    const children = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, [JITI, script, dir, go, done], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      return { child, out: () => out.trim(), exit: new Promise<number | null>((r) => child.once('exit', r)) };
    });
    const until = async (ok: () => boolean): Promise<void> => {
      const started = Date.now();
      while (!ok()) {
        if (Date.now() - started > 30_000)
          throw new Error(`the claimers did not all answer: ${children.map((c) => c.out()).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      writeFileSync(go, '');
      await until(() => children.every((c) => c.out() !== ''));
      const winners = children.filter((c) => c.out() === 'ok');
      expect(winners.length, children.map((c) => c.out()).join(' | ')).toBe(1);
      const url = `http://127.0.0.1:${winners[0]!.child.pid}`;
      for (const c of children) if (c !== winners[0]) expect(c.out()).toBe(`other ${url}`);
      expect(JSON.parse(readFileSync(path.join(dir, SERVER_FILE), 'utf8'))).toEqual({
        url,
        port: winners[0]!.child.pid,
        token: `t${winners[0]!.child.pid}`,
        pid: winners[0]!.child.pid,
      });
    } finally {
      writeFileSync(done, '');
      await Promise.all(children.map((c) => c.exit));
    }
  });

  it('case 17: a dead server’s file and this process’s own are replaced; a live other server’s is left alone', async () => {
    const dir = project();
    const file = path.join(dir, SERVER_FILE);
    const mine = { url: 'http://127.0.0.1:2', port: 2, token: 'mine', pid: process.pid };
    writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:1', port: 1, token: 'old', pid: deadPid() }));
    expect(await claimServerFile(dir, mine)).toEqual({ ok: true, file });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(mine);
    expect((await claimServerFile(dir, { ...mine, token: 'again' })).ok).toBe(true);
    // The parent of this test process (the test runner) is alive and is not this process.
    const live = { url: 'http://127.0.0.1:3', port: 3, token: 'live', pid: process.ppid };
    writeFileSync(file, JSON.stringify(live));
    expect(await claimServerFile(dir, mine)).toEqual({ ok: false, other: live });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(live);
  });
});
