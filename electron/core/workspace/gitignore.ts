// Runs in: main (core). Adds Benchtop's entries to .gitignore without touching the user's lines.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { GITIGNORE_ENTRIES } from '../util/layout';

/** Returns true when the file changed. */
export function ensureGitignore(
  dir: string,
  entries: readonly string[] = GITIGNORE_ENTRIES,
  comment = 'Benchtop: machine-local state (database, cache, logs)',
): boolean {
  const file = path.join(dir, '.gitignore');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present = new Set(before.split(/\r?\n/).map((l) => l.trim()));
  const missing = entries.filter((e) => !present.has(e));
  if (missing.length === 0) return false;
  const sep = before === '' || before.endsWith('\n') ? '' : '\n';
  const block = `${before === '' ? '' : '\n'}# ${comment}\n${missing.join('\n')}\n`;
  writeFileAtomic(file, before + sep + block);
  return true;
}

/** Removes exactly these lines (Benchtop's own entries); the user's lines stay. Returns true when the file changed. */
export function removeGitignoreEntries(dir: string, entries: readonly string[]): boolean {
  const file = path.join(dir, '.gitignore');
  if (!existsSync(file)) return false;
  const before = readFileSync(file, 'utf8');
  const drop = new Set(entries);
  const lines = before.split('\n');
  const kept = lines.filter((l) => !drop.has(l.replace(/\r$/, '').trim()));
  if (kept.length === lines.length) return false;
  writeFileAtomic(file, kept.join('\n'));
  return true;
}

const OUTS_COMMENT = '# Benchtop: stage outputs (benchtop.yaml; gitignore_outs: false turns this off)';

/** The anchored .gitignore line for a project-relative path (`/build/` for a folder); glob characters are escaped. */
export function anchoredEntry(rel: string, isDir: boolean): string {
  const escaped = rel.replace(/[\\*?[]/g, '\\$&').replace(/ $/, '\\ ');
  return `/${escaped}${isDir ? '/' : ''}`;
}

/**
 * Appends the given anchored lines (from anchoredEntry) that are not there yet in any spelling
 * (`/build/`, `/build`, `build/`, `build`), so a line the user wrote is never doubled. The comment
 * heads the block once; later outs join the end of the file. Returns true when the file changed.
 */
export function ignoreStageOuts(dir: string, entries: readonly string[]): boolean {
  const file = path.join(dir, '.gitignore');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = before.split(/\r?\n/).map((l) => l.trim());
  const present = new Set(lines.map((l) => l.replace(/^\//, '').replace(/\/$/, '')));
  const missing = [...new Set(entries)].filter((e) => !present.has(e.replace(/^\//, '').replace(/\/$/, '')));
  if (missing.length === 0) return false;
  const sep = before === '' || before.endsWith('\n') ? '' : '\n';
  const head = lines.includes(OUTS_COMMENT) ? '' : `${before === '' ? '' : '\n'}${OUTS_COMMENT}\n`;
  writeFileAtomic(file, `${before}${sep}${head}${missing.join('\n')}\n`);
  return true;
}
