// The serving engine end to end with real predict processes: validation before the model, crashes,
// timeouts, alias switches under load, the metrics text, the prediction log and the token.
import { existsSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setAlias } from '../../electron/core/registry/aliases';
import { startEndpoint } from '../../electron/core/serving/endpoint';
import { prepareVersion } from '../../electron/core/serving/model-copy';
import type { Endpoint, EndpointEvent, EndpointOptions } from '../../electron/core/serving/endpoint-types';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { BREAKABLE, BROKEN_FLAG, nodePredictor, registerPredictor, request, servingProject } from '../support/serving';
import { parsePrometheus } from '../support/prometheus';

const open: { endpoint: Endpoint; ws: Workspace }[] = [];
afterEach(async () => {
  for (const { endpoint, ws } of open.splice(0)) {
    await endpoint.close('test over');
    ws.close();
  }
});

async function serve(
  ws: Workspace,
  options: Partial<EndpointOptions> & { ref: string },
): Promise<{ endpoint: Endpoint; url: string; events: EndpointEvent[] }> {
  const events: EndpointEvent[] = [];
  const endpoint = await startEndpoint({ projectDir: ws.dir, db: ws.db, onEvent: (e) => events.push(e), ...options });
  open.push({ endpoint, ws });
  return { endpoint, url: endpoint.status().url, events };
}

const IRIS_SIGNATURE = [
  { name: 'petal_length', type: 'number' },
  { name: 'petals', type: 'integer' },
  { name: 'species_hint', type: 'string' },
];

/** Answers with the petal length doubled; appends every input it sees to seen.jsonl, to prove what reached it. */
const RECORDING = nodePredictor(
  `fs.appendFileSync('seen.jsonl', JSON.stringify(input) + '\\n');
   if (input.refuse) throw new Error('cannot score ' + input.refuse);
   return { doubled: input.petal_length * 2, version: model.version };`,
);

function seen(ws: Workspace): unknown[] {
  const file = path.join(ws.dir, 'seen.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown)
    : [];
}

describe('the serving endpoint', () => {
  it('answers one record or a batch, in order, with ids, the model and the version', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING, { model: { version: 'first' }, signature: IRIS_SIGNATURE });
    const { url, endpoint } = await serve(ws, { ref: 'iris/1', workers: 2 });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const one = await request(`${url}/predict`, {
      body: { petal_length: 1.5, petals: 3, species_hint: 'x', id: 'flower-7' },
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      predictions: [{ doubled: 3, version: 'first' }],
      ids: ['flower-7'],
      model: 'iris',
      version: 1,
    });
    const inputs = Array.from({ length: 50 }, (_, i) => ({ petal_length: i, petals: i, species_hint: 's' }));
    const batch = await request(`${url}/predict`, { body: { inputs } });
    expect(batch.status).toBe(200);
    expect(batch.body.predictions.map((p: { doubled: number }) => p.doubled)).toEqual(
      inputs.map((r) => r.petal_length * 2),
    );
    expect(batch.body.ids).toHaveLength(50);
    expect(new Set(batch.body.ids).size).toBe(50);
    expect(endpoint.status()).toMatchObject({
      model: 'iris',
      version: 1,
      requests: 2,
      errors: 0,
      inFlight: 0,
      token: null,
      healthy: true,
      workers: 2,
    });
  });

  it('refuses records that break the input signature with a 400 naming the field and record, without reaching the model', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING, { signature: IRIS_SIGNATURE });
    const { url } = await serve(ws, { ref: 'iris/1' });
    const good = { petal_length: 1.5, petals: 3, species_hint: 'x' };
    const cases: [unknown, string | null, number | null][] = [
      [{ petals: 3, species_hint: 'x' }, 'petal_length', null],
      [{ ...good, petal_length: '1.5' }, 'petal_length', null],
      [{ ...good, petals: 2.5 }, 'petals', null],
      [{ ...good, species_hint: null }, 'species_hint', null],
      [{ inputs: [good, good, { ...good, petals: 'three' }] }, 'petals', 2],
      [{ inputs: [good, { petal_length: 1, petals: 1 }] }, 'species_hint', 1],
      [{ inputs: [good, 'not a record'] }, null, 1],
      [{ inputs: [] }, 'inputs', null],
      [[good], 'inputs', null],
    ];
    for (const [body, field, index] of cases) {
      const r = await request(`${url}/predict`, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      if (field !== null) {
        expect(r.body.field).toBe(field);
        expect(r.body.error).toContain(field);
      }
      if (index !== null) {
        expect(r.body.index).toBe(index);
        expect(r.body.error).toContain(`inputs[${index}]`);
      }
    }
    const notJson = await request(`${url}/predict`, { body: '{"petal_length": ' });
    expect(notJson.status).toBe(400);
    const wrongType = await request(`${url}/predict`, {
      body: JSON.stringify(good),
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const tooBig = await request(`${url}/predict`, {
      body: JSON.stringify({ inputs: [good], pad: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(tooBig.status).toBe(413);
    expect((await request(`${url}/predict`)).status).toBe(405);
    expect((await request(`${url}/nothing`)).status).toBe(404);
    expect(seen(ws)).toEqual([]);
    // Extra fields pass through to the model.
    const ok = await request(`${url}/predict`, { body: { ...good, note: 'kept' } });
    expect(ok.status).toBe(200);
    expect(seen(ws)).toEqual([{ ...good, note: 'kept' }]);
  });

  it('turns the model\'s {"$error"} answers into a 422 naming the records, and keeps the other answers', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING);
    const { url } = await serve(ws, { ref: 'iris/1' });
    const r = await request(`${url}/predict`, {
      body: { inputs: [{ petal_length: 1 }, { petal_length: 2, refuse: 'this one' }, { petal_length: 3 }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ index: 1, id: r.body.ids[1], error: 'cannot score this one' }]);
    expect(r.body.predictions.map((p: { doubled: number } | null) => p?.doubled ?? null)).toEqual([2, null, 6]);
    expect(r.body.error).toContain('cannot score this one');
    const next = await request(`${url}/predict`, { body: { petal_length: 5 } });
    expect(next.status).toBe(200);
  });

  it('restarts a predict process that crashes: the request it was answering gets a 502 with the exit and stderr, the next succeeds', async () => {
    const ws = await servingProject();
    await registerPredictor(
      ws,
      'crashy',
      nodePredictor(
        `if (input.crash) { process.stderr.write('about to fail on purpose\\n'); process.exit(3); } return input.x + 1;`,
      ),
    );
    const { url, endpoint, events } = await serve(ws, { ref: 'crashy/1' });
    const crashed = await request(`${url}/predict`, { body: { x: 1, crash: true } });
    expect(crashed.status).toBe(502);
    expect(crashed.body.error).toContain('exited with code 3');
    expect(crashed.body.error).toContain('about to fail on purpose');
    const next = await request(`${url}/predict`, { body: { x: 41 } });
    expect(next.status).toBe(200);
    expect(next.body.predictions).toEqual([42]);
    expect(events.filter((e) => e.kind === 'worker-restarted')).toHaveLength(1);
    expect(endpoint.status().healthy).toBe(true);
    const health = await request(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.workers[0].restarts).toBe(1);
  });

  it('answers 504 when the model hangs past the timeout, kills that process and replaces it', async () => {
    const ws = await servingProject();
    await registerPredictor(
      ws,
      'slow',
      nodePredictor(
        `if (input.hang) { fs.writeFileSync('hung.pid', String(process.pid)); while (true) {} } return input.x;`,
      ),
    );
    const { url } = await serve(ws, { ref: 'slow/1', timeoutMs: 1500 });
    const hung = await request(`${url}/predict`, { body: { x: 1, hang: true } });
    expect(hung.status).toBe(504);
    expect(hung.body.error).toContain('did not answer within 1500 ms');
    const pid = Number(readFileSync(path.join(ws.dir, 'hung.pid'), 'utf8'));
    await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
    const next = await request(`${url}/predict`, { body: { x: 7 } });
    expect(next.status).toBe(200);
    expect(next.body.predictions).toEqual([7]);
  });

  it('turns unhealthy while running when its restarted processes keep crashing as they start, answers 503 with the reason, and recovers once fixed', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'flaky', BREAKABLE);
    const { url, endpoint, events } = await serve(ws, { ref: 'flaky/1' });
    expect((await request(`${url}/predict`, { body: { x: 2 } })).body.predictions).toEqual([4]);
    expect((await request(`${url}/health`)).status).toBe(200);

    // This request breaks the model: its own answer is the crash, then every restart dies at once.
    const crashed = await request(`${url}/predict`, { body: { x: 1, break: true } });
    expect(crashed.status).toBe(502);
    await expect
      .poll(async () => (await request(`${url}/health`)).status, { timeout: 30_000, interval: 100 })
      .toBe(503);
    const health = await request(`${url}/health`);
    expect(health.body).toMatchObject({ status: 'unhealthy', model: 'flaky', version: 1 });
    expect(health.body.workers[0].restarts).toBeGreaterThanOrEqual(3);
    expect(health.body.workers[0].lastExit).toContain('cannot load');
    expect(endpoint.status().healthy).toBe(false);
    // Refused at once with the reason, not queued until the timeout.
    const refused = await request(`${url}/predict`, { body: { x: 3 } });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatch(
      /keep crashing as they start: .*exited with code 4[\s\S]*cannot load: broken\.flag is there/,
    );
    expect(refused.body).toMatchObject({ model: 'flaky' });
    expect(events.filter((e) => e.kind === 'health')).toEqual([
      { kind: 'health', version: 1, healthy: false, reason: expect.stringContaining('cannot load') },
    ]);

    // Fixed: the next restart stays up, and the endpoint answers again without being restarted itself.
    rmSync(path.join(ws.dir, BROKEN_FLAG));
    await expect
      .poll(async () => (await request(`${url}/health`)).status, { timeout: 30_000, interval: 100 })
      .toBe(200);
    const answered = await request(`${url}/predict`, { body: { x: 21 } });
    expect(answered.status).toBe(200);
    expect(answered.body.predictions).toEqual([42]);
    expect(endpoint.status().healthy).toBe(true);
    expect(events.filter((e) => e.kind === 'health').map((e) => (e as { healthy: boolean }).healthy)).toEqual([
      false,
      true,
    ]);
  });

  it('reports a predict command that cannot start at once, with its stderr', async () => {
    const ws = await servingProject();
    // The shell fails at once, so the failure is seen while the pool starts however busy the machine is.
    await registerPredictor(ws, 'broken', '', { predict: "echo 'missing dependency: torch' >&2; exit 1" });
    await expect(startEndpoint({ projectDir: ws.dir, db: ws.db, ref: 'broken/1' })).rejects.toThrow(
      /failed to start.*exited with code 1[\s\S]*missing dependency: torch/,
    );
    await registerPredictor(ws, 'nopredict', RECORDING);
    ws.db.prepare("UPDATE model_versions SET predict = NULL WHERE model_name = 'nopredict'").run();
    await expect(startEndpoint({ projectDir: ws.dir, db: ws.db, ref: 'nopredict/1' })).rejects.toThrow(
      /has no predict command/,
    );
    ws.close();
  });

  it('follows its alias under load: every request answered 200, versions switch from 1 to 2, the old processes stop', async () => {
    const ws = await servingProject();
    const script = nodePredictor(`return { version: model.version, x: input.x };`);
    await registerPredictor(ws, 'churn', script, { model: { version: 1 } });
    await registerPredictor(ws, 'churn', script, { model: { version: 2 } });
    setAlias(ws.db, 'churn', 'champion', 1);
    const { url, endpoint, events } = await serve(ws, { ref: 'churn@champion', workers: 2 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const results: { status: number; version: number; answeredBy: number; x: number }[] = [];
    let stop = false;
    let sent = 0;
    const client = async (): Promise<void> => {
      while (!stop) {
        const x = sent++;
        const r = await request(`${url}/predict`, { body: { x }, agent });
        results.push({
          status: r.status,
          version: r.body?.version,
          answeredBy: r.body?.predictions?.[0]?.version,
          x: r.body?.predictions?.[0]?.x,
        });
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await expect.poll(() => results.length).toBeGreaterThan(50);
    setAlias(ws.db, 'churn', 'champion', 2, 'promote');
    await expect.poll(() => results.filter((r) => r.version === 2).length, { timeout: 15_000 }).toBeGreaterThan(50);
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.every((r) => r.version === r.answeredBy)).toBe(true);
    const versions = results.map((r) => r.version);
    expect(versions[0]).toBe(1);
    // Once the new version answers, the old one never answers a later-arriving request again.
    expect(versions.indexOf(2)).toBeGreaterThan(0);
    expect(events).toContainEqual({ kind: 'switched', from: 1, to: 2 });
    expect(endpoint.status().version).toBe(2);
    const metrics = parsePrometheus((await request(`${url}/metrics`)).text);
    expect(metrics.sample('benchtop_model_version_info', { model: 'churn', version: '2', ref: 'churn@champion' })).toBe(
      1,
    );
  });

  it('keeps the old version when the alias moves to one that cannot be served', async () => {
    const ws = await servingProject();
    const script = nodePredictor(`return model.version;`);
    await registerPredictor(ws, 'm', script, { model: { version: 1 } });
    await registerPredictor(ws, 'm', '', { predict: 'echo no weights here >&2; exit 2' });
    setAlias(ws.db, 'm', 'prod', 1);
    const { url, events } = await serve(ws, { ref: 'm@prod' });
    setAlias(ws.db, 'm', 'prod', 2);
    await expect
      .poll(() => events.find((e) => e.kind === 'switch-failed'), { timeout: 10_000 })
      .toMatchObject({ from: 1, to: 2 });
    const r = await request(`${url}/predict`, { body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 1, predictions: [1] });
  });

  it('serves /metrics in the Prometheus text format: counts by status, a cumulative latency histogram, errors, in-flight and the version', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING, { signature: IRIS_SIGNATURE });
    const { url } = await serve(ws, { ref: 'iris/1' });
    const good = { petal_length: 1, petals: 1, species_hint: 'a' };
    for (let i = 0; i < 5; i++) expect((await request(`${url}/predict`, { body: good })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await request(`${url}/predict`, { body: { petals: 1 } })).status).toBe(400);
    expect((await request(`${url}/predict`, { body: { ...good, refuse: 'x' } })).status).toBe(422);
    const res = await request(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheus(res.text);
    expect(m.type('benchtop_requests_total')).toBe('counter');
    expect(m.sample('benchtop_requests_total', { code: '200' })).toBe(5);
    expect(m.sample('benchtop_requests_total', { code: '400' })).toBe(2);
    expect(m.sample('benchtop_requests_total', { code: '422' })).toBe(1);
    expect(m.sample('benchtop_request_errors_total', { kind: 'client' })).toBe(2);
    expect(m.sample('benchtop_request_errors_total', { kind: 'model' })).toBe(1);
    expect(m.sample('benchtop_request_errors_total', { kind: 'server' })).toBe(0);
    expect(m.type('benchtop_request_duration_seconds')).toBe('histogram');
    expect(m.sample('benchtop_request_duration_seconds_count', {})).toBe(8);
    expect(m.sample('benchtop_request_duration_seconds_bucket', { le: '+Inf' })).toBe(8);
    expect(m.sample('benchtop_request_duration_seconds_sum', {})).toBeGreaterThan(0);
    expect(m.sample('benchtop_requests_in_flight', {})).toBe(0);
    expect(m.sample('benchtop_model_version_info', { model: 'iris', version: '1', ref: 'iris/1' })).toBe(1);
  });

  it('logs every /predict request, refused ones with no version, and records the deployment with its stop', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING, { signature: IRIS_SIGNATURE });
    const events: EndpointEvent[] = [];
    const endpoint = await startEndpoint({
      projectDir: ws.dir,
      db: ws.db,
      ref: 'iris/1',
      onEvent: (e) => events.push(e),
    });
    const url = endpoint.status().url;
    const good = { petal_length: 1, petals: 1, species_hint: 'a' };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await request(`${url}/predict`, { body: { ...good, id: `flower-${i}` } })).status);
    statuses.push((await request(`${url}/predict`, { body: { inputs: [good, good, good] } })).status);
    statuses.push((await request(`${url}/predict`, { body: { petals: 1 } })).status);
    statuses.push((await request(`${url}/predict`, { body: { ...good, refuse: 'y' } })).status);
    const deploymentId = endpoint.status().deploymentId;
    await endpoint.close('told to stop');
    expect(events.at(-1)).toEqual({ kind: 'stopped', reason: 'told to stop' });
    const rows = ws.db
      .prepare('SELECT status, version, records, error FROM prediction_requests WHERE deployment_id = ? ORDER BY id')
      .all(deploymentId) as { status: number; version: number | null; records: number; error: string | null }[];
    expect(rows.map((r) => r.status)).toEqual(statuses);
    expect(rows.filter((r) => r.status === 400)).toEqual([
      { status: 400, version: null, records: 0, error: expect.stringContaining('petal_length') },
    ]);
    expect(rows.find((r) => r.status === 422)).toMatchObject({ version: 1, records: 1, error: 'cannot score y' });
    const predictions = ws.db
      .prepare(
        "SELECT record_id AS id, output_json AS output FROM predictions WHERE record_id LIKE 'flower-%' ORDER BY id",
      )
      .all() as { id: string; output: string }[];
    expect(predictions).toHaveLength(12);
    expect(JSON.parse(predictions[0]!.output)).toEqual({ doubled: 2 });
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 12 + 3 + 1 });
    const dep = ws.db
      .prepare(
        'SELECT ref, model_name, host, port, workers, pid, stopped_at, stop_reason FROM deployments WHERE id = ?',
      )
      .get(deploymentId);
    expect(dep).toMatchObject({
      ref: 'iris/1',
      model_name: 'iris',
      host: '127.0.0.1',
      workers: 1,
      pid: process.pid,
      stop_reason: 'told to stop',
    });
    expect((dep as { stopped_at: string | null }).stopped_at).not.toBeNull();
    ws.close();
  });

  it('requires the token when bound to another host than loopback', async (ctx) => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING);
    let served: Awaited<ReturnType<typeof serve>>;
    try {
      served = await serve(ws, { ref: 'iris/1', host: '0.0.0.0' });
    } catch (err) {
      ws.close();
      ctx.skip(`cannot bind 0.0.0.0 here: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const { endpoint } = served;
    const { token, port } = endpoint.status();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const url = `http://127.0.0.1:${port}`;
    const body = { petal_length: 2 };
    expect((await request(`${url}/predict`, { body })).status).toBe(401);
    expect(
      (await request(`${url}/predict`, { body, headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
    ).toBe(401);
    expect((await request(`${url}/health`)).status).toBe(401);
    const ok = await request(`${url}/predict`, { body, headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect((await request(`${url}/health`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('refuses requests addressed to another host name when it has no token (DNS rebinding)', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'iris', RECORDING);
    const { url } = await serve(ws, { ref: 'iris/1' });
    const r = await request(`${url}/predict`, { body: { petal_length: 1 }, headers: { host: 'evil.example:80' } });
    expect(r.status).toBe(403);
    expect(seen(ws)).toEqual([]);
  });
});

describe("the served copy of a version's artifact", () => {
  it('is placed under .benchtop/serving/NAME/VERSION, handed over in BENCHTOP_MODEL_PATH, reused, and replaced when edited', async () => {
    const ws = await servingProject();
    await registerPredictor(
      ws,
      'iris',
      nodePredictor(
        `return { path: process.env.BENCHTOP_MODEL_PATH, name: process.env.BENCHTOP_MODEL_NAME, version: process.env.BENCHTOP_MODEL_VERSION, cwd: process.cwd(), weights: model.weights };`,
      ),
      { model: { weights: [1, 2] } },
    );
    // As in a project made before serving existed: the copies' ignore line is added when they are made.
    const ignore = path.join(ws.dir, '.gitignore');
    writeFileSync(ignore, readFileSync(ignore, 'utf8').replace('/.benchtop/serving/\n', ''));
    const first = await prepareVersion(ws.dir, ws.db, 'iris', 1);
    expect(readFileSync(ignore, 'utf8').split('\n')).toContain('/.benchtop/serving/');
    expect(path.dirname(first.modelPath)).toBe(path.join(ws.dir, '.benchtop', 'serving', 'iris', '1'));
    expect(path.basename(first.modelPath)).toMatch(/^model-\d+\.json$/);
    const marker = path.join(ws.dir, '.benchtop', 'serving', 'iris', '1', '.verified.json');
    const written = statSync(marker).mtimeMs;
    expect((await prepareVersion(ws.dir, ws.db, 'iris', 1)).modelPath).toBe(first.modelPath);
    expect(statSync(marker).mtimeMs).toBe(written);
    writeFileSync(first.modelPath, '{"weights": [666]}');
    await prepareVersion(ws.dir, ws.db, 'iris', 1);
    expect(JSON.parse(readFileSync(first.modelPath, 'utf8'))).toEqual({ weights: [1, 2] });
    const { url } = await serve(ws, { ref: 'iris/1' });
    const r = await request(`${url}/predict`, { body: {} });
    expect(r.body.predictions[0]).toEqual({
      path: first.modelPath,
      name: 'iris',
      version: '1',
      cwd: realpathSync(ws.dir),
      weights: [1, 2],
    });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
