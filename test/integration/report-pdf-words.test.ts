// Runs in: tests (Node). Printed reports keep words whole in their tables (issue 19): a comparison
// report and a drift report go through Chromium to PDF, poppler's pdftotext reads the text back,
// and every ordinary word of every table cell must come back as many times as it was written.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { driftDocument } from '../../electron/core/reports/drift';
import { type Report, renderReport, type TableBlock } from '../../electron/core/reports/document';
import { printHtmlToPdf } from '../../electron/core/reports/pdf';
import { comparisonReport } from '../../electron/core/tracking/compare';
import { call, openCore } from '../support/core';
import { driftReportFixture } from '../support/drift-report';

const PDFTOTEXT = '/usr/bin/pdftotext';
const NO_PDFTOTEXT = `pdftotext was not found at ${PDFTOTEXT}; install poppler-utils with \`npm run setup:test\``;

/** A word: letters, digits and underscores, dots inside (a param like boost.learning_rate, a number like 0.4699). */
const WORD = /[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*/gu;
/** Longer than this without a space, a token (a hash, a path) may break anywhere; it is not an ordinary word. */
const LONG_TOKEN = 24;

function counts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of text.match(WORD) ?? []) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** Only the report's tables, so every word printed is one the test knows. */
function tablesOnly(report: Report): { report: Report; text: string; words: Set<string> } {
  const sections = report.sections
    .map((s) => ({
      heading: s.heading,
      blocks: s.blocks.filter((b): b is TableBlock => b.kind === 'table').map((b) => ({ ...b, diffToggle: false })),
    }))
    .filter((s) => s.blocks.length > 0);
  const cells = sections.flatMap((s) => s.blocks.flatMap((b) => [...b.columns, ...b.rows.flatMap((r) => r.cells)]));
  const words = new Set<string>();
  for (const cell of cells)
    if (cell.split(/\s+/).every((part) => part.length <= LONG_TOKEN))
      for (const w of cell.match(WORD) ?? []) if (w.length >= 2) words.add(w);
  const text = [
    'Tables',
    'Benchtop: a self-contained report (no scripts, nothing fetched).',
    ...sections.flatMap((s) => [s.heading, ...s.blocks.map((b) => b.caption)]),
    ...cells,
  ].join('\n');
  return { report: { title: 'Tables', meta: [], sections }, text, words };
}

/** Words of the tables that the PDF's text holds fewer times than the report wrote them: split (or lost). */
async function brokenWords(report: Report): Promise<string[]> {
  const { report: tables, text, words } = tablesOnly(report);
  expect(words.size).toBeGreaterThan(20);
  const pdf = await printHtmlToPdf(renderReport(tables));
  const r = spawnSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const written = counts(text);
  const printed = counts(r.stdout);
  return [...words].filter((w) => (printed.get(w) ?? 0) < written.get(w)!).sort();
}

describe('printed report tables', () => {
  it('keep the words of a comparison report whole', async (ctx) => {
    if (!existsSync(PDFTOTEXT)) ctx.skip(NO_PDFTOTEXT);
    const { core } = await openCore();
    try {
      const ids: string[] = [];
      for (const [family, depth, auc] of [
        ['logistic', '1', 0.68543],
        ['boosted', '1', 0.66103],
        ['boosted', '2', 0.62426],
        ['boosted', '3', 0.61891],
      ] as const) {
        const { runId } = await call(core, 'runs.create', { experiment: 'pipeline' });
        await call(core, 'runs.log', {
          runId,
          params: {
            'boost.depth': depth,
            'boost.learning_rate': '0.1',
            'boost.n_estimators': '150',
            'data.batches': 'data/batches',
            'data.history': 'data/loans.csv',
            'model.family': family,
            'split.test_fraction': '0.25',
            'train.epochs': '300',
          },
          metrics: [
            { key: 'accuracy', value: 0.81956 },
            { key: 'auc', value: auc },
            { key: 'auc_lift', value: auc - 0.64909 },
            { key: 'champion_accuracy', value: 0.82094 },
            { key: 'champion_auc', value: 0.64909 },
          ],
        });
        await call(core, 'runs.end', { runId, status: 'succeeded' });
        ids.push(runId);
      }
      const report = comparisonReport(core.project!.db, ids, { project: 'Benchtop demo', metric: 'auc' });
      expect(await brokenWords(report)).toEqual([]);
    } finally {
      await core.shutdown();
    }
  }, 120_000);

  it('keep the words of a drift report whole', async (ctx) => {
    if (!existsSync(PDFTOTEXT)) ctx.skip(NO_PDFTOTEXT);
    const names = ['age', 'employment', 'income', 'region', 'amount', 'term', 'credit_history_years'];
    const fixture = driftReportFixture({ columns: names.length, performance: 'classification' });
    const report = {
      ...fixture,
      current: { ...fixture.current, label: 'data/batches/week-08.csv', hash: 'b'.repeat(64) },
      columns: fixture.columns.map((c, i) => ({ ...c, name: names[i]! })),
    };
    expect(await brokenWords(driftDocument(report, { project: 'Benchtop demo' }))).toEqual([]);
  }, 120_000);
});
