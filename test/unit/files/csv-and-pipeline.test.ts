import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvShape, previewCsv } from '../../../electron/core/files/csv-summary';
import { insideProject } from '../../../electron/core/files/list-files';
import { readPipelineView } from '../../../electron/core/pipeline/view';
import { ROOT, tmpDir } from '../../support/helpers';

const demo = path.join(ROOT, 'resources', 'demo');

describe('CSV preview', () => {
  it('summarises the demo loans: 3000 rows, numeric ranges, category counts', async () => {
    const p = await previewCsv(path.join(demo, 'data', 'loans.csv'), 'data/loans.csv', 5);
    expect(p.totalRows).toBe(3000);
    expect(p.rows).toHaveLength(5);
    expect(p.columns).toEqual([
      'id',
      'age',
      'income',
      'amount',
      'term',
      'employment',
      'region',
      'credit_history_years',
      'previous_defaults',
      'default',
    ]);
    const age = p.summaries[1]!;
    expect(age).toMatchObject({ kind: 'numeric', min: 21, max: 75, count: 3000, missing: 0 });
    if (age.kind === 'numeric') expect(age.histogram.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(p.summaries[6]).toMatchObject({
      kind: 'categorical',
      distinct: 5,
      top: [
        { value: 'capital', count: 687 },
        { value: 'south', count: 648 },
        { value: 'north', count: 615 },
        { value: 'west', count: 589 },
        { value: 'east', count: 461 },
      ],
    });
    expect(await csvShape(path.join(demo, 'data', 'wine.csv'))).toMatchObject({ rows: 178 });
  });

  it('names the file and line of a malformed row', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'bad.csv'), 'a,b\n1,2\n3,4,5\n');
    await expect(previewCsv(path.join(dir, 'bad.csv'), 'data/bad.csv', 10)).rejects.toThrow(
      /data\/bad\.csv:3: the CSV cannot be read/,
    );
  });

  it('answers for a file that is gone instead of waiting for it (a read error reaches the parser)', async () => {
    const gone = path.join(tmpDir('csv-gone-'), 'gone.csv');
    await expect(previewCsv(gone, 'data/gone.csv', 5)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'data/gone.csv does not exist.',
    });
    expect(await csvShape(gone)).toBeNull();
  });

  it('counts missing values and keeps text columns categorical', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'm.csv'), 'x,y\n1,a\n,b\nNA,a\n4,\n');
    const p = await previewCsv(path.join(dir, 'm.csv'), 'm.csv', 10);
    expect(p.summaries[0]).toMatchObject({ kind: 'numeric', missing: 2, count: 2, mean: 2.5 });
    expect(p.summaries[1]).toMatchObject({ kind: 'categorical', missing: 1, distinct: 2 });
  });
});

describe('insideProject', () => {
  it('refuses symlinks that lead outside the project', () => {
    const project = tmpDir();
    const outside = tmpDir();
    writeFileSync(path.join(outside, 'secret.csv'), 'a\n1\n');
    mkdirSync(path.join(project, 'data'));
    symlinkSync(path.join(outside, 'secret.csv'), path.join(project, 'data', 'link.csv'));
    expect(() => insideProject(project, 'data/link.csv')).toThrow(/outside the project/);
    expect(() => insideProject(project, 'data/none.csv')).toThrow(/does not exist/);
  });
});

describe('pipeline view', () => {
  it('reads the demo stages and which stages feed which', () => {
    const view = readPipelineView(demo);
    expect(view.problem).toBeNull();
    expect(view.stages.map((s) => [s.name, s.after])).toEqual([
      ['prepare', []],
      ['train', ['prepare']],
      ['evaluate', ['prepare', 'train']],
    ]);
    expect(view.stages[2]!.metrics).toEqual(['metrics.json']);
  });

  it('reports a broken benchtop.yaml with its line instead of failing', () => {
    const dir = tmpDir();
    cpSync(path.join(demo, 'benchtop.yaml'), path.join(dir, 'benchtop.yaml'));
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  train:\n    cmd: [python3 train.py\n');
    const view = readPipelineView(dir);
    expect(view.stages).toEqual([]);
    expect(view.problem).toMatchObject({ file: 'benchtop.yaml' });
    expect(view.problem!.line).toBeGreaterThanOrEqual(3);
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  train:\n    deps: [a]\n');
    expect(readPipelineView(dir).problem).toMatchObject({
      line: 3,
      message: expect.stringMatching(/^stages\.train\.cmd: cmd must be a command/),
    });
  });

  it('says when there is no pipeline file', () => {
    expect(readPipelineView(tmpDir())).toEqual({
      file: 'benchtop.yaml',
      exists: false,
      stages: [],
      problem: null,
      problems: [],
      slurmExecutors: [],
    });
  });
});
