import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/app/core';
import { decodeManifest } from '../../electron/core/data/manifest';
import { dataStore } from '../../electron/core/data/track';
import { safeEntryName } from '../../electron/core/registry/bundle-zip';
import { call, fails, openCore } from '../support/core';
import { runCli, tmpDir } from '../support/helpers';

/** Every file under the cache (objects and any temp file left behind). */
function cacheFiles(dir: string): string[] {
  const root = path.join(dir, '.benchtop', 'cache');
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const WEIGHTS = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31 + 7) % 256));

/** Project A: a file version from a run that read tracked data (NaN metric, card text), and a folder version. */
async function source(): Promise<{ core: Core; dir: string; runId: string }> {
  const { core, dir } = await openCore();
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'train.csv'), 'x,y,label\n1,2,0\n3,4,1\n');
  const hash = (await call(core, 'data.add', { paths: ['data/train.csv'] })).results[0].data.hash;
  await call(core, 'data.commit', { message: 'data' });
  const { runId } = await call(core, 'runs.create', {
    experiment: 'e',
    name: 'train-1',
    params: { lr: '0.1', depth: '3' },
  });
  await call(core, 'runs.log', {
    runId,
    metrics: [
      { key: 'acc', value: 0.9 },
      { key: 'loss', value: Number.NaN },
    ],
    inputs: [{ dataset: 'data/train.csv', version: hash }],
  });
  writeFileSync(path.join(dir, 'model.bin'), WEIGHTS);
  await call(core, 'runs.logArtifact', { runId, path: 'model.bin', name: 'model.bin' });
  await call(core, 'runs.end', { runId, status: 'succeeded' });
  await call(core, 'models.register', {
    name: 'churn',
    runId,
    artifact: 'model.bin',
    format: 'custom',
    description: 'first',
    tags: { team: 'risk' },
    exclude: ['label'],
    predict: 'python3 predict.py',
  });
  await call(core, 'models.update', {
    name: 'churn',
    version: 1,
    intendedUse: '- batch scoring',
    limitations: 'small data',
  });
  mkdirSync(path.join(dir, 'hf', 'tokenizer'), { recursive: true });
  writeFileSync(path.join(dir, 'hf', 'config.json'), '{"layers": 2}');
  writeFileSync(path.join(dir, 'hf', 'model.safetensors'), WEIGHTS.subarray(0, 1000));
  writeFileSync(path.join(dir, 'hf', 'tokenizer', 'vocab.txt'), 'a\nb\n');
  writeFileSync(path.join(dir, 'hf', 'empty.txt'), '');
  await call(core, 'models.register', { name: 'churn', path: 'hf' });
  return { core, dir, runId };
}

function rezip(file: string, change: (files: Record<string, Uint8Array>) => void, out: string): string {
  const files = unzipSync(readFileSync(file));
  change(files);
  writeFileSync(out, zipSync(files as Zippable));
  return out;
}

function flip(bytes: Uint8Array, at: number): void {
  bytes[at] = bytes[at]! ^ 1;
}

function editManifest(files: Record<string, Uint8Array>, edit: (m: any) => void): void {
  const m = JSON.parse(strFromU8(files['bundle.json']!));
  edit(m);
  files['bundle.json'] = strToU8(JSON.stringify(m));
}

describe('model bundles', () => {
  it('round-trips a file version and a folder version into another project, byte for byte, keeping the snapshot', async () => {
    const a = await source();
    const out = tmpDir();
    const fileZip = path.join(out, 'churn-v1.zip');
    const exported = await call(a.core, 'models.export', { ref: 'churn/1', file: fileZip });
    expect(exported).toEqual({ path: fileZip, size: readFileSync(fileZip).length });
    // Any zip tool reads it: Python's zipfile checks every entry's CRC.
    const check = spawnSync(
      'python3',
      ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.namelist()))', fileZip],
      { encoding: 'utf8' },
    );
    expect(check.stdout.trim(), check.stderr).toBe('None 5');
    const entries = unzipSync(readFileSync(fileZip));
    expect(Object.keys(entries).sort()).toEqual([
      'artifact/model.bin',
      'bundle.json',
      'card.html',
      'lineage.json',
      'signature.json',
    ]);
    const manifest = JSON.parse(strFromU8(entries['bundle.json']!));
    expect(manifest).toMatchObject({
      format: 'benchtop-model-bundle',
      formatVersion: 1,
      artifact: { kind: 'file', path: 'model.bin', size: 3000, files: 1 },
    });
    expect(manifest.model.metrics.loss).toEqual({ $nonFinite: 'NaN' });
    expect(manifest.model.sourceRunId).toBe(a.runId);
    expect(manifest.entries.map((e: { name: string }) => e.name).sort()).toEqual([
      'artifact/model.bin',
      'card.html',
      'lineage.json',
      'signature.json',
    ]);
    expect(strFromU8(entries['card.html']!)).toContain('Model card: churn v1');
    expect(JSON.parse(strFromU8(entries['lineage.json']!)).nodes.some((n: { kind: string }) => n.kind === 'data')).toBe(
      true,
    );
    expect(JSON.parse(strFromU8(entries['signature.json']!))).toEqual({
      source: expect.stringContaining('data/train.csv@'),
      inputs: [
        { name: 'x', type: 'integer' },
        { name: 'y', type: 'integer' },
      ],
    });

    const folderZip = path.join(out, 'churn-v2.zip');
    await call(a.core, 'models.export', { ref: 'churn@latest', file: folderZip });
    // Never over an existing file, unless forced.
    expect(await fails(a.core, 'models.export', { ref: 'churn/1', file: folderZip })).toMatchObject({
      code: 'ALREADY_EXISTS',
      field: 'file',
    });
    expect(unzipSync(readFileSync(folderZip))['artifact/model.safetensors']).toBeTruthy();
    expect(
      (await call(a.core, 'models.export', { ref: 'churn/2', file: folderZip, force: true })).size,
    ).toBeGreaterThan(0);
    expect(await fails(a.core, 'models.export', { ref: 'churn/1', file: path.join(out, 'x.tar') })).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'file',
    });
    expect(
      await fails(a.core, 'models.export', { ref: 'churn/1', file: path.join(out, 'no', 'such', 'x.zip') }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'file' });
    expect(await fails(a.core, 'models.export', { ref: 'churn@nobody', file: path.join(out, 'y.zip') })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(readdirSync(out).sort()).toEqual(['churn-v1.zip', 'churn-v2.zip']);
    const original = await call(a.core, 'models.version', { name: 'churn', version: 1 });
    a.core.close();

    const b = await openCore();
    writeFileSync(path.join(b.dir, 'local.bin'), 'a version of its own');
    await call(b.core, 'models.register', { name: 'churn', path: 'local.bin' });
    const before = 1;
    const v = await call(b.core, 'models.import', { file: fileZip });
    expect(v).toMatchObject({
      name: 'churn',
      version: before + 1,
      source: 'bundle',
      runId: null,
      format: 'custom',
      size: 3000,
      files: 1,
      description: 'first',
      intendedUse: '- batch scoring',
      limitations: 'small data',
      params: { lr: '0.1', depth: '3' },
      predict: 'python3 predict.py',
      data: original.data,
      gitCommit: original.gitCommit,
      signature: original.signature,
      artifact: { kind: 'file', path: 'model.bin', hash: original.artifact.hash },
      tags: { team: 'risk', 'bundle.source_run': a.runId, 'bundle.source_version': 'churn/1' },
    });
    expect(v.metrics.acc).toBe(0.9);
    expect(Number.isNaN(v.metrics.loss)).toBe(true);
    expect(dataStore(b.dir).readBytes(v.artifact.hash).equals(WEIGHTS)).toBe(true);

    const folder = await call(b.core, 'models.import', { file: folderZip, name: 'hf-model' });
    expect(folder).toMatchObject({
      name: 'hf-model',
      version: 1,
      files: 4,
      artifact: { kind: 'folder', path: 'hf' },
      format: 'huggingface',
    });
    const files = decodeManifest(dataStore(b.dir).readBytes(folder.artifact.hash), folder.artifact.hash);
    expect(files.map((f) => f.path)).toEqual(['config.json', 'empty.txt', 'model.safetensors', 'tokenizer/vocab.txt']);
    for (const f of files)
      expect(
        dataStore(b.dir)
          .readBytes(f.hash)
          .equals(readFileSync(path.join(a.dir, 'hf', f.path))),
        f.path,
      ).toBe(true);
    // The imported version's lineage still tells where it came from.
    const g = await call(b.core, 'models.lineage', { name: 'churn', version: v.version });
    expect(g.nodes.find((n: { kind: string }) => n.kind === 'run')).toMatchObject({ label: a.runId });
    expect(g.nodes.some((n: { kind: string }) => n.kind === 'data')).toBe(true);
    b.core.close();
  });

  it('refuses a tampered bundle, naming the entry, and imports nothing', async () => {
    const a = await source();
    const out = tmpDir();
    const good = path.join(out, 'good.zip');
    const folderZip = path.join(out, 'folder.zip');
    await call(a.core, 'models.export', { ref: 'churn/1', file: good });
    await call(a.core, 'models.export', { ref: 'churn/2', file: folderZip });
    a.core.close();
    const b = await openCore();
    const cache = cacheFiles(b.dir);

    // One byte of the stored artifact flipped inside the zip itself.
    const raw = readFileSync(good);
    const at = raw.indexOf(WEIGHTS.subarray(100, 140));
    expect(at).toBeGreaterThan(0);
    raw[at] = raw[at]! ^ 0xff;
    writeFileSync(path.join(out, 'flipped.zip'), raw);

    const cases: [string, string, RegExp][] = [
      [
        'flipped.zip',
        path.join(out, 'flipped.zip'),
        /do not match the sha256 in bundle\.json \(entry artifact\/model\.bin\)/,
      ],
      [
        'artifact changed',
        rezip(good, (f) => flip(f['artifact/model.bin']!, 5), path.join(out, 'changed.zip')),
        /entry artifact\/model\.bin/,
      ],
      [
        'card hash edited',
        rezip(
          good,
          (f) =>
            editManifest(
              f,
              (m) => (m.entries.find((e: { name: string }) => e.name === 'card.html').sha256 = 'a'.repeat(64)),
            ),
          path.join(out, 'hash.zip'),
        ),
        /entry card\.html/,
      ],
      [
        'artifact hash edited',
        rezip(good, (f) => editManifest(f, (m) => (m.artifact.hash = 'b'.repeat(64))), path.join(out, 'ahash.zip')),
        /the artifact does not match its hash bbbbbbbbbbbb/,
      ],
      [
        'card replaced',
        rezip(good, (f) => (f['card.html'] = strToU8('<h1>same size?</h1>')), path.join(out, 'card.zip')),
        /entry card\.html/,
      ],
      [
        'extra entry',
        rezip(good, (f) => (f['notes.txt'] = strToU8('hi')), path.join(out, 'extra.zip')),
        /an entry bundle\.json does not list \(entry notes\.txt\)/,
      ],
      [
        'missing entry',
        rezip(good, (f) => delete f['lineage.json'], path.join(out, 'missing.zip')),
        /an entry bundle\.json lists is missing \(entry lineage\.json\)/,
      ],
      [
        'zip slip',
        rezip(good, (f) => (f['../evil.txt'] = strToU8('x')), path.join(out, 'slip.zip')),
        /would write outside the bundle: "\.\.\/evil\.txt"/,
      ],
      [
        'absolute name',
        rezip(good, (f) => (f['/etc/evil'] = strToU8('x')), path.join(out, 'abs.zip')),
        /would write outside the bundle/,
      ],
      [
        'signature changed',
        rezip(good, (f) => editManifest(f, (m) => (m.model.signature = null)), path.join(out, 'sig.zip')),
        /signature\.json disagrees/,
      ],
      [
        'folder file swapped',
        rezip(
          folderZip,
          (f) => (f['artifact/config.json'] = strToU8('{"layers": 3}')),
          path.join(out, 'folder-swap.zip'),
        ),
        /entry artifact\/config\.json/,
      ],
      [
        'folder file swapped, manifest entry updated too',
        rezip(
          folderZip,
          (f) => {
            const bytes = strToU8('{"layers": 9}');
            f['artifact/config.json'] = bytes;
            editManifest(f, (m) => {
              const e = m.entries.find((x: { name: string }) => x.name === 'artifact/config.json');
              e.sha256 = createHash('sha256').update(bytes).digest('hex');
            });
          },
          path.join(out, 'folder-rehash.zip'),
        ),
        /the artifact folder does not match its hash/,
      ],
      [
        'not a zip',
        (writeFileSync(path.join(out, 'text.zip'), 'hello, not a zip at all'), path.join(out, 'text.zip')),
        /not a zip file/,
      ],
      [
        'no manifest',
        rezip(good, (f) => delete f['bundle.json'], path.join(out, 'nomanifest.zip')),
        /has no bundle\.json/,
      ],
    ];
    for (const [what, file, message] of cases) {
      const err = await fails(b.core, 'models.import', { file });
      expect(err, what).toMatchObject({ code: 'BAD_FILE', field: 'file' });
      expect(err.message, what).toMatch(message);
      expect(err.message, what).toContain('Nothing was imported');
    }
    const future = rezip(good, (f) => editManifest(f, (m) => (m.formatVersion = 2)), path.join(out, 'future.zip'));
    expect(await fails(b.core, 'models.import', { file: future })).toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('format version 2; this Benchtop reads version 1'),
    });
    expect(await fails(b.core, 'models.import', { file: path.join(out, 'nope.zip') })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'file',
    });
    expect(await fails(b.core, 'models.import', { file: out })).toMatchObject({ code: 'INVALID_INPUT', field: 'file' });
    expect(await fails(b.core, 'models.import', { file: good, name: 'bad name!' })).toMatchObject({
      code: 'INVALID_INPUT',
    });

    // Nothing entered the project: no model, no object, no temp file.
    expect((await call(b.core, 'models.list', {})).models).toEqual([]);
    expect(cacheFiles(b.dir)).toEqual(cache);
    // The untouched bundle still imports.
    expect(await call(b.core, 'models.import', { file: good })).toMatchObject({ name: 'churn', version: 1 });
    b.core.close();
  });

  it('refuses an entry that inflates to more than it declares (a zip bomb costs one slice)', async () => {
    const a = await source();
    const good = path.join(tmpDir(), 'good.zip');
    await call(a.core, 'models.export', { ref: 'churn/1', file: good });
    a.core.close();
    // Shrink lineage.json's declared size in both the central directory and bundle.json, so only inflating reveals it.
    const files = unzipSync(readFileSync(good));
    const real = files['lineage.json']!.length;
    editManifest(files, (m) => (m.entries.find((e: { name: string }) => e.name === 'lineage.json').size = 10));
    const zipped = Buffer.from(zipSync(files as Zippable));
    let central = -1;
    for (
      let at = zipped.indexOf('PK\x01\x02', 0, 'latin1');
      at >= 0;
      at = zipped.indexOf('PK\x01\x02', at + 4, 'latin1')
    ) {
      if (zipped.subarray(at + 46, at + 46 + zipped.readUInt16LE(at + 28)).toString() === 'lineage.json') central = at;
    }
    expect(central).toBeGreaterThan(0);
    expect(zipped.readUInt32LE(central + 24)).toBe(real);
    zipped.writeUInt32LE(10, central + 24);
    const bomb = path.join(tmpDir(), 'bomb.zip');
    writeFileSync(bomb, zipped);
    const b = await openCore();
    const err = await fails(b.core, 'models.import', { file: bomb });
    expect(err).toMatchObject({ code: 'BAD_FILE' });
    expect(err.message).toMatch(/holds more than the 10 bytes it declares \(entry lineage\.json\)/);
    // And an entry declaring an absurd size is refused before a byte is inflated.
    zipped.writeUInt32LE(0xf0000000, central + 24);
    const huge = path.join(tmpDir(), 'huge.zip');
    writeFileSync(huge, zipped);
    expect((await fails(b.core, 'models.import', { file: huge })).message).toMatch(
      /claims to expand from \d+ to 4026531840 bytes \(entry lineage\.json\)/,
    );
    expect((await call(b.core, 'models.list', {})).models).toEqual([]);
    b.core.close();
  });

  it('knows which entry names are safe', () => {
    for (const ok of ['card.html', 'artifact/a/b.bin', 'artifact/.hidden']) expect(safeEntryName(ok), ok).toBe(true);
    for (const bad of ['', '../x', 'a/../../x', '/abs', 'a//b', './a', 'a\\b', 'C:/x', 'a/\u0000b', 'a/'])
      expect(safeEntryName(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('benchtop models export/import/card/lineage/compare (CLI)', () => {
  it('exports a bundle and imports it into another project, with --json, and refuses a tampered one with exit code 1', async () => {
    const a = await source();
    a.core.close();
    const zip = path.join(tmpDir(), 'cli.zip');
    const exp = runCli(['models', 'export', 'churn/1', zip, '--json'], { cwd: a.dir });
    expect(exp.code, exp.stderr).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ path: zip, name: 'churn', version: 1, entries: 5 });
    const again = runCli(['models', 'export', 'churn/1', zip], { cwd: a.dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    expect(runCli(['models', 'export', 'churn/1', zip, '--force'], { cwd: a.dir }).stdout).toMatch(
      /^Exported churn v1 to .*cli\.zip \(5 entries, /,
    );

    const bDir = path.join(tmpDir(), 'b');
    expect(runCli(['init', '--dir', bDir]).code).toBe(0);
    const imp = runCli(['--json', '--dir', bDir, 'models', 'import', zip, '--name', 'copied']);
    expect(imp.code, imp.stderr).toBe(0);
    const v = JSON.parse(imp.stdout);
    expect(v).toMatchObject({ name: 'copied', version: 1, source: 'bundle', runId: null, size: 3000 });
    expect(v.metrics.loss).toEqual({ $nonFinite: 'NaN' });
    expect(runCli(['models', 'import', zip], { cwd: bDir }).stdout).toMatch(
      /^Imported churn\/1 as churn v1 \(custom, 1 file, .*\); every hash checked\./,
    );

    const tampered = rezip(zip, (f) => flip(f['artifact/model.bin']!, 0), path.join(tmpDir(), 'bad.zip'));
    const bad = runCli(['models', 'import', tampered], { cwd: bDir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/entry artifact\/model\.bin\)\. Nothing was imported\./);

    // card, lineage and compare from the CLI.
    const card = runCli(['models', 'card', 'churn@latest', '--format', 'json', '--json'], { cwd: a.dir });
    expect(card.code, card.stderr).toBe(0);
    const cardFile = JSON.parse(card.stdout).path as string;
    expect(cardFile).toMatch(/reports\/model-card-churn-v2-.*\.json$/);
    const out = path.join(tmpDir(), 'card.html');
    expect(runCli(['models', 'card', 'churn/1', '--out', out], { cwd: a.dir }).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Model card: churn v1');
    expect(runCli(['models', 'card', 'churn/1', '--format', 'docx'], { cwd: a.dir }).code).toBe(2);
    const lineage = runCli(['models', 'lineage', 'churn/1'], { cwd: a.dir });
    expect(lineage.stdout).toMatch(/^churn v1/);
    expect(lineage.stdout).toMatch(/\n {2}registered from → run train-1/);
    expect(lineage.stdout).toMatch(/\n {4}training → data data\/train\.csv@[0-9a-f]{7}/);
    expect(
      JSON.parse(runCli(['--json', 'models', 'lineage', 'churn/1'], { cwd: a.dir }).stdout).nodes[0],
    ).toMatchObject({ kind: 'model' });
    const cmp = JSON.parse(
      runCli(['models', 'compare', 'churn/1', 'churn/2', '--diff', '--json'], { cwd: a.dir }).stdout,
    );
    expect(cmp.versions.map((x: { version: number }) => x.version)).toEqual([1, 2]);
    expect(cmp.series.metric).toBe('acc');
    const text = runCli(['models', 'compare', 'churn/1', 'churn/2'], { cwd: a.dir }).stdout;
    expect(text).toMatch(/\*\s+params\.lr\s+0\.1\s+-/);
    expect(text).toContain('acc by version: v1 0.9, v2 -');
    expect(runCli(['models', 'compare', 'churn/1'], { cwd: a.dir }).code).toBe(2);
  });
});
