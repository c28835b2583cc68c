// `npm start`: the desktop app where Electron's binary is installed; otherwise says so and starts
// browser mode (`benchtop ui`), which opens the system browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const passthrough = process.argv.slice(2);

function electronBinary() {
  try {
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

const bin = electronBinary();
if (bin) {
  const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'native-electron.mjs')], { stdio: 'inherit' });
  if (native.status === 0) {
    run(bin, [path.join(root, 'dist', 'main.cjs'), ...passthrough]);
  } else {
    console.log(
      'benchtop: the desktop app needs better-sqlite3 built for Electron, which failed; starting browser mode instead.',
    );
    run(process.execPath, [path.join(root, 'bin', 'benchtop.cjs'), 'ui', ...passthrough]);
  }
} else {
  console.log(
    "benchtop: Electron's binary is not installed, so the desktop window is unavailable; starting browser mode instead.",
  );
  run(process.execPath, [path.join(root, 'bin', 'benchtop.cjs'), 'ui', ...passthrough]);
}
