// Runs in: tests (Node). What `benchtop demo` says about reports/: how many reports (a report in HTML
// and JSON is one), how many files, and in which formats.
import { describe, expect, it } from 'vitest';
import { reportsSummary } from '../../../electron/core/project/demo-story';

describe('demo reports summary', () => {
  it('counts a report written in several formats once, and every file', () => {
    expect(reportsSummary(['run-comparison.html', 'run-comparison.json', 'drift-week-08.html'])).toBe(
      '2 reports (3 files: HTML and JSON)',
    );
    expect(reportsSummary(['card.html', 'card.pdf', 'card.json', 'monitor.html'])).toBe(
      '2 reports (4 files: HTML, PDF and JSON)',
    );
  });

  it('says one in the singular, and nothing of formats when there are no files', () => {
    expect(reportsSummary(['monitor.html'])).toBe('1 report (1 file: HTML)');
    expect(reportsSummary([])).toBe('0 reports (0 files)');
  });
});
