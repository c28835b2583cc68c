// The MLflow-compatible REST API (electron/server/mlflow) answers an MLflow client's requests as an
// MLflow tracking server with --serve-artifacts answers them: shapes, NaN encoding, error codes and
// statuses, limits, and the artifact proxy, behind the server's Host/Origin/token guard.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { startBrowserServer, type BrowserServer } from '../../electron/server/http-server';
import { ROOT, tmpDir } from '../support/helpers';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: any;
}

let server: BrowserServer;
let core: Core;

function call(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  token?: string | null;
}): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...opts.headers };
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? server.token}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const api = '/api/2.0/mlflow';
/** A POST as MLflow's Python client sends it; `raw` is sent as is (bare NaN tokens and all). */
const post = (endpoint: string, body: unknown, raw?: string) =>
  call({
    method: 'POST',
    path: `${api}/${endpoint}`,
    headers: { 'Content-Type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
const get = (endpoint: string, query: Record<string, string>) =>
  call({ path: `${api}/${endpoint}?${new URLSearchParams(query).toString()}` });

function ok(r: Reply): any {
  expect(r.status, r.text).toBe(200);
  return r.json;
}

beforeAll(async () => {
  const project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
  core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  server = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer') });
});

afterAll(async () => {
  await server.close();
  core.close();
});

describe('MLflow-compatible API', () => {
  it("answers an MLflow client's whole request sequence as MLflow does", async () => {
    const expId = ok(await post('experiments/create', { name: 'mlflow-exp' })).experiment_id;
    expect(expId).toMatch(/^\d+$/);
    const again = await post('experiments/create', { name: 'mlflow-exp' });
    expect(again.status).toBe(400);
    expect(again.json.error_code).toBe('RESOURCE_ALREADY_EXISTS');

    const exp = ok(await get('experiments/get-by-name', { experiment_name: 'mlflow-exp' })).experiment;
    expect(exp).toMatchObject({
      experiment_id: expId,
      name: 'mlflow-exp',
      lifecycle_stage: 'active',
      artifact_location: `mlflow-artifacts:/${expId}`,
    });
    expect(ok(await get('experiments/get', { experiment_id: expId })).experiment.name).toBe('mlflow-exp');
    const listed = ok(
      await post('experiments/search', { max_results: 10, filter: "name LIKE 'mlflow-%'" }),
    ).experiments;
    expect(listed.map((e: { name: string }) => e.name)).toEqual(['mlflow-exp']);

    const start = Date.UTC(2026, 0, 31, 12, 0, 0);
    const created = ok(
      await post('runs/create', {
        experiment_id: expId,
        start_time: start,
        run_name: 'mlf',
        tags: [
          { key: 'mlflow.user', value: 'ann' },
          { key: 'mlflow.source.name', value: 'train.py' },
        ],
      }),
    ).run;
    const runId: string = created.info.run_id;
    expect(created.info).toMatchObject({
      run_uuid: runId,
      run_name: 'mlf',
      experiment_id: expId,
      user_id: 'ann',
      status: 'RUNNING',
      start_time: start,
      lifecycle_stage: 'active',
      artifact_uri: `mlflow-artifacts:/${expId}/${runId}/artifacts`,
    });

    // Python's json writes NaN and Infinity as bare tokens; protobuf's mapping as strings.
    const ts = start + 1000;
    const batch = `{"run_id": "${runId}", "metrics": [
      {"key": "loss", "value": NaN, "timestamp": ${ts}, "step": 0},
      {"key": "loss", "value": 0.5, "timestamp": "${ts + 1}", "step": "1"},
      {"key": "acc", "value": "Infinity", "timestamp": ${ts}, "step": 0},
      {"key": "low", "value": -Infinity, "timestamp": ${ts}, "step": 0}],
      "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "team", "value": "NaN is text here"}]}`;
    expect(ok(await post('runs/log-batch', null, batch))).toEqual({});
    expect(
      ok(await post('runs/log-metric', { run_id: runId, key: 'loss', value: 0.25, timestamp: ts + 2, step: 2 })),
    ).toEqual({});
    ok(await post('runs/log-parameter', { run_id: runId, key: 'model', value: 'rf' }));
    ok(await post('runs/set-tag', { run_id: runId, key: 'stage', value: 'dev' }));
    const changed = await post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' });
    expect(changed.status).toBe(400);
    expect(changed.json.error_code).toBe('INVALID_PARAMETER_VALUE');

    const history = await get('metrics/get-history', { run_id: runId, metric_key: 'loss' });
    expect(history.text).toContain('"value":"NaN"');
    expect(ok(history).metrics).toEqual([
      { key: 'loss', value: 'NaN', timestamp: ts, step: 0 },
      { key: 'loss', value: 0.5, timestamp: ts + 1, step: 1 },
      { key: 'loss', value: 0.25, timestamp: ts + 2, step: 2 },
    ]);
    const page = ok(await get('metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '2' }));
    expect(page.metrics).toHaveLength(2);
    expect(
      ok(
        await get('metrics/get-history', {
          run_id: runId,
          metric_key: 'loss',
          max_results: '2',
          page_token: page.next_page_token,
        }),
      ).metrics,
    ).toEqual([{ key: 'loss', value: 0.25, timestamp: ts + 2, step: 2 }]);

    // Artifacts through the proxy, as MlflowArtifactsRepository uploads, lists and downloads them.
    const bytes = randomBytes(300_000);
    const art = `/api/2.0/mlflow-artifacts/artifacts/${expId}/${runId}/artifacts`;
    expect(ok(await call({ method: 'PUT', path: `${art}/plots/data.bin`, body: bytes }))).toEqual({});
    ok(await call({ method: 'PUT', path: `${art}/model.txt`, body: 'weights' }));
    const list = (p: string) =>
      call({ path: `/api/2.0/mlflow-artifacts/artifacts?${new URLSearchParams({ path: p }).toString()}` });
    expect(ok(await list(`${expId}/${runId}/artifacts`)).files).toEqual([
      { path: 'model.txt', is_dir: false, file_size: 7 },
      { path: 'plots', is_dir: true },
    ]);
    expect(ok(await list(`${expId}/${runId}/artifacts/plots`)).files).toEqual([
      { path: 'data.bin', is_dir: false, file_size: 300_000 },
    ]);
    expect(ok(await get('artifacts/list', { run_id: runId, path: 'plots' }))).toEqual({
      root_uri: `mlflow-artifacts:/${expId}/${runId}/artifacts`,
      files: [{ path: 'plots/data.bin', is_dir: false, file_size: 300_000 }],
    });
    const down = await call({ path: `${art}/plots/data.bin` });
    expect(down.status).toBe(200);
    expect(down.body.equals(bytes)).toBe(true);

    const end = start + 60_000;
    expect(ok(await post('runs/update', { run_id: runId, status: 'FINISHED', end_time: end })).run_info).toMatchObject({
      run_id: runId,
      status: 'FINISHED',
      end_time: end,
    });

    const got = await get('runs/get', { run_id: runId });
    expect(got.text).toContain('"value":"Infinity"');
    expect(got.text).toContain('"value":"-Infinity"');
    const run = ok(got).run;
    expect(run.info).toMatchObject({ status: 'FINISHED', start_time: start, end_time: end, lifecycle_stage: 'active' });
    expect(run.data.params).toEqual([
      { key: 'lr', value: '0.1' },
      { key: 'model', value: 'rf' },
    ]);
    expect(run.data.tags).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'NaN is text here' },
        { key: 'stage', value: 'dev' },
        { key: 'mlflow.runName', value: 'mlf' },
      ]),
    );
    expect(run.data.metrics).toEqual([
      { key: 'acc', value: 'Infinity', timestamp: ts, step: 0 },
      { key: 'loss', value: 0.25, timestamp: ts + 2, step: 2 },
      { key: 'low', value: '-Infinity', timestamp: ts, step: 0 },
    ]);

    // A second run to search among.
    const other = ok(await post('runs/create', { experiment_id: expId, run_name: 'other', start_time: start + 5 })).run
      .info.run_id;
    ok(
      await post('runs/log-batch', {
        run_id: other,
        metrics: [{ key: 'loss', value: 0.9, timestamp: ts, step: 0 }],
        params: [{ key: 'lr', value: '0.2' }],
      }),
    );
    const search = (body: Record<string, unknown>) => post('runs/search', { experiment_ids: [expId], ...body });
    const ids = async (body: Record<string, unknown>) =>
      (ok(await search(body)).runs ?? []).map((r: { info: { run_id: string } }) => r.info.run_id);
    expect(
      await ids({ filter: "metrics.loss < 0.3 and params.lr = '0.1' and attributes.status = 'FINISHED'" }),
    ).toEqual([runId]);
    expect(await ids({ filter: "attributes.status = 'RUNNING'" })).toEqual([other]);
    expect(await ids({ filter: "tags.`mlflow.runName` = 'other'" })).toEqual([other]);
    expect(await ids({ filter: `attributes.start_time > ${start}` })).toEqual([other]);
    expect(await ids({ order_by: ['metrics.loss ASC'] })).toEqual([runId, other]);
    expect(await ids({ order_by: ['metrics.loss DESC'] })).toEqual([other, runId]);
    const first = ok(await search({ max_results: 1 }));
    expect(first.runs).toHaveLength(1);
    const second = ok(await search({ max_results: 1, page_token: first.next_page_token }));
    expect([first.runs[0].info.run_id, second.runs[0].info.run_id].sort()).toEqual([runId, other].sort());
    expect(second.next_page_token).toBeUndefined();
    const bad = await search({ filter: 'metrics.loss >' });
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe('INVALID_PARAMETER_VALUE');

    // Soft delete and restore.
    expect(ok(await post('runs/delete', { run_id: runId }))).toEqual({});
    expect(ok(await get('runs/get', { run_id: runId })).run.info.lifecycle_stage).toBe('deleted');
    expect(await ids({})).toEqual([other]);
    expect(await ids({ run_view_type: 'DELETED_ONLY' })).toEqual([runId]);
    expect(await ids({ run_view_type: 2 })).toEqual([runId]);
    expect((await ids({ run_view_type: 'ALL' })).sort()).toEqual([runId, other].sort());
    expect((await search({ run_view_type: 'SOME' })).status).toBe(400);
    expect(ok(await post('runs/restore', { run_id: runId }))).toEqual({});
    expect(ok(await get('runs/get', { run_id: runId })).run.info.lifecycle_stage).toBe('active');
  });

  it('puts runs of the default experiment "0" into Default, and ends runs as FAILED or KILLED', async () => {
    const info = ok(await post('runs/create', { experiment_id: '0' })).run.info;
    const exp = ok(await get('experiments/get', { experiment_id: info.experiment_id })).experiment;
    expect(exp.name).toBe('Default');
    expect(ok(await post('runs/update', { run_id: info.run_id, status: 'KILLED' })).run_info.status).toBe('KILLED');
    const failed = ok(await post('runs/create', {})).run.info.run_id;
    expect(
      ok(await post('runs/update', { run_uuid: failed, status: 'FAILED', run_name: 'renamed' })).run_info,
    ).toMatchObject({ status: 'FAILED', run_name: 'renamed' });
    // A refused update changes nothing, not even the name sent with it.
    const refused = await post('runs/update', { run_id: failed, status: 'FINISHED', run_name: 'again' });
    expect(refused.status).toBe(400);
    expect(refused.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(ok(await get('runs/get', { run_id: failed })).run.info).toMatchObject({
      status: 'FAILED',
      run_name: 'renamed',
    });
    expect((await post('runs/update', { run_id: failed, status: 'DONE' })).status).toBe(400);
  });

  it("refuses batches over MLflow's limits with INVALID_PARAMETER_VALUE, writing nothing", async () => {
    const runId = ok(await post('runs/create', {})).run.info.run_id;
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'big', value: i, timestamp: 1, step: i }));
    const tooMany = await post('runs/log-batch', { run_id: runId, metrics, params: [{ key: 'p', value: '1' }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(tooMany.json.message).toContain('1000');
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' }));
    const tooManyParams = await post('runs/log-batch', {
      run_id: runId,
      params,
      metrics: [{ key: 'big', value: 1, timestamp: 1, step: 0 }],
    });
    expect(tooManyParams.status).toBe(400);
    expect(tooManyParams.json.message).toContain('100');
    const total = await post('runs/log-batch', {
      run_id: runId,
      metrics: metrics.slice(0, 950),
      params: params.slice(0, 51),
    });
    expect(total.status).toBe(400);
    // A bad key late in a batch refuses the whole batch too.
    const badKey = await post('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'big', value: 1, timestamp: 1, step: 0 },
        { key: 'bad\u0000key', value: 1, timestamp: 1, step: 1 },
      ],
    });
    expect(badKey.status).toBe(400);
    expect(ok(await get('metrics/get-history', { run_id: runId, metric_key: 'big' })).metrics).toEqual([]);
    const run = ok(await get('runs/get', { run_id: runId })).run;
    expect(run.data.params).toEqual([]);
    expect(run.data.metrics).toEqual([]);
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for what is missing, and ENDPOINT_NOT_FOUND for what is not served', async () => {
    for (const r of [
      await get('runs/get', { run_id: 'no-such-run' }),
      await post('runs/log-metric', { run_id: 'no-such-run', key: 'x', value: 1, timestamp: 1 }),
      await get('experiments/get', { experiment_id: '99999' }),
      await get('experiments/get-by-name', { experiment_name: 'nope' }),
      await get('metrics/get-history', { run_id: 'no-such-run', metric_key: 'x' }),
    ]) {
      expect(r.status, r.text).toBe(404);
      expect(r.json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(typeof r.json.message).toBe('string');
    }
    const missingParam = await get('runs/get', {});
    expect(missingParam.status).toBe(400);
    expect(missingParam.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    const unknown = await post('registered-models/create', { name: 'm' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error_code).toBe('ENDPOINT_NOT_FOUND');
    expect((await call({ method: 'DELETE', path: `${api}/runs/get?run_id=x` })).status).toBe(405);
  });

  it('serves the preview path and GET searches too, and refuses a JSON body over 1 MiB with 413', async () => {
    const id = ok(
      await post('experiments/create', {
        name: 'preview-exp',
        tags: [{ key: 'mlflow.note.content', value: 'about it' }],
      }),
    ).experiment_id;
    const viaPreview = ok(
      await call({ path: `/api/2.0/preview/mlflow/experiments/get?experiment_id=${id}` }),
    ).experiment;
    expect(viaPreview).toMatchObject({
      name: 'preview-exp',
      tags: [{ key: 'mlflow.note.content', value: 'about it' }],
    });
    const found = ok(await get('experiments/search', { filter: "name = 'preview-exp'", max_results: '5' })).experiments;
    expect(found.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([id]);
    const run = ok(await post('runs/create', { experiment_id: id })).run.info.run_id;
    const viaGet = ok(
      await call({
        path: `${api}/runs/search?experiment_ids=${id}&experiment_ids=99999&filter=${encodeURIComponent(`attributes.run_id = '${run}'`)}`,
      }),
    ).runs;
    expect(viaGet.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([run]);
    const huge = await post('runs/log-batch', { run_id: run, tags: [{ key: 't', value: 'x'.repeat(1024 * 1024) }] });
    expect(huge.status).toBe(413);
    expect(huge.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    // A run created without run_name gets a readable name (as MLflow gives one), never its id.
    const [nameTag] = ok(await get('runs/get', { run_id: run })).run.data.tags;
    expect(nameTag).toEqual({ key: 'mlflow.runName', value: expect.stringMatching(/^[a-z]+-[a-z]+-\d{1,3}$/) });
  });

  it('refuses artifact paths that climb out of the run, however they are spelled', async () => {
    const info = ok(await post('runs/create', {})).run.info;
    const art = `/api/2.0/mlflow-artifacts/artifacts/${info.experiment_id}/${info.run_id}/artifacts`;
    for (const p of [`${art}/../../../x`, `${art}/%2e%2e/%2e%2e/x`, `${art}/a/..%2F..%2Fx`, `${art}/`, `${art}/a//b`]) {
      const r = await call({ method: 'PUT', path: p, body: 'x' });
      expect(r.status, p).toBe(400);
      expect(r.json.error_code, p).toBe('INVALID_PARAMETER_VALUE');
    }
    for (const p of [
      `${info.experiment_id}/${info.run_id}/artifacts/..`,
      `${info.experiment_id}/${info.run_id}/artifacts/a/../../..`,
    ]) {
      const r = await call({
        path: `/api/2.0/mlflow-artifacts/artifacts?${new URLSearchParams({ path: p }).toString()}`,
      });
      expect(r.status, p).toBe(400);
    }
    expect((await get('artifacts/list', { run_id: info.run_id, path: '../other' })).status).toBe(400);
    expect((await call({ path: `${art}/../../other/artifacts/x` })).status).toBe(400);
    // The run must belong to the experiment in the path.
    expect(
      (
        await call({
          method: 'PUT',
          path: `/api/2.0/mlflow-artifacts/artifacts/99999/${info.run_id}/artifacts/x.txt`,
          body: 'x',
        })
      ).status,
    ).toBe(404);
    expect(ok(await get('artifacts/list', { run_id: info.run_id })).files).toEqual([]);
  });

  it('stays behind the guard: 401 without the token, 403 for a foreign Host or Origin', async () => {
    for (const token of [null, 'wrong']) {
      const r = await call({ path: `${api}/experiments/search`, token });
      expect(r.status).toBe(401);
      expect(r.json.error_code).toBe('UNAUTHENTICATED');
      const put = await call({
        method: 'PUT',
        path: `/api/2.0/mlflow-artifacts/artifacts/1/x/artifacts/a.txt`,
        body: 'x',
        token,
      });
      expect(put.status).toBe(401);
    }
    expect((await call({ path: `${api}/experiments/search`, headers: { Host: 'evil.example' } })).status).toBe(403);
    expect((await call({ path: `${api}/experiments/search`, headers: { Origin: 'http://evil.example' } })).status).toBe(
      403,
    );
  });
});
