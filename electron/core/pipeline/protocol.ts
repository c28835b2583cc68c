// Runs in: main (core). The line protocol stages print to report: `::benchtop:: {json}`.
import { z } from 'zod';

export const PROTOCOL_PREFIX = '::benchtop:: ';

const message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('metric'), key: z.string().min(1).max(250), value: z.number().finite(), step: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('param'), key: z.string().min(1).max(250), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ type: z.literal('tag'), key: z.string().min(1).max(250), value: z.string() }),
  z.object({ type: z.literal('artifact'), path: z.string().min(1).max(1024) }),
]);

export type ProtocolMessage = z.infer<typeof message>;

/** A protocol message, an error for a malformed one, or null for an ordinary log line. */
export function parseProtocolLine(line: string): { ok: true; message: ProtocolMessage } | { ok: false; error: string } | null {
  if (!line.startsWith(PROTOCOL_PREFIX)) return null;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(PROTOCOL_PREFIX.length));
  } catch {
    return { ok: false, error: 'the text after ::benchtop:: is not JSON' };
  }
  const parsed = message.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
  return { ok: true, message: parsed.data };
}
