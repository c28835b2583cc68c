// Runs in: main (core). Starting a stage command in its own process group, and ending the whole
// tree (grandchildren included) on timeout or cancel.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export function shellCommand(cmd: string): { file: string; args: string[] } {
  if (process.platform === 'win32') return { file: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', cmd] };
  return { file: '/bin/sh', args: ['-c', cmd] };
}

/**
 * A command's leading `node` runs with Benchtop's own runtime (Node, or Electron as Node), so the
 * demo's stages need nothing installed.
 */
export function withOwnNode(cmd: string, execPath = process.execPath): string {
  const m = /^\s*node(\s|$)/.exec(cmd);
  if (!m) return cmd;
  const quoted = process.platform === 'win32' ? `"${execPath}"` : `'${execPath.replace(/'/g, `'\\''`)}'`;
  return quoted + cmd.slice(m[0].length - m[1]!.length);
}

export function startInGroup(cmd: string, options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  const { file, args } = shellCommand(cmd);
  // detached: the child leads a new process group, so the group can be signalled as a whole.
  return spawn(file, args, { cwd: options.cwd, env: options.env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
}

/** SIGTERM to the whole group, then SIGKILL after `graceMs` if anything is left. */
export function killTree(child: ChildProcess, graceMs = 1000): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  timer.unref();
}
