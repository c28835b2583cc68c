// Runs in: main and renderer. The one error shape that crosses the contract, on both transports.
import { z } from 'zod';

export const ERROR_CODES = [
  'UNKNOWN_METHOD',
  'INVALID_INPUT',
  'NO_PROJECT',
  'NOT_A_PROJECT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'BUSY',
  'BAD_FILE',
  'NEWER_DATABASE',
  'UNSUPPORTED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  /** A command brought in from elsewhere (a model bundle) that nobody here has agreed to run yet. */
  'UNTRUSTED_COMMAND',
  /** The user's git command failed (a push refused, a remote unreachable); the message is git's. */
  'GIT_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const contractErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The offending input field as a dotted path (`path`, `rows.0.name`), when one is to blame. */
  field: z.string().optional(),
  /** What the user can do about it, in one sentence. */
  hint: z.string().optional(),
});

export type ContractErrorShape = z.infer<typeof contractErrorSchema>;

/** Thrown by handlers and by clients; carries the structured shape across process boundaries. */
export class BenchtopError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, extra: { field?: string; hint?: string } = {}) {
    super(message);
    this.name = 'BenchtopError';
    this.code = code;
    this.field = extra.field;
    this.hint = extra.hint;
  }

  toShape(): ContractErrorShape {
    const shape: ContractErrorShape = { code: this.code, message: this.message };
    if (this.field !== undefined) shape.field = this.field;
    if (this.hint !== undefined) shape.hint = this.hint;
    return shape;
  }

  static fromShape(shape: ContractErrorShape): BenchtopError {
    const extra: { field?: string; hint?: string } = {};
    if (shape.field !== undefined) extra.field = shape.field;
    if (shape.hint !== undefined) extra.hint = shape.hint;
    return new BenchtopError(shape.code, shape.message, extra);
  }
}

/** What a call returns on the wire: never a thrown error, always this envelope. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ContractErrorShape };
