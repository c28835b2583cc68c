// The predict pool on its own: a predictor that keeps dying as it starts makes the pool unhealthy
// (requests refused at once with the reason, not queued forever); requests beyond the workers
// queue and are all answered; output off the protocol fails the request and replaces the process.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PoolError, PredictPool, type PoolOptions } from '../../../electron/core/serving/pool';
import { tmpDir } from '../../support/helpers';

const pools: PredictPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

function pool(script: string, options: Partial<PoolOptions> = {}): PredictPool {
  const dir = tmpDir();
  writeFileSync(path.join(dir, 'p.js'), script);
  const p = new PredictPool({
    command: 'node p.js',
    cwd: dir,
    env: process.env,
    workers: 1,
    timeoutMs: 10_000,
    label: 'test version 1',
    ...options,
  });
  pools.push(p);
  return p;
}

const ECHO = `require('readline').createInterface({ input: process.stdin }).on('line', (l) => process.stdout.write(JSON.stringify({ echo: JSON.parse(l) }) + '\\n'));`;

async function failure(p: Promise<unknown>): Promise<PoolError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PoolError) return err;
    throw err;
  }
  throw new Error('expected a PoolError');
}

describe('the predict pool', () => {
  it('queues requests beyond its workers and answers every one with its own records', async () => {
    const p = pool(ECHO, { workers: 2 });
    await p.start();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => p.predict([{ i }, { i: i + 100 }])));
    answers.forEach((a, i) => expect(a.outputs).toEqual([{ echo: { i } }, { echo: { i: i + 100 } }]));
    expect(new Set(answers.map((a) => a.pid)).size).toBe(2);
  });

  it('becomes unhealthy when its process keeps dying as it starts, and refuses requests with the reason', async () => {
    const restarts: string[] = [];
    const health: [boolean, string | null][] = [];
    const p = pool(
      `process.stdout.write('{"$ready": true}\\n'); process.stderr.write('cannot load weights\\n'); setTimeout(() => process.exit(4), 100);`,
      {
        onRestart: (r) => restarts.push(r),
        onHealthChange: (healthy, reason) => health.push([healthy, reason]),
      },
    );
    await p.start();
    await expect.poll(() => p.healthy(), { timeout: 15_000 }).toBe(false);
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    const e = await failure(p.predict([{}]));
    expect(e.status).toBe(503);
    expect(e.message).toContain('keep crashing');
    expect(e.message).toContain('exited with code 4');
    expect(e.message).toContain('cannot load weights');
    // Told once, with what the requests are answered.
    expect(health).toEqual([[false, e.message]]);
  });

  it('refuses to start a predictor that prints as it loads, and fails the request of one that answers off the protocol', async () => {
    // The shell prints at once, long before the pool's warm-up time, however busy the machine is.
    const p = pool(ECHO, { command: "echo 'loading the model...'; exec node p.js" });
    await expect(p.start()).rejects.toThrow(
      /failed to start: the predict process \d+ wrote a line that is not JSON \("loading the model..."\); logs go to stderr/,
    );
    const p2 = pool(
      `process.stdout.write('{"$ready": true}\\n'); const rl = require('readline').createInterface({ input: process.stdin }); rl.on('line', () => console.log('not json'));`,
    );
    await p2.start();
    const e2 = await failure(p2.predict([{ a: 1 }]));
    expect(e2.status).toBe(502);
    expect(e2.message).toContain('not JSON');
    expect(e2.message).toContain('logs go to stderr');
  });
});
