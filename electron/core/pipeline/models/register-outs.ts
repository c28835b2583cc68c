// Runs in: main (core). After a stage succeeds: each out that says `register:` becomes a new model
// version of the run, and its alias moves when the gate passes, with the verdict as the reason in
// the alias audit log.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { BenchtopError } from '../../../../shared/contract/errors';
import { fromWire } from '../../../../shared/contract/wire';
import { setAlias } from '../../registry/aliases';
import { updateVersion } from '../../registry/lifecycle';
import { registerVersion } from '../../registry/register';
import { getVersion } from '../../registry/versions';
import { writeTransaction } from '../../store/database';
import { CACHE_DIR } from '../../util/layout';
import type { OutputSpec, RegisterSpec, Stage } from '../definition';
import { evaluateGate, formatGate, type AliasSnapshot, type GateVerdict } from './gate';

/** A registration that failed: the stage fails with this message. */
export class RegistrationError extends Error {}

export interface Registered {
  out: string;
  name: string;
  version: number;
  alias: string | null;
  /** The version the alias pointed at before (null: it did not exist), when it moved. */
  movedFrom: number | null | undefined;
  verdict: GateVerdict | null;
  /** One line for the stage log. */
  summary: string;
}

function aliasSnapshot(db: Database, name: string, alias: string): AliasSnapshot {
  const row = db
    .prepare(
      'SELECT v.version, v.metrics_json AS metricsJson FROM model_aliases a JOIN model_versions v ON v.model_name = a.model_name AND v.version = a.version WHERE a.model_name = ? AND a.alias = ?',
    )
    .get(name, alias) as { version: number; metricsJson: string } | undefined;
  return row
    ? { exists: true, version: row.version, metrics: fromWire(row.metricsJson) as Record<string, number> }
    : { exists: false };
}

/**
 * A working copy (sweeps, reproductions) is deleted after its run, and with it its own
 * .benchtop/cache: the registry's bytes must land in the project's cache, as logged artifacts do.
 */
function shareCache(projectDir: string, home: string): void {
  if (path.resolve(projectDir) === path.resolve(home)) return;
  const link = path.join(projectDir, CACHE_DIR);
  if (existsSync(link)) return;
  mkdirSync(path.join(home, CACHE_DIR), { recursive: true });
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(path.join(home, CACHE_DIR), link, 'junction');
}

function describeError(err: unknown): string {
  if (err instanceof BenchtopError)
    return `${err.message.replace(/\.$/, '')}${err.hint ? ` (${err.hint.replace(/\.$/, '')})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

async function registerOne(
  projectDir: string,
  db: Database,
  runId: string,
  stage: Stage,
  out: OutputSpec,
  r: RegisterSpec,
): Promise<Registered> {
  const what = `${out.path} as model ${r.name}`;
  const tags: Record<string, string> = { 'pipeline.stage': stage.name };
  let version: number;
  try {
    version = await registerVersion(projectDir, db, {
      name: r.name,
      runId,
      artifact: out.path,
      description: r.description,
      predict: r.predict,
      ...(r.signature ? { signature: r.signature } : {}),
      tags,
    });
  } catch (err) {
    throw new RegistrationError(`could not register ${what}: ${describeError(err)}`);
  }
  const base = `registered ${out.path} as ${r.name} version ${version}`;
  if (!r.alias)
    return { out: out.path, name: r.name, version, alias: null, movedFrom: undefined, verdict: null, summary: base };
  const alias = r.alias;
  try {
    // One synchronous transaction from the verdict to the move: runs registering in parallel (a
    // sweep) cannot both pass against the same old champion and then overwrite each other.
    return writeTransaction(db, (): Registered => {
      // The gate reads the metrics the version keeps: the run's latest values when the stage ended.
      const verdict = r.gate
        ? evaluateGate(r.gate, getVersion(db, r.name, version).metrics, (a) => aliasSnapshot(db, r.name, a))
        : null;
      if (r.gate && verdict)
        updateVersion(db, r.name, version, {
          tags: {
            ...tags,
            'pipeline.gate': `${formatGate(r.gate)}: ${verdict.passed ? 'passed' : 'did not pass'} (${verdict.explanation})`,
          },
        });
      if (verdict && !verdict.passed) {
        return {
          out: out.path,
          name: r.name,
          version,
          alias,
          movedFrom: undefined,
          verdict,
          summary: `${base}; @${alias} not moved: the gate ${formatGate(r.gate!)} did not pass (${verdict.explanation})`,
        };
      }
      const before = setAlias(
        db,
        r.name,
        alias,
        version,
        `pipeline run ${runId}: ${verdict ? verdict.explanation : `registered by stage ${stage.name}`}`,
      );
      const moved =
        before === null
          ? `@${alias} set to version ${version}`
          : `@${alias} moved from version ${before} to ${version}`;
      return {
        out: out.path,
        name: r.name,
        version,
        alias,
        movedFrom: before,
        verdict,
        summary: `${base}; ${moved}${verdict ? ` (${verdict.explanation})` : ''}`,
      };
    });
  } catch (err) {
    throw new RegistrationError(
      `registered ${what} version ${version}, but could not decide or set @${alias}: ${describeError(err)}`,
    );
  }
}

/** Registers every `register:` out of a stage that has just succeeded (its outs recorded as the run's). */
export async function registerStageOuts(
  projectDir: string,
  home: string,
  db: Database,
  runId: string,
  stage: Stage,
  log: (line: string) => void,
): Promise<Registered[]> {
  const outs = stage.outs.filter((o) => o.register);
  if (outs.length === 0) return [];
  shareCache(projectDir, home);
  const done: Registered[] = [];
  for (const o of outs) {
    const r = await registerOne(projectDir, db, runId, stage, o, o.register!);
    log(r.summary);
    done.push(r);
  }
  return done;
}
