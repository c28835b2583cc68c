// Runs in: tests. Case 11: a bundle's predict command is someone else's code. `models import` says
// what it runs, and `benchtop serve` runs it only with --trust, once per version; versions
// registered in the project itself serve as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/core/registry/bundle';
import { registerVersion } from '../../../electron/core/registry/register';
import { initProject } from '../../../electron/core/project/init';
import { CLI, runCli, tmpDir } from '../../support/helpers';
import { request } from '../../support/serving';

// The predictor ships inside the model folder; starting it leaves a mark, so the test can tell
// whether the bundle's command ever ran.
const PREDICTOR = `
require('fs').writeFileSync('bundle-command-ran', '');
process.stdout.write('{"$ready": true}\\n');
require('readline').createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim()) process.stdout.write(JSON.stringify({ echo: JSON.parse(l) }) + '\\n'); });
`;
const COMMAND = 'node "$BENCHTOP_MODEL_PATH/predict.js"';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function bundle(): Promise<string> {
  const dir = path.join(tmpDir(), 'maker');
  const { workspace: ws } = await initProject(dir, {});
  mkdirSync(path.join(dir, 'm'));
  writeFileSync(path.join(dir, 'm', 'predict.js'), PREDICTOR);
  writeFileSync(path.join(dir, 'm', 'model.json'), '{}');
  await registerVersion(ws.dir, ws.db, { name: 'echo', path: 'm', predict: COMMAND }, ws.dir);
  const file = path.join(tmpDir(), 'echo-v1.zip');
  await exportBundle(ws.dir, ws.db, 'echo/1', file);
  ws.close();
  return file;
}

/** `benchtop serve --json`: the endpoint's info once it answers, or the exit code and stderr if it stops first. */
function serve(
  args: string[],
  cwd: string,
): Promise<{ child: ChildProcess; info: { url: string } | null; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const end = out.indexOf('\n}');
      if (end >= 0) resolve({ child, info: JSON.parse(out.slice(0, end + 2)), code: null, stderr: err });
    });
    child.once('exit', (code) => resolve({ child, info: null, code, stderr: err }));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('safety: commands brought by an imported bundle', () => {
  it('case 11: import prints the command; serve refuses it without --trust, runs it with --trust, and does not ask again', async () => {
    const file = await bundle();
    const dir = path.join(tmpDir(), 'user');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);

    const imported = runCli(['models', 'import', file], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`This bundle runs: ${COMMAND}`);
    expect(imported.stdout).toMatch(/Review it .* before serving; serve it with --trust/);

    const refused = await serve(['echo/1'], dir);
    expect(refused.info, 'serve started the imported command without --trust').toBeNull();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(COMMAND);
    expect(refused.stderr).toContain('--trust');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, 'bundle-command-ran'))).toBe(false);

    const trusted = await serve(['echo/1', '--trust'], dir);
    expect(trusted.info, trusted.stderr).not.toBeNull();
    const answer = await request(`${trusted.info!.url}/predict`, { method: 'POST', body: { inputs: [{ x: 1 }] } });
    expect(answer.status).toBe(200);
    expect(existsSync(path.join(dir, 'bundle-command-ran'))).toBe(true);
    await stop(trusted.child);

    // Trusted once, for this version: the next serve does not ask.
    const again = await serve(['echo/1'], dir);
    expect(again.info, again.stderr).not.toBeNull();
    await stop(again.child);
  });

  it('case 11: a second import of the same bundle is a new version and asks again', async () => {
    const file = await bundle();
    const dir = path.join(tmpDir(), 'user');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    expect(runCli(['models', 'import', file], { cwd: dir }).code).toBe(0);
    const first = await serve(['echo/1', '--trust'], dir);
    expect(first.info, first.stderr).not.toBeNull();
    await stop(first.child);
    expect(runCli(['models', 'import', file], { cwd: dir }).code).toBe(0);
    const second = await serve(['echo/2'], dir);
    expect(second.info).toBeNull();
    expect(second.stderr).toContain('--trust');
  });

  it("case 11: a predict command set here on an imported version is the project's own and serves without --trust", async () => {
    const file = await bundle();
    const dir = path.join(tmpDir(), 'user');
    expect(runCli(['init', '--dir', dir]).code).toBe(0);
    expect(runCli(['models', 'import', file], { cwd: dir }).code).toBe(0);
    const own = 'node "$BENCHTOP_MODEL_PATH/predict.js" --checked';
    const updated = runCli(['models', 'update', 'echo/1', '--predict', own], { cwd: dir });
    expect(updated.code, updated.stderr).toBe(0);
    const served = await serve(['echo/1'], dir);
    expect(served.info, served.stderr).not.toBeNull();
    await stop(served.child);
  });
});
