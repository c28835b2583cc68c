// MLflow-compatible API benchmarks: what MLflow's translation costs over the contract's own HTTP
// calls on the same server (log-batch of 1,000 metrics; search and read back 200 runs).
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { startBrowserServer } from '../../electron/server/http-server';
import { compare } from './harness';

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'benchtop-bench-mlflow-'));
  const project = path.join(tmp, 'proj');
  (await initProject(project, {})).workspace.close();
  const core = new Core({ dataDir: path.join(tmp, 'data'), mode: 'browser' });
  await core.open(project);
  const server = await startBrowserServer({ core, port: 0, staticDir: tmp });
  const agent = new Agent({ keepAlive: true });
  const post = (p: string, body: unknown): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: p,
          agent,
          headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () =>
            res.statusCode === 200 ? resolve(text) : reject(new Error(`${p}: ${res.statusCode} ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  try {
    console.log(
      '\nBenchtop MLflow-compatible API benchmarks (median of interleaved runs; ratio = MLflow route / contract route)\n',
    );
    const mlRun = (
      JSON.parse(await post('/api/2.0/mlflow/runs/create', { experiment_id: '0' })) as {
        run: { info: { run_id: string } };
      }
    ).run.info.run_id;
    const ctRun = (JSON.parse(await post('/api/runs.create', {})) as { value: { runId: string } }).value.runId;
    let step = 0;
    let ctStep = 0;
    const now = Date.now();
    await compare(
      'MLflow runs/log-batch, 1,000 metrics',
      () => {
        const base = (step += 1000);
        return post('/api/2.0/mlflow/runs/log-batch', {
          run_id: mlRun,
          metrics: Array.from({ length: 1000 }, (_, i) => ({
            key: `m${i % 10}`,
            value: i * 0.5,
            timestamp: now,
            step: base + i,
          })),
        });
      },
      'contract runs.log, 1,000 metrics',
      () => {
        const base = (ctStep += 1000);
        return post('/api/runs.log', {
          runId: ctRun,
          metrics: Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: i * 0.5, step: base + i })),
        });
      },
      20,
    );
    for (let i = 0; i < 200; i++) {
      const id = (
        JSON.parse(
          await post('/api/runs.create', { experiment: 'bench', params: { p: String(i % 7) }, tags: { t: 'x' } }),
        ) as { value: { runId: string } }
      ).value.runId;
      await post('/api/runs.log', { runId: id, metrics: [{ key: 'acc', value: i / 200 }] });
    }
    const expId = (
      JSON.parse(await post('/api/2.0/mlflow/experiments/search', { filter: "name = 'bench'" })) as {
        experiments: { experiment_id: string }[];
      }
    ).experiments[0]!.experiment_id;
    await compare(
      'MLflow runs/search, 200 runs whole',
      () =>
        post('/api/2.0/mlflow/runs/search', {
          experiment_ids: [expId],
          filter: 'metrics.acc >= 0',
          order_by: ['metrics.acc DESC'],
        }),
      'contract runs.search, 200 runs',
      () =>
        post('/api/runs.search', {
          filter: "experiment = 'bench' and metrics.acc >= 0",
          sort: '-metrics.acc',
          limit: 1000,
        }),
      20,
    );
  } finally {
    agent.destroy();
    await server.close();
    core.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
