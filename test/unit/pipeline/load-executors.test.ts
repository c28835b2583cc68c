// executors: in benchtop.yaml: declared once, chosen per stage, checked with file:line:column.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../electron/core/pipeline/load';
import { readPipelineView } from '../../../electron/core/pipeline/view';
import { FileProblemError } from '../../../electron/core/util/yaml-file';
import { tmpDir } from '../../support/helpers';

function refused(yaml: string): FileProblemError {
  try {
    parsePipeline(yaml, tmpDir());
  } catch (err) {
    if (err instanceof FileProblemError) return err;
    throw err;
  }
  throw new Error('expected the pipeline to be refused');
}

const GPU = 'executors:\n  gpu: { type: slurm, partition: debug, cpus: 1, mem: 100M, time: 10m }\n';

describe('benchtop.yaml: executors', () => {
  it('reads a Slurm executor and the stages that use it; local stays the default', () => {
    const p = parsePipeline(
      `${GPU}stages:\n  prep:\n    cmd: echo prep\n  train:\n    cmd: echo train\n    executor: gpu\n  here:\n    cmd: echo here\n    executor: local\n`,
      tmpDir(),
    );
    expect(p.executors).toEqual({ gpu: { type: 'slurm', partition: 'debug', cpus: 1, mem: '100M', time: '10m' } });
    expect(p.stages.map((s) => [s.name, s.executor])).toEqual([
      ['prep', undefined],
      ['train', 'gpu'],
      ['here', undefined],
    ]);
  });

  it('refuses a stage naming an executor that is not declared, where it is named', () => {
    const err = refused(`${GPU}stages:\n  train:\n    cmd: echo\n    executor: gpu2\n`);
    expect(err.problems[0]).toMatchObject({ line: 6, column: 15, message: 'stage train: no executor named gpu2' });
    expect(err.problems[0]!.hint).toMatch(/^Did you mean gpu\? Declare it under executors: \(local, gpu exist\)/);
  });

  it('names an unknown key of an executor, with the key it was likely meant to be', () => {
    const err = refused('executors:\n  gpu:\n    type: slurm\n    partiton: debug\nstages:\n  a:\n    cmd: echo\n');
    expect(err.problems[0]).toMatchObject({ line: 4, column: 5, message: 'executors.gpu.partiton: unknown key' });
    expect(err.problems[0]!.hint).toMatch(/^Did you mean partition\?/);
  });

  it('refuses impossible values: an unknown type, cpus: 0, a malformed mem, a time that is no duration', () => {
    expect(
      refused('executors:\n  gpu: { type: kubernetes }\nstages:\n  a:\n    cmd: echo\n').problems[0],
    ).toMatchObject({
      line: 2,
    });
    const cpus = refused('executors:\n  gpu:\n    type: slurm\n    cpus: 0\nstages:\n  a:\n    cmd: echo\n');
    expect(cpus.problems[0]).toMatchObject({ line: 4, column: 11 });
    expect(cpus.problems[0]!.message).toMatch(/^executors\.gpu\.cpus: /);
    const mem = refused('executors:\n  gpu:\n    type: slurm\n    mem: lots\nstages:\n  a:\n    cmd: echo\n');
    expect(mem.problems[0]).toMatchObject({
      line: 4,
      column: 10,
      message: 'executors.gpu.mem: mem must be a whole number with an optional unit: 500M, 32G',
    });
    const time = refused('executors:\n  gpu:\n    type: slurm\n    time: soon\nstages:\n  a:\n    cmd: echo\n');
    expect(time.problems[0]).toMatchObject({ line: 4, column: 11, message: 'time: "soon" is not a duration' });
    const short = refused('executors:\n  gpu:\n    type: slurm\n    time: 30s\nstages:\n  a:\n    cmd: echo\n');
    expect(short.problems[0]!.message).toBe('time: 30s is under a minute, the least Slurm can limit a job to');
  });

  it('keeps the name local for the built-in executor', () => {
    const err = refused('executors:\n  local: { type: slurm }\nstages:\n  a:\n    cmd: echo\n');
    expect(err.problems[0]).toMatchObject({
      line: 2,
      column: 3,
      message: 'executors.local: local is built in (stages run here)',
    });
  });

  it('lists the Slurm executors in the pipeline view, for a sweep to run on', () => {
    const dir = tmpDir();
    writeFileSync(
      path.join(dir, 'benchtop.yaml'),
      `${GPU}  here: { type: local }\n  big: { type: slurm, mem: 64G }\nstages:\n  train:\n    cmd: echo train\n`,
    );
    expect(readPipelineView(dir).slurmExecutors).toEqual(['gpu', 'big']);
    writeFileSync(path.join(dir, 'benchtop.yaml'), 'stages:\n  train:\n    cmd: echo train\n');
    expect(readPipelineView(dir).slurmExecutors).toEqual([]);
  });
});

describe('.benchtop/config.yaml: executors', () => {
  /** A project folder whose config.yaml holds `config` (beside the name every project has). */
  function withConfig(config: string): string {
    const dir = tmpDir();
    mkdirSync(path.join(dir, '.benchtop'));
    writeFileSync(path.join(dir, '.benchtop', 'config.yaml'), `version: 1\nname: p\n${config}`);
    return dir;
  }
  const STAGES = 'stages:\n  train:\n    cmd: echo train\n    executor: gpu\n';
  function refusedWith(yaml: string, dir: string): FileProblemError {
    try {
      parsePipeline(yaml, dir);
    } catch (err) {
      if (err instanceof FileProblemError) return err;
      throw err;
    }
    throw new Error('expected the pipeline to be refused');
  }

  it("merges this machine's keys over benchtop.yaml's executor of the same name, and adds its own", () => {
    const dir = withConfig(
      'executors:\n  gpu: { partition: a100, account: lab, submit_prefix: ssh login.cluster }\n  big: { type: slurm, cpus: 32 }\n',
    );
    const p = parsePipeline(`${GPU}${STAGES}  wide:\n    cmd: echo wide\n    executor: big\n`, dir);
    expect(p.executors).toEqual({
      gpu: {
        type: 'slurm',
        partition: 'a100',
        cpus: 1,
        mem: '100M',
        time: '10m',
        account: 'lab',
        submit_prefix: 'ssh login.cluster',
      },
      big: { type: 'slurm', cpus: 32 },
    });
  });

  it('declares an executor a stage names in config.yaml alone', () => {
    const dir = withConfig('executors:\n  gpu: { type: slurm, partition: debug }\n');
    expect(parsePipeline(STAGES, dir).stages[0]!.executor).toBe('gpu');
  });

  it("names config.yaml's line and column for its problems", () => {
    const unknown = refusedWith(`${GPU}${STAGES}`, withConfig('executors:\n  gpu:\n    acount: lab\n'));
    expect(unknown.problems[0]).toMatchObject({
      file: '.benchtop/config.yaml',
      line: 5,
      column: 5,
      message: 'executors.gpu.acount: unknown key',
    });
    expect(unknown.problems[0]!.hint).toMatch(/^Did you mean account\?/);
    const time = refusedWith(STAGES, withConfig('executors:\n  gpu:\n    type: slurm\n    time: 30s\n'));
    expect(time.problems[0]).toMatchObject({
      file: '.benchtop/config.yaml',
      line: 6,
      column: 11,
      message: 'time: 30s is under a minute, the least Slurm can limit a job to',
    });
    // An entry of its own needs a type, as in benchtop.yaml.
    const untyped = refusedWith(STAGES, withConfig('executors:\n  gpu: { partition: debug }\n'));
    expect(untyped.problems[0]).toMatchObject({ file: '.benchtop/config.yaml', line: 4 });
  });
});
