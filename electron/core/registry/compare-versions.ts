// Runs in: main (core). Versions of one model compared: their params and metrics side by side (the
// same notion of "differs" as comparing runs), and one metric's value across them for a chart.
import type { Database } from 'better-sqlite3';
import { sideBySide } from '../../../shared/compare/side-by-side';
import { BenchtopError } from '../../../shared/contract/errors';
import type { ModelComparison } from '../../../shared/contract/schemas';
import { getVersion } from './versions';

export interface CompareVersionsOptions {
  metric?: string | undefined;
  onlyDifferences?: boolean | undefined;
}

export function compareVersions(
  db: Database,
  name: string,
  versions: readonly number[],
  options: CompareVersionsOptions = {},
): ModelComparison {
  const unique = [...new Set(versions)];
  if (unique.length < 2)
    throw new BenchtopError('INVALID_INPUT', 'Comparing needs two or more different versions.', {
      field: 'versions',
      hint: `Name two or more versions of ${name}, such as 1 and 2.`,
    });
  const details = unique.map((v) => getVersion(db, name, v));
  const table = sideBySide(details.map((d) => ({ params: d.params, metrics: d.metrics })));
  if (options.metric !== undefined && !table.metrics.some((m) => m.key === options.metric)) {
    throw new BenchtopError('INVALID_INPUT', `None of these versions has a metric "${options.metric}".`, {
      field: 'metric',
      hint: table.metrics.length
        ? `Choose one of ${table.metrics
            .map((m) => m.key)
            .slice(0, 10)
            .join(', ')}.`
        : 'These versions have no metrics; leave the metric out.',
    });
  }
  const key = options.metric ?? table.metrics[0]?.key;
  const series =
    key === undefined
      ? null
      : {
          metric: key,
          points: details
            .map((d) => ({ version: d.version, value: Object.hasOwn(d.metrics, key) ? d.metrics[key]! : null }))
            .sort((a, b) => a.version - b.version),
        };
  const params = options.onlyDifferences ? table.params.filter((r) => r.differs) : table.params;
  const metrics = options.onlyDifferences ? table.metrics.filter((r) => r.differs) : table.metrics;
  return {
    name,
    versions: details.map((d) => ({
      version: d.version,
      aliases: d.aliases,
      source: d.source,
      runId: d.runId,
      runName: d.runName,
      format: d.format,
      createdAt: d.createdAt,
    })),
    params,
    metrics,
    hiddenSame: table.params.length - params.length + (table.metrics.length - metrics.length),
    series,
  };
}
