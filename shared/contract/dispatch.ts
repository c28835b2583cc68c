// Runs in: main (IPC shell, HTTP server, tests). The single gate every call passes through: the
// method must exist and its input must match the contract before any handler runs.
import type { z } from 'zod';
import { BenchtopError, type CallResult, type ContractErrorShape } from './errors';
import { methods, type MethodOutput, type ParsedInput } from './methods';
import { isMethodName, type MethodName } from './names';

export type Handler<K extends MethodName> = (input: ParsedInput<K>) => Promise<MethodOutput<K>> | MethodOutput<K>;
export type Handlers = { [K in MethodName]: Handler<K> };

function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.path.length === 0) {
    // Unknown keys are reported on the object itself; name the key the caller sent.
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) return issue.keys.join(',');
    return undefined;
  }
  return issue.path.map(String).join('.');
}

/** Validates `raw` against the method's schema; returns the parsed input or a structured error. */
export function validateInput<K extends MethodName>(
  name: K,
  raw: unknown,
): { ok: true; input: ParsedInput<K> } | { ok: false; error: ContractErrorShape } {
  const parsed = methods[name].input.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, input: parsed.data as ParsedInput<K> };
  const issue = parsed.error.issues[0];
  const field = issue ? fieldOf(issue) : undefined;
  const what = issue?.message ?? 'invalid input';
  const error: ContractErrorShape = {
    code: 'INVALID_INPUT',
    message: field ? `Invalid input to ${name}: ${field}: ${what}.` : `Invalid input to ${name}: ${what}.`,
  };
  if (field) error.field = field;
  return { ok: false, error };
}

export function toErrorShape(err: unknown): ContractErrorShape {
  if (err instanceof BenchtopError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: 'INTERNAL',
    message: `Unexpected error: ${message}`,
    hint: 'This is a bug in Benchtop; the log has details.',
  };
}

export interface DispatchOptions {
  /** Validate handler outputs against the contract too (tests turn this on). */
  checkOutput?: boolean;
  onInternalError?: (method: string, err: unknown) => void;
}

export async function dispatch(
  handlers: Handlers,
  name: unknown,
  raw: unknown,
  options: DispatchOptions = {},
): Promise<CallResult<unknown>> {
  if (!isMethodName(name)) {
    return {
      ok: false,
      error: {
        code: 'UNKNOWN_METHOD',
        message: `There is no method named "${String(name).slice(0, 100)}".`,
        field: 'method',
      },
    };
  }
  const checked = validateInput(name, raw);
  if (!checked.ok) return checked;
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    const value = await handler(checked.input);
    if (options.checkOutput) {
      const out = methods[name].output.safeParse(value);
      if (!out.success) {
        throw new Error(`handler for ${name} returned output that breaks the contract: ${out.error.message}`);
      }
    }
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof BenchtopError)) options.onInternalError?.(name, err);
    return { ok: false, error: toErrorShape(err) };
  }
}
