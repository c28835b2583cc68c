// Runs in: main (core). The run cache: a stage's outputs stored by the signature of its inputs
// (command, dependency hashes, param values), restored when the same inputs come back.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { checkRemovable, removeInProject } from '../util/path-policy';
import { ObjectStore } from '../git/object-store';
import type { Stage } from './definition';
import type { StagePlan } from './plan';

const cachedOut = z.object({ path: z.string(), files: z.record(z.string(), z.string()), dir: z.boolean() });
const cachedOuts = z.array(cachedOut);
type CachedOut = z.infer<typeof cachedOut>;

export function signatureOf(stage: Stage, current: StagePlan['current']): string {
  const canonical = JSON.stringify({
    cmd: stage.cmd,
    wdir: stage.wdir,
    env: stage.env,
    deps: Object.entries(current.deps).sort(),
    params: current.params,
    outs: stage.outs.map((o) => o.path),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function filesUnder(projectDir: string, rel: string): string[] {
  const abs = path.join(projectDir, rel);
  if (!statSync(abs).isDirectory()) return [rel];
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const child = path.posix.join(rel, e.name);
    if (e.isDirectory()) out.push(...filesUnder(projectDir, child));
    else if (e.isFile()) out.push(child);
  }
  return out;
}

export class RunCache {
  readonly objects: ObjectStore;

  constructor(
    private readonly projectDir: string,
    private readonly db: Database,
    cacheDir: string,
  ) {
    this.objects = new ObjectStore(path.join(cacheDir, 'objects'));
  }

  /**
   * Only stages whose every output is cacheable can be restored. A stage that registers a model
   * always runs: each version then comes with the metrics its own run logged, which the gate reads.
   */
  static applies(stage: Stage): boolean {
    return stage.outs.length > 0 && stage.outs.every((o) => o.cache && !o.register) && !stage.alwaysChanged;
  }

  async save(stage: Stage, signature: string, runId: string): Promise<void> {
    const outs: CachedOut[] = [];
    for (const o of stage.outs) {
      const abs = path.join(this.projectDir, o.path);
      const dir = statSync(abs).isDirectory();
      const files: Record<string, string> = {};
      for (const f of filesUnder(this.projectDir, o.path))
        files[dir ? path.posix.relative(o.path, f) : ''] = await this.objects.put(path.join(this.projectDir, f));
      outs.push({ path: o.path, files, dir });
    }
    this.db
      .prepare('INSERT OR REPLACE INTO run_cache (stage, signature, outs, run_id) VALUES (?, ?, ?, ?)')
      .run(stage.name, signature, JSON.stringify(outs), runId);
  }

  /** Restores the outputs recorded for this signature; false when there is nothing (whole) to restore. */
  async restore(stage: Stage, signature: string): Promise<boolean> {
    const row = this.db
      .prepare('SELECT outs FROM run_cache WHERE stage = ? AND signature = ?')
      .get(stage.name, signature) as { outs: string } | undefined;
    if (!row) return false;
    const parsed = cachedOuts.safeParse(JSON.parse(row.outs));
    if (!parsed.success) return false;
    const outs = parsed.data;
    if (!outs.every((o) => Object.values(o.files).every((h) => this.objects.has(h)))) return false;
    for (const o of outs) checkRemovable(this.projectDir, o.path, { field: 'outs' }); // all, before any goes
    for (const o of outs) {
      // Checked again at the moment of deleting (the row could be older than the policy, or the
      // disk may have changed): a protected path or a link out of the project throws, and the
      // stage then runs instead, where the same check refuses it.
      removeInProject(this.projectDir, o.path, { field: 'outs' });
      const abs = path.join(this.projectDir, o.path);
      for (const [rel, hash] of Object.entries(o.files))
        await this.objects.get(hash, o.dir ? path.join(abs, rel) : abs);
    }
    return true;
  }
}
