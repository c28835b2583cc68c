// ARCHITECTURE.md and CONTRIBUTING.md name only what exists: every repository path they name in
// backticks is in the tree, every source file they name by itself is somewhere in it, and
// ARCHITECTURE.md's map names every folder of the tree it describes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers';

const subfolders = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}/${e.name}`);

/**
 * Where a path named in the docs is looked for: as written, and inside the folders a section is
 * about (`pipeline/load.ts` under electron/core, `monitors/x.ts` under electron/core/monitoring).
 */
const BASES = ['', 'electron', 'electron/core', 'renderer/src', 'renderer/src/sections', 'resources/demo'].concat(
  subfolders('electron/core'),
);

/** Folders whose files are built or written by a run, not kept in the repository. */
const OUTPUT = /^(\.benchtop|dist|build|release|test-results|\.bench-cache)\//;

/** Backticked names that look like repository paths: a slash, and a file extension or a trailing slash. */
function namedPaths(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\s]+)`/g)) {
    const p = m[1]!.replace(/[.,:;]$/, '');
    if (!p.includes('/') || /[*<>{}$|:@=]/.test(p) || p.startsWith('/') || p.startsWith('~')) continue;
    if (!/\/$|\.(ts|tsx|mts|mjs|cjs|js|json|jsonc|md|yml|yaml|py|css)$/.test(p)) continue;
    const name = p.replace(/\/$/, '');
    // Paths inside a user's project (or the build output) are examples, not parts of the tree.
    if (!name.includes('/') || OUTPUT.test(`${name}/`) || (name.startsWith('data/') && !name.endsWith('.ts'))) continue;
    out.add(name);
  }
  return [...out];
}

/**
 * Backticked source file names without a folder (`lifecycle.ts`): each must be a file of the tree.
 * Bare `.cjs` names are the build's bundles (`main.cjs`), so they are not looked for.
 */
function namedSourceFiles(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\s/]+\.(?:ts|tsx|mts|mjs))`/g)) out.add(m[1]!);
  return [...out];
}

/** Every file name under the repository's source folders. */
function sourceFileNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else names.add(e.name);
    }
  };
  for (const d of ['bin', 'electron', 'renderer', 'shared', 'scripts', 'test', 'resources']) walk(d);
  for (const e of readdirSync(ROOT, { withFileTypes: true })) if (e.isFile()) names.add(e.name);
  return names;
}

const read = (doc: string) => readFileSync(path.join(ROOT, doc), 'utf8');

const missing = (doc: string) => {
  const text = read(doc);
  const files = sourceFileNames();
  return [
    ...namedPaths(text).filter((p) => !BASES.some((b) => existsSync(path.join(ROOT, b, p)))),
    ...namedSourceFiles(text).filter((f) => !files.has(f)),
  ];
};

/** The folders ARCHITECTURE.md's map must name, each as `folder/`. */
const MAPPED = [
  'electron',
  'renderer',
  'shared',
  'resources',
  'scripts',
  'test',
  'docs',
  ...subfolders('electron'),
  ...subfolders('electron/core'),
  ...subfolders('electron/core/monitoring'),
  ...subfolders('shared'),
];

describe('the docs name only what exists', () => {
  it('ARCHITECTURE.md', () => {
    expect(namedPaths(read('ARCHITECTURE.md')).length).toBeGreaterThan(50);
    expect(missing('ARCHITECTURE.md')).toEqual([]);
  });

  it('CONTRIBUTING.md', () => {
    expect(namedPaths(read('CONTRIBUTING.md')).length).toBeGreaterThan(10);
    expect(missing('CONTRIBUTING.md')).toEqual([]);
  });

  it("ARCHITECTURE.md's map names every folder of the tree", () => {
    const text = read('ARCHITECTURE.md');
    expect(MAPPED.filter((f) => !text.includes(`\`${f}/\``))).toEqual([]);
  });

  it('a path that does not exist is caught', () => {
    expect(namedPaths('see `electron/core/nowhere/` and `core/util/path-policy.ts`')).toEqual([
      'electron/core/nowhere',
      'core/util/path-policy.ts',
    ]);
    expect(namedPaths('`dist/renderer/` `test-results/screenshots/` `.benchtop/logs/`')).toEqual([]);
    expect(namedSourceFiles('`story.ts`, `a/b.ts`, `benchtop.yaml` and `main.cjs`')).toEqual(['story.ts']);
  });
});
