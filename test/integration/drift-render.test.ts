import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DRIFT_REPORT_PREFIX,
  renderDriftHtml,
  renderDriftJson,
  writeDriftReport,
} from '../../electron/core/reports/drift';
import { listReports } from '../../electron/core/reports/list';
import { driftReport } from '../../shared/contract/schemas';
import { fromWire } from '../../shared/contract/wire';
import { driftReportFixture } from '../support/drift-report';
import { tmpDir } from '../support/helpers';

const EVIL = '<img src=x onerror=alert(1)>';

/** What a report must never contain: anything that runs, or anything fetched from elsewhere. */
function expectSelfContained(page: string): void {
  expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/i);
  // Markup only: quoted attribute values and text content are inert, whatever they spell.
  const markup = page.replace(/"[^"]*"/g, '""').replace(/>[^<]*</g, '><');
  expect(markup).not.toMatch(/<(?:script|img|image|iframe|object|embed|link|foreignObject)\b/i);
  expect(markup).not.toMatch(/\s(?:src|href|xlink:href|on[a-z]+)=/i);
  expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
}

describe('drift report HTML', () => {
  const report = driftReportFixture({ columns: 6, performance: 'classification' });
  report.columns[1]!.name = EVIL;
  report.columns[5]!.test = null;
  report.columns[5]!.scoreKind = null;
  report.columns[5]!.score = null;
  report.columns[5]!.drifted = false;
  report.columns[5]!.problem = 'all values are missing';
  report.problems.push({ source: 'current', message: '3 ragged rows skipped (line 17 has 5 fields, expected 6)' });
  report.onlyInCurrent.push('discount_code');
  const page = renderDriftHtml(report, { project: 'shop' });

  it('names every column, says the verdict, and escapes names', () => {
    for (const c of report.columns) if (c.name !== EVIL) expect(page).toContain(`>${c.name}<`);
    expect(page).toContain('No dataset drift');
    expect(page).toContain(`${report.summary.drifted} of ${report.summary.tested} tested columns drifted`);
    expect(page).not.toContain(EVIL);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('not tested: all values are missing');
    expect(page).toContain('3 ragged rows skipped');
    expect(page).toContain('discount_code');
    expect(page).toContain('<meta name="benchtop-report" content="drift">');
    expectSelfContained(page);
  });

  it('marks drifted rows in text, not only by colour', () => {
    const rows = [...page.matchAll(/<tr class="(differs|same)">(.*?)<\/tr>/g)].filter((m) =>
      /Kolmogorov|Jensen/.test(m[2]!),
    );
    expect(rows.length).toBe(report.columns.length - 1);
    for (const [, cls, cells] of rows) expect(cells!.includes('<td class="">DRIFT</td>')).toBe(cls === 'differs');
  });

  it('shows performance side by side with both confusion matrices', () => {
    expect(page).toContain('Reference: confusion matrix');
    expect(page).toContain('Current: confusion matrix');
    expect(page).toMatch(/<th scope="row">accuracy<\/th><td class="num">0\.88<\/td><td class="num">0\.81<\/td>/);
    const regression = renderDriftHtml(driftReportFixture({ columns: 2, performance: 'regression' }));
    expect(regression).toMatch(/<th scope="row">R²<\/th><td class="num">0\.91<\/td><td class="num">0\.62<\/td>/);
    expect(regression).toMatch(/<th scope="row">MAPE<\/th><td class="num">0\.08<\/td><td class="num">—<\/td>/);
  });

  it('says dataset drift when the share reaches the threshold', () => {
    const drifting = driftReportFixture({ columns: 4 });
    drifting.summary = { ...drifting.summary, drifted: 2, share: 0.5, datasetDrift: true };
    const html = renderDriftHtml(drifting);
    expect(html).toContain('Dataset drift detected');
    expect(html).toContain('class="callout alert"');
  });

  it('renders an empty comparison and spells out every quality finding', () => {
    const empty = driftReportFixture({ columns: 0 });
    empty.onlyInReference.push('a', 'b');
    const html = renderDriftHtml(empty);
    expect(html).toContain('0 of 0 tested columns drifted');
    expect(html).toContain('only in reference');
    expect(html).not.toContain('<svg');
    const q = driftReportFixture({ columns: 1 });
    q.columns[0]!.quality = {
      missingShareReference: 0.25,
      missingShareCurrent: 1,
      newCategoryRows: 0,
      newCategories: [],
      outOfRangeShare: 0.125,
      constantReference: true,
      constantCurrent: false,
    };
    const text = renderDriftHtml(q);
    for (const s of [
      'Missing: 25% in reference, 100% in current.',
      '12.5% of current values lie outside the reference range.',
      'Constant in reference.',
    ])
      expect(text).toContain(s);
  });

  it('a 50-column report stays under 1 MB, and the same report renders to the same bytes', () => {
    const big = driftReportFixture({ columns: 50, performance: 'classification' });
    const a = renderDriftHtml(big, { project: 'p' });
    const size = Buffer.byteLength(a, 'utf8');
    console.log(`50-column drift report: ${size} bytes`);
    expect(size).toBeLessThan(1024 * 1024);
    expect((a.match(/<svg class="chart echart"/g) ?? []).length).toBe(50 + 2 + 2);
    expect(renderDriftHtml(big, { project: 'p' })).toBe(a);
    expectSelfContained(a);
  });
});

describe('drift report JSON', () => {
  it('round-trips through the contract schema with NaN scores kept', () => {
    const report = driftReportFixture({ columns: 3 });
    report.columns[0]!.score = Number.NaN;
    report.columns[0]!.statistic = Infinity;
    const text = renderDriftJson(report);
    expect(text).toContain('{"$nonFinite":"NaN"}');
    const back = driftReport.parse(fromWire(text));
    expect(Number.isNaN(back.columns[0]!.score)).toBe(true);
    expect(back.columns[0]!.statistic).toBe(Infinity);
    expect(back).toEqual(report);
    expect(() => renderDriftJson({ ...report, version: 2 } as never)).toThrow();
  });
});

describe('writing drift reports', () => {
  it('writes HTML and JSON into reports/ under drift-…, never over an existing file, and lists them as drift', async () => {
    const dir = tmpDir();
    const report = driftReportFixture({ columns: 3 });
    const now = new Date('2026-11-30T10:00:00Z');
    const a = await writeDriftReport(dir, report, { format: 'html', now });
    const b = await writeDriftReport(dir, report, { format: 'html', now });
    const j = await writeDriftReport(dir, report, { format: 'json', now });
    expect(a.path).toBe(`reports/${DRIFT_REPORT_PREFIX}week-07-csv-2026-11-30.html`);
    expect(b.path).toBe(`reports/${DRIFT_REPORT_PREFIX}week-07-csv-2026-11-30-2.html`);
    expect(j.path).toBe(`reports/${DRIFT_REPORT_PREFIX}week-07-csv-2026-11-30.json`);
    expect(readFileSync(path.join(dir, a.path), 'utf8')).toBe(renderDriftHtml(report));
    expect(a.size).toBe(Buffer.byteLength(renderDriftHtml(report)));

    const named = await writeDriftReport(dir, report, { format: 'html', file: 'weekly check.html' });
    await expect(writeDriftReport(dir, report, { format: 'html', file: 'weekly check.html' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(writeDriftReport(dir, report, { format: 'html', file: '../escape.html' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(existsSync(path.join(dir, '..', 'escape.html'))).toBe(false);

    const kinds = Object.fromEntries(listReports(dir).reports.map((r) => [r.path, r.kind]));
    expect(kinds[a.path]).toBe('drift');
    expect(kinds[j.path]).toBe('drift');
    // A name without the prefix is still known by the kind written into the page.
    expect(kinds[named.path]).toBe('drift');
  });

  it('prints a PDF with Chromium', async () => {
    const dir = tmpDir();
    const w = await writeDriftReport(dir, driftReportFixture({ columns: 4, performance: 'classification' }), {
      format: 'pdf',
      now: new Date('2026-11-30T10:00:00Z'),
    });
    expect(w.path).toMatch(/^reports\/drift-.*\.pdf$/);
    const bytes = readFileSync(path.join(dir, w.path));
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBe(w.size);
  });
});
