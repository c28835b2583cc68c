// Runs in: main (core). `benchtop data diff REV_A REV_B [PATH]`: resolves each rev (a commit, its
// first digits, a branch, a tag, or `workspace` for the files on disk now) to the version of each
// tracked path, then diffs folders by their manifests and tables down to their rows.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import type { DataDiff } from '../../../../shared/contract/schemas';
import { FileHasher } from '../../util/hashing';
import { hasRepo } from '../../git/git';
import { pointersAt, resolveRev } from '../checkout';
import { decodeManifest, type ManifestEntry } from '../manifest';
import { dataPathOf, parsePointer, readPointer, type DataPointer, type TableSchema } from '../pointer';
import { projectRelative } from '../paths';
import { findPointers } from '../pointer';
import { workspaceHash } from '../status';
import { readTableSchema, tableFormatOf } from '../table-schema';
import { dataStore } from '../track';
import { diffManifests } from './folder-diff';
import { diffTables, type TableSide } from './table-diff';

export const WORKSPACE = 'workspace';

export interface DiffRequest {
  from: string;
  to: string;
  /** One tracked path (relative to `base`); every tracked path that differs when absent. */
  path?: string | null;
  key?: string | null;
  base?: string;
}

/** One rev: its commit (null for the workspace) and the pointer of every path tracked there. */
interface Rev {
  rev: string;
  commit: string | null;
  pointers: Map<string, DataPointer>;
}

/** One path at one rev, as far as a diff needs it. */
interface Version {
  kind: DataPointer['kind'];
  /** Null when the workspace has a pointer but the data itself was deleted. */
  hash: string | null;
  size: number | null;
  schema: TableSchema | undefined;
  /** Where the bytes are: the cache object, or the file in the workspace. */
  file: string;
  fromCache: boolean;
  entries: ManifestEntry[] | null;
}

function label(r: Rev): string {
  return r.commit
    ? r.rev === r.commit || r.commit.startsWith(r.rev)
      ? r.commit.slice(0, 7)
      : `${r.rev} (${r.commit.slice(0, 7)})`
    : WORKSPACE;
}

/** A revision as git reads it (resolveRev); the message also offers the working tree. */
async function resolveWithAncestry(projectDir: string, rev: string): Promise<string> {
  try {
    return await resolveRev(projectDir, rev);
  } catch (err) {
    if (err instanceof BenchtopError && err.message.includes('is not a commit'))
      throw new BenchtopError(
        err.code,
        `"${rev}" is not a commit, branch or tag of this repository, nor \`${WORKSPACE}\`.`,
        { field: 'rev', hint: err.hint },
      );
    throw err;
  }
}

async function readRev(projectDir: string, rev: string): Promise<Rev> {
  if (rev === WORKSPACE) {
    const pointers = new Map<string, DataPointer>();
    for (const p of findPointers(projectDir)) pointers.set(dataPathOf(p), readPointer(projectDir, p));
    return { rev, commit: null, pointers };
  }
  if (!hasRepo(projectDir))
    throw new BenchtopError('NOT_FOUND', 'This project has no git repository, so it has no data versions to compare.', {
      field: 'rev',
      hint: 'Run `benchtop init` first; `workspace` names the files on disk.',
    });
  const commit = await resolveWithAncestry(projectDir, rev);
  const pointers = new Map<string, DataPointer>();
  for (const [filepath, text] of await pointersAt(projectDir, commit))
    pointers.set(dataPathOf(filepath), parsePointer(text.toString('utf8'), `${commit.slice(0, 7)}:${filepath}`));
  return { rev, commit, pointers };
}

async function versionAt(
  projectDir: string,
  hasher: FileHasher,
  r: Rev,
  rel: string,
  p: DataPointer,
): Promise<Version> {
  if (r.commit === null) {
    const now = await workspaceHash(projectDir, hasher, rel, p.kind);
    const abs = path.join(projectDir, rel);
    if (!now)
      return { kind: p.kind, hash: null, size: null, schema: undefined, file: abs, fromCache: false, entries: null };
    const kind = now.entries ? 'folder' : 'file';
    const size = now.entries ? now.entries.reduce((n, e) => n + e.size, 0) : statSync(abs).size;
    // The pointer's schema describes the workspace only while the bytes are the pointer's.
    return {
      kind,
      hash: now.hash,
      size,
      schema: now.hash === p.hash ? p.schema : undefined,
      file: abs,
      fromCache: false,
      entries: now.entries,
    };
  }
  return {
    kind: p.kind,
    hash: p.hash,
    size: p.size,
    schema: p.schema,
    file: dataStore(projectDir).pathOf(p.hash),
    fromCache: true,
    entries: null,
  };
}

function requireCached(v: Version, rel: string, r: Rev): void {
  if (v.fromCache && v.hash && !existsSync(v.file)) {
    throw new BenchtopError('NOT_FOUND', `The data of ${rel} at ${label(r)} is not in the cache.`, {
      field: 'path',
      hint: 'Fetch it with `benchtop data pull` from a remote that has it.',
    });
  }
}

function manifestOf(projectDir: string, v: Version, rel: string, r: Rev): ManifestEntry[] {
  if (v.entries) return v.entries;
  requireCached(v, rel, r);
  return decodeManifest(dataStore(projectDir).readBytes(v.hash!), v.hash!);
}

async function tableSide(
  v: Version,
  rel: string,
  r: Rev,
  format: 'csv' | 'tsv' | 'jsonl' | 'parquet',
): Promise<TableSide> {
  requireCached(v, rel, r);
  const display = `${rel} at ${label(r)}`;
  // A pointer made before schemas were recorded, or a workspace file: infer the types now.
  const schema = v.schema ?? (await readTableSchema(v.file, rel));
  return {
    source: { file: v.file, display, format, expectHash: v.fromCache ? v.hash : null },
    columns: schema?.columns ?? [],
  };
}

async function diffOne(
  projectDir: string,
  hasher: FileHasher,
  a: Rev,
  b: Rev,
  rel: string,
  key: string | null,
): Promise<DataDiff> {
  const pa = a.pointers.get(rel);
  const pb = b.pointers.get(rel);
  const va = pa ? await versionAt(projectDir, hasher, a, rel, pa) : null;
  const vb = pb ? await versionAt(projectDir, hasher, b, rel, pb) : null;
  const side = (r: Rev, v: Version | null): DataDiff['from'] => ({
    rev: r.rev,
    commit: r.commit,
    hash: v?.hash ?? null,
    size: v?.size ?? null,
    kind: v?.kind ?? null,
  });
  const out: DataDiff = {
    path: rel,
    from: side(a, va),
    to: side(b, vb),
    identical: (va?.hash ?? null) === (vb?.hash ?? null),
    note: null,
    files: null,
    table: null,
  };
  if (!va?.hash || !vb?.hash) {
    out.note = !va
      ? `${rel} is not tracked at ${label(a)}.`
      : !vb
        ? `${rel} is not tracked at ${label(b)}.`
        : `${rel} is missing from the workspace.`;
    return out;
  }
  if (va.kind !== vb.kind) {
    out.note = `${rel} is a ${va.kind} at ${label(a)} and a ${vb.kind} at ${label(b)}.`;
    return out;
  }
  if (va.kind === 'folder') {
    out.files = diffManifests(manifestOf(projectDir, va, rel, a), manifestOf(projectDir, vb, rel, b));
    return out;
  }
  if (out.identical) return out;
  const format = tableFormatOf(rel);
  if (format === null) return out;
  out.table = await diffTables(await tableSide(va, rel, a, format), await tableSide(vb, rel, b, format), { key });
  return out;
}

/** Diffs of one tracked path, or of every tracked path that differs between the two revs. */
export async function diffData(projectDir: string, db: Database, req: DiffRequest): Promise<DataDiff[]> {
  const a = await readRev(projectDir, req.from);
  const b = await readRev(projectDir, req.to);
  const hasher = new FileHasher(projectDir, db);
  const key = req.key ?? null;
  if (req.path) {
    const rel = projectRelative(projectDir, req.path, req.base ?? projectDir);
    for (const r of [a, b]) {
      if (!r.pointers.has(rel)) {
        throw new BenchtopError('NOT_FOUND', `${rel} is not tracked at ${label(r)}.`, {
          field: 'path',
          hint: r.commit
            ? `See the versions of ${rel} with \`benchtop data log ${rel}\`.`
            : `Track it with \`benchtop data add ${rel}\`.`,
        });
      }
    }
    const d = await diffOne(projectDir, hasher, a, b, rel, key);
    if (key !== null && d.table === null && !d.identical && d.note === null) {
      throw new BenchtopError(
        'INVALID_INPUT',
        `--key matches rows of a table, and ${rel} is not one (CSV, TSV, JSONL or Parquet).`,
        { field: 'key', hint: 'Leave out --key for this path.' },
      );
    }
    return [d];
  }
  const all = [...new Set([...a.pointers.keys(), ...b.pointers.keys()])].sort();
  const out: DataDiff[] = [];
  for (const rel of all) {
    const d = await diffOne(projectDir, hasher, a, b, rel, key !== null && tableFormatOf(rel) ? key : null);
    if (!d.identical) out.push(d);
  }
  return out;
}
