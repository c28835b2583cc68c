// Test support: a Core on a fresh project, and contract calls that check their output like the
// transports do, for the integration tests that drive the core through its handlers.
import path from 'node:path';
import { expect } from 'vitest';
import { Core } from '../../electron/core/app/core';
import { initProject } from '../../electron/core/project/init';
import { dispatch } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/names';
import { tmpDir } from './helpers';

export async function openCore(dir = path.join(tmpDir(), 'proj')): Promise<{ core: Core; dir: string }> {
  (await initProject(dir, {})).workspace.close();
  const core = new Core({ dataDir: tmpDir(), mode: 'browser' });
  await core.open(dir);
  return { core, dir };
}

/** A contract call that must succeed; its error is thrown with the contract's code, field and hint. */
export async function call(core: Core, name: MethodName, input: unknown): Promise<any> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

/** A contract call that must fail; returns its error. */
export async function fails(
  core: Core,
  name: MethodName,
  input: unknown,
): Promise<{ code: string; message: string; field?: string; hint?: string }> {
  const r = await dispatch(core.handlers, name, input, { checkOutput: true });
  expect(r.ok, `${name} should fail`).toBe(false);
  return (r as { error: { code: string; message: string; field?: string; hint?: string } }).error;
}
