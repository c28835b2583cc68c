// Runs in: main (core). Deciding what runs: each stage's current inputs against benchtop.lock,
// explained in words ("dep data/train.csv changed", "param train.lr 0.1 → 0.05").
import type { Pipeline, Stage } from './definition';
import { buildDag, overlaps, topoOrder, withDownstream, withUpstream, type Dag } from './graph';
import type { FileHasher } from '../util/hashing';
import type { Lock, LockEntry } from './lock';
import type { ParamsFiles } from './load';

export type PlanState = 'will-run' | 'up-to-date' | 'frozen';

export interface StagePlan {
  stage: Stage;
  state: PlanState;
  reasons: string[];
  /** The inputs as they are now (for the lock after a successful run). */
  current: Omit<LockEntry, 'outs'>;
  /**
   * Set when the stage would run only because an upstream stage that registers a model it reads
   * will run: the hashes its model deps had in the lock. If, once that stage is done, they still
   * name the same versions, the stage is up to date after all.
   */
  modelRecheck?: Record<string, string | null>;
}

export interface PlanOptions {
  targets?: string[];
  force?: boolean;
  downstream?: boolean;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `model:churn/3:<sha>` → `churn/3`. */
function modelVersion(lockHash: string | null | undefined): string {
  const m = /^model:(.+):[0-9a-f]+$/.exec(lockHash ?? '');
  return m ? m[1]! : 'none';
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The stages a run covers: targets and what they need (or what needs them, with downstream). */
export function selectStages(pipeline: Pipeline, dag: Dag, opts: PlanOptions): Set<string> {
  const names = new Set(pipeline.stages.map((s) => s.name));
  if (!opts.targets || opts.targets.length === 0) return names;
  const chosen = new Set<string>();
  for (const t of opts.targets) {
    // A target may name a foreach/matrix entry: all its stamped-out stages.
    const matches = pipeline.stages.filter((s) => s.name === t || s.source === t).map((s) => s.name);
    if (matches.length === 0)
      throw new Error(`there is no stage named ${t} in benchtop.yaml (stages: ${[...names].join(', ')})`);
    matches.forEach((m) => chosen.add(m));
  }
  return opts.downstream ? withDownstream(chosen, dag) : withUpstream(chosen, dag);
}

/** What a `models:/…` dep resolves to now (`model:NAME/N:<artifact hash>`), or null when it names nothing. */
export type ModelHasher = (ref: string) => string | null;

export async function planPipeline(
  pipeline: Pipeline,
  lock: Lock,
  hasher: FileHasher,
  params: ParamsFiles,
  opts: PlanOptions = {},
  modelHash?: ModelHasher,
): Promise<StagePlan[]> {
  const dag = buildDag(pipeline.stages);
  const selected = selectStages(pipeline, dag, opts);
  const targets = new Set(opts.targets ?? []);
  const plans = new Map<string, StagePlan>();
  for (const stage of topoOrder(pipeline.stages, dag)) {
    if (!selected.has(stage.name)) continue;
    const current: StagePlan['current'] = { cmd: stage.cmd, deps: {}, params: {} };
    for (const d of stage.deps) current.deps[d] = await hasher.hash(d);
    for (const m of stage.models) {
      if (!modelHash) throw new Error(`planPipeline needs a model resolver for stage ${stage.name}'s ${m.ref}`);
      current.deps[m.ref] = modelHash(m.ref);
    }
    for (const p of stage.params) (current.params[p.file] ??= {})[p.key] = params.value(p).value;
    const reasons: string[] = [];
    const locked = lock.stages[stage.name];
    if (stage.frozen && !(opts.force && targets.has(stage.name))) {
      plans.set(stage.name, {
        stage,
        state: 'frozen',
        reasons: ['frozen: it never runs until frozen is removed'],
        current,
      });
      continue;
    }
    if (opts.force) reasons.push('forced');
    if (stage.alwaysChanged) reasons.push('always runs (always_changed)');
    if (!locked) reasons.push('never ran');
    else {
      if (!sameValue(locked.cmd, stage.cmd)) reasons.push('command changed');
      for (const [d, h] of Object.entries(current.deps)) {
        if (h === null) reasons.push(`dep ${d} missing`);
        else if (!(d in locked.deps)) reasons.push(`dep ${d} is new`);
        else if (locked.deps[d] !== h)
          reasons.push(
            h.startsWith('model:')
              ? `dep ${d} changed (${modelVersion(locked.deps[d])} → ${modelVersion(h)})`
              : `dep ${d} changed`,
          );
      }
      for (const d of Object.keys(locked.deps)) if (!(d in current.deps)) reasons.push(`dep ${d} removed`);
      for (const [file, values] of Object.entries(current.params)) {
        for (const [key, value] of Object.entries(values)) {
          const before = locked.params[file]?.[key];
          const label = file === 'params.yaml' ? key : `${file}:${key}`;
          if (before === undefined) reasons.push(`param ${label} is new (${show(value)})`);
          else if (!sameValue(before, value)) reasons.push(`param ${label} ${show(before)} → ${show(value)}`);
        }
      }
      for (const o of stage.outs) {
        const h = await hasher.hash(o.path);
        if (h === null) reasons.push(`out ${o.path} missing`);
        else if (o.path in locked.outs && locked.outs[o.path] !== h) reasons.push(`out ${o.path} was modified`);
      }
    }
    const ownReasons = reasons.length;
    let viaFiles = false;
    for (const up of dag.upstream.get(stage.name)!) {
      const upPlan = plans.get(up);
      if (upPlan?.state !== 'will-run') continue;
      if (stage.deps.some((d) => upPlan.stage.outs.some((o) => overlaps(o.path, d)))) {
        viaFiles = true;
        reasons.push(`upstream stage ${up} will run`);
      } else {
        const refs = stage.models
          .filter((m) => upPlan.stage.outs.some((o) => o.register?.name === m.name))
          .map((m) => m.ref);
        reasons.push(`upstream stage ${up} will run and may move ${refs.join(', ')}`);
      }
    }
    const plan: StagePlan = { stage, state: reasons.length ? 'will-run' : 'up-to-date', reasons, current };
    if (locked && ownReasons === 0 && reasons.length > 0 && !viaFiles)
      plan.modelRecheck = Object.fromEntries(stage.models.map((m) => [m.ref, locked.deps[m.ref] ?? null]));
    plans.set(stage.name, plan);
  }
  return [...plans.values()];
}
