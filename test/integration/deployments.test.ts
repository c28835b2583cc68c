// The app's deployments through the contract, on the real engine: start an endpoint in the core's
// process, refuse a second one for the same model, answer requests from a client and from Try it,
// count them in the stats and latest requests, announce changes and new requests as events, follow
// an alias, require a token beyond loopback, stop, stop everything on shutdown, and tell a
// deployment whose process died from a running one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/app/core';
import { setAlias } from '../../electron/core/registry/aliases';
import { GONE_REASON } from '../../electron/core/serving/deployment-rows';
import { DeploymentManager } from '../../electron/core/serving/deployments';
import { startEndpoint } from '../../electron/core/serving/endpoint';
import type { EndpointEvent } from '../../electron/core/serving/endpoint-types';
import type { BenchtopEvent } from '../../shared/contract/events';
import { call, fails, openCore } from '../support/core';
import { CLI } from '../support/helpers';
import { BREAKABLE, BROKEN_FLAG, nodePredictor, registerPredictor, request } from '../support/serving';

const SIGNATURE = [{ name: 'x', type: 'number' }];
const cores: Core[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cores.splice(0)) await c.shutdown();
});

/** `benchtop serve --json` in the project; resolves with what it prints once it answers. */
function cliServe(
  dir: string,
  ref: string,
): Promise<{ child: ChildProcess; exited: Promise<number | null>; info: { url: string; deploymentId: string } }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', ref], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('\n}');
      if (end >= 0) resolve({ child, exited, info: JSON.parse(out.slice(0, end + 2)) });
    });
    void exited.then((code) => reject(new Error(`benchtop serve exited with ${code}: ${out}`)));
  });
}

async function setup(): Promise<{ core: Core; dir: string; events: BenchtopEvent[] }> {
  const { core, dir } = await openCore();
  cores.push(core);
  const events: BenchtopEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  const ws = core.project!;
  await registerPredictor(ws, 'scorer', nodePredictor(`return { label: input.x > 0 ? 'pos' : 'neg', v: model.v };`), {
    model: { v: 1 },
    signature: SIGNATURE,
  });
  await registerPredictor(ws, 'scorer', nodePredictor(`return { label: input.x > 0 ? 'POS' : 'NEG', v: model.v };`), {
    model: { v: 2 },
    signature: SIGNATURE,
  });
  setAlias(ws.db, 'scorer', 'champion', 1, 'first');
  return { core, dir, events };
}

describe('deployments (contract)', () => {
  it('deploys a model, answers and logs requests, reports stats and events, refuses a second deployment, and stops', async () => {
    const { core, events } = await setup();
    const d = await call(core, 'deployments.start', { ref: 'scorer@champion', workers: 2 });
    expect(d).toMatchObject({
      model: 'scorer',
      state: 'running',
      managed: true,
      version: 1,
      workers: 2,
      host: '127.0.0.1',
      token: null,
    });
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(events.filter((e) => e.name === 'deployments.changed').map((e) => e.payload)).toEqual([
      { model: 'scorer', deploymentId: d.id, change: 'started', version: 1 },
    ]);

    // One deployment per model: the second is refused with where the first one answers.
    const again = await fails(core, 'deployments.start', { ref: 'scorer/2' });
    expect(again).toMatchObject({ code: 'CONFLICT', field: 'ref' });
    expect(again.message).toContain(d.url);

    // A client on the machine, then Try it through the core.
    for (let i = 0; i < 5; i++) expect((await request(`${d.url}/predict`, { body: { x: i - 2 } })).status).toBe(200);
    const refused = await request(`${d.url}/predict`, { body: { y: 1 } });
    expect(refused.status).toBe(400);
    const tried = await call(core, 'deployments.try', { id: d.id, body: JSON.stringify({ x: 3 }) });
    expect(tried.status).toBe(200);
    expect(JSON.stringify(tried.body)).toContain('pos');
    const badJson = await call(core, 'deployments.try', { id: d.id, body: '{"x": ' });
    expect(badJson.status).toBe(400);

    const stats = await call(core, 'deployments.stats', { model: 'scorer', windowSeconds: 300 });
    expect(stats.bucketSeconds).toBe(1);
    expect(stats.totals).toMatchObject({ requests: 8, clientErrors: 2, serverErrors: 0 });
    expect(stats.totals.p50).toBeGreaterThan(0);
    expect(stats.buckets.reduce((s: number, b: { requests: number }) => s + b.requests, 0)).toBe(8);
    const latest = await call(core, 'deployments.requests', { model: 'scorer', limit: 3 });
    expect(latest.requests).toHaveLength(3);
    expect(latest.requests[1]).toMatchObject({
      status: 200,
      version: 1,
      records: 1,
      predictions: [{ input: { x: 3 }, output: { label: 'pos', v: 1 } }],
    });
    expect(latest.requests[2]).toMatchObject({ status: 400, records: 0, predictions: [] });
    // The live event came, throttled: fewer events than requests, and every request counted.
    await expect
      .poll(() =>
        events
          .filter((e) => e.name === 'deployments.requests')
          .reduce((s, e) => s + (e.payload as { count: number }).count, 0),
      )
      .toBe(8);
    expect(events.filter((e) => e.name === 'deployments.requests').length).toBeLessThan(8);

    const listed = await call(core, 'deployments.list', {});
    expect(listed.deployments).toHaveLength(1);
    expect(listed.deployments[0]).toMatchObject({ id: d.id, state: 'running', requests: 8 });

    const stopped = await call(core, 'deployments.stop', { id: d.id });
    expect(stopped).toMatchObject({ id: d.id, state: 'stopped', managed: false });
    expect(stopped.stoppedAt).not.toBeNull();
    await expect(request(`${d.url}/health`)).rejects.toThrow();
    expect((await fails(core, 'deployments.try', { id: d.id, body: '{}' })).code).toBe('NOT_FOUND');
    expect((await fails(core, 'deployments.stop', { id: d.id })).code).toBe('CONFLICT');
    expect(events.filter((e) => e.name === 'deployments.changed').at(-1)!.payload).toMatchObject({
      change: 'stopped',
      deploymentId: d.id,
    });
    // Another version can be deployed once the first stopped.
    const second = await call(core, 'deployments.start', { ref: 'scorer/2' });
    expect(second).toMatchObject({ version: 2, state: 'running' });
  });

  it('announces a switch when the alias it follows moves', async () => {
    const { core, events } = await setup();
    const d = await call(core, 'deployments.start', { ref: 'scorer@champion' });
    await call(core, 'models.setAlias', { name: 'scorer', alias: 'champion', version: 2, reason: 'better' });
    await expect
      .poll(() => events.some((e) => e.name === 'deployments.changed' && e.payload.change === 'switched'), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(events.find((e) => e.name === 'deployments.changed' && e.payload.change === 'switched')!.payload).toEqual({
      model: 'scorer',
      deploymentId: d.id,
      change: 'switched',
      version: 2,
    });
    const now = (await call(core, 'deployments.list', { model: 'scorer' })).deployments[0];
    expect(now.version).toBe(2);
    const answer = await request(`${now.url}/predict`, { body: { x: 1 } });
    expect(answer.text).toContain('POS');
  });

  it("lists a failed switch as the deployment's notice, announced, while the old version keeps answering; the next switch that succeeds clears it", async () => {
    const { core, events } = await setup();
    await registerPredictor(core.project!, 'scorer', '', {
      predict: "echo 'no weights in this version' >&2; exit 2",
      signature: SIGNATURE,
    });
    const d = await call(core, 'deployments.start', { ref: 'scorer@champion' });
    expect(d.notice).toBeNull();
    const before = new Date().toISOString();
    await call(core, 'models.setAlias', { name: 'scorer', alias: 'champion', version: 3, reason: 'try the new one' });
    await expect
      .poll(async () => (await call(core, 'deployments.list', { model: 'scorer' })).deployments[0].notice, {
        timeout: 30_000,
        interval: 100,
      })
      .not.toBeNull();
    const [row] = (await call(core, 'deployments.list', { model: 'scorer' })).deployments;
    expect(row).toMatchObject({ id: d.id, state: 'running', version: 1, healthy: true });
    expect(row.notice).toMatchObject({ kind: 'switch-failed', fromVersion: 1, toVersion: 3 });
    expect(row.notice.message).toContain('version 3');
    expect(row.notice.message).toContain('version 1 keeps answering');
    expect(row.notice.message).toContain('no weights in this version');
    expect(row.notice.at >= before).toBe(true);
    expect(
      events.filter((e) => e.name === 'deployments.changed' && e.payload.change === 'notice').map((e) => e.payload),
    ).toEqual([{ model: 'scorer', deploymentId: d.id, change: 'notice', version: 1 }]);
    expect((await request(`${d.url}/predict`, { body: { x: 1 } })).text).toContain('pos');

    await call(core, 'models.setAlias', { name: 'scorer', alias: 'champion', version: 2, reason: 'fixed' });
    await expect
      .poll(async () => (await call(core, 'deployments.list', { model: 'scorer' })).deployments[0].version, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(2);
    expect((await call(core, 'deployments.list', { model: 'scorer' })).deployments[0].notice).toBeNull();
  });

  it("keeps an endpoint's latest warning as its notice, announcing a repeated one once", async () => {
    const { core, events } = await setup();
    let tell: ((e: EndpointEvent) => void) | undefined;
    // The engine's warnings need a failing disk; this manager hands them over as the engine would.
    const manager = new DeploymentManager({
      project: () => core.project!,
      emit: (e) => events.push(e),
      start: (o) => {
        tell = o.onEvent;
        return startEndpoint(o);
      },
    });
    try {
      const d = await manager.start({ ref: 'scorer/1' });
      const message = "could not update the deployment's heartbeat: SQLITE_FULL";
      tell!({ kind: 'warning', message });
      tell!({ kind: 'warning', message });
      expect(manager.list('scorer')[0]!.notice).toMatchObject({
        kind: 'warning',
        message,
        fromVersion: null,
        toVersion: null,
      });
      expect(events.filter((e) => e.name === 'deployments.changed' && e.payload.change === 'notice')).toHaveLength(1);
      expect(d.notice).toBeNull();
    } finally {
      await manager.closeAll();
    }
  });

  it('shows a running deployment turning unhealthy and recovering, through the list and its events', async () => {
    const { core, dir, events } = await setup();
    await registerPredictor(core.project!, 'flaky', BREAKABLE, { signature: SIGNATURE });
    const d = await call(core, 'deployments.start', { ref: 'flaky/1' });
    expect(d.healthy).toBe(true);
    expect((await request(`${d.url}/predict`, { body: { x: 1, break: true } })).status).toBe(502);
    await expect
      .poll(async () => (await call(core, 'deployments.list', { model: 'flaky' })).deployments[0].healthy, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(false);
    expect((await request(`${d.url}/health`)).status).toBe(503);
    const refused = await call(core, 'deployments.try', { id: d.id, body: JSON.stringify({ x: 2 }) });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toContain('cannot load');
    const health = () =>
      events.filter(
        (e) => e.name === 'deployments.changed' && e.payload.change === 'health' && e.payload.deploymentId === d.id,
      );
    expect(health()).toHaveLength(1);
    // The refusals count as server errors in the stats, like any 5xx.
    expect((await call(core, 'deployments.stats', { model: 'flaky', windowSeconds: 300 })).totals.serverErrors).toBe(2);

    rmSync(path.join(dir, BROKEN_FLAG));
    await expect
      .poll(async () => (await call(core, 'deployments.list', { model: 'flaky' })).deployments[0].healthy, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(true);
    expect(health()).toHaveLength(2);
    expect(
      (await call(core, 'deployments.try', { id: d.id, body: JSON.stringify({ x: 2 }) })).body.predictions,
    ).toEqual([4]);
  });

  it('gives an endpoint beyond loopback a token that Try it sends and other callers need', async () => {
    const { core } = await setup();
    const d = await call(core, 'deployments.start', { ref: 'scorer/1', host: '0.0.0.0' });
    expect(d.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const url = `http://127.0.0.1:${d.port}/predict`;
    expect((await request(url, { body: { x: 1 } })).status).toBe(401);
    expect((await request(url, { body: { x: 1 }, headers: { authorization: `Bearer ${d.token}` } })).status).toBe(200);
    expect((await call(core, 'deployments.try', { id: d.id, body: '{"x": 1}' })).status).toBe(200);
  });

  it('refuses to deploy a model or version that does not exist, changing nothing', async () => {
    const { core } = await setup();
    expect((await fails(core, 'deployments.start', { ref: 'nope@champion' })).code).toBe('NOT_FOUND');
    expect((await fails(core, 'deployments.start', { ref: 'scorer/9' })).code).toBe('NOT_FOUND');
    expect((await call(core, 'deployments.list', {})).deployments).toEqual([]);
  });

  it('stops its endpoints on shutdown, and marks a deployment whose process died as gone', async () => {
    const { core, dir } = await setup();
    const d = await call(core, 'deployments.start', { ref: 'scorer@champion' });
    // A `benchtop serve` that was killed: its row still says running, its pid is gone.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    core
      .project!.db.prepare(
        `INSERT INTO deployments (id, ref, model_name, host, port, workers, pid) VALUES ('killed', 'other@x', 'other', '127.0.0.1', 1, 1, ?)`,
      )
      .run(dead);
    const listed = (await call(core, 'deployments.list', {})).deployments;
    expect(listed.find((x: { id: string }) => x.id === 'killed')).toMatchObject({
      state: 'gone',
      stopReason: GONE_REASON,
    });
    cores.splice(cores.indexOf(core), 1);
    await core.shutdown();
    await expect(request(`${d.url}/health`)).rejects.toThrow();
    const db = new BetterSqlite3(path.join(dir, '.benchtop', 'benchtop.db'), { readonly: true });
    expect(
      db.prepare(`SELECT stopped_at IS NOT NULL AS stopped, stop_reason FROM deployments WHERE id = ?`).get(d.id),
    ).toEqual({ stopped: 1, stop_reason: 'the app closed' });
    db.close();
  });

  it('lists an endpoint started by `benchtop serve`, refuses a second one for its model, charts its requests, and stops it', async () => {
    const { core, dir } = await setup();
    const served = await cliServe(dir, 'scorer@champion');
    for (let i = 0; i < 3; i++)
      expect((await request(`${served.info.url}/predict`, { body: { x: i } })).status).toBe(200);
    const [row] = (await call(core, 'deployments.list', { model: 'scorer' })).deployments;
    expect(row).toMatchObject({
      id: served.info.deploymentId,
      state: 'running',
      managed: false,
      pid: served.child.pid,
      url: served.info.url,
    });
    const refused = await fails(core, 'deployments.start', { ref: 'scorer/2' });
    expect(refused).toMatchObject({ code: 'CONFLICT', field: 'ref' });
    expect(refused.hint).toContain('benchtop serve');
    // Its log lands from the other process, in batches: the stats see every request once it has.
    await expect
      .poll(
        async () =>
          (await call(core, 'deployments.stats', { model: 'scorer', deploymentId: row.id, windowSeconds: 300 })).totals
            .requests,
        { timeout: 15_000 },
      )
      .toBe(3);
    expect((await fails(core, 'deployments.try', { id: row.id, body: '{"x": 1}' })).code).toBe('NOT_FOUND');
    // Stopped as Ctrl+C would: the answer comes once the process has recorded its stop.
    expect(await call(core, 'deployments.stop', { id: row.id })).toMatchObject({ id: row.id, state: 'stopped' });
    expect(await served.exited).toBe(0);
  });

  it('refuses to deploy a version whose predictor dies as it starts, with its reason, leaving nothing running', async () => {
    const { core } = await setup();
    await registerPredictor(core.project!, 'broken', `process.stderr.write('no model here\\n'); process.exit(3);`, {
      signature: SIGNATURE,
    });
    const refused = await fails(core, 'deployments.start', { ref: 'broken/1' });
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', field: 'ref' });
    expect(refused.message).toMatch(/failed to start.*code 3/);
    expect(refused.hint).toContain('BENCHTOP_MODEL_PATH');
    expect(
      (await call(core, 'deployments.list', { model: 'broken' })).deployments.filter(
        (x: { state: string }) => x.state === 'running',
      ),
    ).toEqual([]);
    // The model is free to deploy once fixed: nothing was left claiming it.
    await registerPredictor(core.project!, 'broken', nodePredictor('return 1;'), { signature: SIGNATURE });
    expect(await call(core, 'deployments.start', { ref: 'broken/2' })).toMatchObject({ state: 'running', version: 2 });
  });
});
