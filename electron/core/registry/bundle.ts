// Runs in: main (core) and CLI. Model bundles: one .zip that carries a version to another project —
// the artifact, its card, its lineage and signature, and bundle.json listing every entry's sha256
// and size. Import checks all of it before anything is stored, so a tampered bundle leaves the
// project exactly as it was.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Database } from 'better-sqlite3';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { z } from 'zod';
import { BenchtopError } from '../../../shared/contract/errors';
import {
  lineageGraph,
  metricValue,
  modelDataVersion,
  modelName,
  modelSignature,
  type ModelVersionDetail,
} from '../../../shared/contract/schemas';
import { fromWire, toWire } from '../../../shared/contract/wire';
import { decodeManifest, encodeManifest, type ManifestEntry } from '../data/manifest';
import { dataStore } from '../data/track';
import { writeTransaction } from '../store/database';
import { moveIntoPlace, tempPathFor } from '../util/atomic-write';
import { linkExclusive } from '../util/exclusive-file';
import { packageVersion } from '../util/package-root';
import { cardHtml, modelCard } from './card';
import { safeEntryName, ZipReader, type ZipEntry } from './bundle-zip';
import { checkModelName, resolveModelRef } from './refs';

export const BUNDLE_FORMAT = 'benchtop-model-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'bundle.json';
const ARTIFACT_DIR = 'artifact/';
const FIXED_ENTRIES = ['card.html', 'lineage.json', 'signature.json'] as const;
/** The zip format without ZIP64 (which bundles do not use) holds entries below 4 GiB. */
const MAX_ENTRY_BYTES = 0xffffffff - 1;
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_SMALL_ENTRY_BYTES = 64 * 1024 * 1024;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');

export const bundleManifest = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    createdAt: z.string(),
    generator: z.string(),
    model: z
      .object({
        name: modelName,
        version: z.number().int().min(1),
        format: z.string().min(1).max(50),
        description: z.string().max(20_000),
        intendedUse: z.string().max(100_000),
        limitations: z.string().max(100_000),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)),
        params: z.record(z.string(), z.string()),
        metrics: z.record(z.string(), metricValue),
        data: z.array(modelDataVersion),
        gitCommit: z.string().nullable(),
        signature: modelSignature.nullable(),
        predict: z.string().min(1).max(4000).nullable(),
        source: z.enum(['run', 'path', 'bundle']),
        sourceRunId: z.string().nullable(),
        createdAt: z.string(),
      })
      .strict(),
    artifact: z
      .object({
        path: z.string().min(1).max(1024),
        kind: z.enum(['file', 'folder']),
        /** The file's sha256, or the sha256 of the folder's manifest (see datasets/manifest.ts). */
        hash: sha256,
        size: z.number().int().min(0),
        files: z.number().int().min(1),
      })
      .strict(),
    /** Every entry of the zip except bundle.json itself. */
    entries: z.array(z.object({ name: z.string(), sha256, size: z.number().int().min(0) }).strict()),
  })
  .strict();
export type BundleManifest = z.infer<typeof bundleManifest>;

function bad(file: string, what: string, entry?: string): BenchtopError {
  return new BenchtopError(
    'BAD_FILE',
    `${file} is refused: ${what}${entry ? ` (entry ${entry})` : ''}. Nothing was imported.`,
    {
      field: 'file',
      hint: 'Ask for the bundle again (`benchtop models export`); a bundle changed after export is never imported.',
    },
  );
}

const hashOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A stored entry whose CRC-32 is computed by Node's zlib (native) rather than fflate's JavaScript
 * table: export of a large model ran at a third of the disk's speed on the CRC alone. Node without
 * zlib.crc32 (before 20.15) keeps fflate's.
 */
class StoredEntry extends ZipPassThrough {
  private running = 0;

  override push(chunk: Uint8Array, final?: boolean): void {
    if (typeof zlib.crc32 !== 'function') return super.push(chunk, final);
    this.running = zlib.crc32(chunk, this.running);
    this.size += chunk.length;
    if (final) this.crc = this.running;
    this.process(chunk as Uint8Array<ArrayBuffer>, final ?? false);
  }
}

interface ArtifactFile {
  entry: string;
  hash: string;
  size: number;
}

/** The artifact's files as bundle entries: one for a file, one per manifest entry for a folder. */
function artifactFiles(projectDir: string, v: ModelVersionDetail): ArtifactFile[] {
  const store = dataStore(projectDir);
  const missing = (what: string): BenchtopError =>
    new BenchtopError('NOT_FOUND', `The bytes of ${what} of ${v.name} v${v.version} are missing from the cache.`, {
      field: 'ref',
      hint: 'Fetch them with `benchtop data pull`, then export again.',
    });
  if (!v.artifact.hash || !store.has(v.artifact.hash)) throw missing('the artifact');
  if (v.artifact.kind === 'file') {
    const name = path.posix.basename(v.artifact.path.split('\\').join('/')) || 'model';
    return [
      {
        entry: `${ARTIFACT_DIR}${safeEntryName(name) ? name : 'model'}`,
        hash: v.artifact.hash,
        size: statSync(store.pathOf(v.artifact.hash)).size,
      },
    ];
  }
  return decodeManifest(store.readBytes(v.artifact.hash), v.artifact.hash).map((e) => {
    if (!store.has(e.hash)) throw missing(`${v.artifact.path}/${e.path}`);
    return { entry: `${ARTIFACT_DIR}${e.path}`, hash: e.hash, size: e.size };
  });
}

function resolveTarget(file: string, base: string, field = 'file'): string {
  const abs = path.resolve(base, file);
  if (!/\.zip$/i.test(abs))
    throw new BenchtopError('INVALID_INPUT', `${file} does not end in .zip.`, {
      field,
      hint: 'Name the bundle FILE.zip.',
    });
  return abs;
}

export interface ExportOptions {
  force?: boolean;
  /** Relative file names are resolved from here (the project when left out). */
  base?: string;
  /** The project's name, shown on the card. */
  project?: string;
}

/** Writes `ref`'s bundle to `file` (temp file, then renamed or linked into place); never over an existing file unless `force`. */
export async function exportBundle(
  projectDir: string,
  db: Database,
  ref: string,
  file: string,
  options: ExportOptions = {},
): Promise<{ path: string; size: number; name: string; version: number; entries: number }> {
  const abs = resolveTarget(file, options.base ?? projectDir);
  if (existsSync(abs) && !options.force) {
    throw new BenchtopError('ALREADY_EXISTS', `${abs} exists already; Benchtop does not overwrite files.`, {
      field: 'file',
      hint: 'Choose another file name, or pass --force (force: true) to replace it.',
    });
  }
  if (!existsSync(path.dirname(abs)))
    throw new BenchtopError('NOT_FOUND', `The folder ${path.dirname(abs)} does not exist.`, {
      field: 'file',
      hint: 'Create it first, or write the bundle somewhere else.',
    });
  const { name, version } = resolveModelRef(db, ref);
  const card = await modelCard(projectDir, db, name, version);
  const v = card.version;
  const artifact = artifactFiles(projectDir, v);
  for (const a of artifact) {
    if (a.size > MAX_ENTRY_BYTES)
      throw new BenchtopError('UNSUPPORTED', `${a.entry} is ${a.size} bytes; a bundle holds files below 4 GiB.`, {
        field: 'ref',
        hint: 'Share the artifact through a data remote (`benchtop data push`) instead.',
      });
  }
  const small: [string, Buffer][] = [
    ['card.html', Buffer.from(cardHtml(card, options.project ?? path.basename(projectDir)), 'utf8')],
    ['lineage.json', Buffer.from(`${JSON.stringify(card.lineage, null, 2)}\n`, 'utf8')],
    ['signature.json', Buffer.from(`${JSON.stringify(v.signature, null, 2)}\n`, 'utf8')],
  ];
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: card.generatedAt,
    generator: `Benchtop ${packageVersion()}`,
    model: {
      name: v.name,
      version: v.version,
      format: v.format,
      description: v.description,
      intendedUse: v.intendedUse,
      limitations: v.limitations,
      tags: v.tags,
      params: v.params,
      metrics: v.metrics,
      data: v.data,
      gitCommit: v.gitCommit,
      signature: v.signature,
      predict: v.predict,
      source: v.source,
      sourceRunId: v.runId ?? v.tags['bundle.source_run'] ?? null,
      createdAt: v.createdAt,
    },
    artifact: {
      path: v.artifact.path,
      kind: v.artifact.kind,
      hash: v.artifact.hash,
      size: v.size,
      files: artifact.length,
    },
    entries: [
      ...small.map(([entry, bytes]) => ({ name: entry, sha256: hashOf(bytes), size: bytes.length })),
      ...artifact.map((a) => ({ name: a.entry, sha256: a.hash, size: a.size })),
    ],
  };
  // NaN metrics survive as {"$nonFinite":"NaN"}; indented so the manifest reads well on its own.
  const manifestBytes = Buffer.from(`${JSON.stringify(JSON.parse(toWire(manifest)), null, 2)}\n`, 'utf8');

  const tmp = tempPathFor(abs);
  const fd = openSync(tmp, 'wx', 0o644);
  let fdOpen = true;
  let failure: Error | null = null;
  try {
    const zip = new Zip((err, chunk) => {
      if (err) failure = err;
      else for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
    });
    const deflated = (entry: string, bytes: Uint8Array): void => {
      const f = new ZipDeflate(entry, { level: 6 });
      zip.add(f);
      f.push(bytes, true);
    };
    deflated(MANIFEST_ENTRY, manifestBytes);
    for (const [entry, bytes] of small) deflated(entry, bytes);
    // Artifacts are stored, not deflated: model weights barely compress, and import then costs one copy.
    const store = dataStore(projectDir);
    const buf = Buffer.allocUnsafe(1 << 20);
    for (const a of artifact) {
      const f = new StoredEntry(a.entry);
      zip.add(f);
      const src = openSync(store.pathOf(a.hash), 'r');
      const h = createHash('sha256');
      try {
        let n = 0;
        let total = 0;
        do {
          n = readSync(src, buf, 0, buf.length, null);
          total += n;
          h.update(buf.subarray(0, n));
          f.push(Uint8Array.from(buf.subarray(0, n)), n === 0);
        } while (n > 0);
        if (h.digest('hex') !== a.hash || total !== a.size) {
          throw new BenchtopError(
            'BAD_FILE',
            `The cached bytes of ${a.entry} are corrupt (they no longer hash to ${a.hash.slice(0, 12)}…).`,
            {
              field: 'ref',
              hint: 'Run `benchtop data verify`, restore the object with `benchtop data pull`, then export again.',
            },
          );
        }
      } finally {
        closeSync(src);
      }
    }
    zip.end();
    if (failure) throw failure;
    fsyncSync(fd);
    closeSync(fd);
    fdOpen = false;
    // Moved into place as every atomic writer does; without --force, linked so as never to replace a file.
    if (options.force) moveIntoPlace(tmp, abs);
    else if (!linkExclusive(tmp, abs))
      throw new BenchtopError('ALREADY_EXISTS', `${abs} exists already; Benchtop does not overwrite files.`, {
        field: 'file',
        hint: 'Choose another file name, or pass --force to replace it.',
      });
  } finally {
    if (fdOpen) closeSync(fd);
    rmSync(tmp, { force: true });
  }
  return { path: abs, size: statSync(abs).size, name, version, entries: manifest.entries.length + 1 };
}

function parseManifest(label: string, bytes: Buffer): BundleManifest {
  let raw: unknown;
  try {
    raw = fromWire(bytes.toString('utf8'));
  } catch {
    throw bad(label, `${MANIFEST_ENTRY} is not JSON`, MANIFEST_ENTRY);
  }
  const head = raw as { format?: unknown; formatVersion?: unknown } | null;
  if (head?.format !== BUNDLE_FORMAT)
    throw bad(
      label,
      `it is not a Benchtop model bundle (${MANIFEST_ENTRY} names no format "${BUNDLE_FORMAT}")`,
      MANIFEST_ENTRY,
    );
  if (head.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BenchtopError(
      'UNSUPPORTED',
      `${label} is a bundle of format version ${String(head.formatVersion)}; this Benchtop reads version ${BUNDLE_FORMAT_VERSION}. Nothing was imported.`,
      {
        field: 'file',
        hint: 'Import it with the Benchtop version that wrote it, or export it again from there.',
      },
    );
  }
  const parsed = bundleManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw bad(
      label,
      `${MANIFEST_ENTRY} is malformed at ${issue.path.join('.') || '(top)'}: ${issue.message}`,
      MANIFEST_ENTRY,
    );
  }
  return parsed.data;
}

export interface ImportOptions {
  /** Register under this name instead of the bundle's. */
  name?: string | undefined;
  base?: string;
}

/** Checks `file` whole, then stores its artifact in the cache and inserts a new version (source `bundle`). */
export async function importBundle(
  projectDir: string,
  db: Database,
  file: string,
  options: ImportOptions = {},
): Promise<{ name: string; version: number }> {
  const abs = path.resolve(options.base ?? projectDir, file);
  const label = file;
  const zip = new ZipReader(abs, label);
  const store = dataStore(projectDir);
  const temps: string[] = [];
  try {
    const entries = zip.entries();
    const byName = new Map<string, ZipEntry>(entries.map((e) => [e.name, e]));
    const manifestEntry = byName.get(MANIFEST_ENTRY);
    if (!manifestEntry) throw bad(label, `it has no ${MANIFEST_ENTRY}, so it is not a Benchtop model bundle`);
    const m = parseManifest(label, zip.readEntry(manifestEntry, MAX_MANIFEST_BYTES));
    const name = checkModelName(options.name ?? m.model.name, 'name');

    // The zip and the manifest must list exactly the same entries, with the same sizes.
    const listed = new Map<string, BundleManifest['entries'][number]>();
    for (const e of m.entries) {
      if (!safeEntryName(e.name) || e.name === MANIFEST_ENTRY)
        throw bad(label, `${MANIFEST_ENTRY} lists a name a bundle cannot hold: "${e.name.slice(0, 200)}"`, e.name);
      if (listed.has(e.name)) throw bad(label, `${MANIFEST_ENTRY} lists a name twice`, e.name);
      listed.set(e.name, e);
    }
    for (const e of entries)
      if (e.name !== MANIFEST_ENTRY && !listed.has(e.name))
        throw bad(label, `it holds an entry ${MANIFEST_ENTRY} does not list`, e.name);
    for (const e of m.entries) {
      const z = byName.get(e.name);
      if (!z) throw bad(label, `an entry ${MANIFEST_ENTRY} lists is missing`, e.name);
      if (z.size !== e.size)
        throw bad(label, `the entry is ${z.size} bytes, not the ${e.size} ${MANIFEST_ENTRY} lists`, e.name);
    }
    for (const f of FIXED_ENTRIES) if (!listed.has(f)) throw bad(label, `${f} is missing`, f);
    const artifactEntries = m.entries.filter((e) => e.name.startsWith(ARTIFACT_DIR));
    if (artifactEntries.length === 0) throw bad(label, 'it holds no artifact');
    const unexpected = m.entries.find(
      (e) => !e.name.startsWith(ARTIFACT_DIR) && !(FIXED_ENTRIES as readonly string[]).includes(e.name),
    );
    if (unexpected) throw bad(label, 'a bundle holds no such entry', unexpected.name);

    // Every entry's bytes against its sha256; artifact files go to temp files in the cache as they are read.
    const smallBytes = new Map<string, Buffer>();
    for (const e of m.entries) {
      const h = createHash('sha256');
      if (e.name.startsWith(ARTIFACT_DIR)) {
        const tmp = store.tempPath();
        temps.push(tmp);
        const out = openSync(tmp, 'wx', 0o644);
        try {
          zip.extract(byName.get(e.name)!, (chunk) => {
            h.update(chunk);
            for (let off = 0; off < chunk.length; ) off += writeSync(out, chunk, off, chunk.length - off);
          });
          fsyncSync(out);
        } finally {
          closeSync(out);
        }
      } else {
        const bytes = zip.readEntry(byName.get(e.name)!, MAX_SMALL_ENTRY_BYTES);
        h.update(bytes);
        smallBytes.set(e.name, bytes);
      }
      if (h.digest('hex') !== e.sha256)
        throw bad(label, `its bytes do not match the sha256 in ${MANIFEST_ENTRY}`, e.name);
    }
    let signature: unknown;
    try {
      signature = JSON.parse(smallBytes.get('signature.json')!.toString('utf8'));
    } catch {
      signature = undefined;
    }
    if (JSON.stringify(signature) !== JSON.stringify(m.model.signature))
      throw bad(label, `signature.json disagrees with the signature in ${MANIFEST_ENTRY}`, 'signature.json');
    try {
      lineageGraph.parse(JSON.parse(smallBytes.get('lineage.json')!.toString('utf8')));
    } catch {
      throw bad(label, 'lineage.json is not a lineage graph', 'lineage.json');
    }

    // The artifact as a whole against its hash: the file's sha256, or the folder manifest's.
    const size = artifactEntries.reduce((n, e) => n + e.size, 0);
    let folderManifest: { bytes: Buffer; hash: string } | null = null;
    if (m.artifact.kind === 'file') {
      if (artifactEntries.length !== 1 || artifactEntries[0]!.sha256 !== m.artifact.hash)
        throw bad(
          label,
          `the artifact does not match its hash ${m.artifact.hash.slice(0, 12)}…`,
          artifactEntries[0]!.name,
        );
    } else {
      const manifestEntries: ManifestEntry[] = artifactEntries.map((e) => ({
        path: e.name.slice(ARTIFACT_DIR.length),
        hash: e.sha256,
        size: e.size,
      }));
      folderManifest = encodeManifest(manifestEntries);
      if (folderManifest.hash !== m.artifact.hash)
        throw bad(
          label,
          `the artifact folder does not match its hash ${m.artifact.hash.slice(0, 12)}… (its files differ from the ones exported)`,
          ARTIFACT_DIR,
        );
    }
    if (size !== m.artifact.size || artifactEntries.length !== m.artifact.files)
      throw bad(
        label,
        `the artifact holds ${artifactEntries.length} files of ${size} bytes, not the ${m.artifact.files} of ${m.artifact.size} ${MANIFEST_ENTRY} lists`,
        ARTIFACT_DIR,
      );

    // Everything checked: only now does anything enter the project.
    artifactEntries.forEach((e, i) => store.adopt(temps[i]!, e.sha256));
    if (folderManifest) await store.putBytes(folderManifest.bytes, folderManifest.hash);
    const version = writeTransaction(db, () => {
      const at = new Date().toISOString();
      db.prepare(
        'INSERT INTO registered_models (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at',
      ).run(name, at, at);
      const next = (
        db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM model_versions WHERE model_name = ?').get(name) as {
          v: number;
        }
      ).v;
      db.prepare(
        `INSERT INTO model_versions (model_name, version, run_id, created_at, artifact_path, artifact_kind, artifact_hash, size, files, format, source,
           params_json, metrics_json, data_json, git_commit, signature_json, description, intended_use, limitations, predict, updated_at)
         VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'bundle', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        name,
        next,
        at,
        m.artifact.path,
        m.artifact.kind,
        m.artifact.hash,
        size,
        artifactEntries.length,
        m.model.format,
        JSON.stringify(m.model.params),
        toWire(m.model.metrics),
        JSON.stringify(m.model.data),
        m.model.gitCommit,
        m.model.signature ? JSON.stringify(m.model.signature) : null,
        m.model.description,
        m.model.intendedUse,
        m.model.limitations,
        m.model.predict,
        at,
      );
      // The run stays behind in the other project; its id and the version it was are kept as tags.
      const tags: Record<string, string> = {
        ...m.model.tags,
        'bundle.source_version': `${m.model.name}/${m.model.version}`,
        'bundle.imported_at': at,
      };
      if (m.model.sourceRunId) tags['bundle.source_run'] = m.model.sourceRunId;
      const put = db.prepare('INSERT INTO model_version_tags (model_name, version, key, value) VALUES (?, ?, ?, ?)');
      for (const [k, t] of Object.entries(tags)) put.run(name, next, k, t);
      return next;
    });
    return { name, version };
  } finally {
    zip.close();
    for (const t of temps) rmSync(t, { force: true });
  }
}
