// Runs in: renderer. What a drift report reads, worked out without the network: which run artifacts
// are tables it can compare, the request a monitor's check made for one of its batches, and the
// per-column overrides a request carries.
import type { DriftRequest, MonitorBatch, MonitorDetail, RunArtifact } from '../../../../shared/contract';

/** Logged artifacts (kept in the cache, which `run:ID/path` reads) that are tables by their extension. */
export function tableArtifacts(artifacts: RunArtifact[]): string[] {
  const paths = artifacts
    .filter((a) => a.role === 'artifact' && a.hash !== null && /\.(csv|tsv|jsonl|parquet)$/i.test(a.path))
    .map((a) => a.path);
  return [...new Set(paths)].sort();
}

/** The request the monitor's check made for a batch (see check.ts), so the app shows that report whole. */
export function batchRequest(c: MonitorDetail['config'], batch: Pick<MonitorBatch, 'path'>): DriftRequest {
  return {
    reference: c.reference,
    current: batch.path,
    columns: c.columns,
    exclude: c.exclude,
    shareThreshold: c.shareThreshold,
    ...(c.target !== undefined ? { target: c.target } : {}),
    ...(c.prediction !== undefined ? { prediction: c.prediction } : {}),
    ...(c.score !== undefined ? { score: c.score } : {}),
    ...(c.id !== undefined ? { id: c.id } : {}),
    ...(c.timestamp !== undefined ? { timestamp: c.timestamp } : {}),
  };
}

export type ColumnOverrides = DriftRequest['columns'];

/** Drops the empty fields and the columns left with none, so the request says only what was chosen. */
export function cleanOverrides(all: ColumnOverrides): ColumnOverrides {
  const out: ColumnOverrides = {};
  for (const [name, o] of Object.entries(all)) {
    const kept: ColumnOverrides[string] = {};
    if (o.type) kept.type = o.type;
    if (o.test) kept.test = o.test;
    if (o.threshold !== undefined && Number.isFinite(o.threshold)) kept.threshold = o.threshold;
    if (Object.keys(kept).length > 0) out[name] = kept;
  }
  return out;
}
