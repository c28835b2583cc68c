// Runs in: vitest (node). An S3 API emulator (s3rver from npm), NOT real S3: started in a child
// process per test file and stopped by it, so the tests reach a real HTTP server the way the CLI
// would reach AWS S3, MinIO or R2. Every request it answers is appended to a log file, one line
// each, so tests can count uploads without sharing an event loop with a blocked spawnSync.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tmpDir } from './helpers';

/** The emulator's own access key and secret (it accepts no other). */
export const EMULATOR_KEY = 'S3RVER';

const SCRIPT = `
const [mod, dir, log, buckets] = process.argv.slice(1);
const fs = require('node:fs');
const S3rver = require(mod);
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory: dir,
  configureBuckets: buckets.split(',').map((name) => ({ name })),
});
// Koa composes its middleware when it starts listening: this one runs first and logs every request.
server.middleware.unshift(async (ctx, next) => {
  fs.appendFileSync(log, ctx.method + ' ' + ctx.url + '\\n');
  await next();
});
server.run().then(({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'));
`;

export interface S3Emulator {
  endpoint: string;
  /** Requests answered so far, as "METHOD /url". */
  requests(): string[];
  stop(): Promise<void>;
}

export async function startS3Emulator(buckets: string[]): Promise<S3Emulator> {
  const base = tmpDir('benchtop-s3-');
  const log = path.join(base, 'requests.log');
  // s3rver makes list continuation tokens with a cipher OpenSSL 3 keeps in its legacy provider.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '-e',
      SCRIPT,
      require.resolve('s3rver'),
      path.join(base, 'data'),
      log,
      buckets.join(','),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve((JSON.parse(line!) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the S3 emulator exited with ${code} before it listened`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
