// Runs in: node (npm run dist, after the build). Builds the installers with electron-builder, which
// lives in packaging/ with its own lockfile: it needs a newer Node than the app does, and keeping it
// out of the main install means `npm install` on the app's Node warns about nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const packaging = path.join(root, 'packaging');
const wanted = JSON.parse(readFileSync(path.join(packaging, 'package.json'), 'utf8')).engines.node;

if (!semver.satisfies(process.version, wanted)) {
  console.error(
    `Building installers needs Node ${wanted} (electron-builder's requirement); this is Node ${process.version}.\n` +
      'The app and its tests run on the Node in package.json; switch Node only for npm run dist.',
  );
  process.exit(1);
}

function run(command, args, cwd) {
  const done = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (done.status !== 0) process.exit(done.status ?? 1);
}

// Install (again) when packaging/node_modules is missing or older than its lockfile.
const marker = path.join(packaging, 'node_modules', '.package-lock.json');
const lock = path.join(packaging, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs)
  run('npm', ['ci', '--no-audit', '--no-fund'], packaging);

const bin = path.join(
  packaging,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder',
);
run(bin, ['--projectDir', root, '--config', 'electron-builder.yml', ...process.argv.slice(2)], root);
