// Runs in: main (core). What `reference` and `current` of a drift request name: a table file, a tracked
// dataset version (`data/x.csv@REV`, read from the cache at that commit), or a run's artifact
// (`run:RUN_ID/path`). Cache objects are hash-checked as they are read.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import { pointersAt, resolveRev } from '../../data/checkout';
import { parsePointer, pointerPathOf } from '../../data/pointer';
import { projectRelative } from '../../data/paths';
import { tableFormatOf } from '../../data/table-schema';
import { dataStore } from '../../data/track';
import { artifactObject } from '../../tracking/artifacts';
import { hasRepo } from '../../git/git';

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export interface ResolvedSource {
  /** What the user named, for the report. */
  label: string;
  file: string;
  /** How messages name it. */
  display: string;
  format: TableFormat;
  /** The sha256 the bytes must have (cache objects). */
  expectHash: string | null;
}

function formatOf(name: string, field: string): TableFormat {
  const f = tableFormatOf(name);
  if (!f)
    throw new BenchtopError(
      'UNSUPPORTED',
      `${name} is not a table file Benchtop reads (CSV, TSV, JSONL or Parquet, by its extension).`,
      { field, hint: 'Give a .csv, .tsv, .jsonl or .parquet file.' },
    );
  return f;
}

export async function resolveSource(
  projectDir: string,
  db: Database | null,
  given: string,
  field: 'reference' | 'current',
  base = projectDir,
): Promise<ResolvedSource> {
  const spec = given.trim();
  const runMatch = /^run:([^/]+)\/(.+)$/.exec(spec);
  if (runMatch) {
    if (!db)
      throw new BenchtopError('NO_PROJECT', `${spec} names a run's artifact, which needs a Benchtop project.`, {
        field,
        hint: 'Run the command inside the project, or give --dir.',
      });
    const obj = artifactObject(projectDir, db, runMatch[1]!, runMatch[2]!);
    return { label: spec, file: obj.file, display: spec, format: formatOf(runMatch[2]!, field), expectHash: obj.hash };
  }
  const abs = path.resolve(base, spec);
  const at = spec.lastIndexOf('@');
  // A file whose name has an @ in it is still a file.
  if (at > 0 && !existsSync(abs))
    return trackedVersion(projectDir, spec.slice(0, at), spec.slice(at + 1), spec, field, base);
  if (!existsSync(abs))
    throw new BenchtopError('NOT_FOUND', `${spec} does not exist.`, {
      field,
      hint: 'Give a CSV, TSV, JSONL or Parquet file, a tracked version as data/x.csv@REV, or run:RUN_ID/path.',
    });
  if (!statSync(abs).isFile())
    throw new BenchtopError('INVALID_INPUT', `${spec} is not a file.`, { field, hint: 'Name one table file.' });
  return { label: spec, file: abs, display: spec, format: formatOf(spec, field), expectHash: null };
}

async function trackedVersion(
  projectDir: string,
  pathPart: string,
  rev: string,
  label: string,
  field: string,
  base: string,
): Promise<ResolvedSource> {
  if (!rev)
    throw new BenchtopError('INVALID_INPUT', `${label} has nothing after the @.`, {
      field,
      hint: 'Write data/x.csv@REV with a commit, branch or tag.',
    });
  if (!hasRepo(projectDir))
    throw new BenchtopError('NOT_FOUND', `${label} names a version, but ${projectDir} has no git repository.`, {
      field,
      hint: 'Run `benchtop init` and track the data with `benchtop data add`.',
    });
  const rel = projectRelative(projectDir, pathPart, base, field);
  const commit = await resolveRev(projectDir, rev);
  const pointers = await pointersAt(projectDir, commit);
  const text = pointers.get(pointerPathOf(rel));
  if (!text)
    throw new BenchtopError('NOT_FOUND', `${rel} is not tracked at ${rev} (${commit.slice(0, 7)}).`, {
      field,
      hint: `See its versions with \`benchtop data log ${rel}\`.`,
    });
  const pointer = parsePointer(text.toString('utf8'), `${commit.slice(0, 7)}:${pointerPathOf(rel)}`);
  if (pointer.kind !== 'file')
    throw new BenchtopError('UNSUPPORTED', `${rel} is a tracked folder; a drift report reads one table file.`, {
      field,
      hint: 'Name a tracked file.',
    });
  const store = dataStore(projectDir);
  if (!store.has(pointer.hash))
    throw new BenchtopError('NOT_FOUND', `The bytes of ${rel} at ${rev} are not in the local cache.`, {
      field,
      hint: 'Fetch them with `benchtop data pull`.',
    });
  return {
    label,
    file: store.pathOf(pointer.hash),
    display: `${rel} at ${commit.slice(0, 7)}`,
    format: formatOf(rel, field),
    expectHash: pointer.hash,
  };
}
