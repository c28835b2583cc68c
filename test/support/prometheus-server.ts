// Runs in: tests (Node, the integration project). A real Prometheus server for the tests that check
// what it makes of `benchtop serve`'s /metrics: Debian's `prometheus` binary (installed by
// `npm run setup:test`), started on a free loopback port with its own config and storage in a
// temporary folder, scraping the targets every second, and queried through its HTTP API.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tmpDir } from './helpers';

/** Where a program is on PATH, or null. */
export function onPath(command: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// PROMETHEUS_PATH names the binary (a release tarball's, say); promtool is looked for beside it.
export const PROMETHEUS = process.env.PROMETHEUS_PATH ?? onPath('prometheus');
export const PROMTOOL = process.env.PROMETHEUS_PATH
  ? path.join(path.dirname(process.env.PROMETHEUS_PATH), 'promtool')
  : onPath('promtool');
/** Why the Prometheus tests are skipped, or null when both programs are there. */
export const PROMETHEUS_MISSING =
  PROMETHEUS && PROMTOOL && existsSync(PROMETHEUS) && existsSync(PROMTOOL)
    ? null
    : `Prometheus (prometheus and promtool) was not found ${process.env.PROMETHEUS_PATH ? `at ${process.env.PROMETHEUS_PATH}` : 'on PATH'}; install it with \`npm run setup:test\` (Debian: prometheus), or set PROMETHEUS_PATH`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A value as the API writes it: a decimal string, NaN, +Inf or -Inf. */
function promValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** One sample of an instant query's answer: its labels and its value (NaN and ±Inf included). */
export interface QuerySample {
  metric: Record<string, string>;
  value: number;
}

export interface QueryAnswer {
  status: string;
  error?: string;
  resultType?: string;
  result: QuerySample[];
}

export interface PrometheusServer {
  url: string;
  /** An instant query through /api/v1/query; a refused query comes back with status "error". */
  query(promql: string): Promise<QueryAnswer>;
  /** The log Prometheus wrote so far (stderr), for failure messages. */
  log(): string;
  close(): Promise<void>;
}

const running: ChildProcess[] = [];
afterAll(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // /-/ready answers plain text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      })
      .on('error', reject);
  });
}

/**
 * Starts Prometheus scraping `targets` (host:port, plain HTTP, /metrics) as job `benchtop` every
 * second, and resolves once it is ready to answer queries.
 */
export async function startPrometheus(targets: string[]): Promise<PrometheusServer> {
  if (!PROMETHEUS) throw new Error(PROMETHEUS_MISSING ?? 'no prometheus');
  const dir = tmpDir('benchtop-prometheus-');
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: benchtop',
      '    scrape_interval: 1s',
      '    scrape_timeout: 1s',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.push(child);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready once /-/ready answers 200; a Prometheus that exits (the port taken meanwhile, a bad
  // config) fails at once with its log. The overall limit is the test's hook timeout.
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}):\n${log}`);
    const ready = await getJson(`${url}/-/ready`).catch(() => null);
    if (ready?.status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log: () => log,
    async query(promql) {
      const res = await getJson(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = res.body as {
        status: string;
        error?: string;
        data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] | unknown };
      };
      const result = Array.isArray(body.data?.result)
        ? (body.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({
            metric: s.metric,
            value: promValue(s.value[1]),
          }))
        : [];
      return {
        status: body.status,
        ...(body.error ? { error: body.error } : {}),
        ...(body.data ? { resultType: body.data.resultType } : {}),
        result,
      };
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
