// `npm run setup:test`: installs the system packages the test suites use, where it can. On Debian
// or Ubuntu as root (or with password-less sudo) it runs apt-get for what is missing; elsewhere it
// names what to install and exits 1; `--check` only reports. Needs only Node: CI runs it before
// `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests use: a probe, the Debian packages that provide it, and what goes without it. */
const NEEDS = [
  {
    what: 'Chromium',
    found: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    packages: ['chromium'],
    without: 'the end-to-end suites are skipped',
  },
  {
    what: 'Xvfb',
    found: () => onPath('xvfb-run') && onPath('xauth'),
    packages: ['xvfb', 'xauth'],
    without: "the desktop window's test has no display",
  },
  {
    what: 'pdftotext',
    found: () => onPath('pdftotext'),
    packages: ['poppler-utils'],
    without: 'the printed-report tests are skipped',
  },
  { what: 'git', found: () => onPath('git'), packages: ['git'], without: 'most integration tests fail' },
  { what: 'Python 3', found: () => onPath('python3'), packages: ['python3'], without: 'the helper tests fail' },
  {
    what: 'Prometheus',
    // The test runs its own server on a free port; the package's service is never needed.
    found: () =>
      process.env.PROMETHEUS_PATH
        ? existsSync(process.env.PROMETHEUS_PATH)
        : onPath('prometheus') && onPath('promtool'),
    packages: ['prometheus'],
    without: "the real scrape of benchtop serve's /metrics and the Grafana dashboard's queries are skipped",
  },
  {
    what: 'Slurm',
    // The tests start their own one-node cluster (test/support/slurm-cluster.ts); the packaged
    // services are never needed.
    found: () => ['slurmctld', 'slurmd', 'munged', 'sbatch', 'scontrol', 'scancel', 'squeue'].every(onPath),
    packages: ['slurm-wlm', 'munge'],
    without: 'the Slurm executor tests are skipped',
  },
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = NEEDS.filter((n) => !n.found());
if (missing.length === 0) {
  console.log(`setup:test: everything the tests use is installed (${NEEDS.map((n) => n.what).join(', ')}).`);
  process.exit(0);
}
const packages = missing.flatMap((n) => n.packages);
const isRoot = process.getuid?.() === 0;
const sudo = !isRoot && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
const checkOnly = process.argv.includes('--check');
if (checkOnly || !onPath('apt-get') || (!isRoot && !sudo)) {
  console.error(`setup:test: these are missing${checkOnly ? '' : ' and cannot be installed from here'}:`);
  for (const n of missing) console.error(`  ${n.what} (Debian: ${n.packages.join(' ')}): without it ${n.without}`);
  console.error(`Install them, on Debian or Ubuntu: sudo apt-get install ${packages.join(' ')}`);
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = sudo ? ['sudo', '-n', ...args] : args;
  const r = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    console.error(`setup:test: \`${args.join(' ')}\` failed (exit ${r.status}).`);
    process.exit(1);
  }
};
console.log(`setup:test: installing ${packages.join(' ')}`);
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
// Debian's package starts Prometheus as a service on :9090; the tests start their own on a free
// port, so the one just installed is stopped and left off (without systemd, there is none to stop).
if (packages.includes('prometheus') && onPath('systemctl')) {
  const [cmd, ...rest] = sudo ? ['sudo', '-n', 'systemctl'] : ['systemctl'];
  spawnSync(cmd, [...rest, 'disable', '--now', 'prometheus'], { stdio: 'ignore' });
}
// The same for Slurm's services: the tests start their own daemons (and munged, unless one runs),
// with their own configuration, and stop only those.
if (packages.includes('slurm-wlm') && onPath('systemctl')) {
  const [cmd, ...rest] = sudo ? ['sudo', '-n', 'systemctl'] : ['systemctl'];
  spawnSync(cmd, [...rest, 'disable', '--now', 'slurmctld', 'slurmd'], { stdio: 'ignore' });
}
const still = NEEDS.filter((n) => !n.found());
if (still.length) {
  console.error(`setup:test: still missing after the install: ${still.map((n) => n.what).join(', ')}`);
  process.exit(1);
}
console.log('setup:test: done.');
