// Runs in: main and renderer. JSON with NaN and ±Infinity intact. Plain JSON turns them into null,
// and a metric a run really logged as NaN must come back as NaN, not as a missing value.
const TAG = '$nonFinite';

export function toWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { [TAG]: String(v) } : v,
  );
}

function isTagged(v: unknown): v is Record<typeof TAG, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length === 1 &&
    keys[0] === TAG &&
    ['NaN', 'Infinity', '-Infinity'].includes((v as Record<string, unknown>)[TAG] as string)
  );
}

export function fromWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => (isTagged(v) ? Number(v[TAG]) : v));
}
