// Runs in: Node, at `npm install` / `npm ci` (root postinstall).
// Electron's own postinstall is denied in package.json (allowScripts) because it fails the whole
// install when its binary cannot be downloaded. Here we try the same download and carry on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const dir = electronDir();
if (!dir) {
  // Production install without devDependencies: nothing to fetch.
  process.exit(0);
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    'benchtop: ELECTRON_SKIP_BINARY_DOWNLOAD is set; the desktop window is unavailable, browser mode (`npm start`) will be used.',
  );
  process.exit(0);
}
const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
  cwd: dir,
  encoding: 'utf8',
  timeout: 120_000,
  env: process.env,
});
let ok = result.status === 0;
if (ok) {
  try {
    const binary = require('electron');
    ok = typeof binary === 'string' && existsSync(binary);
  } catch {
    ok = false;
  }
}
if (ok) {
  console.log('benchtop: Electron binary is installed; `npm start` opens the desktop app.');
} else {
  console.log(
    "benchtop: Electron's binary could not be downloaded, so the desktop window is unavailable; `npm start` will use browser mode instead.",
  );
}
// Never fail the install over the desktop binary: everything else works without it.
process.exit(0);
