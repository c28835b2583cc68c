// Runs in: tests (Node, the integration project). A one-node Slurm cluster for the Slurm executor's
// tests: Debian's slurm-wlm and munge (installed by `npm run setup:test`), run as root with their
// own configuration, state and spool folders in a temporary folder. Only the processes started here
// are stopped, by pid; a munged already running is used as it is and left alone.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export interface SlurmCluster {
  /** The slurm.conf the client commands need (as SLURM_CONF). */
  conf: string;
  /** The environment for sbatch, squeue, scontrol and scancel (and Benchtop's runner). */
  env: NodeJS.ProcessEnv;
  node: string;
  /** The daemons' logs so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const PROGRAMS = ['slurmctld', 'slurmd', 'munged', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo'];

/** Why no test cluster can start here (checked without starting anything), or null. */
export function slurmUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the Slurm tests run on Linux only';
  const missing = PROGRAMS.filter((p) => !onPath(p));
  if (missing.length)
    return `${missing.join(', ')} not found on PATH; install them with \`npm run setup:test\` (Debian: slurm-wlm munge)`;
  if (process.getuid?.() !== 0)
    return 'the test cluster runs its daemons as root (SlurmUser=root), and this is not root';
  return null;
}

/** A TCP port no one listens on now, so that clusters of test files running at once do not meet. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function slurmConf(
  dir: string,
  node: string,
  cpus: number,
  memMb: number,
  ports: { ctld: number; slurmd: number },
): string {
  return `ClusterName=benchtoptest
SlurmctldHost=${node}
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
MpiDefault=none
SlurmctldPort=${ports.ctld}
SlurmdPort=${ports.slurmd}
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/slurmctld.log
SlurmdLogFile=${dir}/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MinJobAge=300
KillWait=5
SchedulerParameters=sched_interval=2
NodeName=${node} CPUs=${cpus} RealMemory=${memMb} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const killed = await Promise.race([done.then(() => true), sleep(10_000).then(() => false)]);
  if (!killed && !exited(child)) {
    child.kill('SIGKILL');
    await done;
  }
}

/**
 * Starts munged (unless one runs), slurmctld and slurmd, and waits until sinfo shows the node
 * idle. Throws with the reason (and the daemons' logs) when the cluster does not come up.
 */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const why = slurmUnavailable();
  if (why) throw new Error(why);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'benchtop-slurm-'));
  for (const d of ['state', 'spool']) mkdirSync(path.join(dir, d));
  const node = spawnSync('hostname', ['-s'], { encoding: 'utf8' }).stdout.trim() || os.hostname().split('.')[0]!;
  const cpus = os.availableParallelism();
  // Below what the machine has: slurmd drains a node that reports less than RealMemory.
  const memMb = Math.max(100, Math.floor((os.totalmem() / 2 ** 20) * 0.8));
  const conf = path.join(dir, 'slurm.conf');
  // SLURM_TEST_CTLD_PORT and SLURM_TEST_SLURMD_PORT fix the ports; else two free ones are taken.
  const ports = {
    ctld: Number(process.env.SLURM_TEST_CTLD_PORT) || (await freePort()),
    slurmd: Number(process.env.SLURM_TEST_SLURMD_PORT) || 0,
  };
  while (!ports.slurmd || ports.slurmd === ports.ctld) ports.slurmd = await freePort();
  writeFileSync(conf, slurmConf(dir, node, cpus, memMb, ports));
  const env = { ...process.env, SLURM_CONF: conf };
  const started: ChildProcess[] = [];
  const logs = (): string =>
    ['slurmctld.log', 'slurmd.log', 'munged.log', 'slurmctld.out', 'slurmd.out']
      .map((f) => path.join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${path.basename(f)}\n${readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`)
      .join('\n');
  const stop = async (): Promise<void> => {
    // slurmd first (it ends the job steps it runs), then the controller, then our munged.
    for (const child of [...started].reverse()) await stopChild(child);
    started.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  const daemon = (cmd: string, args: string[], out: string): ChildProcess => {
    const fd = openSync(path.join(dir, out), 'a');
    const child = spawn(cmd, args, { env, stdio: ['ignore', fd, fd] });
    child.on('error', () => {});
    started.push(child);
    return child;
  };
  try {
    if (spawnSync('pgrep', ['-x', 'munged'], { stdio: 'ignore' }).status !== 0) {
      if (!existsSync('/etc/munge/munge.key')) {
        const made = spawnSync('mungekey', ['--create', '--keyfile=/etc/munge/munge.key'], { encoding: 'utf8' });
        if (made.status !== 0) throw new Error(`could not create /etc/munge/munge.key: ${made.stderr.trim()}`);
        spawnSync('chown', ['munge:munge', '/etc/munge/munge.key']);
        spawnSync('chmod', ['400', '/etc/munge/munge.key']);
      }
      for (const d of ['/run/munge', '/var/log/munge', '/var/lib/munge']) mkdirSync(d, { recursive: true });
      spawnSync('chown', ['munge:munge', '/run/munge', '/var/log/munge', '/var/lib/munge']);
      // -F: in the foreground, so that the child is munged itself and its pid is the one to stop.
      const munged = daemon('munged', ['-F', '--force'], 'munged.log');
      for (let i = 0; i < 50 && spawnSync('munge', ['-n'], { stdio: 'ignore' }).status !== 0; i++) {
        if (exited(munged)) throw new Error('munged exited at once');
        await sleep(100);
      }
    }
    const ctld = daemon('slurmctld', ['-D', '-i', '-f', conf], 'slurmctld.out');
    const slurmd = daemon('slurmd', ['-D', '-f', conf], 'slurmd.out');
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited(ctld)) throw new Error(`slurmctld exited (code ${ctld.exitCode})`);
      if (exited(slurmd)) throw new Error(`slurmd exited (code ${slurmd.exitCode})`);
      const r = spawnSync('sinfo', ['-h', '-N', '-o', '%t'], { env, encoding: 'utf8' });
      const state = r.stdout.trim();
      if (r.status === 0 && /^idle/.test(state)) break;
      if (Date.now() > deadline)
        throw new Error(`the node did not become idle in 60 s (sinfo: ${state || r.stderr.trim()})`);
      await sleep(500);
    }
    return { conf, env, node, logs, stop };
  } catch (err) {
    const message = `the test Slurm cluster did not start: ${err instanceof Error ? err.message : String(err)}\n${logs()}`;
    await stop();
    throw new Error(message);
  }
}

/**
 * The cluster of one test file: started once (on ports of its own), stopped after the file, with
 * Slurm's client commands (the runner's and the CLI's) pointed at it through SLURM_CONF. `why`
 * says why there is none, for the suite's skip message.
 */
export async function clusterForSuite(): Promise<{ cluster: SlurmCluster | null; why: string | null }> {
  let why = slurmUnavailable();
  if (why) return { cluster: null, why };
  try {
    const cluster = await startSlurmCluster();
    process.env.SLURM_CONF = cluster.conf;
    afterAll(() => cluster.stop());
    return { cluster, why: null };
  } catch (err) {
    why = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    return { cluster: null, why };
  }
}
