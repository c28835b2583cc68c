import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slugify, writeProjectReport, writeReportFile } from '../../../electron/core/reports/writer';
import { tmpDir } from '../../support/helpers';

describe('report writer', () => {
  it('writes into reports/ under a fresh name, never over an existing file', () => {
    const dir = tmpDir();
    const now = new Date('2026-03-04T10:00:00Z');
    const a = writeProjectReport(dir, '<p>a</p>', { slug: 'Compare 3 runs', now });
    const b = writeProjectReport(dir, '<p>b</p>', { slug: 'Compare 3 runs', now });
    expect(a.path).toBe('reports/compare-3-runs-2026-03-04.html');
    expect(b.path).toBe('reports/compare-3-runs-2026-03-04-2.html');
    expect(readFileSync(a.file, 'utf8')).toBe('<p>a</p>');
    expect(readFileSync(b.file, 'utf8')).toBe('<p>b</p>');
    expect(a.size).toBe(8);
    // No temp files are left behind.
    expect(readdirSync(path.join(dir, 'reports')).sort()).toEqual([
      'compare-3-runs-2026-03-04-2.html',
      'compare-3-runs-2026-03-04.html',
    ]);
  });

  it('a named file is refused when it exists, unless overwriting is asked for; odd names are refused', () => {
    const dir = tmpDir();
    writeProjectReport(dir, 'one', { slug: 'x', name: 'mine.html' });
    expect(() => writeProjectReport(dir, 'two', { slug: 'x', name: 'mine.html' })).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
    expect(readFileSync(path.join(dir, 'reports', 'mine.html'), 'utf8')).toBe('one');
    writeProjectReport(dir, 'three', { slug: 'x', name: 'mine.html', overwrite: true });
    expect(readFileSync(path.join(dir, 'reports', 'mine.html'), 'utf8')).toBe('three');
    for (const bad of ['../escape.html', 'sub/dir.html', 'x.txt', '.hidden.html']) {
      expect(() => writeProjectReport(dir, 'x', { slug: 'x', name: bad })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', field: 'file' }),
      );
    }
    expect(existsSync(path.join(dir, 'escape.html'))).toBe(false);
    expect(readdirSync(path.join(dir, 'reports'))).toEqual(['mine.html']);
  });

  it('writes PDF bytes and JSON under their own extension; a name must end in it', () => {
    const dir = tmpDir();
    const now = new Date('2026-03-04T10:00:00Z');
    const pdf = writeProjectReport(dir, Buffer.from('%PDF-1.4 \x00\xff', 'latin1'), {
      slug: 'Model card churn v1',
      now,
      ext: 'pdf',
    });
    expect(pdf.path).toBe('reports/model-card-churn-v1-2026-03-04.pdf');
    expect(readFileSync(pdf.file).equals(Buffer.from('%PDF-1.4 \x00\xff', 'latin1'))).toBe(true);
    expect(writeProjectReport(dir, '{}', { slug: 'card', name: 'card.json', ext: 'json' }).path).toBe(
      'reports/card.json',
    );
    expect(() => writeProjectReport(dir, '{}', { slug: 'card', name: 'card.html', ext: 'json' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', hint: expect.stringContaining('.json') }),
    );
  });

  it('writeReportFile keeps an existing file untouched', () => {
    const file = path.join(tmpDir(), 'out.html');
    writeFileSync(file, 'precious');
    expect(() => writeReportFile(file, 'new')).toThrow(/exists already; Benchtop does not overwrite files/);
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(readdirSync(path.dirname(file))).toEqual(['out.html']);
  });

  it('slugs are safe file names', () => {
    expect(slugify('Évaluation: <script>/../x')).toBe('evaluation-script-x');
    expect(slugify('!!!')).toBe('report');
  });
});
