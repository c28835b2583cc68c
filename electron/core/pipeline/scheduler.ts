// Runs in: main (core). Scheduled pipeline runs (`schedule:` in benchtop.yaml) while the app,
// `benchtop ui` or `benchtop scheduler` is up. A missed run is caught up once, on start, only for
// schedules with `catchup: true`; a run already in progress makes a firing skip, with a log line.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { Cron } from 'croner';
import { BenchtopError } from '../../../shared/contract/errors';
import { writeTransaction } from '../store/database';
import { PIPELINE_FILE } from '../util/layout';
import type { Schedule } from './definition';
import { loadPipeline } from './load';
import type { PipelineService } from './service';

export interface SchedulerEvent {
  kind: 'started' | 'skipped' | 'failed-to-start';
  schedule: string;
  runId?: string;
  message: string;
}

const metaKey = (s: Schedule): string => `schedule.last-fired:${s.cron}:${(s.targets ?? []).join(',')}`;

export class PipelineScheduler {
  private jobs: { schedule: Schedule; job: Cron }[] = [];
  private watch: NodeJS.Timeout | null = null;
  private seenMtime = -1;

  constructor(
    private readonly projectDir: string,
    private readonly db: Database,
    private readonly service: PipelineService,
    private readonly onEvent: (e: SchedulerEvent) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get schedules(): { cron: string; next: string | null }[] {
    return this.jobs.map(({ schedule, job }) => ({ cron: schedule.cron, next: job.nextRun()?.toISOString() ?? null }));
  }

  private lastFired(s: Schedule): Date | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(metaKey(s)) as
      | { value: string }
      | undefined;
    return row ? new Date(row.value) : null;
  }

  private remember(s: Schedule, at: Date): void {
    writeTransaction(this.db, () =>
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(metaKey(s), at.toISOString()),
    );
  }

  private async fire(s: Schedule, why: string): Promise<void> {
    const at = this.now();
    this.remember(s, at);
    if (this.service.activeRunId) {
      this.onEvent({
        kind: 'skipped',
        schedule: s.cron,
        message: `schedule ${s.cron}: skipped, run ${this.service.activeRunId} is still in progress`,
      });
      return;
    }
    try {
      const { runId } = await this.service.start({
        targets: s.targets ?? [],
        trigger: `schedule ${s.cron}${why ? ` (${why})` : ''}`,
      });
      this.onEvent({
        kind: 'started',
        schedule: s.cron,
        runId,
        message: `schedule ${s.cron}: started run ${runId}${why ? ` (${why})` : ''}`,
      });
    } catch (err) {
      this.onEvent({
        kind: 'failed-to-start',
        schedule: s.cron,
        message: `schedule ${s.cron}: could not start a run: ${err instanceof BenchtopError ? err.message : String(err)}`,
      });
    }
  }

  private mtime(): number {
    const file = path.join(this.projectDir, PIPELINE_FILE);
    return existsSync(file) ? statSync(file).mtimeMs : 0;
  }

  /** (Re)reads the schedules from benchtop.yaml and arms them; catches up missed runs once. */
  private arm(catchUp: boolean): void {
    for (const j of this.jobs) j.job.stop();
    this.jobs = [];
    this.seenMtime = this.mtime();
    let schedules: Schedule[] = [];
    try {
      schedules = loadPipeline(this.projectDir)?.schedules ?? [];
    } catch (err) {
      this.onEvent({
        kind: 'failed-to-start',
        schedule: '',
        message: `schedules not armed: ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
    for (const s of schedules) {
      const job = new Cron(s.cron, { catch: true, protect: true }, () => void this.fire(s, ''));
      this.jobs.push({ schedule: s, job });
      if (!catchUp) continue;
      const last = this.lastFired(s);
      if (last === null) {
        // First sight of this schedule: start counting from now, do not invent a missed run.
        this.remember(s, this.now());
        continue;
      }
      const due = new Cron(s.cron, { paused: true }).nextRun(last);
      if (s.catchup && due && due <= this.now()) void this.fire(s, `catching up the run due ${due.toISOString()}`);
    }
  }

  start(): void {
    this.arm(true);
    // Edits to benchtop.yaml re-arm the schedules without a restart.
    this.watch = setInterval(() => {
      if (this.mtime() !== this.seenMtime) this.arm(false);
    }, 5000);
    this.watch.unref();
  }

  stop(): void {
    for (const j of this.jobs) j.job.stop();
    this.jobs = [];
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }
}
