// Runs in: main (core). What each column of a drift report is for (id, timestamp, target, prediction or
// feature) and which columns are left out of the test, and why. The one place both an ad-hoc drift
// report and a monitor's batches get their roles from: both go through computeDriftReport.
import type { DriftColumn, DriftReport } from '../../../../shared/contract/schemas';
import type { ColumnData } from './column-builder';

export type DriftRole = DriftColumn['role'];
export type LeftOut = DriftReport['leftOut'][number];

/** Fewer values than this on a side say nothing about uniqueness: any three rows may all differ. */
export const ID_MIN_VALUES = 10;

/** Names that say "identifier": id, customer_id, order-id, uuid, guid; camelCase customerId apart, so "paid" is not one. */
const ID_NAME = /(^|[_.\s-])id$|^id([_.\s-]|$)|uuid|guid/i;
const CAMEL_ID = /[a-z0-9](Id|ID)$/;
export const namedLikeId = (name: string): boolean => ID_NAME.test(name) || CAMEL_ID.test(name);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** Whether every non-missing value of a side differs from the others (and there are enough to tell). */
function uniqueSide(col: ColumnData): boolean {
  if (col.kind === 'numeric') {
    const seen = new Set<number>();
    for (let i = 0; i < col.values.length; i++) {
      const v = col.values[i]!;
      if (Number.isNaN(v)) continue;
      if (seen.has(v)) return false;
      seen.add(v);
    }
    return seen.size >= ID_MIN_VALUES;
  }
  let present = 0;
  for (let code = 0; code < col.counts.length; code++) {
    const n = col.counts[code]!;
    if (n > 1) return false;
    present += n;
  }
  return present >= ID_MIN_VALUES;
}

/**
 * A column whose every value is unique on both sides carries no distribution to compare: its values
 * are labels of rows. Text counts when it looks like a key (no spaces, not dates: free text and
 * times are unique too but are something else); numbers count only when they are integers and the
 * name says id, since a continuous feature is unique as well.
 */
export function looksLikeId(name: string, ref: ColumnData, cur: ColumnData): boolean {
  if (!uniqueSide(ref) || !uniqueSide(cur)) return false;
  for (const col of [ref, cur]) {
    if (col.kind === 'numeric') {
      if (!namedLikeId(name)) return false;
      for (let i = 0; i < col.values.length; i++) {
        const v = col.values[i]!;
        if (!Number.isNaN(v) && !Number.isInteger(v)) return false;
      }
    } else {
      for (let code = 0; code < col.labels.length; code++) {
        if (col.counts[code] === 0) continue;
        const label = col.labels[code]!;
        if (/\s/.test(label) || ISO_DATE.test(label)) return false;
      }
    }
  }
  return true;
}

export interface RoleRequest {
  target?: string | undefined;
  prediction?: string | undefined;
  id?: string | readonly string[] | undefined;
  timestamp?: string | undefined;
  exclude?: readonly string[] | undefined;
  /** Columns with a test asked for: the user wants them tested, so nothing is inferred for them. */
  requested?: readonly string[] | undefined;
}

/** `id` as the contract takes it: one column or several. */
export function idColumns(id: string | readonly string[] | undefined): string[] {
  return id === undefined ? [] : typeof id === 'string' ? [id] : [...id];
}

export interface Roles {
  role: (name: string) => DriftRole;
  /** Why a column is not tested because of its role or the request; null for one that is tested. */
  leftOut: (name: string) => LeftOut | null;
}

/**
 * Roles named in the request win; a column with no role named and no test asked for is an id when
 * looksLikeId says so. `columnsOf` gives both sides of a shared column.
 */
export function columnRoles(
  request: RoleRequest,
  columnsOf: (name: string) => { ref: ColumnData; cur: ColumnData } | null,
): Roles {
  const named = new Map<string, DriftRole>();
  for (const name of idColumns(request.id)) named.set(name, 'id');
  if (request.timestamp !== undefined) named.set(request.timestamp, 'timestamp');
  if (request.target !== undefined) named.set(request.target, 'target');
  if (request.prediction !== undefined) named.set(request.prediction, 'prediction');
  const exclude = new Set(request.exclude ?? []);
  const requested = new Set(request.requested ?? []);
  const inferred = new Map<string, boolean>();
  const inferredId = (name: string): boolean => {
    let v = inferred.get(name);
    if (v === undefined) {
      const sides = named.has(name) || requested.has(name) ? null : columnsOf(name);
      v = sides ? looksLikeId(name, sides.ref, sides.cur) : false;
      inferred.set(name, v);
    }
    return v;
  };
  return {
    role: (name) => named.get(name) ?? (inferredId(name) ? 'id' : 'feature'),
    leftOut: (name) => {
      if (exclude.has(name)) return { name, reason: 'excluded', message: 'excluded by request' };
      const role = named.get(name);
      if (role === 'id') return { name, reason: 'id', message: 'left out, named as an id column' };
      if (role === 'timestamp')
        return { name, reason: 'timestamp', message: 'left out, named as the timestamp column' };
      if (role === undefined && inferredId(name))
        return { name, reason: 'unique', message: 'left out, every value is unique (an id column)' };
      return null;
    },
  };
}
