import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineScheduler, type SchedulerEvent } from '../../electron/core/pipeline/scheduler';
import { PipelineService } from '../../electron/core/pipeline/service';
import { initProject } from '../../electron/core/project/init';
import { CLI, runCli, tmpDir } from '../support/helpers';

async function project(schedule: string) {
  const dir = path.join(tmpDir(), 'p');
  const { workspace } = await initProject(dir);
  writeFileSync(
    path.join(dir, 'benchtop.yaml'),
    `schedule: ${schedule}\nstages:\n  tick:\n    cmd: date > tick.txt\n    outs: [tick.txt]\n    always_changed: true\n`,
  );
  return workspace;
}

describe('scheduled pipelines', () => {
  it('fire on their cron schedule and record the trigger', async () => {
    const ws = await project('"* * * * * *"');
    const service = new PipelineService(ws.dir, ws.db, () => undefined);
    const events: SchedulerEvent[] = [];
    const scheduler = new PipelineScheduler(ws.dir, ws.db, service, (e) => events.push(e));
    scheduler.start();
    const end = Date.now() + 10_000;
    while (!events.some((e) => e.kind === 'started') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    scheduler.stop();
    await service.settle();
    const started = events.find((e) => e.kind === 'started');
    expect(started).toBeDefined();
    expect(ws.db.prepare('SELECT trigger, status FROM runs WHERE id = ?').get(started!.runId)).toEqual({
      trigger: 'schedule * * * * * *',
      status: 'succeeded',
    });
    ws.close();
  });

  it('catch up one missed run on start only with catchup: true, and never on first sight', async () => {
    for (const [catchup, expected] of [
      [true, true],
      [false, false],
    ] as const) {
      const ws = await project(`{cron: "@daily", catchup: ${catchup}}`);
      const service = new PipelineService(ws.dir, ws.db, () => undefined);
      const first = new PipelineScheduler(ws.dir, ws.db, service);
      first.start();
      first.stop();
      expect(service.activeRunId).toBeNull(); // first sight: nothing is "missed"
      // The app was closed for two days.
      const key = (
        ws.db.prepare(`SELECT key FROM meta WHERE key LIKE 'schedule.last-fired:%'`).get() as { key: string }
      ).key;
      ws.db
        .prepare('UPDATE meta SET value = ? WHERE key = ?')
        .run(new Date(Date.now() - 2 * 86_400_000).toISOString(), key);
      const events: SchedulerEvent[] = [];
      const again = new PipelineScheduler(ws.dir, ws.db, service, (e) => events.push(e));
      again.start();
      again.stop();
      expect(service.activeRunId !== null, `catchup: ${catchup}`).toBe(expected);
      await service.settle();
      if (expected) {
        await new Promise((r) => setTimeout(r, 20));
        expect(events[0]?.message).toMatch(/^schedule @daily: started run run-[\w-]+ \(catching up the run due /);
      }
      ws.close();
    }
  });

  it('benchtop scheduler refuses a pipeline without a schedule, and runs one that has it until stopped', async () => {
    const plain = path.join(tmpDir(), 'plain');
    runCli(['init', '--demo', '--dir', plain]);
    expect(runCli(['scheduler'], { cwd: plain })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('has no schedule'),
    });
    const ws = await project('"@hourly"');
    ws.close();
    const child = spawn(process.execPath, [CLI, 'scheduler'], { cwd: ws.dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 15_000;
    while (!out.includes('Ctrl+C stops it') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/schedule @hourly: next run at \d{4}-\d\d-\d\dT\d\d:00:00\.000Z/);
    child.kill('SIGINT');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  });
});
