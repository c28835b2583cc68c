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
