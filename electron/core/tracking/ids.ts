// Runs in: main (core). Run ids: sortable by time at a glance, unique by their random tail.
import { randomBytes } from 'node:crypto';

export function newRunId(at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Ids a caller may choose (MLflow clients and imports keep theirs): no path or quoting tricks. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
