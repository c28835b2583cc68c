// Runs in: tests. Case 18: the MLflow-compatible API refuses what MLflow refuses instead of
// answering 200 and quietly storing something else.
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../electron/core/app/core';
import { initProject } from '../../../electron/core/project/init';
import { startBrowserServer, type BrowserServer } from '../../../electron/server/http-server';
import { ROOT, tmpDir } from '../../support/helpers';

let server: BrowserServer;
let core: Core;

function post(endpoint: string, body: unknown): Promise<{ status: number; json: any; text: string }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `/api/2.0/mlflow/${endpoint}`,
        headers: {
          Host: `127.0.0.1:${server.port}`,
          Authorization: `Bearer ${server.token}`,
          'Content-Type': 'application/json',
        },
      },
      (res) => {
        let out = '';
        res.on('data', (d: Buffer) => (out += d.toString()));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(out);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text: out });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function getRun(runId: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `/api/2.0/mlflow/runs/get?run_id=${runId}`,
        headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` },
      },
      (res) => {
        let out = '';
        res.on('data', (d: Buffer) => (out += d.toString()));
        res.on('end', () => resolve(JSON.parse(out)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let runId: string;

beforeAll(async () => {
  const project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
  core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  server = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer') });
  const exp = (await post('experiments/create', { name: 'safety' })).json.experiment_id;
  runId = (await post('runs/create', { experiment_id: exp })).json.run.info.run_id;
});

afterAll(async () => {
  await server.close();
  core.close();
});

describe('safety: the MLflow API refuses what it cannot store faithfully', () => {
  for (const key of ['__proto__', 'constructor']) {
    it(`case 18: a param, tag or metric named ${key} is refused with 400 INVALID_PARAMETER_VALUE`, async () => {
      for (const [endpoint, body] of [
        ['runs/log-parameter', { run_id: runId, key, value: '1' }],
        ['runs/set-tag', { run_id: runId, key, value: 'x' }],
        ['runs/log-metric', { run_id: runId, key, value: 1, timestamp: 1, step: 0 }],
        ['runs/log-batch', { run_id: runId, params: [{ key, value: '1' }] }],
        ['runs/log-batch', { run_id: runId, tags: [{ key, value: '1' }] }],
      ] as const) {
        const r = await post(endpoint, body);
        expect(r.status, `${endpoint} ${r.text}`).toBe(400);
        expect(r.json.error_code).toBe('INVALID_PARAMETER_VALUE');
        expect(r.json.message).toContain(key);
      }
    });
  }

  it('case 18: delete-tag of a key the run does not have answers 404 RESOURCE_DOES_NOT_EXIST', async () => {
    for (const key of ['never-set', 'constructor', 'toString', '__proto__']) {
      const r = await post('runs/delete-tag', { run_id: runId, key });
      expect(r.status, `${key}: ${r.text}`).toBe(404);
      expect(r.json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
    expect((await post('runs/set-tag', { run_id: runId, key: 'team', value: 'a' })).status).toBe(200);
    expect((await post('runs/delete-tag', { run_id: runId, key: 'team' })).status).toBe(200);
    expect((await post('runs/delete-tag', { run_id: runId, key: 'team' })).status).toBe(404);
  });

  it('case 18: a metric value written as hex, octal or binary text is refused, not read as a number', async () => {
    for (const value of ['0x10', '0o7', '0b1', '1_000', '', ' ']) {
      const r = await post('runs/log-metric', { run_id: runId, key: 'odd', value, timestamp: 1, step: 0 });
      expect(r.status, `${JSON.stringify(value)}: ${r.text}`).toBe(400);
      expect(r.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    // What MLflow reads stays accepted: JSON numbers, decimal text and protobuf's non-finite names.
    for (const value of [16, '1.5', '-2e3', 'NaN', 'Infinity', '-Infinity']) {
      const r = await post('runs/log-metric', { run_id: runId, key: 'fine', value, timestamp: 1, step: 0 });
      expect(r.status, `${JSON.stringify(value)}: ${r.text}`).toBe(200);
    }
    const run = await getRun(runId);
    expect(run.run.data.metrics.find((m: { key: string }) => m.key === 'odd')).toBeUndefined();
  });
});
