// Runs in: renderer. How the Models view shows a hash or commit id: its first 12 hex digits.
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
