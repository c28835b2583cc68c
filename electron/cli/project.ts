// Runs in: CLI (Node). Which project a command works on: the one holding the current folder (like
// git, from a subfolder too), unless --dir names one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/util/layout';

/** The options every command takes (`--dir`, `--json`), as commander hands them over. */
export interface GlobalOptions {
  dir?: string;
  json?: boolean;
}

/** The enclosing project's folder, or null outside any project (and without --dir). */
export function enclosingProjectDir(opts: GlobalOptions): string | null {
  if (opts.dir) return path.resolve(opts.dir);
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, CONFIG_FILE))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** A repeatable commander option's accumulator. */
export const collect = (v: string, all: string[] = []): string[] => [...all, v];
