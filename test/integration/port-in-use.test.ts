// `benchtop ui` and `benchtop serve` on a port another program holds: one clear message, the same
// for both, naming the address and what to do (issue 19).
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';

let blocker: net.Server;
let port = 0;
let dir = '';

beforeAll(async () => {
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  port = (blocker.address() as net.AddressInfo).port;
  dir = path.join(tmpDir(), 'demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
});
afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

const message = () =>
  `benchtop: Could not listen on 127.0.0.1:${port} (EADDRINUSE). Another program uses that port: pick another, or 0 for a free one.`;

describe('a port in use', () => {
  it('benchtop ui says so plainly', () => {
    const r = runCli(['ui', '--port', String(port), '--no-open'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(message());
  });

  it('benchtop serve says the same', () => {
    const r = runCli(['serve', 'loan-default@champion', '--port', String(port)], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(message());
  });
});
