// Runs in: renderer (and unit tests). Reading the tag the user types for the selected runs.
/** Splits `key=value` at the first `=`; a bare key gets an empty value. */
export function parseTagInput(text: string): { key: string; value: string } | { error: string } {
  const t = text.trim();
  const at = t.indexOf('=');
  const key = (at < 0 ? t : t.slice(0, at)).trim();
  const value = at < 0 ? '' : t.slice(at + 1).trim();
  if (key === '') return { error: 'Write the tag as key=value, for example team=vision.' };
  if (key.length > 250) return { error: 'A tag key has at most 250 characters.' };
  if (value.length > 8000) return { error: 'A tag value has at most 8000 characters.' };
  return { key, value };
}
