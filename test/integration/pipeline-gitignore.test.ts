import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, runCli, tmpDir } from '../support/helpers';

function project(yaml: string): string {
  const dir = tmpDir();
  git(dir, 'init', '-q');
  expect(runCli(['init', '--dir', dir]).code).toBe(0);
  writeFileSync(path.join(dir, 'benchtop.yaml'), yaml);
  appendFileSync(path.join(dir, '.gitignore'), '# mine\n*.log\n');
  return dir;
}

const STAGE = `stages:
  build:
    cmd: node -e "require('fs').mkdirSync('build',{recursive:true});require('fs').writeFileSync('build/out.txt','x');require('fs').writeFileSync('metrics.json','{}')"
`;

describe('benchtop run: stage outputs are git-ignored', () => {
  it('adds one anchored line per out after a stage succeeds, once, leaving the user lines alone', () => {
    const dir = project(`${STAGE}    outs: [build]\n    metrics: [metrics.json]\n`);
    const before = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    const status = git(dir, 'status', '--porcelain');
    expect(status).not.toContain('build/');
    expect(status).not.toContain('metrics.json');
    const ignore = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    expect(ignore.startsWith(before)).toBe(true);
    expect(ignore).toContain('\n/build/\n');
    expect(ignore).toContain('\n/metrics.json\n');
    expect(runCli(['run', '--force'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(ignore);
  });

  it('leaves an out with cache: false visible to git', () => {
    const dir = project(`${STAGE}    outs: [{build: {cache: false}}]\n`);
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toContain('?? build/');
  });

  it('leaves every out visible when the project says gitignore_outs: false', () => {
    const dir = project(`gitignore_outs: false\n${STAGE}    outs: [build]\n`);
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toContain('?? build/');
  });

  it('leaves a folder out that holds data pointers (.bt) visible, so the pointers stay versioned', () => {
    const dir = project(`stages:
  build:
    cmd: node -e "require('fs').mkdirSync('build',{recursive:true});require('fs').writeFileSync('build/a.csv.bt','x')"
    outs: [build]
`);
    expect(runCli(['run'], { cwd: dir }).code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toContain('?? build/');
  });
});
