// Runs in: main (core). `${...}` in benchtop.yaml: foreach items, matrix values, vars and params.
export class InterpolationError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`\${${expression}}: ${reason}`);
  }
}

export function lookup(context: Record<string, unknown>, dotted: string): { found: boolean; value: unknown } {
  let value: unknown = context;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || !(part in (value as object)))
      return { found: false, value: undefined };
    value = (value as Record<string, unknown>)[part];
  }
  return { found: true, value };
}

const WHOLE = /^\$\{\s*([A-Za-z0-9_.-]+)\s*\}$/;
const PART = /\$\{\s*([A-Za-z0-9_.-]+)\s*\}/g;

function resolveOne(expr: string, context: Record<string, unknown>): unknown {
  const { found, value } = lookup(context, expr);
  if (!found) throw new InterpolationError(expr, 'no such variable, item or param');
  return value;
}

/**
 * Replaces `${name}` in every string of `value`. A string that is exactly one `${name}` takes
 * the value's own type (a list stays a list); inside longer strings values must be scalars.
 * Calls `at(path)` with the path of each failing string so the caller can locate it.
 */
export function interpolate(
  value: unknown,
  context: Record<string, unknown>,
  onError: (path: (string | number)[], err: InterpolationError) => void,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    try {
      const whole = WHOLE.exec(value);
      if (whole) return resolveOne(whole[1]!, context);
      return value.replace(PART, (_m, expr: string) => {
        const v = resolveOne(expr, context);
        if (v !== null && typeof v === 'object')
          throw new InterpolationError(expr, 'is a list or map and cannot be put inside a string');
        return String(v);
      });
    } catch (err) {
      if (err instanceof InterpolationError) {
        onError(path, err);
        return value;
      }
      throw err;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, context, onError, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, context, onError, [...path, k])]),
    );
  }
  return value;
}
