// Runs in: CLI (Node). How every command reaches the core: a Core in CLI mode on the enclosing
// project (found the same way for every command, from any subfolder), and contract methods called
// through dispatch, so the CLI validates its input with the same schemas as the app and its
// writes go through the same handlers (and so the same locks, transactions and events).
// The core and the contract's schemas are imported when a command first needs them, not when the
// CLI starts: the bundle then runs only what the command uses (`--help` needs neither).
import type { Handlers } from '../../shared/contract/dispatch';
import { BenchtopError } from '../../shared/contract/errors';
import type { MethodInput, MethodOutput } from '../../shared/contract/methods';
import type { MethodName } from '../../shared/contract/names';
import type { Core, CoreOptions } from '../core/app/core';
import type { GlobalOptions } from './project';
import { enclosingProjectDir } from './project';

/** One contract call: the method's output, or its contract error thrown as a BenchtopError. */
export type Call = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

/** Calls `method` through dispatch (validation, defaults, error shape) on `handlers`. */
export async function callMethod<M extends MethodName>(
  handlers: Handlers,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const { dispatch } = await import('../../shared/contract/dispatch');
  const r = await dispatch(handlers, method, input);
  if (!r.ok) {
    const extra: { field?: string; hint?: string } = {};
    if (r.error.field) extra.field = r.error.field;
    if (r.error.hint) extra.hint = r.error.hint;
    throw new BenchtopError(r.error.code, r.error.message, extra);
  }
  return r.value as MethodOutput<M>;
}

/** A Core for this command, with no project open yet (`init`, `demo`, and commands that open one themselves). */
export async function cliCore(extra: Partial<Omit<CoreOptions, 'mode'>> = {}): Promise<Core> {
  const [{ Core }, { defaultDataDir }] = await Promise.all([
    import('../core/app/core'),
    import('../core/app/shell-support'),
  ]);
  return new Core({ dataDir: defaultDataDir(), ...extra, mode: 'cli' });
}

/**
 * Says on stderr (stdout stays the command's own, `--json` included) what opening the project took
 * in from its inbox: the runs scripts logged while no server ran, and each line it had to skip.
 */
export function reportInbox(core: Core): void {
  const taken = core.inboxTaken;
  if (taken && taken.runs.length > 0) {
    const n = taken.runs.length;
    process.stderr.write(`Took in ${n} run${n === 1 ? '' : 's'} logged while Benchtop was closed (.benchtop/inbox)\n`);
  }
  for (const warning of taken?.warnings ?? []) process.stderr.write(`benchtop: ${warning}\n`);
  if (core.inboxError) process.stderr.write(`benchtop: could not take in .benchtop/inbox: ${core.inboxError}\n`);
}

/**
 * Runs `fn` with the enclosing project open in a CLI-mode Core, and always shuts it down (a
 * running pipeline is cancelled and its stages waited for, the database closed). Outside any
 * project, opening the current folder fails with the core's own clear error.
 */
export async function withProject<T>(
  opts: GlobalOptions,
  fn: (call: Call, core: Core) => Promise<T>,
  extra: Partial<Omit<CoreOptions, 'mode'>> = {},
): Promise<T> {
  const core = await cliCore(extra);
  try {
    await core.open(enclosingProjectDir(opts) ?? process.cwd());
    reportInbox(core);
    const call: Call = (method, input) => callMethod(core.handlers, method, input);
    return await fn(call, core);
  } finally {
    await core.shutdown();
    if (core.recordsError)
      process.stderr.write(`benchtop: could not write the project's records to git: ${core.recordsError}\n`);
  }
}
