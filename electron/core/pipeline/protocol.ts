// Runs in: main (core). The line protocol stages print to report: `::benchtop:: {json}`.
import { z } from 'zod';

export const PROTOCOL_PREFIX = '::benchtop:: ';

/** JSON has no NaN or Infinity, so a non-finite metric value travels as one of these strings. */
const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  nan: Number.NaN,
  Infinity: Infinity,
  inf: Infinity,
  '-Infinity': -Infinity,
  '-inf': -Infinity,
};

const metricValue = z.union([
  z.number(),
  z.enum(Object.keys(NON_FINITE) as [string, ...string[]]).transform((v) => NON_FINITE[v]!),
]);

const message = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('metric'),
    key: z.string().min(1).max(250),
    value: metricValue,
    step: z.number().int().min(0).optional(),
  }),
  z.object({
    type: z.literal('param'),
    key: z.string().min(1).max(250),
    value: z.union([z.string(), z.number(), z.boolean()]),
  }),
  z.object({ type: z.literal('tag'), key: z.string().min(1).max(250), value: z.string() }),
  z.object({ type: z.literal('artifact'), path: z.string().min(1).max(1024) }),
]);

export type ProtocolMessage = z.infer<typeof message>;
export type ProtocolResult = { ok: true; message: ProtocolMessage } | { ok: false; error: string } | null;

/**
 * Metric lines are nearly all of the traffic (a training loop can print a million), so the common
 * shape is checked by hand; anything else, and any metric line that is not plainly valid, goes
 * through the schema, which also writes the error message.
 */
function fastMetric(json: unknown): ProtocolMessage | null {
  if (json === null || typeof json !== 'object') return null;
  const m = json as Record<string, unknown>;
  if (
    m.type !== 'metric' ||
    typeof m.key !== 'string' ||
    m.key.length === 0 ||
    m.key.length > 250 ||
    typeof m.value !== 'number'
  )
    return null;
  const keys = Object.keys(m).length;
  if (m.step === undefined) return keys === 3 ? { type: 'metric', key: m.key, value: m.value } : null;
  if (keys !== 4 || typeof m.step !== 'number' || !Number.isSafeInteger(m.step) || m.step < 0) return null;
  return { type: 'metric', key: m.key, value: m.value, step: m.step };
}

/**
 * The shape the helpers print, `{"type":"metric","key":"loss","value":0.25,"step":3}` (spaces
 * allowed, step optional), read without building a JSON object: the key holds no escapes or control
 * characters and the value is a plain JSON number, so what this reads is exactly what JSON.parse
 * would. Anything else falls through to JSON.parse and the schema.
 */
const PLAIN_METRIC =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a JSON string may not hold raw control characters; the fast path must refuse them.
  /^::benchtop:: \{[ \t]*"type"[ \t]*:[ \t]*"metric"[ \t]*,[ \t]*"key"[ \t]*:[ \t]*"([^"\\\x00-\x1f]{1,250})"[ \t]*,[ \t]*"value"[ \t]*:[ \t]*(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)[ \t]*(?:,[ \t]*"step"[ \t]*:[ \t]*(0|[1-9]\d{0,15})[ \t]*)?\}[ \t]*$/;

/** A protocol message, an error for a malformed one, or null for an ordinary log line. */
export function parseProtocolLine(line: string): ProtocolResult {
  if (!line.startsWith(PROTOCOL_PREFIX)) return null;
  const plain = PLAIN_METRIC.exec(line);
  if (plain) {
    const step = plain[3] === undefined ? undefined : Number(plain[3]);
    if (step === undefined) return { ok: true, message: { type: 'metric', key: plain[1]!, value: Number(plain[2]) } };
    if (Number.isSafeInteger(step))
      return { ok: true, message: { type: 'metric', key: plain[1]!, value: Number(plain[2]), step } };
  }
  return parseProtocolJson(line);
}

/** The general path: JSON.parse, then the schema (exported so tests can hold the fast path to it). */
export function parseProtocolJson(line: string): ProtocolResult {
  if (!line.startsWith(PROTOCOL_PREFIX)) return null;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(PROTOCOL_PREFIX.length));
  } catch {
    return { ok: false, error: 'the text after ::benchtop:: is not JSON' };
  }
  const fast = fastMetric(json);
  if (fast) return { ok: true, message: fast };
  const parsed = message.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; '),
    };
  return { ok: true, message: parsed.data };
}
