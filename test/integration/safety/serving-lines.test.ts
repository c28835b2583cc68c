// Runs in: tests. Case 19: the predict pool relays a very long answer line whole, and refuses one
// over its line limit with a clear error, replacing the process so the next request is answered.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PoolError, PredictPool, type PoolOptions } from '../../../electron/core/serving/pool';
import { tmpDir } from '../../support/helpers';

// Answers {"size": n} with a line holding n characters of payload, anything else with an echo.
const PREDICTOR = `
require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
  const r = JSON.parse(l);
  if (typeof r.size === 'number') process.stdout.write('{"big":"' + 'x'.repeat(r.size) + '"}\\n');
  else process.stdout.write(JSON.stringify({ echo: r }) + '\\n');
});
`;

const pools: PredictPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

function pool(options: Partial<PoolOptions> = {}): PredictPool {
  const dir = tmpDir();
  writeFileSync(path.join(dir, 'p.js'), PREDICTOR);
  const p = new PredictPool({
    command: 'node p.js',
    cwd: dir,
    env: process.env,
    workers: 1,
    timeoutMs: 120_000,
    label: 'big version 1',
    ...options,
  });
  pools.push(p);
  return p;
}

describe('safety: long answer lines from a predictor', () => {
  it('case 19: a 20 MB answer line is relayed whole', async () => {
    const p = pool();
    await p.start();
    const size = 20 * 1024 * 1024;
    const a = await p.predict([{ size }]);
    expect((a.outputs[0] as { big: string }).big.length).toBe(size);
    // The same process answers the next request: nothing was restarted.
    expect((await p.predict([{ n: 1 }])).outputs).toEqual([{ echo: { n: 1 } }]);
    expect(p.status()[0]!.restarts).toBe(0);
  });

  it('case 19: a line over the configured cap fails the request with a clear error and the process is replaced', async () => {
    const restarts: string[] = [];
    const p = pool({ maxLineBytes: 1024 * 1024, onRestart: (r) => restarts.push(r) });
    await p.start();
    let err: unknown;
    try {
      await p.predict([{ size: 3 * 1024 * 1024 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PoolError);
    expect((err as PoolError).status).toBe(502);
    expect((err as PoolError).message).toMatch(/answer line longer than the limit of 1 MiB/);
    expect(restarts).toHaveLength(1);
    // A fresh process takes the next request.
    expect((await p.predict([{ n: 2 }])).outputs).toEqual([{ echo: { n: 2 } }]);
  });
});
