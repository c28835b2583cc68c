import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/app/core';
import { markdownHtml } from '../../electron/core/reports/markdown';
import { printHtmlToPdf } from '../../electron/core/reports/pdf';
import type { LineageGraph } from '../../shared/contract/schemas';
import { fromWire } from '../../shared/contract/wire';
import { call, fails, openCore } from '../support/core';
import { tmpDir } from '../support/helpers';

/** A project with data/train.csv tracked and committed, and a run that read it and logged a model. */
async function trainedProject(): Promise<{
  core: Core;
  dir: string;
  runId: string;
  dataHash: string;
  dataCommit: string;
}> {
  const { core, dir } = await openCore();
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(
    path.join(dir, 'data', 'train.csv'),
    'age,income,region,default\n31,52000.5,north,0\n45,61000,south,1\n',
  );
  const added = (await call(core, 'data.add', { paths: ['data/train.csv'] })).results[0].data.hash as string;
  const { commit } = await call(core, 'data.commit', { message: 'training data v1' });
  const { runId } = await call(core, 'runs.create', {
    experiment: 'churn',
    name: 'rf-baseline',
    params: { depth: '4', model: 'rf', seed: '1' },
  });
  await call(core, 'runs.log', {
    runId,
    metrics: [
      { key: 'accuracy', value: 0.91 },
      { key: 'f1', value: 0.88 },
      { key: 'loss', value: Number.NaN },
    ],
    inputs: [{ dataset: 'data/train.csv', version: added }],
  });
  writeFileSync(path.join(dir, 'model.pkl'), 'weights v1');
  await call(core, 'runs.logArtifact', { runId, path: 'model.pkl', name: 'model.pkl' });
  await call(core, 'runs.end', { runId, status: 'succeeded' });
  await call(core, 'models.register', {
    name: 'churn',
    runId,
    artifact: 'model.pkl',
    description: 'Gradient of **risk**',
    exclude: ['default'],
  });
  return { core, dir, runId, dataHash: added, dataCommit: commit };
}

describe('model cards', () => {
  it('writes a self-contained HTML card with lineage, metrics, signature and escaped markdown', async () => {
    const { core, dir, dataHash, dataCommit } = await trainedProject();
    await call(core, 'models.update', {
      name: 'churn',
      version: 1,
      intendedUse:
        '# Scope\nScoring <b>retail</b> customers.\n\n- monthly batch `score.py`\n- not for <script>alert(1)</script> loans',
      limitations: 'Trained on two rows & one region "north".',
    });
    const written = await call(core, 'models.card', {
      name: 'churn',
      version: 1,
      format: 'html',
      file: 'churn-card.html',
    });
    expect(written).toMatchObject({ path: 'reports/churn-card.html' });
    const page = readFileSync(path.join(dir, written.path), 'utf8');
    expect(written.size).toBe(Buffer.byteLength(page));
    expect(page).toContain('Model card: churn v1');
    // Metrics (NaN spelled out), the signature read from the data's pointer (without the target), the lineage.
    expect(page).toMatch(/<th scope="row">accuracy<\/th><td class="num">0\.91<\/td>/);
    expect(page).toMatch(/<th scope="row">loss<\/th><td class="num">NaN<\/td>/);
    for (const col of ['age', 'income', 'region']) expect(page).toContain(`<th scope="row">${col}</th>`);
    expect(page).not.toContain('<th scope="row">default</th>');
    expect(page).toContain(`data/train.csv@${dataHash.slice(0, 7)}`);
    expect(page).toContain(`Commit: ${dataCommit.slice(0, 7)}`);
    expect(page).toContain('rf-baseline');
    // Markdown rendered, and every piece of user text escaped.
    expect(page).toContain('<h3>Scope</h3>');
    expect(page).toContain('<li>monthly batch <code>score.py</code></li>');
    expect(page).toContain('<li>not for &lt;script&gt;alert(1)&lt;/script&gt; loans</li>');
    expect(page).toContain('Scoring &lt;b&gt;retail&lt;/b&gt; customers.');
    expect(page).toContain('Trained on two rows &amp; one region &quot;north&quot;.');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/\s(src|href)=/);
    // Never over an existing file.
    expect(
      await fails(core, 'models.card', { name: 'churn', version: 1, format: 'html', file: 'churn-card.html' }),
    ).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(
      await fails(core, 'models.card', { name: 'churn', version: 1, format: 'pdf', file: 'churn-card.html' }),
    ).toMatchObject({ code: 'INVALID_INPUT', field: 'file' });
    expect(await fails(core, 'models.card', { name: 'churn', version: 9, format: 'html' })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'version',
    });
    core.close();
  });

  it('writes the card as JSON (NaN kept) and as a PDF printed by Chromium', async () => {
    const { core, dir } = await trainedProject();
    const json = await call(core, 'models.card', { name: 'churn', version: 1, format: 'json' });
    expect(json.path).toMatch(/^reports\/model-card-churn-v1-\d{4}-\d{2}-\d{2}\.json$/);
    const card = fromWire(readFileSync(path.join(dir, json.path), 'utf8')) as {
      version: { metrics: Record<string, number>; signature: { inputs: unknown[] } };
      lineage: LineageGraph;
    };
    expect(Number.isNaN(card.version.metrics.loss)).toBe(true);
    expect(card.version.signature.inputs).toHaveLength(3);
    expect(card.lineage.nodes.map((n) => n.kind)).toContain('data');

    const pdf = await call(core, 'models.card', { name: 'churn', version: 1, format: 'pdf' });
    expect(pdf.path).toMatch(/\.pdf$/);
    const bytes = readFileSync(path.join(dir, pdf.path));
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBe(pdf.size);
    const listed = await call(core, 'reports.list', {});
    expect(listed.reports.map((r: { format: string }) => r.format).sort()).toEqual(['json', 'pdf']);
    core.close();
  });

  it('names what to install when no Chromium is found', async () => {
    await expect(
      printHtmlToPdf('<p>x</p>', { env: { BENCHTOP_CHROMIUM: path.join(tmpDir(), 'no-chrome') } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('BENCHTOP_CHROMIUM') });
  });

  it('renders light markdown escaped: headings below the section, lists, code; never markup from the text', () => {
    expect(markdownHtml('# A <i>\npara & "q"\n\n* one\n* `two`').text).toBe(
      '<h3>A &lt;i&gt;</h3><p class="md">para &amp; &quot;q&quot;</p><ul><li>one</li><li><code>two</code></li></ul>',
    );
    expect(markdownHtml('###### deep').text).toBe('<h6>deep</h6>');
    expect(markdownHtml('').text).toBe('');
  });
});

describe('lineage and comparing versions', () => {
  it('traces a version to its run, params, metrics, the data version it read and its commits, and on to the monitors watching it', async () => {
    const { core, dir, runId, dataHash, dataCommit } = await trainedProject();
    writeFileSync(path.join(dir, 'model.pkl'), 'weights v2');
    await call(core, 'models.register', { name: 'churn', path: 'model.pkl' });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 1 });
    const db = core.project!.db;
    const add = db.prepare('INSERT INTO monitors (name, kind, config) VALUES (?, ?, ?)');
    add.run('drift-champion', 'drift', JSON.stringify({ model: 'churn@champion', data: 'data/live.csv' }));
    add.run('drift-any', 'drift', JSON.stringify({ model: 'churn' }));
    add.run('drift-v2', 'drift', JSON.stringify({ model: 'churn/2' }));
    add.run('drift-v1', 'drift', JSON.stringify({ model: 'models:/churn/1' }));
    add.run('other-model', 'drift', JSON.stringify({ model: 'fraud@champion' }));
    add.run('no-model', 'schedule', '{}');
    add.run('broken', 'drift', 'not json');
    db.prepare(
      "INSERT INTO monitor_checks (monitor_id, status) SELECT id, 'alert' FROM monitors WHERE name = 'drift-champion'",
    ).run();

    const g: LineageGraph = await call(core, 'models.lineage', { name: 'churn', version: 1 });
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
    expect(byId.get('model:churn/1')).toMatchObject({
      kind: 'model',
      label: 'churn v1',
      ref: 'churn/1',
      detail: expect.stringContaining('@champion'),
    });
    expect(byId.get(`run:${runId}`)).toMatchObject({ kind: 'run', label: 'rf-baseline', ref: runId });
    expect(edge('model:churn/1', `run:${runId}`)?.label).toBe('registered from');
    expect(byId.get(`params:run:${runId}`)?.detail).toBe('depth=4, model=rf, seed=1');
    expect(byId.get(`metrics:run:${runId}`)?.detail).toBe('accuracy=0.91, f1=0.88, loss=NaN');
    const dataId = `data:data/train.csv@${dataHash}`;
    expect(byId.get(dataId)).toMatchObject({
      kind: 'data',
      label: `data/train.csv@${dataHash.slice(0, 7)}`,
      ref: 'data/train.csv',
      detail: `committed in ${dataCommit.slice(0, 7)}`,
    });
    expect(edge(`run:${runId}`, dataId)?.label).toBe('training');
    expect(edge(dataId, `commit:${dataCommit}`)?.label).toBe('committed in');
    const runCommit = g.edges.find((e) => e.from === `run:${runId}` && e.label === 'ran at');
    expect(runCommit?.to).toMatch(/^commit:[0-9a-f]{40}$/);
    const monitors = g.nodes.filter((n) => n.kind === 'monitor');
    expect(monitors.map((n) => n.label)).toEqual(['drift-any', 'drift-champion', 'drift-v1']);
    expect(monitors.find((n) => n.label === 'drift-champion')?.detail).toBe('drift · alert · churn@champion');
    expect(edge('model:churn/1', 'monitor:drift-champion')?.label).toBe('watched by');
    // Every edge joins nodes of the graph; other versions of the model are not part of it.
    for (const e of g.edges) expect(byId.has(e.from) && byId.has(e.to), `${e.from} → ${e.to}`).toBe(true);
    expect(g.nodes.some((n) => n.id === 'model:churn/2')).toBe(false);

    // A version from a path: no run, the project's commit at registration; the v2 monitor watches it.
    const g2: LineageGraph = await call(core, 'models.lineage', { name: 'churn', version: 2 });
    expect(g2.nodes.map((n) => n.kind).sort()).toEqual(['commit', 'model', 'monitor', 'monitor']);
    expect(g2.edges.find((e) => e.label === 'registered at')).toBeTruthy();
    expect(g2.nodes.filter((n) => n.kind === 'monitor').map((n) => n.label)).toEqual(['drift-any', 'drift-v2']);
    core.close();
  });

  it('compares versions side by side, with only the differences on request, and a metric across versions', async () => {
    const { core, dir } = await trainedProject();
    const { runId } = await call(core, 'runs.create', {
      experiment: 'churn',
      name: 'rf-deeper',
      params: { depth: '8', model: 'rf', seed: '1' },
    });
    await call(core, 'runs.log', {
      runId,
      metrics: [
        { key: 'accuracy', value: 0.93 },
        { key: 'loss', value: Number.NaN },
        { key: 'auc', value: 0.97 },
      ],
    });
    writeFileSync(path.join(dir, 'model.pkl'), 'weights v2');
    await call(core, 'runs.logArtifact', { runId, path: 'model.pkl', name: 'model.pkl' });
    await call(core, 'models.register', { name: 'churn', runId, artifact: 'model.pkl' });
    writeFileSync(path.join(dir, 'model.pkl'), 'weights v3');
    await call(core, 'models.register', { name: 'churn', path: 'model.pkl' });
    await call(core, 'models.setAlias', { name: 'churn', alias: 'champion', version: 2 });

    const all = await call(core, 'models.compare', { name: 'churn', versions: [2, 1, 3] });
    expect(
      all.versions.map((v: { version: number; aliases: string[]; source: string }) => [v.version, v.aliases, v.source]),
    ).toEqual([
      [2, ['champion'], 'run'],
      [1, [], 'run'],
      [3, [], 'path'],
    ]);
    expect(all.params).toEqual([
      { key: 'depth', values: ['8', '4', null], differs: true },
      { key: 'model', values: ['rf', 'rf', null], differs: true },
      { key: 'seed', values: ['1', '1', null], differs: true },
    ]);
    const loss = all.metrics.find((m: { key: string }) => m.key === 'loss');
    expect(Number.isNaN(loss.values[0]) && Number.isNaN(loss.values[1]) && loss.values[2] === null).toBe(true);
    expect(all.hiddenSame).toBe(0);
    // The first metric by default, ascending by version, null where a version lacks it.
    expect(all.series).toEqual({
      metric: 'accuracy',
      points: [
        { version: 1, value: 0.91 },
        { version: 2, value: 0.93 },
        { version: 3, value: null },
      ],
    });

    const two = await call(core, 'models.compare', {
      name: 'churn',
      versions: [1, 2],
      metric: 'auc',
      onlyDifferences: true,
    });
    expect(two.params.map((p: { key: string }) => p.key)).toEqual(['depth']);
    // accuracy, auc and f1 differ; loss is NaN in both, which is no difference.
    expect(two.metrics.map((m: { key: string }) => m.key)).toEqual(['accuracy', 'auc', 'f1']);
    expect(two.hiddenSame).toBe(3);
    expect(two.series).toEqual({
      metric: 'auc',
      points: [
        { version: 1, value: null },
        { version: 2, value: 0.97 },
      ],
    });

    expect(await fails(core, 'models.compare', { name: 'churn', versions: [1, 2], metric: 'nope' })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'metric',
      hint: expect.stringContaining('accuracy'),
    });
    expect(await fails(core, 'models.compare', { name: 'churn', versions: [1, 1] })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'versions',
    });
    expect(await fails(core, 'models.compare', { name: 'churn', versions: [1] })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await fails(core, 'models.compare', { name: 'churn', versions: [1, 7] })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'version',
    });
    core.close();
  });
});
