// Runs in: main (core). Finds Benchtop's own install folder (for resources/ and dist/renderer/),
// whether running from TypeScript sources (tests), from dist/ bundles, or inside app.asar.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'benchtop') {
          cached = dir;
          return dir;
        }
      } catch {
        // A foreign or broken package.json: keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Benchtop's package.json above ${__dirname}`);
    dir = parent;
  }
}

/** resources/ is unpacked from app.asar when packaged (electron-builder.yml), so child processes can read it. */
export function resourcePath(...parts: string[]): string {
  const root = packageRoot();
  const unpacked = root.endsWith('app.asar') ? `${root}.unpacked` : root;
  return path.join(existsSync(path.join(unpacked, 'resources')) ? unpacked : root, 'resources', ...parts);
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
