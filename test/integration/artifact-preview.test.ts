import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { PREVIEW_TEXT_BYTES } from '../../electron/core/tracking/artifact-preview';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/names';
import { runCli, tmpDir } from '../support/helpers';

async function call(core: Core, name: MethodName, input: unknown): Promise<any> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

describe('runs.artifactPreview', () => {
  it('previews logged artifacts as CSV rows, JSON, text, images; binary and missing ones say why', async () => {
    const dir = path.join(tmpDir(), 'proj');
    (await initProject(dir, {})).workspace.close();
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      const { runId } = await call(core, 'runs.create', { name: 'r' });
      const files: Record<string, string | Buffer> = {
        'rows.csv': ['a,b', ...Array.from({ length: 150 }, (_, i) => `${i},"x, ${i}"`)].join('\n'),
        'm.json': '{"acc":0.9,"per_class":[1,2]}',
        'big.log': 'line of text\n'.repeat(Math.ceil((PREVIEW_TEXT_BYTES * 2) / 13)),
        'pic.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
        'model.pkl': Buffer.from([0x80, 0x04, 0x00, 0x01, 0x02]),
      };
      for (const [name, content] of Object.entries(files)) {
        writeFileSync(path.join(dir, name), content);
        await call(core, 'runs.logArtifact', { runId, path: name, name: `out/${name}` });
      }
      const csv = await call(core, 'runs.artifactPreview', { runId, path: 'out/rows.csv' });
      expect(csv).toMatchObject({ kind: 'csv', columns: ['a', 'b'], truncated: true });
      expect(csv.rows).toHaveLength(100);
      expect(csv.rows[3]).toEqual(['3', 'x, 3']);
      expect(await call(core, 'runs.artifactPreview', { runId, path: 'out/m.json' })).toEqual({
        kind: 'json',
        size: 29,
        truncated: false,
        text: '{\n  "acc": 0.9,\n  "per_class": [\n    1,\n    2\n  ]\n}',
      });
      const log = await call(core, 'runs.artifactPreview', { runId, path: 'out/big.log' });
      expect(log).toMatchObject({ kind: 'text', truncated: true });
      expect(log.text.length).toBeLessThanOrEqual(PREVIEW_TEXT_BYTES);
      expect(log.text.endsWith('line of text\n')).toBe(true);
      expect(await call(core, 'runs.artifactPreview', { runId, path: 'out/pic.png' })).toEqual({
        kind: 'image',
        size: 12,
        mime: 'image/png',
        dataUrl: `data:image/png;base64,${(files['pic.png'] as Buffer).toString('base64')}`,
      });
      expect(await call(core, 'runs.artifactPreview', { runId, path: 'out/model.pkl' })).toMatchObject({
        kind: 'none',
        reason: expect.stringContaining('binary file (model)'),
      });
      // The run's copy is shown even after the project's file changed.
      writeFileSync(path.join(dir, 'm.json'), '{"acc":0.1}');
      expect((await call(core, 'runs.artifactPreview', { runId, path: 'out/m.json' })).text).toContain('0.9');
      const missing = await dispatch(core.handlers, 'runs.artifactPreview', { runId, path: 'out/none.txt' });
      expect(missing).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: expect.stringContaining('has no artifact out/none.txt') },
      });
      const escaped = await dispatch(core.handlers, 'runs.artifactPreview', { runId, path: '../etc/passwd' });
      expect(escaped).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'path' } });
    } finally {
      core.close();
    }
  });

  it("previews a pipeline stage's output from the run that wrote it", async () => {
    const dir = path.join(tmpDir(), 'demo');
    expect(runCli(['init', '--demo', '--dir', dir]).code).toBe(0);
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
    await core.open(dir);
    try {
      const [run] = (await call(core, 'runs.search', {})).runs;
      const detail = await call(core, 'runs.get', { id: run.id });
      const out = detail.artifacts.find(
        (a: { role: string; path: string }) => a.role === 'out' && a.path === 'metrics.json',
      );
      expect(out).toBeDefined();
      const preview = await call(core, 'runs.artifactPreview', { runId: run.id, path: out.path });
      expect(preview.kind).toBe('json');
      expect(JSON.parse(preview.text)).toHaveProperty('accuracy');
    } finally {
      core.close();
    }
  });
});
