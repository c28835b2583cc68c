// Runs in: main (browser-mode server). MLflow's error answers: `{"error_code", "message"}` with the
// HTTP status MLflow's server uses for each code, so MLflow clients raise what they would raise.
import { BenchtopError, type ContractErrorShape, type ErrorCode } from '../../../shared/contract/errors';

export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'INVALID_STATE'
  | 'ENDPOINT_NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'BAD_REQUEST'
  | 'INTERNAL_ERROR';

export const MLFLOW_STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  ENDPOINT_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  BAD_REQUEST: 400,
  INTERNAL_ERROR: 500,
};

export class MlflowError extends Error {
  constructor(
    readonly code: MlflowErrorCode,
    message: string,
    /** Overrides the status of the code (405 for a wrong method, 413 for a body too large). */
    readonly status = MLFLOW_STATUS[code],
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

const FROM_CORE: Partial<Record<ErrorCode, MlflowErrorCode>> = {
  INVALID_INPUT: 'INVALID_PARAMETER_VALUE',
  // A changed param or a second, different end: MLflow refuses both as an invalid value.
  CONFLICT: 'INVALID_PARAMETER_VALUE',
  UNSUPPORTED: 'INVALID_PARAMETER_VALUE',
  NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  BUSY: 'INVALID_STATE',
  NO_PROJECT: 'INVALID_STATE',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'PERMISSION_DENIED',
};

/** A core error in MLflow's terms; the hint rides along in the message, as MLflow has no field for it. */
export function fromCore(shape: ContractErrorShape): MlflowError {
  const message = shape.hint ? `${shape.message} ${shape.hint}` : shape.message;
  return new MlflowError(FROM_CORE[shape.code] ?? 'INTERNAL_ERROR', message);
}

export function toMlflowError(err: unknown): MlflowError | null {
  if (err instanceof MlflowError) return err;
  if (err instanceof BenchtopError) return fromCore(err.toShape());
  return null;
}

export const invalid = (message: string): MlflowError => new MlflowError('INVALID_PARAMETER_VALUE', message);
