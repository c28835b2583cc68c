// Runs in: main (core). Loading benchtop.yaml: expand foreach/matrix, interpolate ${...}, resolve
// paths and params, and validate the whole pipeline before anything runs. Every problem names the
// file, line and column, and says how to fix it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { parse as parseYamlValue } from 'yaml';
import { BenchtopError } from '../../../shared/contract/errors';
import type { FileProblem } from '../../../shared/contract/schemas';
import {
  FileProblemError,
  loadYaml,
  unknownKeysFirst,
  zodProblems,
  type YamlPath,
  type YamlSource,
} from '../util/yaml-file';
import { closestKey } from '../util/did-you-mean';
import { CONFIG_FILE, PIPELINE_FILE, POINTER_SUFFIX } from '../util/layout';
import {
  executorEntry,
  localExecutor,
  outEntry,
  pathOptions,
  pipelineFile,
  registerMap,
  scheduleSchema,
  slurmExecutor,
  stageBody,
  type Executor,
  type OutputSpec,
  type ParamRef,
  type Pipeline,
  type RegisterSpec,
  type Schedule,
  type Stage,
} from './definition';
import { parseDuration } from './duration';
import { buildDag, findCycles, overlaps } from './graph';
import { interpolate, lookup } from './interpolate';
import { GATE_HINT, GateSyntaxError, parseGate, type Gate } from './models/gate';
import { isModelDep, modelEnvNames, parseModelDep } from './models/deps';
import { checkAlias, checkModelName } from '../registry/refs';
import { checkProjectPath, refusal, resolveInProject, type PathUse } from '../util/path-policy';

export const DEFAULT_PARAMS_FILE = 'params.yaml';
const STAGE_HINT =
  'See the stage keys in the README: cmd, deps, params, outs, metrics, plots, env, wdir, retries, retry_delay, timeout, always_changed, frozen, executor.';

/** The keys allowed where a zod issue points (its path within the file), to guess what a misspelt key meant. */
function fileKeys(at: YamlPath): readonly string[] {
  if (at.length === 0) return Object.keys(pipelineFile.shape);
  if (at[0] === 'schedule') return scheduleSchema.options[1].keyof().options;
  if (at[0] === 'executors' && at.length === 2)
    return [...new Set([...Object.keys(slurmExecutor.shape), ...Object.keys(localExecutor.shape)])];
  return [];
}
/** The same for a stage's body (outs/metrics/plots entries take their options: cache, persist, register). */
function stageKeys(at: YamlPath): readonly string[] {
  if (at.length === 0) return Object.keys(stageBody.shape);
  if (at.length === 3 && ['outs', 'metrics', 'plots'].includes(String(at[0]))) return Object.keys(pathOptions.shape);
  return [];
}

/** `-S key=value`: a param value for one run, without editing the params file. */
export interface ParamOverride {
  file: string;
  key: string;
  value: unknown;
}

/** Parses `key=value` or `other.yaml:key=value`; the value is read as YAML (0.1 is a number). */
export function parseOverride(text: string): ParamOverride {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new BenchtopError('INVALID_INPUT', `"${text}" is not key=value.`, {
      field: 'overrides',
      hint: 'Write it as train.lr=0.01 (or other.yaml:key=value).',
    });
  const lhs = text.slice(0, eq).trim();
  const colon = lhs.lastIndexOf(':');
  const file = colon > 0 ? lhs.slice(0, colon) : DEFAULT_PARAMS_FILE;
  const key = colon > 0 ? lhs.slice(colon + 1) : lhs;
  return { file, key, value: parseYamlValue(text.slice(eq + 1).trim()) };
}

/** Params files are read once per load and cached by name. */
export class ParamsFiles {
  private readonly cache = new Map<string, { data: unknown } | { error: FileProblem }>();
  constructor(
    private readonly projectDir: string,
    private readonly overrides: readonly ParamOverride[] = [],
  ) {}

  /** Refuses overrides of keys that do not exist, so a typo cannot silently do nothing. */
  checkOverrides(): void {
    for (const o of this.overrides) {
      const entry = this.get(o.file);
      if ('error' in entry)
        throw new BenchtopError('INVALID_INPUT', `Cannot override ${o.key}: ${o.file} ${entry.error.message}.`, {
          field: 'overrides',
          hint: entry.error.hint,
        });
      if (!lookup(entry.data as Record<string, unknown>, o.key).found) {
        throw new BenchtopError('INVALID_INPUT', `Cannot override ${o.key}: ${o.file} has no such param.`, {
          field: 'overrides',
          hint: `Check the spelling, or add ${o.key} to ${o.file} first.`,
        });
      }
    }
  }

  get(file: string): { data: unknown } | { error: FileProblem } {
    let entry = this.cache.get(file);
    if (!entry) {
      const abs = path.join(this.projectDir, file);
      if (!existsSync(abs)) {
        entry = {
          error: {
            file,
            line: null,
            column: null,
            message: 'does not exist',
            hint: `Create ${file}, or remove the params that point at it.`,
          },
        };
      } else {
        try {
          const text = readFileSync(abs, 'utf8');
          entry = { data: file.endsWith('.json') ? JSON.parse(text) : loadYaml(text, file).data };
        } catch (err) {
          entry = {
            error:
              err instanceof FileProblemError
                ? err.problem
                : { file, line: null, column: null, message: `cannot be read (${String(err)})`, hint: 'Fix the file.' },
          };
        }
      }
      this.cache.set(file, entry);
    }
    return entry;
  }

  /** The value of `key` in `file`, when both exist. */
  value(ref: ParamRef): { found: boolean; value: unknown } {
    const override = this.overrides.find((o) => o.file === ref.file && o.key === ref.key);
    if (override) return { found: true, value: override.value };
    const entry = this.get(ref.file);
    if ('error' in entry) return { found: false, value: undefined };
    return lookup(entry.data as Record<string, unknown>, ref.key);
  }
}

/** Normalises a path written in benchtop.yaml (relative to wdir) to a project-relative POSIX path. */
function projectPath(wdir: string, p: string): string | null {
  const joined = path.posix.normalize(path.posix.join(wdir, p.replace(/\\/g, '/')));
  if (path.posix.isAbsolute(p) || joined === '..' || joined.startsWith('../')) return null;
  return joined.replace(/\/$/, '');
}

/**
 * An out or dep checked by the path policy, by name and then on disk (a folder on the way that is a
 * symbolic link out of the project is refused here, before anything runs). Null when refused.
 */
function policyPath(
  projectDir: string,
  wdir: string,
  given: string,
  use: PathUse,
  label: string,
  outside: [string, string],
  where: YamlPath,
  source: YamlSource,
  problems: FileProblem[],
): string | null {
  if (projectPath(wdir, given) === null) {
    problems.push(source.problem(where, outside[0], outside[1]));
    return null;
  }
  const checked = checkProjectPath(given, use, { wdir });
  if ('refusal' in checked) {
    problems.push(source.problem(where, `${label} "${given}" ${checked.refusal.reason}`, checked.refusal.hint));
    return null;
  }
  try {
    resolveInProject(projectDir, checked.path, use, { given });
  } catch (err) {
    if (!(err instanceof BenchtopError)) throw err;
    problems.push(
      source.problem(
        where,
        `${label} ${err.message.replace(/\.$/, '')}`,
        err.hint ?? 'Name a path inside the project.',
      ),
    );
    return null;
  }
  return checked.path;
}

function itemName(value: unknown, index: number): string {
  return value !== null && typeof value !== 'object' ? String(value) : String(index);
}

interface Expanded {
  name: string;
  source: string;
  body: unknown;
  /** Where in the YAML the body sits (for error locations). */
  at: YamlPath;
  context: Record<string, unknown>;
}

function expand(
  source: YamlSource,
  name: string,
  entry: unknown,
  base: Record<string, unknown>,
  problems: FileProblem[],
): Expanded[] {
  const at: YamlPath = ['stages', name];
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push(source.problem(at, `stages.${name}: a stage must be a map with at least cmd`, STAGE_HINT));
    return [];
  }
  const obj = entry as Record<string, unknown>;
  if ('foreach' in obj) {
    const extra = Object.keys(obj).filter((k) => k !== 'foreach' && k !== 'do');
    if (extra.length || !('do' in obj)) {
      problems.push(
        source.problem(
          [...at, extra[0] ?? 'foreach'],
          `stages.${name}: foreach needs a do: block and nothing else beside it`,
          'Put the stage keys under do:.',
        ),
      );
      return [];
    }
    const items = interpolate(obj.foreach, base, (p, err) =>
      problems.push(
        source.problem(
          [...at, 'foreach', ...p],
          `stage ${name}: ${err.message}`,
          'Define it under vars: or in params.yaml.',
        ),
      ),
    );
    const pairs: [string, Record<string, unknown>][] = Array.isArray(items)
      ? items.map((item, i) => [itemName(item, i), { item }])
      : items !== null && typeof items === 'object'
        ? Object.entries(items).map(([key, item]) => [key, { item, key }])
        : [];
    if (pairs.length === 0) {
      problems.push(
        source.problem(
          [...at, 'foreach'],
          `stages.${name}.foreach: must be a non-empty list or map`,
          'List the items to stamp the stage out for.',
        ),
      );
      return [];
    }
    return pairs.map(([suffix, context]) => ({
      name: `${name}@${suffix}`,
      source: name,
      body: obj.do,
      at: [...at, 'do'],
      context,
    }));
  }
  if ('matrix' in obj) {
    const matrix = interpolate(obj.matrix, base, (p, err) =>
      problems.push(
        source.problem(
          [...at, 'matrix', ...p],
          `stage ${name}: ${err.message}`,
          'Define it under vars: or in params.yaml.',
        ),
      ),
    );
    if (
      matrix === null ||
      typeof matrix !== 'object' ||
      Array.isArray(matrix) ||
      Object.values(matrix).some((v) => !Array.isArray(v) || v.length === 0)
    ) {
      problems.push(
        source.problem(
          [...at, 'matrix'],
          `stages.${name}.matrix: must map each name to a non-empty list`,
          'For example matrix: {model: [tree, forest], seed: [1, 2]}.',
        ),
      );
      return [];
    }
    const { matrix: _, ...body } = obj;
    let combos: Record<string, unknown>[] = [{}];
    for (const [dim, values] of Object.entries(matrix as Record<string, unknown[]>)) {
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [dim]: v })));
    }
    return combos.map((combo) => ({
      name: `${name}@${Object.values(combo)
        .map((v, i) => itemName(v, i))
        .join('-')}`,
      source: name,
      body,
      at,
      context: { item: combo },
    }));
  }
  return [{ name, source: name, body: obj, at, context: {} }];
}

const REGISTER_HINT =
  'Write register: NAME, or register: {name: NAME, alias: ALIAS, if: METRIC OP (NUMBER | ALIAS), description: TEXT, predict: COMMAND, signature: {COLUMN: TYPE}}.';
// The same keys the JSON Schema offers editors (definition.ts).
const REGISTER_KEYS = Object.keys(registerMap.shape);

/** The `register:` of an out, or null (with problems pushed) when it is malformed. */
function registerSpec(raw: unknown, at: YamlPath, source: YamlSource, problems: FileProblem[]): RegisterSpec | null {
  const before = problems.length;
  const refused = (where: YamlPath, message: string, hint = REGISTER_HINT, pos: 'key' | 'value' = 'value'): null => {
    problems.push(source.problem(where, message, hint, pos));
    return null;
  };
  const checked = (where: YamlPath, label: string, check: () => string): string | null => {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof BenchtopError)) throw err;
      return refused(where, `${label}: ${err.message.replace(/\.$/, '')}`, err.hint ?? REGISTER_HINT);
    }
  };
  if (typeof raw === 'string') {
    const name = checked(at, 'register', () => checkModelName(raw));
    return name === null ? null : { name, alias: null, gate: null, description: undefined, predict: undefined };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return refused(at, 'register: must be a model name or a map with name:');
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj))
    if (!REGISTER_KEYS.includes(k)) {
      const guess = closestKey(k, REGISTER_KEYS);
      refused(
        [...at, k],
        `register: unknown key ${k}`,
        `${guess ? `Did you mean ${guess}? ` : ''}The keys of register: are ${REGISTER_KEYS.join(', ')}.`,
        'key',
      );
    }
  const text = (k: string): string | undefined => {
    if (obj[k] === undefined) return undefined;
    if (typeof obj[k] === 'string' && obj[k] !== '') return obj[k];
    refused(
      [...at, k],
      `register.${k}: must be ${k === 'if' ? 'a comparison such as accuracy >= champion' : 'non-empty text'}`,
      k === 'if' ? GATE_HINT : REGISTER_HINT,
    );
    return undefined;
  };
  const rawName = text('name');
  if (obj.name === undefined) refused(at, 'register: needs name: (the model to register the out as)');
  const name = rawName === undefined ? null : checked([...at, 'name'], 'register.name', () => checkModelName(rawName));
  const rawAlias = text('alias');
  const alias = rawAlias === undefined ? null : checked([...at, 'alias'], 'register.alias', () => checkAlias(rawAlias));
  const gateText = text('if');
  let gate: Gate | null = null;
  if (gateText !== undefined) {
    try {
      gate = parseGate(gateText);
    } catch (err) {
      if (!(err instanceof GateSyntaxError)) throw err;
      refused([...at, 'if'], `register.if: ${err.message}`, GATE_HINT);
    }
    if (obj.alias === undefined)
      refused(
        [...at, 'if'],
        'register.if: a gate needs an alias: to set when it passes',
        'Add alias: (for example alias: challenger), or remove if:.',
        'key',
      );
  }
  const description = text('description');
  const predict = text('predict');
  let signature: { name: string; type: string }[] | undefined;
  if (obj.signature !== undefined) {
    const sig = obj.signature;
    const entries =
      sig !== null && typeof sig === 'object' && !Array.isArray(sig)
        ? Object.entries(sig as Record<string, unknown>)
        : null;
    if (!entries || entries.length === 0)
      refused(
        [...at, 'signature'],
        'register.signature: must map each input column to its type',
        'Write signature: {sepal_length: number, plan: string}.',
      );
    else {
      const bad = entries.find(([, t]) => typeof t !== 'string' || t.trim() === '' || t.length > 50);
      if (bad)
        refused(
          [...at, 'signature', bad[0]],
          `register.signature.${bad[0]}: the type must be a word such as number, integer, string, boolean or datetime`,
        );
      else signature = entries.map(([n, t]) => ({ name: n, type: (t as string).trim() }));
    }
  }
  if (problems.length > before || name === null) return null;
  return { name, alias, gate, description, predict, ...(signature ? { signature } : {}) };
}

function outputs(
  projectDir: string,
  entries: unknown[],
  kind: OutputSpec['kind'],
  wdir: string,
  at: YamlPath,
  key: string,
  source: YamlSource,
  problems: FileProblem[],
): OutputSpec[] {
  const result: OutputSpec[] = [];
  entries.forEach((e, i) => {
    const parsed = outEntry.safeParse(e);
    if (!parsed.success) return;
    const pairs: [string, { cache?: boolean; persist?: boolean; register?: unknown } | null][] =
      typeof parsed.data === 'string' ? [[parsed.data, null]] : Object.entries(parsed.data);
    for (const [p, opts] of pairs) {
      const resolved = policyPath(
        projectDir,
        wdir,
        p,
        'write',
        `${key}[${i}]`,
        [`${key} ${p} points outside the project`, 'Stages may only write inside the project folder.'],
        [...at, key, i],
        source,
        problems,
      );
      if (resolved === null) continue;
      const spec: OutputSpec = { path: resolved, cache: opts?.cache ?? true, persist: opts?.persist ?? false, kind };
      if (opts?.register !== undefined) {
        const where: YamlPath = [...at, key, i, p, 'register'];
        if (kind !== 'out')
          problems.push(
            source.problem(
              where,
              `${key} ${p}: only outs can register a model`,
              'Move the model file under outs:.',
              'key',
            ),
          );
        else {
          const register = registerSpec(opts.register, where, source, problems);
          if (register) spec.register = register;
        }
      }
      result.push(spec);
    }
  });
  return result;
}

function durationMs(
  value: unknown,
  at: YamlPath,
  key: string,
  source: YamlSource,
  problems: FileProblem[],
): number | null {
  if (value === undefined) return null;
  const ms = parseDuration(value);
  if (ms === null)
    problems.push(
      source.problem(
        [...at, key],
        `${key}: "${String(value)}" is not a duration`,
        'Write a number with a unit: 500ms, 30s, 5m or 2h.',
      ),
    );
  return ms;
}

function schedules(source: YamlSource, raw: unknown, problems: FileProblem[]): Schedule[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const out: Schedule[] = [];
  list.forEach((entry, i) => {
    const at: YamlPath = Array.isArray(raw) ? ['schedule', i] : ['schedule'];
    const s = typeof entry === 'string' ? { cron: entry, catchup: false, targets: undefined } : (entry as Schedule);
    try {
      new Cron(s.cron, { paused: true });
      out.push({ cron: s.cron, catchup: s.catchup ?? false, targets: s.targets });
    } catch (err) {
      problems.push(
        source.problem(
          at,
          `schedule: "${s.cron}" is not a cron expression (${err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err)})`,
          'Use five fields (minute hour day month weekday), e.g. "0 3 * * *", or @hourly, @daily, @weekly, @monthly.',
        ),
      );
    }
  });
  return out;
}

/** `executors:` checked beyond their shape: `local` is built in, and time: must be a duration. */
function executorList(
  source: YamlSource,
  raw: Record<string, Executor>,
  problems: FileProblem[],
): Record<string, Executor> {
  for (const [name, e] of Object.entries(raw)) {
    const at: YamlPath = ['executors', name];
    if (name === 'local' && e.type !== 'local')
      problems.push(
        source.problem(
          at,
          'executors.local: local is built in (stages run here)',
          'Give the executor another name, such as cluster.',
          'key',
        ),
      );
    if (e.type === 'slurm' && e.time !== undefined) {
      const ms = durationMs(e.time, at, 'time', source, problems);
      if (ms !== null && ms < 60_000)
        problems.push(
          source.problem(
            [...at, 'time'],
            `time: ${String(e.time)} is under a minute, the least Slurm can limit a job to`,
            'Write 1m or more.',
          ),
        );
    }
  }
  return raw;
}

const EXECUTOR_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * `executors:` of .benchtop/config.yaml over benchtop.yaml's, by name: the keys given there win
 * (what differs from machine to machine: partition, account, submit_prefix), and an entry only
 * there is declared there. Its problems name that file, line and column.
 */
function withConfigExecutors(
  projectDir: string,
  declared: Record<string, Executor>,
  problems: FileProblem[],
): Record<string, Executor> {
  const file = path.join(projectDir, CONFIG_FILE);
  if (!existsSync(file)) return declared;
  const display = CONFIG_FILE.split(path.sep).join('/');
  let source: YamlSource;
  try {
    source = loadYaml(readFileSync(file, 'utf8'), display);
  } catch (err) {
    if (!(err instanceof FileProblemError)) throw err;
    problems.push(...err.problems);
    return declared;
  }
  const raw = (source.data as { executors?: unknown } | null)?.executors;
  if (raw === undefined || raw === null) return declared;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(raw)) {
    problems.push(source.problem(['executors'], 'executors: must map executor names to their settings', EXECUTOR_HINT));
    return declared;
  }
  const out = { ...declared };
  for (const [name, entry] of Object.entries(raw)) {
    const at: YamlPath = ['executors', name];
    if (!EXECUTOR_NAME.test(name)) {
      problems.push(
        source.problem(at, `executors.${name}: executor names use letters, digits and _ . -`, EXECUTOR_HINT, 'key'),
      );
      continue;
    }
    const parsed = executorEntry.safeParse(isMap(entry) ? { ...declared[name], ...entry } : entry);
    if (!parsed.success) {
      problems.push(...zodProblems(source, parsed.error, EXECUTOR_HINT, at, (p) => fileKeys([...at, ...p])));
      continue;
    }
    out[name] = executorList(source, { [name]: parsed.data }, problems)[name]!;
  }
  return out;
}

const EXECUTOR_HINT =
  'An executor in .benchtop/config.yaml takes the keys of one in benchtop.yaml (type, partition, account, submit_prefix, ...); see docs/slurm.md.';

/** Parses and validates benchtop.yaml text. Throws FileProblemError listing every problem found. */
export function parsePipeline(text: string, projectDir: string, displayName = PIPELINE_FILE): Pipeline {
  const source = loadYaml(text, displayName);
  const file = pipelineFile.safeParse(source.data);
  if (!file.success)
    throw new FileProblemError(unknownKeysFirst(zodProblems(source, file.error, STAGE_HINT, [], fileKeys)));
  const problems: FileProblem[] = [];
  const executors = withConfigExecutors(projectDir, executorList(source, file.data.executors, problems), problems);
  const params = new ParamsFiles(projectDir);
  const defaultParams = existsSync(path.join(projectDir, DEFAULT_PARAMS_FILE))
    ? params.get(DEFAULT_PARAMS_FILE)
    : { data: {} };
  const paramData = 'data' in defaultParams ? (defaultParams.data as Record<string, unknown>) : {};

  const stages: Stage[] = [];
  const base = { ...paramData, ...file.data.vars };
  for (const [name, entry] of Object.entries(file.data.stages)) {
    for (const ex of expand(source, name, entry, base, problems)) {
      // Later keys win: params.yaml, then vars, then the foreach/matrix item.
      const context = { ...base, ...ex.context };
      const body = interpolate(ex.body, context, (p, err) =>
        problems.push(
          source.problem(
            [...ex.at, ...p],
            `stage ${ex.name}: ${err.message}`,
            'Define it under vars:, in params.yaml, or as the foreach item (${item}, ${key}).',
          ),
        ),
      );
      const parsed = stageBody.safeParse(body);
      if (!parsed.success) {
        problems.push(...zodProblems(source, parsed.error, STAGE_HINT, ex.at, stageKeys));
        continue;
      }
      const b = parsed.data;
      const wdir = b.wdir === undefined ? '.' : projectPath('.', b.wdir);
      if (wdir === null) {
        problems.push(
          source.problem(
            [...ex.at, 'wdir'],
            `wdir ${b.wdir} points outside the project`,
            'Use a folder inside the project.',
          ),
        );
        continue;
      }
      const wdirRefusal = wdir === '.' ? null : refusal(wdir, 'read');
      if (wdirRefusal) {
        problems.push(
          source.problem(
            [...ex.at, 'wdir'],
            `wdir "${b.wdir}" ${wdirRefusal.reason}`,
            'Use a folder of your own inside the project, such as src.',
          ),
        );
        continue;
      }
      const deps: string[] = [];
      const modelRefs: { ref: string; name: string; selector: string; i: number }[] = [];
      b.deps.forEach((d, i) => {
        if (isModelDep(d)) {
          try {
            modelRefs.push({ ...parseModelDep(d), i });
          } catch (err) {
            if (!(err instanceof BenchtopError)) throw err;
            problems.push(
              source.problem(
                [...ex.at, 'deps', i],
                `dep ${d}: ${err.message.replace(/\.$/, '')}`,
                err.hint ?? 'Write models:/NAME@ALIAS or models:/NAME/N.',
              ),
            );
          }
          return;
        }
        const p = policyPath(
          projectDir,
          wdir,
          d,
          'read',
          `deps[${i}]`,
          [`dep ${d} points outside the project`, 'Copy the file into the project, so that it is versioned with it.'],
          [...ex.at, 'deps', i],
          source,
          problems,
        );
        if (p !== null) deps.push(p);
      });
      const models = modelEnvNames(modelRefs);
      const seenEnv = new Map<string, string>();
      models.forEach((m, k) => {
        for (const v of m.env) {
          const other = seenEnv.get(v);
          if (other !== undefined) {
            problems.push(
              other === m.ref
                ? source.problem(
                    [...ex.at, 'deps', modelRefs[k]!.i],
                    `dep ${m.ref} is listed twice`,
                    'List each model reference once.',
                  )
                : source.problem(
                    [...ex.at, 'deps', modelRefs[k]!.i],
                    `deps ${other} and ${m.ref} would both be handed to the stage as ${v}`,
                    'Depend on each version once, or rename one of the models.',
                  ),
            );
            break; // one problem per reference
          }
          seenEnv.set(v, m.ref);
        }
      });
      const paramRefs: ParamRef[] = [];
      b.params.forEach((entry, i) => {
        const refs =
          typeof entry === 'string'
            ? [{ file: DEFAULT_PARAMS_FILE, key: entry }]
            : Object.entries(entry).flatMap(([f, keys]) =>
                keys.map((key) => ({ file: projectPath(wdir, f) ?? f, key })),
              );
        for (const ref of refs) {
          const loaded = params.get(ref.file);
          if ('error' in loaded) {
            problems.push(
              source.problem(
                [...ex.at, 'params', i],
                `params file ${ref.file} ${loaded.error.message}`,
                loaded.error.hint,
              ),
            );
          } else if (!params.value(ref).found) {
            problems.push(
              source.problem(
                [...ex.at, 'params', i],
                `unknown param ${ref.key}: ${ref.file} has no such key`,
                `Add ${ref.key} to ${ref.file}, or correct the key's spelling.`,
              ),
            );
          } else paramRefs.push(ref);
        }
      });
      stages.push({
        name: ex.name,
        source: ex.source,
        cmd: typeof b.cmd === 'string' ? [b.cmd] : b.cmd,
        deps,
        models,
        params: paramRefs,
        outs: [
          ...outputs(projectDir, b.outs, 'out', wdir, ex.at, 'outs', source, problems),
          ...outputs(projectDir, b.metrics, 'metric', wdir, ex.at, 'metrics', source, problems),
          ...outputs(projectDir, b.plots, 'plot', wdir, ex.at, 'plots', source, problems),
        ],
        env: Object.fromEntries(Object.entries(b.env).map(([k, v]) => [k, String(v)])),
        wdir,
        retries: b.retries,
        retryDelayMs: durationMs(b.retry_delay, ex.at, 'retry_delay', source, problems) ?? 1000,
        timeoutMs: durationMs(b.timeout, ex.at, 'timeout', source, problems),
        alwaysChanged: b.always_changed,
        frozen: b.frozen,
        desc: b.desc,
        ...(b.executor !== undefined && b.executor !== 'local' ? { executor: b.executor } : {}),
      });
      if (b.executor !== undefined && b.executor !== 'local' && !(b.executor in executors)) {
        const names = ['local', ...Object.keys(executors)];
        const guess = closestKey(b.executor, names);
        problems.push(
          source.problem(
            [...ex.at, 'executor'],
            `stage ${ex.name}: no executor named ${b.executor}`,
            `${guess ? `Did you mean ${guess}? ` : ''}Declare it under executors: (${names.join(', ')} exist).`,
          ),
        );
      }
    }
  }
  const scheduleList = schedules(source, file.data.schedule, problems);

  // The graph, checked only once every stage parsed: duplicate outputs, cycles, missing deps.
  const at = (s: Stage): YamlPath => ['stages', s.source];
  // A params file the pipeline reads is as protected as params.yaml: no stage may overwrite it.
  const paramsFiles = [...new Set(stages.flatMap((s) => s.params.map((p) => p.file)))];
  for (const s of stages) {
    for (const o of s.outs) {
      const file = paramsFiles.find((f) => overlaps(o.path, f));
      if (file)
        problems.push(
          source.problem(
            [...at(s), 'outs'],
            `${o.kind === 'out' ? 'outs' : `${o.kind}s`} "${o.path}" ${o.path === file ? 'is' : 'holds'} ${file}, a params file the pipeline reads`,
            'Name a file or folder inside the project, such as build/model.pkl.',
            'key',
          ),
        );
    }
  }
  for (let i = 0; i < stages.length; i++) {
    for (let j = 0; j < i; j++) {
      for (const o of stages[i]!.outs) {
        const clash = stages[j]!.outs.find((p) => overlaps(p.path, o.path));
        if (clash) {
          problems.push(
            source.problem(
              [...at(stages[i]!), 'outs'],
              `stages ${stages[j]!.name} and ${stages[i]!.name} both write ${clash.path === o.path ? o.path : `${clash.path} and ${o.path}`}`,
              'Give each output one stage that writes it.',
            ),
          );
        }
      }
    }
  }
  if (problems.length === 0) {
    const dag = buildDag(stages);
    const order = new Map(stages.map((s, i) => [s.name, i]));
    for (const found of findCycles(stages, dag)) {
      // Start the loop at the stage that comes first in the file, and point at that stage.
      const first = found.reduce((best, n, i) => (order.get(n)! < order.get(found[best]!)! ? i : best), 0);
      const cycle = [...found.slice(first), ...found.slice(0, first)];
      problems.push(
        source.problem(
          at(stages[order.get(cycle[0]!)!]!),
          `the stages ${[...cycle, cycle[0]].join(' → ')} form a cycle`,
          'A stage cannot need, directly or through others, what it writes itself: break the loop.',
          'key',
        ),
      );
    }
    for (const s of stages) {
      s.deps.forEach((d, i) => {
        const produced = stages.some((p) => p.outs.some((o) => overlaps(o.path, d)));
        if (!produced && !existsSync(path.join(projectDir, d))) {
          // On a fresh clone the pointers are committed but the data is not pulled yet: say so,
          // rather than send the user to create a file that git already says is there.
          const tracked = trackedPointerOf(projectDir, d);
          if (tracked) {
            problems.push(
              source.problem(
                [...at(s), s.source === s.name ? 'deps' : 'do', ...(s.source === s.name ? [i] : [])],
                `stage ${s.name} depends on ${d}, which is tracked${tracked === d ? '' : ` (in ${tracked})`} but not here yet`,
                `Run \`benchtop pull\` to fetch it with the project's runs and models, or \`benchtop data pull\` for the data alone (\`benchtop data checkout HEAD\` if this version is in the cache already).`,
              ),
            );
            return;
          }
          problems.push(
            source.problem(
              [...at(s), s.source === s.name ? 'deps' : 'do', ...(s.source === s.name ? [i] : [])],
              `stage ${s.name} depends on ${d}, which does not exist and no stage writes`,
              `Create ${d}, correct the path, or add the stage that writes it.`,
            ),
          );
        }
      });
    }
  }
  if (problems.length) throw new FileProblemError(unknownKeysFirst(problems));
  return { stages, schedules: scheduleList, gitignoreOuts: file.data.gitignore_outs, executors };
}

/** The tracked path whose pointer covers `dep` (itself or a tracked folder around it), or null. */
function trackedPointerOf(projectDir: string, dep: string): string | null {
  for (let p = dep; p !== '.' && p !== ''; p = path.posix.dirname(p))
    if (existsSync(path.join(projectDir, `${p}${POINTER_SUFFIX}`))) return p;
  return null;
}

export function loadPipeline(projectDir: string): Pipeline | null {
  const file = path.join(projectDir, PIPELINE_FILE);
  if (!existsSync(file)) return null;
  return parsePipeline(readFileSync(file, 'utf8'), projectDir);
}
