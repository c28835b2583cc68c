// Runs in: main (core), under Node or Electron. Picks the better-sqlite3 binary for the runtime, so
// that Node (tests, CLI, browser mode) and Electron each load their own build and neither rebuild
// undoes the other: Node uses the one npm built in node_modules, Electron the one that
// `npm run native:electron` builds into build/native/electron-<ABI>/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import { packageRoot } from '../util/package-root';

export function electronBindingPath(root: string, abi: string): string {
  return path.join(root, 'build', 'native', `electron-${abi}`, 'better_sqlite3.node');
}

/** The `nativeBinding` option for better-sqlite3, or undefined to use its default (Node). */
export function nativeBindingForRuntime(versions: NodeJS.ProcessVersions = process.versions): string | undefined {
  if (!versions.electron) return undefined;
  // Inside a packaged app the binary sits in app.asar.unpacked (see electron-builder.yml).
  const file = electronBindingPath(packageRoot(), versions.modules).replace(
    `app.asar${path.sep}`,
    `app.asar.unpacked${path.sep}`,
  );
  if (!existsSync(file)) {
    throw new BenchtopError(
      'INTERNAL',
      `better-sqlite3 has no build for Electron (ABI ${versions.modules}) at ${file}.`,
      {
        hint: 'Run `npm run native:electron` once (it needs to download Electron headers).',
      },
    );
  }
  return file;
}
