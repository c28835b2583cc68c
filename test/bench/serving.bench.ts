// Serving benchmark (`node scripts/bench.mjs serving`): the overhead of `benchtop serve` over calling
// the predict process directly. Subject: the endpoint started by the CLI (its own process: HTTP,
// signature check, the pool, the prediction log), driven over loopback by a load generator with a
// keep-alive agent, one record per request. Baseline in the same run: the same predict script, as
// many processes as the endpoint has workers, written to and read from over stdin/stdout by this
// process, with the same clients queueing for a free process. At 1, 8 and 32 concurrent clients,
// each level bounded in requests and in time; p50 latency and throughput on both sides. A second
// reference, a bare node:http server in front of the same processes, shows how much of the
// overhead is HTTP itself.
//
// The issue's row (16 keep-alive clients, rounds of 5,000 requests) compares with a bare node:http
// server answering the same JSON with no predictor, and prints the p99 of every round. Where the
// endpoint's time goes (--cpu-prof of `benchtop serve` over this bench, ~70,000 requests, 2 cores
// at load 12): before, 9.0 s of its 22 s busy was writing the prediction log, and that cost grew
// with the log: its request and record ids were random UUIDs, so every insert landed at a random
// place in three indexes, and once those outgrew SQLite's page cache a request cost 48 µs to write
// at 10,000 rows and 160–200 µs past 50,000; a flush of 500 blocked the event loop for 60–120 ms,
// which was the p99, and it rose every round. With time-ordered ids (version 7) the write stays at
// 16–26 µs a request whatever the log's size, and the timer writes 100 requests per transaction,
// letting the event loop turn between them: the log is now 1.6 s of 13.4 s busy, and the p99 no
// longer climbs from round to round (the log-cost lines show the write cost at both ends). What is
// left is not the log: 3.5 s writing HTTP answers and 2.8 s writing records to the predict
// processes (syscalls that wake another process; 90 µs a request at load 12), and about 190 µs of
// the endpoint's CPU per request in all. A bare node:http server in front of the same processes
// (the floor of any server that hands records to separate processes) reached 0.6–1.0× the bare
// JSON server's throughput in the same runs, so the processes are not what keeps the endpoint at
// about a quarter of it; where the rest of its time goes on a loaded machine is not yet found.
// The p99 stays 4–10× the bare server's: a write of the log, and SQLite's WAL checkpoint (which
// syncs the file) now and then, still run on the endpoint's one thread.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { registerVersion } from '../../electron/core/registry/register';
import { initProject } from '../../electron/core/project/init';
import { PredictionLog } from '../../electron/core/serving/prediction-log';
import { timeOrderedId } from '../../electron/core/util/time-ordered-id';
import type { Database } from 'better-sqlite3';
import { mib, treeRss } from './harness';

const WORKERS = 2;
const LEVELS = [1, 8, 32];
const MAX_REQUESTS = Number(process.env.SERVING_BENCH_REQUESTS ?? 3000);
const MAX_MS = Number(process.env.SERVING_BENCH_MS ?? 8000);
const WARMUP = 200;
/** The issue's row: 16 keep-alive clients, 5,000 requests a round, 10 rounds. */
const ROW_CLIENTS = 16;
const ROW_REQUESTS = Number(process.env.SERVING_BENCH_ROW_REQUESTS ?? 5000);
const ROW_ROUNDS = 10;
/** The soak: 200,000 requests in rounds of 20,000 (SERVING_SOAK_REQUESTS shortens it for a quick run). */
const SOAK_REQUESTS = Number(process.env.SERVING_SOAK_REQUESTS ?? 200_000);
const SOAK_ROUND = Math.min(20_000, SOAK_REQUESTS);
const CLI = path.resolve(__dirname, '..', 'bin', 'benchtop.cjs');

const PREDICTOR = `
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  process.stdout.write(JSON.stringify({ y: r.a * 2 + r.b }) + '\\n');
});
`;

interface Level {
  p50: number;
  throughput: number;
  count: number;
}

/** Drives `send` from `clients` loops until MAX_REQUESTS are done or MAX_MS has passed. */
async function load(clients: number, send: (i: number) => Promise<void>): Promise<Level> {
  for (let i = 0; i < WARMUP; i++) await send(i);
  const latencies: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + MAX_MS;
  const loop = async (): Promise<void> => {
    while (next < MAX_REQUESTS && Date.now() < deadline) {
      const i = next++;
      const t = process.hrtime.bigint();
      await send(i);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    p50: latencies[Math.floor(latencies.length / 2)]!,
    throughput: latencies.length / seconds,
    count: latencies.length,
  };
}

/** The baseline: the predict processes spoken to directly, one request per free process. */
class Direct {
  private readonly idle: { child: ChildProcess; waiting: ((line: string) => void) | null; buffer: string }[] = [];
  private readonly queue: ((w: Direct['idle'][number]) => void)[] = [];
  readonly all: ChildProcess[] = [];

  constructor(cwd: string, script: string) {
    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(process.execPath, [script], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
      const w = { child, waiting: null as ((line: string) => void) | null, buffer: '' };
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        w.buffer += chunk;
        let nl: number;
        while ((nl = w.buffer.indexOf('\n')) >= 0) {
          const line = w.buffer.slice(0, nl);
          w.buffer = w.buffer.slice(nl + 1);
          const done = w.waiting!;
          w.waiting = null;
          done(line);
        }
      });
      this.all.push(child);
      this.idle.push(w);
    }
  }

  async predict(record: unknown): Promise<unknown> {
    const w = this.idle.pop() ?? (await new Promise<Direct['idle'][number]>((r) => this.queue.push(r)));
    const line = await new Promise<string>((resolve) => {
      w.waiting = resolve;
      w.child.stdin!.write(JSON.stringify(record) + '\n');
    });
    const next = this.queue.shift();
    if (next) next(w);
    else this.idle.push(w);
    return JSON.parse(line);
  }

  close(): void {
    for (const c of this.all) c.kill();
  }
}

/**
 * A second reference: a bare node:http server (its own process, like the endpoint) in front of the
 * same predict processes, without checks, pool or log: the HTTP floor on this machine.
 */
const BARE_SERVER = `
const http = require('http');
const { spawn } = require('child_process');
const idle = [];
const queue = [];
for (let i = 0; i < Number(process.argv[2]); i++) {
  const child = spawn(process.execPath, [process.argv[3]], { stdio: ['pipe', 'pipe', 'inherit'] });
  const w = { child, waiting: null, buffer: '' };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    w.buffer += chunk;
    let nl;
    while ((nl = w.buffer.indexOf('\\n')) >= 0) {
      const line = w.buffer.slice(0, nl);
      w.buffer = w.buffer.slice(nl + 1);
      const done = w.waiting;
      w.waiting = null;
      done(line);
      const next = queue.shift();
      if (next) next(w); else idle.push(w);
    }
  });
  idle.push(w);
}
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const record = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const go = (w) => {
      w.waiting = (line) => {
        const body = JSON.stringify({ predictions: [JSON.parse(line)] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      w.child.stdin.write(JSON.stringify(record) + '\\n');
    };
    const w = idle.pop();
    if (w) go(w); else queue.push(go);
  });
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
`;

/**
 * The issue's baseline: a bare node:http server answering the same JSON the endpoint answers, with
 * no predictor behind it (it computes the trivial model itself): HTTP and JSON alone.
 */
const BARE_JSON_SERVER = `
const http = require('http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const r = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const body = JSON.stringify({ predictions: [{ y: r.a * 2 + r.b }], ids: [String(Math.random())], model: 'bench', version: 1 });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
`;

function startBare(dir: string, source = BARE_SERVER): Promise<{ child: ChildProcess; url: string }> {
  const file = path.join(dir, source === BARE_SERVER ? 'bare-server.js' : 'bare-json-server.js');
  writeFileSync(file, source);
  const child = spawn(process.execPath, [file, String(WORKERS), path.join(dir, 'predict.js')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, url: out.trim() });
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}: ${out}`)));
  });
}

function startServe(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', 'bench/1', '--workers', String(WORKERS), '--json'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('\n}');
      if (end >= 0) resolve({ child, url: (JSON.parse(out.slice(0, end + 2)) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`benchtop serve exited with ${code}: ${out}`)));
  });
}

function post(agent: http.Agent, url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Round {
  throughput: number;
  p50: number;
  p99: number;
}

/** `requests` requests from `clients` keep-alive loops, no warm-up (the rounds follow each other). */
async function round(clients: number, requests: number, send: (i: number) => Promise<void>): Promise<Round> {
  const latencies = new Float64Array(requests);
  let next = 0;
  const start = process.hrtime.bigint();
  const loop = async (): Promise<void> => {
    while (next < requests) {
      const i = next++;
      const t = process.hrtime.bigint();
      await send(i);
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort();
  return {
    throughput: requests / seconds,
    p50: latencies[Math.floor(requests * 0.5)]!,
    p99: latencies[Math.floor(requests * 0.99)]!,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const record = (i: number): { a: number; b: number } => ({ a: i % 97, b: i % 13 });

/**
 * The issue's row: POST /predict with 16 keep-alive clients, rounds of 5,000 requests alternating
 * with the bare JSON server, p99 per round (it must not climb), then the medians as ratios.
 */
async function issueRow(served: { url: string }, bare: { url: string }, floor: { url: string }): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: ROW_CLIENTS });
  const subject: Round[] = [];
  const base: Round[] = [];
  const withProcesses: Round[] = [];
  const fmt = (r: Round): string =>
    `${r.throughput.toFixed(0).padStart(6)} req/s, p50 ${r.p50.toFixed(2).padStart(6)} ms, p99 ${r.p99.toFixed(2).padStart(6)} ms`;
  process.stdout.write(
    `\nPOST /predict, ${ROW_CLIENTS} keep-alive clients, ${ROW_REQUESTS} requests a round, trivial predictor (${WORKERS} processes)\n`,
  );
  for (let r = 0; r < ROW_ROUNDS; r++) {
    base.push(
      await round(ROW_CLIENTS, ROW_REQUESTS, (i) => post(agent, `${bare.url}/predict`, JSON.stringify(record(i)))),
    );
    subject.push(
      await round(ROW_CLIENTS, ROW_REQUESTS, (i) => post(agent, `${served.url}/predict`, JSON.stringify(record(i)))),
    );
    withProcesses.push(
      await round(ROW_CLIENTS, ROW_REQUESTS, (i) => post(agent, `${floor.url}/predict`, JSON.stringify(record(i)))),
    );
    process.stdout.write(
      `  round ${String(r + 1).padStart(2)}: serve ${fmt(subject[r]!)} | bare node:http JSON ${fmt(base[r]!)} | bare node:http + the same predict processes ${fmt(withProcesses[r]!)}\n`,
    );
  }
  agent.destroy();
  const s = {
    tp: median(subject.map((x) => x.throughput)),
    p50: median(subject.map((x) => x.p50)),
    p99: median(subject.map((x) => x.p99)),
  };
  const b = {
    tp: median(base.map((x) => x.throughput)),
    p50: median(base.map((x) => x.p50)),
    p99: median(base.map((x) => x.p99)),
  };
  const f = {
    tp: median(withProcesses.map((x) => x.throughput)),
    p99: median(withProcesses.map((x) => x.p99)),
  };
  const p99s = subject.map((x) => x.p99);
  const later = p99s.slice(1);
  process.stdout.write(
    `${'POST /predict, 16 clients, medians'.padEnd(44)} ${s.tp.toFixed(0)} req/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms | baseline bare node:http, same JSON ${b.tp.toFixed(0)} req/s, p99 ${b.p99.toFixed(2)} ms | ratio ${(s.tp / b.tp).toFixed(2)}x req/s (goal >= 0.8), ${(s.p99 / b.p99).toFixed(2)}x p99 (goal <= 2)\n`,
  );
  process.stdout.write(
    `  the floor for any server handing records to predict processes (bare node:http in front of the same processes): ${f.tp.toFixed(0)} req/s, p99 ${f.p99.toFixed(2)} ms; Benchtop over it: ${(s.tp / f.tp).toFixed(2)}x req/s, ${(s.p99 / f.p99).toFixed(2)}x p99\n`,
  );
  process.stdout.write(
    `  serve p99 over the rounds: ${p99s.map((x) => x.toFixed(1)).join(' ')} ms; rounds 2-${ROW_ROUNDS} within ${((Math.max(...later) / Math.min(...later) - 1) * 100).toFixed(0)}% of each other\n`,
  );
}

/** The soak: rounds of 20,000 requests; p99 and the RSS of the endpoint and of its predict processes per round. */
async function soak(served: { child: ChildProcess; url: string }): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: ROW_CLIENTS });
  const rounds = Math.ceil(SOAK_REQUESTS / SOAK_ROUND);
  process.stdout.write(
    `\nsoak: ${SOAK_REQUESTS.toLocaleString('en')} requests in rounds of ${SOAK_ROUND.toLocaleString('en')}, ${ROW_CLIENTS} clients\n`,
  );
  const seen: { p99: number; self: number; workers: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const x = await round(ROW_CLIENTS, SOAK_ROUND, (i) =>
      post(agent, `${served.url}/predict`, JSON.stringify(record(i))),
    );
    const rss = treeRss(served.child.pid!);
    seen.push({ p99: x.p99, self: rss.self, workers: rss.descendants });
    process.stdout.write(
      `  round ${String(r + 1).padStart(2)}: ${x.throughput.toFixed(0).padStart(6)} req/s, p99 ${x.p99.toFixed(2).padStart(6)} ms, RSS endpoint ${mib(rss.self).padStart(8)}, predict processes ${mib(rss.descendants).padStart(8)}\n`,
    );
  }
  agent.destroy();
  const spread = (xs: number[]): string => `${((Math.max(...xs) / Math.min(...xs) - 1) * 100).toFixed(0)}%`;
  const later = seen.slice(1);
  if (later.length > 1)
    process.stdout.write(
      `  from round 2 on (goal: each within 10%): p99 spread ${spread(later.map((x) => x.p99))}, endpoint RSS ${spread(later.map((x) => x.self))}, predict processes RSS ${spread(later.map((x) => x.workers))}\n`,
    );
}

/**
 * Why the p99 climbed: the cost of writing a request to the prediction log, early and late in
 * 200,000 requests, with random request ids (as before) and with the time-ordered ids the endpoint
 * makes now. Flushes of 500, as the endpoint's log does when requests pile up.
 */
function logCost(db: Database): void {
  const TOTAL = 200_000;
  const SLICE = 20_000;
  process.stdout.write(
    `\nprediction log: µs per request written, first and last ${SLICE.toLocaleString('en')} of ${TOTAL.toLocaleString('en')}\n`,
  );
  for (const [name, makeId] of [
    ['random ids (v4, before)', randomUUID],
    ['time-ordered ids (v7)', timeOrderedId],
  ] as const) {
    db.exec('DELETE FROM predictions; DELETE FROM prediction_requests;');
    const log = new PredictionLog(db, { maxPending: 500, flushMs: 60_000 });
    const cost: number[] = [];
    let worst = 0;
    let t = process.hrtime.bigint();
    for (let i = 1; i <= TOTAL; i++) {
      const id = makeId();
      const f = process.hrtime.bigint();
      log.record({
        requestId: id,
        deploymentId: null,
        model: 'bench',
        version: 1,
        at: new Date().toISOString(),
        status: 200,
        latencyMs: 1,
        records: [{ recordId: `${id}:0`, input: record(i), output: { y: i } }],
      });
      if (i % 500 === 0) worst = Math.max(worst, Number(process.hrtime.bigint() - f) / 1e6);
      if (i % SLICE === 0) {
        cost.push(Number(process.hrtime.bigint() - t) / 1e3 / SLICE);
        t = process.hrtime.bigint();
      }
    }
    log.close();
    process.stdout.write(
      `  ${name.padEnd(26)} ${cost[0]!.toFixed(1).padStart(6)} µs then ${cost.at(-1)!.toFixed(1).padStart(6)} µs (${(cost.at(-1)! / cost[0]!).toFixed(2)}x); longest flush of 500: ${worst.toFixed(1)} ms\n`,
    );
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-serving-'));
  const dir = path.join(tmp, 'project');
  const ws = (await initProject(dir)).workspace;
  writeFileSync(path.join(dir, 'predict.js'), PREDICTOR);
  writeFileSync(path.join(dir, 'model.json'), '{}');
  await registerVersion(
    dir,
    ws.db,
    {
      name: 'bench',
      path: 'model.json',
      predict: 'node predict.js',
      signature: [
        { name: 'a', type: 'number' },
        { name: 'b', type: 'number' },
      ],
    },
    dir,
  );
  ws.close();
  // In a project of its own, so the endpoint's database starts as small as before.
  const scratch = (await initProject(path.join(tmp, 'log-cost'))).workspace;
  logCost(scratch.db);
  scratch.close();
  const served = await startServe(dir);
  const bare = await startBare(dir);
  const bareJson = await startBare(dir, BARE_JSON_SERVER);
  const direct = new Direct(dir, path.join(dir, 'predict.js'));
  try {
    await issueRow(served, bareJson, bare);
    console.log(
      `\nBenchtop serving benchmarks (${WORKERS} predict processes, one record per request, at most ${MAX_REQUESTS} requests or ${MAX_MS / 1000} s per level)\n`,
    );
    for (const clients of LEVELS) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
      const base = await load(clients, async (i) => void (await direct.predict(record(i))));
      const subject = await load(clients, (i) => post(agent, `${served.url}/predict`, JSON.stringify(record(i))));
      const floor = await load(clients, (i) => post(agent, `${bare.url}/predict`, JSON.stringify(record(i))));
      agent.destroy();
      const name = `serve, ${String(clients).padStart(2)} client${clients === 1 ? ' ' : 's'}`;
      process.stdout.write(
        `${name.padEnd(20)} p50 ${subject.p50.toFixed(3).padStart(7)} ms, ${subject.throughput.toFixed(0).padStart(6)} req/s (${subject.count}) | baseline stdin/stdout p50 ${base.p50.toFixed(3).padStart(7)} ms, ${base.throughput.toFixed(0).padStart(6)} req/s (${base.count}) | overhead ${(subject.p50 - base.p50).toFixed(3)} ms at p50, throughput ratio ${(subject.throughput / base.throughput).toFixed(2)}x\n`,
      );
      process.stdout.write(
        `${''.padEnd(20)} bare node:http server in front of the same processes: p50 ${floor.p50.toFixed(3).padStart(7)} ms, ${floor.throughput.toFixed(0).padStart(6)} req/s | Benchtop over bare HTTP: ${(subject.p50 - floor.p50).toFixed(3)} ms at p50, throughput ratio ${(subject.throughput / floor.throughput).toFixed(2)}x\n`,
      );
    }
    await soak(served);
  } finally {
    direct.close();
    bare.child.kill('SIGTERM');
    bareJson.child.kill('SIGTERM');
    served.child.kill('SIGTERM');
    await new Promise((r) => served.child.once('exit', r));
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
