// Runs in: tests (Node, the integration project). `benchtop serve`'s /metrics as the tools around it
// read it: promtool checks the text, a real Prometheus scrapes a served model and its PromQL answers
// match the requests sent and the endpoint's own histogram, and the shipped Grafana dashboard
// (resources/grafana/benchtop-serving.json) asks only for metrics the endpoint exports, in queries
// Prometheus runs. Without Prometheus installed its parts are skipped with the command that installs it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposition, parsePrometheus } from '../support/prometheus';
import {
  PROMETHEUS_MISSING,
  PROMTOOL,
  type PrometheusServer,
  type QueryAnswer,
  startPrometheus,
} from '../support/prometheus-server';
import { ROOT, runCli, tmpDir } from '../support/helpers';
import { type Served, serveCli } from '../support/serve-cli';
import { nodePredictor, request } from '../support/serving';

const DASHBOARD = path.join(ROOT, 'resources', 'grafana', 'benchtop-serving.json');

// Requests the scrape test sends: answered, refused by the signature (400, a client error) and
// refused by the model (422, a model error).
const OK = 20;
const CLIENT_ERRORS = 3;
const MODEL_ERRORS = 2;
const SENT = OK + CLIENT_ERRORS + MODEL_ERRORS;

let served: Served;
let url: string;

beforeAll(async () => {
  const dir = path.join(tmpDir('benchtop-prom-'), 'project');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ slope: 2 }));
  writeFileSync(
    path.join(dir, 'predict.js'),
    nodePredictor(`if (input.x < 0) throw new Error('x must not be negative'); return { y: model.slope * input.x };`),
  );
  const reg = runCli(
    ['models', 'register', 'line', '--path', 'model.json', '--predict', 'node predict.js', '--signature', 'x:number'],
    { cwd: dir },
  );
  expect(reg.code, reg.stderr).toBe(0);
  served = await serveCli(['line'], dir);
  url = served.info.url;
});

afterAll(async () => {
  served?.child.kill('SIGTERM');
  await served?.exited;
});

async function metricsText(): Promise<string> {
  const res = await request(`${url}/metrics`);
  expect(res.status).toBe(200);
  return res.text;
}

/** Every metric name the endpoint exports, as a query names it: a histogram's as _bucket, _sum and _count. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    if (type === 'histogram' || type === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    else names.add(name);
  }
  return names;
}

// --- The dashboard's queries, read without Prometheus -------------------------------------------

interface Target {
  panel: string;
  expr: string;
}

function dashboardTargets(): Target[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: { title: string; targets?: { expr?: string }[]; panels?: unknown[] }[];
  };
  const out: Target[] = [];
  for (const p of dashboard.panels)
    for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title, expr: t.expr });
  return out;
}

const AGGREGATIONS = [
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
];
const KEYWORDS = new Set([
  ...AGGREGATIONS,
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'atan2',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads. Strings, label matchers ({…}), range and subquery
 * brackets ([…]) and the label lists after by/without/on/ignoring/group_left/group_right go first;
 * what is left that looks like a name, is not a keyword, and is not called like a function is a metric.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    // The tail of a number (1e3) is no name; a name called like a function is a function.
    if (/[0-9.]/.test(stripped[m.index - 1] ?? '')) continue;
    if (
      stripped
        .slice(m.index + m[0].length)
        .trimStart()
        .startsWith('(')
    )
      continue;
    if (!KEYWORDS.has(m[0].toLowerCase())) names.add(m[0]);
  }
  return [...names];
}

/** A query as Grafana sends it: its interval and the template variables filled in. */
function asSent(expr: string, version: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}|\$__interval|\$\{__interval\}/g, '1m')
    .replace(/\$\{?model\}?/g, 'line')
    .replace(/\$\{?version\}?/g, version);
}

describe('the Grafana dashboard (resources/grafana/benchtop-serving.json)', () => {
  it('reads metric names out of PromQL', () => {
    expect(
      metricNames(
        'histogram_quantile(0.9, sum by (le, code) (rate(a_bucket{x="rate(b)"}[5m]))) / on (job) group_left (v) c_info * 1e3 > bool 0',
      ).sort(),
    ).toEqual(['a_bucket', 'c_info']);
  });

  it('is a dashboard to import anywhere: a Prometheus data source input, a version variable, and the panels', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d.__inputs).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    );
    // Every data source reference goes through the input, so an import asks which Prometheus to use.
    const uids = [...JSON.stringify(d).matchAll(/"type":"prometheus","uid":"([^"]*)"/g)].map((m) => m[1]);
    expect(uids.length).toBeGreaterThan(0);
    expect(new Set(uids)).toEqual(new Set(['${DS_PROMETHEUS}']));
    expect(d.templating.list.map((v: { name: string }) => v.name)).toContain('version');
    expect(d.panels.map((p: { title: string }) => p.title)).toEqual(
      expect.arrayContaining(['Request rate', 'Error rate', 'Latency quantiles']),
    );
    const latency = dashboardTargets().filter((t) => t.panel === 'Latency quantiles');
    expect(latency.map((t) => /^histogram_quantile\((0\.\d+),/.exec(t.expr)?.[1])).toEqual(['0.5', '0.9', '0.99']);
    // Per version: every panel splits by the version label, and filters by the variable.
    for (const t of dashboardTargets()) {
      expect(t.expr, t.panel).toMatch(/by \([^)]*\bversion\b/);
      expect(t.expr, t.panel).toContain('version=~"$version"');
    }
  });

  it('asks only for metrics a live benchtop serve exports', async () => {
    const exported = exportedNames(await metricsText());
    const targets = dashboardTargets();
    expect(targets.length).toBeGreaterThan(0);
    const unknown = targets.flatMap((t) =>
      metricNames(t.expr)
        .filter((n) => !exported.has(n))
        .map((n) => `${t.panel}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // The variables' choices come from a metric too (label_values(metric, label)).
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { templating: { list: { definition?: string }[] } };
    const variableMetrics = d.templating.list.flatMap((v) =>
      [...(v.definition ?? '').matchAll(/label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)/g)].map((m) => m[1]!),
    );
    expect(variableMetrics.length).toBeGreaterThan(0);
    expect(variableMetrics.filter((n) => !exported.has(n))).toEqual([]);
    // Each query reads at least one metric: a tokenizer that found none would let anything pass.
    for (const t of targets) expect(metricNames(t.expr).length, t.expr).toBeGreaterThan(0);
  });
});

// --- A real Prometheus ------------------------------------------------------------------------

if (PROMETHEUS_MISSING) {
  // Say why, in the run's output and as each skipped test's reason, rather than passing silently.
  console.warn(`serving-prometheus.test.ts: ${PROMETHEUS_MISSING}`);
  describe('Prometheus scraping benchtop serve', () => {
    for (const name of ['promtool check metrics', 'a real scrape and PromQL', 'the dashboard on Prometheus'])
      it(name, (ctx) => {
        ctx.skip(PROMETHEUS_MISSING ?? '');
      });
  });
} else describeWithPrometheus();

function describeWithPrometheus(): void {
  describe('Prometheus scraping benchtop serve', () => {
    let prometheus: PrometheusServer;

    beforeAll(async () => {
      prometheus = await startPrometheus([`127.0.0.1:${served.info.port}`]);
    });

    afterAll(async () => {
      await prometheus?.close();
    });

    /** Polls a query until `accept` holds for its answer: Prometheus scrapes every second, and a wait gives up after 30 s. */
    async function until(promql: string, accept: (a: QueryAnswer) => boolean): Promise<QueryAnswer> {
      let last: QueryAnswer | undefined;
      await expect
        .poll(
          async () => {
            last = await prometheus.query(promql);
            return accept(last);
          },
          { timeout: 30_000, interval: 250 },
        )
        .toBe(true);
      return last!;
    }

    const single = (a: QueryAnswer): number => {
      expect(a.status, a.error).toBe('success');
      expect(a.result, JSON.stringify(a.result)).toHaveLength(1);
      return a.result[0]!.value;
    };

    /** What `promtool check metrics` says of a text (lint problems are printed, and fail it). */
    const promtool = (text: string): { status: number | null; said: string } => {
      const r = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      return { status: r.status, said: r.stdout + r.stderr };
    };

    it('promtool check metrics accepts the /metrics text before any request', async () => {
      expect(promtool(await metricsText())).toEqual({ status: 0, said: '' });
    });

    // Its waits are each bounded (30 s for a scrape a second away); the whole may take several.
    it('counts every request, gives a positive rate, and a median latency inside the bucket the endpoint puts it in', {
      timeout: 180_000,
    }, async () => {
      // Scraped before any request: every counter starts from a sample Prometheus saw, so rate()
      // and increase() count all that follows.
      await until('up{job="benchtop"}', (a) => a.result.length === 1 && a.result[0]!.value === 1);
      await until('benchtop_request_duration_seconds_count', (a) => a.result.length === 1);

      const predict = (body: unknown) => request(`${url}/predict`, { body });
      const sendOk = async () => expect((await predict({ x: 3 })).status).toBe(200);
      const sendClientError = async () => expect((await predict({ x: 'three' })).status).toBe(400);
      const sendModelError = async () => expect((await predict({ x: -1 })).status).toBe(422);
      // One of each first, so each status's series exists before the rest arrive.
      await sendOk();
      await sendClientError();
      await sendModelError();
      await until('sum(benchtop_requests_total)', (a) => a.result[0]?.value === 3);
      for (let i = 1; i < OK; i++) await sendOk();
      for (let i = 1; i < CLIENT_ERRORS; i++) await sendClientError();
      for (let i = 1; i < MODEL_ERRORS; i++) await sendModelError();

      expect(single(await until('sum(benchtop_requests_total)', (a) => a.result[0]?.value === SENT))).toBe(SENT);
      const byCode = await prometheus.query('sum by (code) (benchtop_requests_total)');
      expect(Object.fromEntries(byCode.result.map((s) => [s.metric.code, s.value]))).toEqual({
        '200': OK,
        '400': CLIENT_ERRORS,
        '422': MODEL_ERRORS,
      });
      expect(single(await prometheus.query('sum(benchtop_request_errors_total)'))).toBe(CLIENT_ERRORS + MODEL_ERRORS);
      expect(single(await prometheus.query('benchtop_request_errors_total{kind="model"}'))).toBe(MODEL_ERRORS);
      expect(single(await prometheus.query('sum(benchtop_request_duration_seconds_count)'))).toBe(SENT);
      expect(single(await prometheus.query('sum(rate(benchtop_requests_total[1m]))'))).toBeGreaterThan(0);
      expect(single(await prometheus.query('sum(rate(benchtop_request_errors_total[1m]))'))).toBeGreaterThan(0);

      // Now with a sample of every family, statuses and error kinds included.
      expect(promtool(await metricsText())).toEqual({ status: 0, said: '' });

      // The endpoint's own histogram, read directly: the bucket the median falls in, as
      // histogram_quantile finds it (the first bucket whose cumulative count reaches half the total).
      const direct = parsePrometheus(await metricsText());
      const { lower, upper } = quantileBucket(direct, 'benchtop_request_duration_seconds', 0.5);
      const median = single(
        await prometheus.query(
          'histogram_quantile(0.5, sum by (le) (rate(benchtop_request_duration_seconds_bucket[1m])))',
        ),
      );
      expect(median).toBeGreaterThanOrEqual(lower);
      expect(median).toBeLessThanOrEqual(upper);
    });

    it('runs every dashboard query and gets series back, filtered to the version served', async () => {
      const version = String(served.info.version);
      for (const t of dashboardTargets()) {
        const a = await prometheus.query(asSent(t.expr, version));
        expect(a.status, `${t.panel}: ${a.error}`).toBe('success');
        expect(a.result.length, `${t.panel}: ${asSent(t.expr, version)}`).toBeGreaterThan(0);
        for (const s of a.result) expect(s.metric.version, t.panel).toBe(version);
      }
      // A version not served filters everything out.
      const [first] = dashboardTargets();
      expect((await prometheus.query(asSent(first!.expr, '999'))).result).toEqual([]);
    });
  });
}

/** The bounds of the bucket holding quantile `q` of a histogram without other labels than le. */
function quantileBucket(m: Exposition, family: string, q: number): { lower: number; upper: number } {
  const buckets = m.samples
    .filter((s) => s.name === `${family}_bucket`)
    .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }))
    .sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)!.count;
  expect(total).toBeGreaterThan(0);
  const i = buckets.findIndex((b) => b.count >= q * total);
  const lower = i === 0 ? 0 : buckets[i - 1]!.le;
  // In the +Inf bucket Prometheus answers the highest finite bound.
  return { lower, upper: buckets[i]!.le === Infinity ? lower : buckets[i]!.le };
}
