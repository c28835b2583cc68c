// Runs in: main (core). The project's data files (under data/), with shape and git status.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { isInside, policyError, refusal } from '../util/path-policy';
import type { DataFile } from '../../../shared/contract/schemas';
import { fileStatus } from '../git/git';
import { DATA_DIR } from '../util/layout';
import { csvShape } from './csv-summary';

const MAX_FILES = 500;

function walk(root: string, rel: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (out.length >= MAX_FILES) return;
    if (entry.name.startsWith('.')) continue;
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) walk(root, child, out);
    else if (entry.isFile() && !entry.name.endsWith('.bt')) out.push(child);
  }
}

export async function listDataFiles(projectDir: string): Promise<DataFile[]> {
  const root = path.join(projectDir, DATA_DIR);
  if (!existsSync(root)) return [];
  const files: string[] = [];
  walk(projectDir, DATA_DIR, files);
  const result: DataFile[] = [];
  for (const rel of files.sort()) {
    const abs = path.join(projectDir, rel);
    const st = statSync(abs);
    const shape = /\.csv$/i.test(rel) ? await csvShape(abs) : null;
    result.push({
      path: rel.split(path.sep).join('/'),
      size: st.size,
      modifiedAt: st.mtime.toISOString(),
      rows: shape?.rows ?? null,
      columns: shape?.columns ?? [],
      gitStatus: await fileStatus(projectDir, rel),
    });
  }
  return result;
}

/**
 * Resolves a project-relative path and proves it stays inside the project, following symlinks,
 * so `../` tricks and links pointing outside are refused.
 */
export function insideProject(projectDir: string, rel: string, field = 'path'): string {
  const abs = path.resolve(projectDir, rel);
  const root = realpathSync(projectDir);
  if (!existsSync(abs)) {
    throw new BenchtopError('NOT_FOUND', `${rel} does not exist in the project.`, {
      field,
      hint: 'Refresh the list; the file may have been moved or deleted.',
    });
  }
  const real = realpathSync(abs);
  if (!isInside(root, real)) {
    throw new BenchtopError('INVALID_INPUT', `${rel} points outside the project folder.`, {
      field,
      hint: 'Only files inside the project can be opened.',
    });
  }
  // Read rules of the path policy: never git's or Benchtop's own files (the database, the server token).
  const why = refusal(path.relative(root, real).split(path.sep).join('/') || '.', 'read');
  if (why) throw policyError(rel, why, field);
  return real;
}
