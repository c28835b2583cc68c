import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { renderDriftHtml, writeDriftReport } from '../../electron/core/reports/drift';
import { initProject } from '../../electron/core/project/init';
import { startBrowserServer, type BrowserServer } from '../../electron/server/http-server';
import { REPORT_CSP, reportSignature } from '../../electron/server/report-files';
import { signedReportPath } from '../../shared/reports/report-link';
import { driftReportFixture } from '../support/drift-report';
import { ROOT, tmpDir } from '../support/helpers';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: urlPath, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let server: BrowserServer;
let core: Core;
let project: string;
const report = driftReportFixture({ columns: 3 });
let htmlName: string;
let pdfName: string;

const link = (name: string) => `/reports/${encodeURIComponent(name)}?sig=${reportSignature(server.token, name)}`;

beforeAll(async () => {
  project = path.join(tmpDir(), 'proj');
  (await initProject(project, {})).workspace.close();
  htmlName = path.basename(
    (await writeDriftReport(project, report, { format: 'html', file: 'drift weekly.html' })).path,
  );
  pdfName = path.basename((await writeDriftReport(project, report, { format: 'pdf' })).path);
  writeFileSync(path.join(project, 'secret.txt'), 'not a report');
  symlinkSync(path.join(project, 'secret.txt'), path.join(project, 'reports', 'escape.html'));
  mkdirSync(path.join(project, 'reports', 'sub.html'));
  core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(project);
  server = await startBrowserServer({ core, port: 0, staticDir: path.join(ROOT, 'dist', 'renderer') });
});

afterAll(async () => {
  await server.close();
  core.close();
});

describe('reopening reports in browser mode', () => {
  it('serves a report from a signed link, as HTML under a CSP that runs no script', async () => {
    const r = await get(server.port, link(htmlName));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(REPORT_CSP);
    expect(REPORT_CSP).toMatch(/(^|; )sandbox$/);
    expect(REPORT_CSP).not.toContain('script-src');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).toBe(renderDriftHtml(report));
    const head = await get(server.port, link(htmlName), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('serves PDFs as PDFs', async () => {
    const r = await get(server.port, link(pdfName));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.body.startsWith('%PDF-')).toBe(true);
  });

  it('refuses links without the right signature, before looking at the file system', async () => {
    const bad = [
      `/reports/${encodeURIComponent(htmlName)}`,
      `/reports/${encodeURIComponent(htmlName)}?sig=${'0'.repeat(64)}`,
      `/reports/${encodeURIComponent(htmlName)}?sig=${reportSignature('another-token', htmlName)}`,
      `/reports/${encodeURIComponent(htmlName)}?sig=${reportSignature(server.token, pdfName)}`,
      `/reports/nothing.html?sig=zz`,
    ];
    for (const p of bad) {
      const r = await get(server.port, p);
      expect(r.status, p).toBe(401);
      expect(r.body).not.toContain('<html');
    }
  });

  it('serves nothing outside reports/, even with a valid signature', async () => {
    for (const name of [
      '../secret.txt',
      '../benchtop.yaml',
      'escape.html',
      'sub.html',
      'missing.html',
      '.hidden.html',
      'notes.txt',
    ]) {
      const r = await get(server.port, link(name));
      expect(r.status, name).toBe(404);
      expect(r.body).not.toContain('not a report');
    }
  });

  it('keeps the Host and Origin locks', async () => {
    expect((await get(server.port, link(htmlName), { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server.port, link(htmlName), { Origin: 'http://evil.example' })).status).toBe(403);
  });

  it("the renderer's Web Crypto signature is the one the server checks", async () => {
    const url = await signedReportPath(server.token, `reports/${htmlName}`);
    expect(url).toBe(link(htmlName));
    expect((await get(server.port, url)).status).toBe(200);
  });
});

describe('reports.open', () => {
  it('resolves only report files in reports/ (the desktop shell then opens them)', async () => {
    const { dispatch } = await import('../../shared/contract/dispatch');
    const ok = await dispatch(core.handlers, 'reports.open', { path: `reports/${htmlName}` }, { checkOutput: true });
    expect(ok).toMatchObject({
      ok: true,
      value: { opened: false, file: path.join(realpathSync(project), 'reports', htmlName) },
    });
    for (const bad of [
      'reports/../benchtop.yaml',
      'reports/escape.html',
      'reports/sub.html',
      'benchtop.yaml',
      `/reports/${htmlName}`,
      'reports/missing.html',
    ]) {
      const r = await dispatch(core.handlers, 'reports.open', { path: bad });
      expect(r, bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'path' } });
    }
  });
});
