// The import rules that hold the layers apart (see ARCHITECTURE.md), checked on every test run.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers';
import { cycles, type Edge, fileEdges, mapViolations, topFolder } from '../support/import-graph';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(rel);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

function resolvesInto(file: string, spec: string, folder: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
  return target === folder || target.startsWith(folder + path.sep);
}

const violations = (files: string[], bad: (file: string, spec: string) => boolean) =>
  files.flatMap((f) =>
    imports(f)
      .filter((s) => bad(f, s))
      .map((s) => `${f} imports ${s}`),
  );

describe('layer rules', () => {
  it('electron/core never imports electron, nor the shells around it', () => {
    const core = sources('electron/core');
    expect(core.length).toBeGreaterThan(10);
    expect(
      violations(
        core,
        (f, s) =>
          s === 'electron' ||
          s.startsWith('electron/') ||
          ['electron/server', 'electron/cli'].some((d) => resolvesInto(f, s, d)) ||
          /electron\/(main|preload|ipc|menu|protocol|print-pdf)$/.test(
            path.relative(ROOT, path.resolve(ROOT, path.dirname(f), s)),
          ),
      ),
    ).toEqual([]);
  });

  it('the browser server and the CLI never import electron', () => {
    expect(
      violations([...sources('electron/server'), ...sources('electron/cli')], (_f, s) => s === 'electron'),
    ).toEqual([]);
  });

  it('the renderer reaches the app only through shared/ (no electron/, no Node)', () => {
    const renderer = sources('renderer');
    expect(
      violations(
        renderer,
        (f, s) =>
          resolvesInto(f, s, 'electron') ||
          s.startsWith('node:') ||
          ['fs', 'path', 'child_process', 'better-sqlite3', 'isomorphic-git', 'electron'].includes(s),
      ),
    ).toEqual([]);
  });

  it('shared/ is pure: no Node, no electron, nothing from the layers above it', () => {
    expect(
      violations(
        sources('shared'),
        (f, s) =>
          s.startsWith('node:') || s === 'electron' || resolvesInto(f, s, 'electron') || resolvesInto(f, s, 'renderer'),
      ),
    ).toEqual([]);
  });

  it('the preload bundles only the method names, never zod schemas or the core', () => {
    expect(imports('electron/preload.ts').sort()).toEqual(['../shared/contract/names', 'electron']);
  });

  it('every source file says which process it runs in', () => {
    const files = [...sources('electron'), ...sources('renderer'), ...sources('shared')];
    const missing = files.filter(
      (f) => !/^\/\/ Runs in: /m.test(readFileSync(path.join(ROOT, f), 'utf8').split('\n').slice(0, 3).join('\n')),
    );
    expect(missing).toEqual([]);
  });
});

/**
 * What each folder of the core may import, lowest first. `util` holds the helpers every domain
 * shares and imports no domain; `project` (creating, opening and closing projects) and `app` (the
 * composition root) sit on top. A new folder must be added here, in its place.
 */
const CORE_LAYERS: Record<string, readonly string[]> = {
  util: [],
  store: ['util'],
  git: ['util'],
  workspace: ['util', 'store', 'git'],
  files: ['util', 'git', 'workspace'],
  reports: ['util', 'workspace'],
  tour: ['util', 'workspace'],
  data: ['util', 'store', 'git', 'workspace', 'files'],
  doctor: ['util', 'store', 'git', 'workspace', 'data'],
  tracking: ['util', 'store', 'git', 'workspace', 'files', 'reports'],
  registry: ['util', 'store', 'git', 'workspace', 'files', 'reports', 'data', 'tracking'],
  pipeline: ['util', 'store', 'git', 'workspace', 'files', 'reports', 'data', 'tracking', 'registry'],
  serving: ['util', 'store', 'git', 'workspace', 'files', 'reports', 'data', 'tracking', 'registry', 'pipeline'],
  monitoring: [
    'util',
    'store',
    'git',
    'workspace',
    'files',
    'reports',
    'data',
    'tracking',
    'registry',
    'pipeline',
    'serving',
  ],
  demo: ['util', 'store', 'git', 'workspace', 'data', 'tracking', 'registry', 'serving', 'monitoring'],
  sync: ['util', 'store', 'git', 'workspace', 'files', 'reports', 'data', 'tracking', 'registry', 'pipeline'],
};
// The project lifecycle may use every domain; the composition root may use everything.
CORE_LAYERS.project = Object.keys(CORE_LAYERS);
CORE_LAYERS.app = [...CORE_LAYERS.project, 'project'];

const CORE = 'electron/core';
const folderEdges = (edges: Edge[]): Edge[] =>
  edges
    .map((e) => ({ from: topFolder(CORE, e.from), to: topFolder(CORE, e.to) }))
    .filter((e) => e.from !== e.to && !e.from.endsWith('.ts') && !e.to.endsWith('.ts'));

describe('layers inside the core', () => {
  const edges = fileEdges(ROOT, CORE);

  it('the dependency map itself has no cycle, and names only folders that exist', () => {
    const mapEdges = Object.entries(CORE_LAYERS).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
    expect(cycles(Object.keys(CORE_LAYERS), mapEdges)).toEqual([]);
    const folders = new Set(edges.flatMap((e) => [topFolder(CORE, e.from), topFolder(CORE, e.to)]));
    expect(Object.keys(CORE_LAYERS).filter((f) => !folders.has(f))).toEqual([]);
  });

  it('each folder imports only the folders the map allows it', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(mapViolations(CORE, edges, CORE_LAYERS)).toEqual([]);
  });

  it('no two folders import each other, directly or around a loop', () => {
    expect(cycles([], folderEdges(edges))).toEqual([]);
  });

  it('no file imports itself back through others', () => {
    expect(cycles([], edges)).toEqual([]);
  });

  it('the checks catch a deliberately added cross-domain import and a cycle', () => {
    // util must stay below every domain: one import from it into data breaks the map and closes a loop.
    const bad: Edge = { from: `${CORE}/util/hashing.ts`, to: `${CORE}/data/hash-pool.ts` };
    expect(mapViolations(CORE, [...edges, bad], CORE_LAYERS)).toEqual([
      `${bad.from} imports ${bad.to}: util/ may not depend on data/`,
    ]);
    expect(cycles([], folderEdges([...edges, bad])).length).toBeGreaterThan(0);
    expect(cycles([], [...edges, bad]).length).toBeGreaterThan(0);
    // A folder the map does not know is refused rather than let through.
    expect(
      mapViolations(CORE, [{ from: `${CORE}/newdomain/x.ts`, to: `${CORE}/util/layout.ts` }], CORE_LAYERS),
    ).toEqual(['newdomain/ is not in the dependency map']);
  });
});

describe('shells reach the core only through the contract', () => {
  // The CLI and the MLflow API call contract methods through dispatch on a Core (core/app) and may
  // use the low helpers (core/util); a domain module imported here would be a second way in.
  const SHELLS = ['electron/cli', 'electron/server/mlflow'];
  const ALLOWED = ['electron/core/app', 'electron/core/util'];
  const intoCoreDomain = (f: string, s: string) =>
    resolvesInto(f, s, 'electron/core') && !ALLOWED.some((d) => resolvesInto(f, s, d));

  it('the CLI and the MLflow API import no core domain module', () => {
    const files = SHELLS.flatMap((d) => sources(d));
    expect(files.length).toBeGreaterThan(20);
    expect(violations(files, intoCoreDomain)).toEqual([]);
  });

  it('the CLI and the MLflow API hold no SQL', () => {
    const sql = /\.prepare\(|\b(SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/;
    const files = SHELLS.flatMap((d) => sources(d)).filter((f) => sql.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(files).toEqual([]);
  });

  it('the check catches a shell importing a domain module', () => {
    expect(intoCoreDomain('electron/cli/x.ts', '../core/data/track')).toBe(true);
    expect(intoCoreDomain('electron/server/mlflow/x.ts', '../../core/tracking/runs')).toBe(true);
    expect(intoCoreDomain('electron/cli/x.ts', '../core/app/core')).toBe(false);
    expect(intoCoreDomain('electron/cli/x.ts', '../core/util/layout')).toBe(false);
  });
});
