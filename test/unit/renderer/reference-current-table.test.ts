// Runs in: tests (Node). The monitoring views' reference-vs-current table: its markup (the e2e tests
// and README screenshots find it by these labels and classes), and the two cards built on it.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../../renderer/src/components/format';
import { PerformanceCard } from '../../../renderer/src/sections/monitoring/PerformanceCard';
import { ReferenceCurrentTable } from '../../../renderer/src/sections/monitoring/ReferenceCurrentTable';
import { driftReportFixture } from '../../support/drift-report';

/** The body rows as [name, reference, current], read back from the markup. */
function bodyRows(html: string, label: string): string[][] {
  const table = new RegExp(`<table class="grid compact" aria-label="${label}">(.*?)</table>`).exec(html);
  expect(table, `a table labelled ${label}`).not.toBeNull();
  const body = /<tbody>(.*)<\/tbody>/.exec(table![1]!)?.[1] ?? '';
  return [
    ...body.matchAll(/<tr><th scope="row">(.*?)<\/th><td class="num">(.*?)<\/td><td class="num">(.*?)<\/td><\/tr>/g),
  ].map((m) => m.slice(1));
}

describe('ReferenceCurrentTable', () => {
  it('renders a labelled grid: the row heading, then numeric Reference and Current columns', () => {
    const html = renderToStaticMarkup(
      createElement(ReferenceCurrentTable, {
        label: 'Summaries of age',
        rowHeading: 'Statistic',
        rows: [
          ['Rows', '10', '12'],
          ['Mean', '4.2', '—'],
        ],
      }),
    );
    expect(html).toBe(
      '<table class="grid compact" aria-label="Summaries of age">' +
        '<thead><tr><th scope="col">Statistic</th><th scope="col" class="num">Reference</th><th scope="col" class="num">Current</th></tr></thead>' +
        '<tbody><tr><th scope="row">Rows</th><td class="num">10</td><td class="num">12</td></tr>' +
        '<tr><th scope="row">Mean</th><td class="num">4.2</td><td class="num">—</td></tr></tbody>' +
        '</table>',
    );
  });

  it('escapes values (category names come from user data)', () => {
    const html = renderToStaticMarkup(
      createElement(ReferenceCurrentTable, {
        label: 'Summaries of x',
        rowHeading: 'Statistic',
        rows: [['Most frequent', '<b>a</b> (3)', 'a&b (1)']],
      }),
    );
    expect(html).toContain('<td class="num">&lt;b&gt;a&lt;/b&gt; (3)</td>');
    expect(html).toContain('<td class="num">a&amp;b (1)</td>');
  });

  it('keeps the header when there are no rows', () => {
    const html = renderToStaticMarkup(
      createElement(ReferenceCurrentTable, { label: 'Empty', rowHeading: 'Metric', rows: [] }),
    );
    expect(html).toContain('<th scope="col">Metric</th>');
    expect(html).toContain('<tbody></tbody>');
  });
});

describe('PerformanceCard on the shared table', () => {
  const classification = driftReportFixture({ columns: 1, performance: 'classification' }).performance!;
  const regression = driftReportFixture({ columns: 1, performance: 'regression' }).performance!;
  // Row counts use the locale's grouping (1,000 in en-US).
  const thousand = formatNumber(1000);

  it('lists the classification metrics for both sides, then the confusion matrices', () => {
    const html = renderToStaticMarkup(createElement(PerformanceCard, classification));
    expect(bodyRows(html, 'Model performance')).toEqual([
      ['Accuracy', '0.88', '0.81'],
      ['Macro precision', '0.85', '0.85'],
      ['Macro recall', '0.835', '0.835'],
      ['Macro F1', '0.84', '0.84'],
      ['ROC AUC', '0.91', '0.91'],
      ['Rows', thousand, thousand],
    ]);
    expect(html).toContain('<th scope="col">Metric</th>');
    expect(html).toContain('aria-label="Confusion matrix, Current"');
  });

  it('shows a dash for a metric that is missing on a side', () => {
    expect(bodyRows(renderToStaticMarkup(createElement(PerformanceCard, regression)), 'Model performance')).toEqual([
      ['MAE', '1.2', '2.4'],
      ['RMSE', '1.9', '3.1'],
      ['MAPE', '0.08', '—'],
      ['R²', '0.91', '0.62'],
      ['Rows', thousand, '900'],
    ]);
    const mixed = renderToStaticMarkup(
      createElement(PerformanceCard, { reference: classification.reference, current: regression.current }),
    );
    expect(bodyRows(mixed, 'Model performance').map(([name, , current]) => [name, current])).toEqual([
      ['Accuracy', '—'],
      ['Macro precision', '—'],
      ['Macro recall', '—'],
      ['Macro F1', '—'],
      ['ROC AUC', '—'],
      ['Rows', '900'],
    ]);
    expect(mixed).not.toContain('Confusion matrix');
  });
});
