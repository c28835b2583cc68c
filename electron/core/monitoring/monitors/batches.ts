// Runs in: main (core). Where a monitor's batches are: every table file in its folder (name order) or
// its explicit list, each with the sha256 of its content, so a file that changes is checked again.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../../shared/contract/errors';
import type { MonitorConfig } from '../../../../shared/contract/schemas';
import { tableFormatOf } from '../../data/table-schema';

export interface BatchFile {
  /** As stored: project-relative, or absolute outside the project. */
  path: string;
  abs: string;
  label: string;
}

/** A path the user gave (relative to `base`), as the project records it. */
export function storedPath(projectDir: string, base: string, given: string): string {
  const abs = path.resolve(base, given);
  const rel = path.relative(projectDir, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return rel === '' ? '.' : abs;
}

export function batchFiles(projectDir: string, config: Pick<MonitorConfig, 'folder' | 'files'>): BatchFile[] {
  if (config.folder !== null) {
    const dir = path.resolve(projectDir, config.folder);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new BenchtopError('NOT_FOUND', `The batch folder ${config.folder} does not exist.`, {
        field: 'folder',
        hint: 'Create it, or add the monitor again with the folder where the batches arrive.',
      });
    }
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && tableFormatOf(e.name) !== null && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return names.map((name) => ({
      path: config.folder === '.' ? name : `${config.folder!.replace(/\/+$/, '')}/${name}`,
      abs: path.join(dir, name),
      label: name,
    }));
  }
  return config.files.map((p) => {
    const abs = path.resolve(projectDir, p);
    if (!existsSync(abs) || !statSync(abs).isFile())
      throw new BenchtopError('NOT_FOUND', `The batch file ${p} does not exist.`, {
        field: 'files',
        hint: 'Restore it, or add the monitor again without it.',
      });
    return { path: p, abs, label: path.basename(p) };
  });
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
