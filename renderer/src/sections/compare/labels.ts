// Runs in: renderer (and unit tests). How Compare labels each run in legends, bars and column
// headers: by its name, with the end of its id added when another compared run has the same name
// (two runs of one command, say), so no two entries read alike.

export function runLabels(runs: readonly { id: string; name: string }[]): string[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return runs.map((r) => ((count.get(r.name) ?? 0) > 1 ? `${r.name} · ${r.id.slice(-6)}` : r.name));
}
