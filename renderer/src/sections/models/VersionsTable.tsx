// Runs in: renderer. A model's versions: number, aliases, format, size, key metrics from the
// snapshot, the run that made it, when; a tick box each to compare, and archive/restore/delete.
import type { ModelVersionSummary } from '../../../../shared/contract';
import { formatBytes, formatDate } from '../../components/format';
import { useApp } from '../../store/app-store';
import { formatMetric } from '../compare/series-math';
import { AliasChips } from './AliasChips';
import { keyMetrics } from './key-metrics';
import { type VersionAction, VersionMenu } from './VersionMenu';

export function VersionsTable({
  name,
  versions,
  picked,
  onPick,
  onAction,
}: {
  name: string;
  versions: ModelVersionSummary[];
  picked: number[];
  onPick: (versions: number[]) => void;
  onAction: (action: VersionAction, version: ModelVersionSummary) => void;
}) {
  const openVersion = useApp((s) => s.openModelVersion);
  const openRun = useApp((s) => s.openRun);
  const metrics = keyMetrics(versions);
  const toggle = (n: number) => onPick(picked.includes(n) ? picked.filter((p) => p !== n) : [...picked, n]);
  return (
    <div className="table-scroll">
      <table className="grid versions-table" aria-label="Versions">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Version, created</th>
            <th scope="col">Aliases</th>
            <th scope="col">Format</th>
            <th scope="col" className="num">
              Size
            </th>
            {metrics.map((m) => (
              <th scope="col" key={m} className="num metric-col">
                {m}
              </th>
            ))}
            <th scope="col">Source run</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr
              key={v.version}
              className={`${v.archived ? 'archived' : ''}${picked.includes(v.version) ? ' selected' : ''}`}
              title={v.description || undefined}
            >
              <td>
                <input
                  type="checkbox"
                  checked={picked.includes(v.version)}
                  onChange={() => toggle(v.version)}
                  aria-label={`Pick v${v.version} to compare`}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="link version-link"
                  onClick={() => openVersion(name, v.version)}
                  aria-label={`Open ${name} version ${v.version}`}
                >
                  v{v.version}
                </button>
                {v.archived ? <span className="status archived-badge">archived</span> : null}
                <div className="muted version-date">{formatDate(v.createdAt)}</div>
              </td>
              <td>
                <AliasChips aliases={v.aliases.map((alias) => ({ alias }))} label={`Aliases of v${v.version}`} />
              </td>
              <td>{v.format}</td>
              <td className="num">
                {formatBytes(v.size)}
                {v.files > 1 ? <div className="muted">{v.files.toLocaleString()} files</div> : null}
              </td>
              {metrics.map((m) => (
                <td key={m} className="num">
                  {formatMetric(v.metrics[m])}
                </td>
              ))}
              <td>
                {v.runId ? (
                  <button type="button" className="link run-link" onClick={() => openRun(v.runId!)} title={v.runId}>
                    {v.runName ?? v.runId}
                  </button>
                ) : (
                  <span className="muted">{v.source === 'bundle' ? 'imported bundle' : 'from a path'}</span>
                )}
              </td>
              <td className="version-actions">
                <VersionMenu version={v} onAction={onAction} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
