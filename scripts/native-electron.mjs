// Builds better-sqlite3 for Electron's ABI into build/native/electron-<ABI>/, beside (not over) the
// Node build that npm made in node_modules. The core picks the right one at run time
// (electron/core/store/native-binding.ts), so Node and Electron never need a rebuild ping-pong.
// Needs the network once: node-gyp downloads Electron's headers.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const electronDir = path.dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
const abi = readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim();
const target = path.join(root, 'build', 'native', `electron-${abi}`, 'better_sqlite3.node');

if (existsSync(target) && !process.argv.includes('--force')) {
  console.log(
    `better-sqlite3 for Electron ${electronVersion} (ABI ${abi}) is already built: ${path.relative(root, target)}`,
  );
  process.exit(0);
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp))
    return process.env.npm_config_node_gyp;
  const bundled = path.join(
    path.dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  if (existsSync(bundled)) return bundled;
  return require.resolve('node-gyp/bin/node-gyp.js');
}

const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = path.join(root, 'build', 'native', `src-electron-${abi}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(source, work, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'build')) });

console.log(`Building better-sqlite3 for Electron ${electronVersion} (ABI ${abi}, ${process.arch})…`);
const result = spawnSync(
  process.execPath,
  [
    nodeGyp(),
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: work, stdio: 'inherit' },
);
if (result.status !== 0) {
  console.error(
    'benchtop: could not build better-sqlite3 for Electron (node-gyp needs to download Electron headers once).',
  );
  process.exit(1);
}
mkdirSync(path.dirname(target), { recursive: true });
cpSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
rmSync(work, { recursive: true, force: true });
console.log(`Built ${path.relative(root, target)}`);
