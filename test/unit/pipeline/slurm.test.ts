// The Slurm executor's pure parts: sbatch's arguments, the batch script, scontrol's answer, and
// what each final job state means for the stage (TIMEOUT, OUT_OF_MEMORY and NODE_FAIL included,
// which the one-node test cluster cannot produce in the time a test has).
import { describe, expect, it } from 'vitest';
import {
  batchScript,
  describeEnd,
  parseScontrol,
  sbatchArgs,
  slurmMinutes,
  timeLimitMs,
  type SlurmJobInfo,
} from '../../../electron/core/pipeline/slurm';

const job = (state: string, more: Partial<SlurmJobInfo> = {}): SlurmJobInfo => ({
  state,
  reason: 'None',
  node: 'n1',
  exitCode: 0,
  signal: null,
  submitTime: null,
  startTime: null,
  ...more,
});

describe('the Slurm executor', () => {
  it('passes the executor keys to sbatch, the time limit in whole minutes', () => {
    const spec = {
      jobName: 'benchtop-p-train',
      cwd: '/p',
      commands: ['x'],
      env: {},
      output: '/p/o-%j.out',
      timeLimitMs: 90_000,
    };
    expect(
      sbatchArgs(
        {
          type: 'slurm',
          partition: 'gpu',
          gres: 'gpu:1',
          cpus: 8,
          mem: '32G',
          account: 'lab',
          qos: 'high',
          extra_args: ['--exclusive'],
        },
        spec,
        '/p/job.sbatch',
      ),
    ).toEqual([
      'sbatch',
      '--parsable',
      '--job-name=benchtop-p-train',
      '--chdir=/p',
      '--output=/p/o-%j.out',
      '--partition=gpu',
      '--gres=gpu:1',
      '--cpus-per-task=8',
      '--mem=32G',
      '--account=lab',
      '--qos=high',
      '--time=2',
      '--exclusive',
      '/p/job.sbatch',
    ]);
    expect(slurmMinutes(1)).toBe(1);
    expect(slurmMinutes(120_000)).toBe(2);
    expect(timeLimitMs({ type: 'slurm', time: '2h' }, null)).toBe(7_200_000);
    expect(timeLimitMs({ type: 'slurm', time: '2h' }, 5000)).toBe(5000);
    expect(timeLimitMs({ type: 'slurm' }, null)).toBeNull();
  });

  it('writes a script that sets the variables, then runs each command, stopping at the first that fails', () => {
    const text = batchScript({
      jobName: 'j',
      cwd: "/p/it's",
      commands: ['echo a', "echo 'b'"],
      env: { BENCHTOP_STAGE: 'train', 'bad-name': 'x' },
      output: '/o',
      timeLimitMs: null,
    });
    expect(text).toBe(
      `#!/bin/sh\n# Written by Benchtop for j.\nexport BENCHTOP_STAGE='train'\ncd '/p/it'\\''s' || exit 1\n/bin/sh -c 'echo a' || exit $?\n/bin/sh -c 'echo '\\''b'\\''' || exit $?\n`,
    );
  });

  it("reads scontrol's one-line answer", () => {
    const fields = parseScontrol(
      'JobId=7 JobName=benchtop-p-train UserId=root(0) JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 SubmitTime=2026-12-08T00:57:20 StartTime=2026-12-08T00:57:22 NodeList=vm BatchHost=vm',
    );
    expect(fields).toMatchObject({ JobId: '7', JobState: 'FAILED', ExitCode: '3:0', BatchHost: 'vm' });
  });

  it('says what each final state means for the stage', () => {
    const limits = { mem: '100M', timeLimitMs: 60_000 };
    expect(describeEnd('7', job('COMPLETED'), limits)).toMatchObject({ ok: true, code: 0 });
    expect(describeEnd('7', job('FAILED', { exitCode: 3 }), limits)).toEqual({
      ok: false,
      code: 3,
      timedOut: false,
      message: 'Slurm job 7 failed on n1: the command exited with code 3',
    });
    expect(describeEnd('7', job('FAILED', { exitCode: null, signal: 9 }), limits).message).toBe(
      'Slurm job 7 failed on n1: the command was killed by signal 9',
    );
    expect(describeEnd('7', job('TIMEOUT'), limits)).toEqual({
      ok: false,
      code: null,
      timedOut: true,
      message:
        "Slurm job 7 reached its time limit (1 min) on n1 and Slurm ended it; raise timeout: (or the executor's time:)",
    });
    expect(describeEnd('7', job('OUT_OF_MEMORY'), limits).message).toBe(
      "Slurm job 7 ran out of memory (mem: 100M) on n1; raise the executor's mem:",
    );
    expect(describeEnd('7', job('CANCELLED'), limits).message).toBe(
      'Slurm job 7 was cancelled outside Benchtop (scancel, or an administrator)',
    );
    expect(describeEnd('7', job('NODE_FAIL'), limits).message).toBe('Slurm job 7 was lost: its node n1 failed');
    expect(describeEnd('7', job('BOOT_FAIL', { node: null }), limits).message).toBe('Slurm job 7 ended as BOOT_FAIL');
  });
});
