// Runs in: main (core). Merges two machines' records (three-way, from the commit they last shared)
// so that nothing either made is lost. The rules, which docs/sync.md states for users:
//
// - A record only one side changed (made, edited or removed) takes that side's version.
// - A record both sides changed is merged key by key: params, tags, metrics, stages and the like
//   are maps, so both sides' additions survive; metric points are a union. Where both sides set
//   the same field to different values, the value that sorts last (as JSON) is kept, so both
//   machines reach the same answer whichever pulls first, and pull names the field.
// - A record removed on one side and changed on the other is kept, changed: the change is work.
// - An alias moved onto a version that the other side archived restores that version (an alias
//   needs a live version). Moves onto deleted versions are settled when the registry is rebuilt
//   (rebuild.ts).
import { canonicalJson, parseRecord, versionRecord, aliasMoveRecord, type VersionRecord } from './records';
import { parseRecordPath } from './record-paths';
import { resolveAliases } from './rebuild';

export interface MergeConflict {
  path: string;
  /** One sentence: what both sides did and what was kept. */
  message: string;
}

export interface MergeInput {
  base: ReadonlyMap<string, string>;
  ours: ReadonlyMap<string, string>;
  theirs: ReadonlyMap<string, string>;
  /** A blob's bytes by id (every blob of the three trees can be asked for). */
  read: (id: string) => Buffer;
}

export interface MergeOutput {
  /** What to change in our tree to get the merged one: path → bytes, or null to remove it. */
  changes: Map<string, Buffer | null>;
  conflicts: MergeConflict[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: Json | undefined): v is { [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** Equal as JSON; a missing key is not the same as one holding null (else merging is not symmetric). */
const same = (a: Json | undefined, b: Json | undefined): boolean =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);

/** The later of two values, by their canonical JSON: the same on every machine. */
const pick = (a: Json | undefined, b: Json | undefined): Json | undefined =>
  canonicalJson(a ?? null) >= canonicalJson(b ?? null) ? a : b;

function unionArray(o: Json[], t: Json[]): Json[] {
  const seen = new Map<string, Json>();
  for (const v of [...o, ...t]) seen.set(canonicalJson(v), v);
  // Metric points ([step, at, value]) stay in step, then time, order; the rest (and points of the
  // same step and time) by their JSON: the same order whichever side is ours.
  const point = (v: Json): v is [number, string, ...Json[]] =>
    Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string';
  return [...seen]
    .sort(([ka, a], [kb, b]) => {
      if (point(a) !== point(b)) return point(a) ? -1 : 1;
      if (point(a) && point(b) && (a[0] !== b[0] || a[1] !== b[1])) return a[0] - b[0] || (a[1] < b[1] ? -1 : 1);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    })
    .map(([, v]) => v);
}

/**
 * Merges values both sides changed; `fields` collects the dotted names that truly conflicted, and
 * `kept` the value kept for each (a name cannot be split back into keys: keys may hold dots).
 */
export function mergeJson(
  base: Json | undefined,
  ours: Json | undefined,
  theirs: Json | undefined,
  at: string,
  fields: string[],
  kept: (Json | undefined)[] = [],
): Json | undefined {
  if (same(ours, theirs)) return ours;
  if (same(base, ours)) return theirs;
  if (same(base, theirs)) return ours;
  if (isObject(ours) && isObject(theirs)) {
    const b = isObject(base) ? base : {};
    const out: { [k: string]: Json } = {};
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      const v = mergeJson(b[k], ours[k], theirs[k], at ? `${at}.${k}` : k, fields, kept);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) return unionArray(ours, theirs);
  // Removed on one side, changed on the other: the change is kept.
  if (ours === undefined) return theirs;
  if (theirs === undefined) return ours;
  const value = pick(ours, theirs);
  fields.push(at);
  kept.push(value);
  return value;
}

const describe = (path: string): string => {
  const r = parseRecordPath(path);
  if (!r) return path;
  switch (r.kind) {
    case 'run':
      return `run ${r.id}`;
    case 'experiment':
      return `experiment ${r.name}`;
    case 'model':
      return `model ${r.model}`;
    case 'version':
      return `a version of ${r.model}`;
    case 'alias':
      return `an alias move of ${r.model}`;
    case 'monitor':
      return `monitor ${r.monitor}`;
    default:
      return `a ${r.kind} of monitor ${r.monitor}`;
  }
};

export function mergeTrees(input: MergeInput): MergeOutput {
  const { base, ours, theirs, read } = input;
  const changes = new Map<string, Buffer | null>();
  const conflicts: MergeConflict[] = [];
  const json = (id: string | undefined): Json | undefined =>
    id ? (JSON.parse(read(id).toString()) as Json) : undefined;
  for (const p of new Set([...ours.keys(), ...theirs.keys()])) {
    const b = base.get(p);
    const o = ours.get(p);
    const t = theirs.get(p);
    if (o === t || t === b) continue;
    if (o === b) {
      changes.set(p, t ? read(t) : null);
      continue;
    }
    // Both sides changed this record.
    if (!o || !t) {
      const kept = o ?? t!;
      if (!o) changes.set(p, read(kept));
      conflicts.push({
        path: p,
        message: `${describe(p)} was removed on one side and changed on the other; the changed record is kept.`,
      });
      continue;
    }
    const fields: string[] = [];
    const kept: (Json | undefined)[] = [];
    const merged = mergeJson(json(b), json(o), json(t), '', fields, kept);
    const bytes = Buffer.from(canonicalJson(merged), 'utf8');
    if (!bytes.equals(read(o))) changes.set(p, bytes);
    if (fields.length)
      conflicts.push({
        path: p,
        message: `${describe(p)}: both sides changed ${fields.join(', ')}; kept ${kept
          .map((v) => JSON.stringify(v))
          .join(', ')}.`,
      });
  }
  restoreAliasedVersions(input, changes, conflicts);
  return { changes, conflicts };
}

/** An alias that ends on an archived version restores it (see the rules above). */
function restoreAliasedVersions(
  input: MergeInput,
  changes: Map<string, Buffer | null>,
  conflicts: MergeConflict[],
): void {
  const bytesOf = (p: string): Buffer | null => {
    if (changes.has(p)) return changes.get(p) ?? null;
    const id = input.ours.get(p);
    return id ? input.read(id) : null;
  };
  const models = new Set<string>();
  for (const p of changes.keys()) {
    const r = parseRecordPath(p);
    if (r && (r.kind === 'alias' || r.kind === 'version')) models.add(r.model);
  }
  for (const model of models) {
    const prefix = `models/${model}/`;
    const paths = [...new Set([...input.ours.keys(), ...changes.keys()])].filter((p) => p.startsWith(prefix));
    const versions = new Map<string, { path: string; v: VersionRecord }>();
    const moves = [];
    for (const p of paths) {
      const r = parseRecordPath(p);
      const bytes = bytesOf(p);
      if (!r || !bytes) continue;
      if (r.kind === 'version') versions.set(r.uid, { path: p, v: parseRecord(versionRecord, bytes, p) });
      if (r.kind === 'alias') moves.push(parseRecord(aliasMoveRecord, bytes, p));
    }
    for (const a of resolveAliases(moves, new Set(versions.keys()))) {
      const target = a.uid ? versions.get(a.uid) : undefined;
      if (!target?.v.archivedAt) continue;
      const restored = { ...target.v, archivedAt: null };
      const bytes = Buffer.from(canonicalJson(restored), 'utf8');
      changes.set(target.path, bytes);
      conflicts.push({
        path: target.path,
        message: `${model}: the version registered as ${target.v.registeredAs} was archived on one side while @${a.alias} was moved to it on the other; it is restored, as an alias needs a live version.`,
      });
    }
  }
}
