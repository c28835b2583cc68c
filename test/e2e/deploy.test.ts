// End to end: deploy the demo champion from its version page in Chromium (a taken port refused with
// the core's message first), send requests from outside the app to the URL the panel shows and from
// Try it, watch the request count, the latency chart and the latest-requests table grow, see the
// chip on the models list, see the notice of an alias moved to a version that cannot be served, and
// stop it.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../support/helpers';
import { browserSession, shot } from './session';

const session = browserSession();
let page: Page;
let dir: string;
let url = '';

const RECORD = {
  age: 41,
  income: 3200,
  amount: 9000,
  term: 36,
  employment: 'salaried',
  region: 'north',
  credit_history_years: 12,
  previous_defaults: 0,
};

/** The height of the window a long page is captured in. */
const TALL = { tallHeight: 2200 };

function post(target: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      `${target}/predict`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const panel = (): ReturnType<Page['getByRole']> => page.getByRole('region', { name: 'Deployment', exact: true });
const totals = async (): Promise<number> =>
  Number(
    /([\d,]+) requests/.exec((await panel().getByLabel('Totals').textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? -1,
  );
const latencyPoints = async (): Promise<number> =>
  Number(await panel().locator('.deploy-chart').nth(1).getAttribute('data-points'));

beforeAll(async () => {
  dir = path.join(tmpDir(), 'deploy-demo');
  expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
  const run = runCli(['run'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  // The demo's pipeline registers its model with the predictor it ships (src/predict.js); it beats the scorecard (v1) and becomes champion.
  const db = new BetterSqlite3(path.join(dir, '.benchtop', 'benchtop.db'), { readonly: true });
  expect(
    db.prepare(`SELECT version FROM model_aliases WHERE model_name = 'loan-default' AND alias = 'champion'`).get(),
  ).toEqual({ version: 2 });
  db.close();
  ({ page } = await session.open(dir));
});

describe('Deployment (browser)', () => {
  it('refuses a taken port with the core message, then deploys the champion', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'loan-default version 2' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'loan-default v2', level: 2 }).count()).toBe(1);
    await expect.poll(() => panel().textContent()).toContain('Not deployed');
    expect(await panel().getByLabel('Serve').inputValue()).toBe('loan-default@champion');

    const taken = http.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      await panel()
        .getByLabel('Port (empty: any free port)')
        .fill(String((taken.address() as AddressInfo).port));
      await panel().getByRole('button', { name: 'Deploy' }).click();
      await expect.poll(() => panel().getByRole('alert').textContent()).toMatch(/EADDRINUSE|port/i);
      await shot(page, 'deploy-port-taken');
    } finally {
      await new Promise((r) => taken.close(r));
    }

    await panel().getByLabel('Port (empty: any free port)').fill('');
    await panel().getByLabel('Workers').fill('2');
    await panel().getByRole('button', { name: 'Deploy' }).click();
    const status = panel().getByLabel('Deployment status');
    await expect.poll(() => status.locator('.deploy-state').textContent()).toBe('serving v2');
    url = (await status.locator('.deploy-url').textContent())!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await status.textContent()).toContain('loan-default@champion');
    expect(await status.locator('dd').nth(3).textContent()).toBe('2');
    await expect.poll(() => totals()).toBe(0);
    expect(await latencyPoints()).toBe(0);
  });

  it('shows requests sent from outside and from Try it: counts, latency chart and latest requests grow', async () => {
    for (let i = 0; i < 12; i++) expect(await post(url, { ...RECORD, income: 1500 + i * 250 })).toBe(200);
    // A record missing a field is refused (400) and counted as a client error.
    expect(await post(url, { income: 5 })).toBe(400);
    await expect.poll(() => totals(), { timeout: 20_000 }).toBe(13);
    expect(await latencyPoints()).toBeGreaterThan(0);
    const table = panel().getByRole('table', { name: 'Latest requests' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(13);
    expect(await table.locator('tbody tr').first().textContent()).toContain('400');
    expect(await table.locator('tbody tr').nth(1).textContent()).toMatch(/previous_defaults.*→.*prediction/);

    const tryIt = panel().getByRole('form', { name: 'Try it' });
    await tryIt.getByLabel('Request body (JSON)').fill(JSON.stringify(RECORD));
    await tryIt.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => tryIt.getByLabel('Answer').textContent()).toContain('HTTP 200');
    expect(await tryIt.getByLabel('Answer').textContent()).toContain('probability');
    await expect.poll(() => totals(), { timeout: 20_000 }).toBe(14);
    const before = await panel().locator('.deploy-chart').nth(1).getByRole('img').getAttribute('aria-label');

    // More traffic moves the chart: its totals and its percentiles' label change.
    for (let i = 0; i < 20; i++) await post(url, { ...RECORD, amount: 2000 + i * 1000 });
    await expect.poll(() => totals(), { timeout: 20_000 }).toBe(34);
    expect(await latencyPoints()).toBeGreaterThan(0);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(20);
    await expect
      .poll(() => panel().locator('.deploy-chart').nth(0).getByRole('img').getAttribute('aria-label'))
      .toContain('34 requests');
    expect(before).toMatch(/p50 [\d.]+ ms/);
    await shot(page, 'deploy-running', TALL);

    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name: '← All models' }).click();
    const list = page.getByRole('table', { name: 'Registered models' });
    await expect.poll(() => list.locator('.deploy-state').textContent()).toBe('serving v2');
    expect(await list.textContent()).toContain(url.replace('http://', ''));
    await shot(page, 'deploy-models-list');
  });

  it('shows a notice when the alias moves to a version that cannot be served, while the old one keeps answering', async () => {
    await page.getByRole('button', { name: 'loan-default version 2' }).click();
    const status = panel().getByLabel('Deployment status');
    await expect.poll(() => status.locator('.deploy-state').textContent()).toBe('serving v2');
    expect(await panel().getByLabel('Deployment notice').count()).toBe(0);
    // From a terminal, as a teammate would: a version whose predictor dies as it starts, made champion.
    writeFileSync(path.join(dir, 'broken-model.json'), '{}');
    const registered = runCli(
      [
        'models',
        'register',
        'loan-default',
        '--path',
        'broken-model.json',
        '--predict',
        "echo 'no weights in this build' >&2; exit 2",
        '--alias',
        'champion',
      ],
      { cwd: dir },
    );
    expect(registered.code, registered.stderr).toBe(0);
    const notice = panel().getByLabel('Deployment notice');
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
    expect(await notice.textContent()).toContain('Version 3 could not be served');
    expect(await notice.textContent()).toContain('version 2 keeps answering');
    expect(await notice.textContent()).toContain('no weights in this build');
    expect(await notice.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await status.locator('.deploy-state').textContent()).toBe('serving v2');
    expect(await post(url, RECORD)).toBe(200);
    await shot(page, 'deploy-switch-failed');
    await notice.getByRole('button', { name: 'Dismiss the notice' }).click();
    await expect.poll(() => notice.count()).toBe(0);
  });

  it('stops the deployment: the endpoint no longer answers and the panel offers Deploy again', async () => {
    // Still on version 2's page (the models list now links the latest, version 3).
    expect(await page.getByRole('heading', { name: 'loan-default v2', level: 2 }).count()).toBe(1);
    await panel().getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => panel().getByRole('button', { name: 'Deploy' }).count()).toBe(1);
    expect(await panel().locator('.deploy-last .deploy-state').textContent()).toBe('stopped');
    await expect(post(url, RECORD)).rejects.toThrow();
    // The history stays: the 35 requests are still charted after the stop.
    await expect.poll(() => totals()).toBe(35);
    await shot(page, 'deploy-stopped', TALL);
    // The taken port asked for above is the only failed request.
    expect(session.errors).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
  });
});
