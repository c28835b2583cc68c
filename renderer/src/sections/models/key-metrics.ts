// Runs in: renderer. Which snapshot metrics the versions table shows as columns: the ones most
// versions have, so the columns compare like with like.

export function keyMetrics(versions: readonly { metrics: Record<string, number> }[], max = 3): string[] {
  const counts = new Map<string, number>();
  for (const v of versions) for (const k of Object.keys(v.metrics)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, na], [b, nb]) => nb - na || a.localeCompare(b))
    .slice(0, max)
    .map(([k]) => k);
}
