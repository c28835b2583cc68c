// Runs in: main (core) and the CLI. Where a worker thread's script is: each worker is its own entry
// in scripts/build-node.mjs, bundled to dist/<name> beside dist/main.cjs and dist/cli.cjs. It is
// found from the package root rather than from __dirname, so the TypeScript sources under vitest
// start the same built worker as the app and the CLI (a test run builds dist/ first).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './package-root';

/** dist/<name> of this install, whether or not it was built. */
export function workerBundle(name: string): string {
  return path.join(packageRoot(), 'dist', name);
}

/** dist/<name> when it is there; null otherwise (the caller then does the work on its own thread). */
export function builtWorkerBundle(name: string): string | null {
  const file = workerBundle(name);
  return existsSync(file) ? file : null;
}
