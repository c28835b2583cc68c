import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../electron/core/pipeline/load';
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

describe('benchtop.yaml: problems say what is really wrong', () => {
  it('names an unknown key first, with the key it was likely meant to be', () => {
    const err = refused('stages:\n  train:\n    command: python train.py\n');
    expect(err.problems[0]).toMatchObject({ line: 3, column: 5, message: 'stages.train.command: unknown key' });
    expect(err.problems[0]!.hint).toMatch(/^Did you mean cmd\?/);
    // The missing cmd is still reported, after the unknown key.
    expect(err.problems.map((p) => p.message)).toEqual([
      'stages.train.command: unknown key',
      'stages.train.cmd: cmd must be a command or a list of commands',
    ]);
    expect(err.message).toMatch(/^benchtop\.yaml:3:5: stages\.train\.command: unknown key\. Did you mean cmd\?/);
    expect(err.message.split('\n')[1]).toMatch(/^ {2}benchtop\.yaml:3:5: stages\.train\.cmd: cmd must be a command/);
    expect(err.message).not.toContain('more problem');
  });

  it('lists every problem, each as a sentence followed by its fix', () => {
    const err = refused(
      'stages:\n  a:\n    cmd: x\n    deps: [data/x.csv]\n  b:\n    cmd: y\n    retries: -1\n    outz: [o]\n',
    );
    expect(err.problems).toHaveLength(2);
    const lines = err.message.split('\n');
    expect(lines[0]).toMatch(/^benchtop\.yaml:8:5: stages\.b\.outz: unknown key\. Did you mean outs\?/);
    expect(lines[1]).toMatch(/^ {2}benchtop\.yaml:7:\d+: stages\.b\.retries: .+\. \S/);
    // Every problem carries its own fix in the message, so the error's hint adds nothing.
    expect(err.hint).toBeUndefined();
  });

  it('ends a lone problem with a full stop, so the hint does not run into it', () => {
    const err = refused('stages:\n  a:\n    cmd: x\n    deps: [data/x.csv]\n');
    expect(err.message).toBe(
      'benchtop.yaml:4:12: stage a depends on data/x.csv, which does not exist and no stage writes.',
    );
    expect(err.hint).toContain('Create data/x.csv');
  });

  it('suggests nothing for a key unlike any other', () => {
    const err = refused('stages:\n  a:\n    cmd: x\n    zebra: 1\n');
    expect(err.problems[0]!.message).toBe('stages.a.zebra: unknown key');
    expect(err.problems[0]!.hint).not.toMatch(/Did you mean/);
  });
});
