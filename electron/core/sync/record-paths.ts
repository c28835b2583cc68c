// Runs in: main (core). Where each record lives in the tree of `refs/benchtop/records`. The same
// paths are built in SQL by the triggers of migration 0022 (which list changed records); these
// parse them back. Experiment and monitor names are written in hex: any text can name them.
import { BenchtopError } from '../../../shared/contract/errors';

export type RecordPath =
  | { kind: 'run'; id: string }
  | { kind: 'experiment'; name: string }
  | { kind: 'model'; model: string }
  | { kind: 'version'; model: string; uid: string }
  | { kind: 'alias'; model: string; uid: string }
  | { kind: 'monitor'; monitor: string }
  | { kind: 'batch' | 'alert' | 'check'; monitor: string; uid: string };

const HEX = /^(?:[0-9A-F]{2})+$/;
const UID = /^[0-9a-f]{16}$/;
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export const fromHex = (hex: string): string => Buffer.from(hex, 'hex').toString('utf8');
export const toHex = (text: string): string => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

export const runPath = (id: string): string => `runs/${id}.json`;
export const experimentPath = (name: string): string => `experiments/${toHex(name)}.json`;
export const modelPath = (model: string): string => `models/${model}/model.json`;
export const versionPath = (model: string, uid: string): string => `models/${model}/versions/${uid}.json`;
export const aliasMovePath = (model: string, uid: string): string => `models/${model}/aliases/${uid}.json`;
export const monitorPath = (name: string): string => `monitors/${toHex(name)}/monitor.json`;
export const monitorPartPath = (part: 'batches' | 'alerts' | 'checks', monitor: string, uid: string): string =>
  `monitors/${toHex(monitor)}/${part}/${uid}.json`;

/** The folder holding a model's or a monitor's records. */
export const modelFolder = (model: string): string => `models/${model}/`;
export const monitorFolder = (name: string): string => `monitors/${toHex(name)}/`;

const PARTS = { batches: 'batch', alerts: 'alert', checks: 'check' } as const;

/** What a record path names, or null for a path no record has (a newer Benchtop's, or a stray file). */
export function parseRecordPath(p: string): RecordPath | null {
  const s = p.split('/');
  const file = (name: string | undefined): string | null =>
    name?.endsWith('.json') ? name.slice(0, -'.json'.length) : null;
  // Hex of bytes that are not UTF-8 decodes to U+FFFD: a name whose path is another one.
  const named = (hex: string | null | undefined): string | null => {
    if (!hex || !HEX.test(hex)) return null;
    const name = fromHex(hex);
    return toHex(name) === hex ? name : null;
  };
  if (s[0] === 'runs' && s.length === 2) {
    const id = file(s[1]);
    return id && SAFE.test(id) ? { kind: 'run', id } : null;
  }
  if (s[0] === 'experiments' && s.length === 2) {
    const name = named(file(s[1]));
    return name === null ? null : { kind: 'experiment', name };
  }
  if (s[0] === 'models' && s[1] && SAFE.test(s[1])) {
    if (s.length === 3 && s[2] === 'model.json') return { kind: 'model', model: s[1] };
    const uid = s.length === 4 ? file(s[3]) : null;
    if (uid && UID.test(uid) && s[2] === 'versions') return { kind: 'version', model: s[1], uid };
    if (uid && UID.test(uid) && s[2] === 'aliases') return { kind: 'alias', model: s[1], uid };
    return null;
  }
  const monitor = s[0] === 'monitors' ? named(s[1]) : null;
  if (monitor !== null) {
    if (s.length === 3 && s[2] === 'monitor.json') return { kind: 'monitor', monitor };
    const uid = s.length === 4 ? file(s[3]) : null;
    // Own keys only: `constructor` or `__proto__` must not name a part (they are on every object).
    const kind = s[2] && Object.hasOwn(PARTS, s[2]) ? PARTS[s[2] as keyof typeof PARTS] : undefined;
    if (uid && UID.test(uid) && kind) return { kind, monitor, uid };
  }
  return null;
}

/** The record path of a run, refusing an id a path cannot hold (runs made here always can). */
export function checkedRunPath(id: string): string {
  if (!SAFE.test(id))
    throw new BenchtopError('INVALID_INPUT', `Run id ${JSON.stringify(id)} cannot be written as a record.`, {
      hint: 'Run ids are letters, digits, ".", "_" and "-"; rename the run folder it was imported from.',
    });
  return runPath(id);
}

/** The model or monitor whose folder holds this record, if any: such records are rebuilt together. */
export function ownerFolder(r: RecordPath): string | null {
  if (r.kind === 'model' || r.kind === 'version' || r.kind === 'alias') return modelFolder(r.model);
  if (r.kind === 'monitor' || r.kind === 'batch' || r.kind === 'alert' || r.kind === 'check')
    return monitorFolder(r.monitor);
  return null;
}
