// The import rules that hold the layers apart (see ARCHITECTURE.md), checked on every test run.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers';

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
