// Foundation benchmarks: opening a workspace, a contract call over HTTP, writes through the store.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Core } from '../../electron/core/app/core';
import { openDatabase, writeTransaction } from '../../electron/core/store/database';
import { initProject } from '../../electron/core/project/init';
import { Workspace } from '../../electron/core/workspace/workspace';
import { startBrowserServer } from '../../electron/server/http-server';
import { packageRoot } from '../../electron/core/util/package-root';
import { compare } from './harness';

function post(port: number, p: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, method: 'POST', headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-'));
  try {
    console.log(`Benchtop foundation benchmarks (median of interleaved runs; ratio = Benchtop / baseline)\n`);
    const project = path.join(tmp, 'demo');
    (await initProject(project, { demo: true })).workspace.close();

    await compare(
      'open workspace (config + db + migrations check)',
      () => Workspace.open(project).close(),
      'raw better-sqlite3 open + close',
      () => new BetterSqlite3(path.join(project, '.benchtop', 'benchtop.db')).close(),
      40,
    );

    let n = 0;
    await compare(
      'init a project (git repo + db + commit)',
      async () => (await initProject(path.join(tmp, `p${n++}`))).workspace.close(),
      'git init + git commit (CLI)',
      () => {
        const d = path.join(tmp, `g${n++}`);
        execFileSync('git', ['init', '-q', d]);
        execFileSync('git', [
          '-C',
          d,
          '-c',
          'user.name=b',
          '-c',
          'user.email=b@x',
          'commit',
          '-q',
          '--allow-empty',
          '-m',
          'x',
        ]);
      },
      10,
    );

    const db = openDatabase(path.join(tmp, 'w.db'));
    db.prepare(`INSERT INTO experiments (name) VALUES ('e')`).run();
    const raw = new BetterSqlite3(path.join(tmp, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.exec(
      'CREATE TABLE m (run_id TEXT, key TEXT, step INTEGER, value REAL, at TEXT, PRIMARY KEY (run_id, key, step))',
    );
    let run = 0;
    const ins = db.prepare(`INSERT INTO run_metrics (run_id, key, step, value, at) VALUES (?, 'loss', ?, ?, 'now')`);
    const insRun = db.prepare(`INSERT INTO runs (id, experiment_id, name, status) VALUES (?, 1, 'r', 'running')`);
    const rawIns = raw.prepare(`INSERT INTO m VALUES (?, 'loss', ?, ?, 'now')`);
    await compare(
      '10k metric rows in one write transaction',
      () =>
        writeTransaction(db, () => {
          const id = `r${run++}`;
          insRun.run(id);
          for (let i = 0; i < 10_000; i++) ins.run(id, i, i / 10_000);
        }),
      'raw SQLite inserts, same rows',
      () =>
        raw.transaction(() => {
          const id = `r${run++}`;
          for (let i = 0; i < 10_000; i++) rawIns.run(id, i, i / 10_000);
        })(),
      10,
    );
    db.close();
    raw.close();

    // Where the contract call's time went: project.current read HEAD's branch and up to 200 commits
    // through isomorphic-git on every call, about 2 ms of promise file reads; it now keeps them until
    // HEAD, a ref or packed-refs changes (one read and four stats, under 0.1 ms). What is left over
    // the bare server: the guard (Host, Origin, the token's two SHA-256), reading the body, the zod
    // check, the wire JSON and the security headers, each well under 0.1 ms; both sides open a TCP
    // connection per call (agent: false), as before.
    const core = new Core({ dataDir: path.join(tmp, 'data'), mode: 'browser' });
    await core.open(project);
    const server = await startBrowserServer({ core, port: 0, staticDir: path.join(packageRoot(), 'dist', 'renderer') });
    const plain = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    const plainPort = (plain.address() as AddressInfo).port;
    const headers = {
      Authorization: `Bearer ${server.token}`,
      'Content-Type': 'application/json',
      Host: `127.0.0.1:${server.port}`,
    };
    await compare(
      'contract call over HTTP (project.current)',
      () => post(server.port, '/api/project.current', headers),
      'bare node:http JSON round trip',
      () => post(plainPort, '/', {}),
      200,
    );
    await server.close();
    plain.close();
    core.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
