// `npm run setup:test` names what the tests need and how to install it; `--check` never installs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers';

const script = path.join(ROOT, 'scripts', 'setup-test.mjs');

describe('npm run setup:test', () => {
  it('says when everything the tests use is installed', () => {
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'everything the tests use is installed (Chromium, Xvfb, pdftotext, git, Python 3, Prometheus, Slurm)',
    );
  });

  it('names what is missing, what goes without it, and the command to install it', () => {
    const r = spawnSync(process.execPath, [script, '--check'], {
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: path.join(ROOT, 'no-such-chromium') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Chromium (Debian: chromium): without it the end-to-end suites are skipped');
    expect(r.stderr).toContain('sudo apt-get install chromium');
  });

  it('names Prometheus when it is missing, and what goes without it', () => {
    const r = spawnSync(process.execPath, [script, '--check'], {
      encoding: 'utf8',
      env: { ...process.env, PROMETHEUS_PATH: path.join(ROOT, 'no-such-prometheus') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "Prometheus (Debian: prometheus): without it the real scrape of benchtop serve's /metrics",
    );
    expect(r.stderr).toContain('sudo apt-get install prometheus');
  });
});
