// Runs in: main (core). Durations in benchtop.yaml: "500ms", "5s", "1.5m", "2h", or plain seconds.
/** A duration as text; the JSON Schema of benchtop.yaml (json-schema.ts) checks the same pattern. */
export const DURATION_TEXT = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  if (typeof value !== 'string') return null;
  const m = DURATION_TEXT.exec(value);
  if (!m) return null;
  return Number(m[1]) * UNITS[m[2]!]!;
}
