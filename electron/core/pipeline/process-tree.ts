// Runs in: main (core). Starting a stage command in its own process group, and ending every process
// it started (grandchildren included, and those that left the group with setsid) on timeout or
// cancel; the caller can wait until they are all gone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** Set in a stage's environment; every process it starts inherits it, setsid or not. */
export const STAGE_MARKER = 'BENCHTOP_STAGE_ID';

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

const markers = new WeakMap<ChildProcess, string>();

/**
 * Spawns `file` in a new process group (and session) with a fresh marker in its environment, so
 * killTree can find every process it starts, including those that leave the group.
 */
export function spawnTracked(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdio: ['ignore' | 'pipe', 'pipe', 'pipe'] },
): ChildProcess {
  const marker = randomBytes(8).toString('hex');
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...options.env, [STAGE_MARKER]: marker },
    detached: process.platform !== 'win32',
    stdio: options.stdio,
    windowsHide: true,
  });
  markers.set(child, marker);
  return child;
}

export function startInGroup(cmd: string, options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  const { file, args } = shellCommand(cmd);
  return spawnTracked(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  zombie: boolean;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: read from after its last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(rest[1]),
      pgrp: Number(rest[2]),
      session: Number(rest[3]),
      zombie: rest[0] === 'Z' || rest[0] === 'X',
    };
  } catch {
    return null;
  }
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${STAGE_MARKER}=${marker}`);
  } catch {
    return false;
  }
}

/**
 * Every live process that belongs to the stage led by `root`: its descendants by parent, anything in
 * its process group or session, and anything carrying its marker (a setsid process whose parent
 * exited has been re-parented away from the tree, but keeps the environment it started with).
 */
export function stageProcesses(root: number, marker: string | undefined): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
  const infos = pids.map(readProc).filter((p): p is ProcInfo => p !== null && !p.zombie && p.pid !== process.pid);
  const children = new Map<number, number[]>();
  for (const p of infos) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Set<number>();
  const stack = [root];
  for (const p of infos)
    if (p.pid === root || p.pgrp === root || p.session === root || (marker !== undefined && hasMarker(p.pid, marker)))
      stack.push(p.pid);
  while (stack.length) {
    const pid = stack.pop()!;
    if (found.has(pid)) continue;
    if (infos.some((p) => p.pid === pid)) found.add(pid);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return [...found];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM to everything the stage started, then SIGKILL after `graceMs` to whatever is left.
 * Resolves when every process is gone (on Linux), so a CLI can wait for it before exiting: a timer
 * left to fire after the CLI has exited never fires, and a process ignoring SIGTERM would live on.
 */
export async function killTree(child: ChildProcess, graceMs = 1000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  const marker = markers.get(child);
  const linux = process.platform === 'linux';
  const find = (): number[] => (linux ? stageProcesses(pid, marker) : []);
  const signal = (sig: NodeJS.Signals, pids: number[]): void => {
    for (const target of [-pid, ...pids]) {
      try {
        process.kill(target, sig);
      } catch {
        // Already gone.
      }
    }
  };
  // The snapshot comes before the first signal: once a parent dies its setsid children are
  // re-parented and only the marker still ties them to the stage.
  signal('SIGTERM', find());
  const groupAlive = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const alive = (): boolean => (linux ? find().length > 0 : groupAlive());
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(50);
  if (!alive()) return;
  signal('SIGKILL', find());
  // SIGKILL cannot be ignored; what is left is the kernel tearing the processes down.
  for (let i = 0; i < 100 && alive(); i++) {
    signal('SIGKILL', find());
    await sleep(20);
  }
}
