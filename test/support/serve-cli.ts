// Runs in: tests (Node, the integration project). Shared by the tests that run `benchtop serve` as a user does: the built CLI as a child process,
// resolved once it prints its --json document (the endpoint answers by then), killed after each test
// file so a failing test leaves no endpoint behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll } from 'vitest';
import { CLI } from './helpers';

export interface Served {
  child: ChildProcess;
  info: { url: string; port: number; model: string; version: number; token: string | null; deploymentId: string };
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** Kills every `benchtop serve` still running; a test file may call it after each test. */
export function killServed(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
afterAll(killServed);

export function serveCli(args: string[], cwd: string): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      // --json prints one JSON document (over several lines) once the endpoint answers.
      const end = out.indexOf('\n}');
      if (end < 0) return;
      resolve({ child, info: JSON.parse(out.slice(0, end + 2)), stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`benchtop serve exited with ${code}:\n${out}\n${err}`)));
  });
}
