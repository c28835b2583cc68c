// Runs in: renderer. Versions of one model compared: params and metrics of their snapshots side by
// side (with "Only differences", the same rule as comparing runs) and a metric across versions.
import { useMemo } from 'react';
import { sideBySide } from '../../../../shared/compare/side-by-side';
import type { ModelVersionDetail } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { useApp } from '../../store/app-store';
import { SideBySide } from '../compare/SideBySide';
import { AliasChips } from './AliasChips';
import { MetricAcrossVersions } from './MetricAcrossVersions';
import { useVersions } from './use-versions';

function Compared({ versions }: { versions: ModelVersionDetail[] }) {
  const openVersion = useApp((s) => s.openModelVersion);
  const openRun = useApp((s) => s.openRun);
  const names = useMemo(() => versions.map((v) => `v${v.version}`), [versions]);
  const table = useMemo(() => sideBySide(versions.map((v) => ({ params: v.params, metrics: v.metrics }))), [versions]);
  return (
    <>
      <ul className="compared-versions" aria-label="Compared versions">
        {versions.map((v) => (
          <li key={v.version}>
            <button type="button" className="link" onClick={() => openVersion(v.name, v.version)}>
              v{v.version}
            </button>
            {v.aliases.length ? (
              <AliasChips aliases={v.aliases.map((alias) => ({ alias }))} label={`Aliases of v${v.version}`} />
            ) : null}
            {v.runId ? (
              <span className="muted">
                run{' '}
                <button type="button" className="link" onClick={() => openRun(v.runId!)} title={v.runId}>
                  {v.runName ?? v.runId}
                </button>
              </span>
            ) : null}
            {v.archived ? <span className="status archived-badge">archived</span> : null}
          </li>
        ))}
      </ul>
      <h3>Params and metrics</h3>
      <SideBySide names={names} params={table.params} metrics={table.metrics} />
      <h3>A metric across versions</h3>
      <MetricAcrossVersions versions={versions} />
    </>
  );
}

export function CompareVersions({ name, versions }: { name: string; versions: number[] }) {
  const showModels = useApp((s) => s.showModels);
  const openModel = useApp((s) => s.openModel);
  const [state, reload] = useVersions(name, versions);
  return (
    <article className="compare" aria-labelledby="compare-versions-title">
      <nav className="crumbs" aria-label="Breadcrumbs">
        <button type="button" className="link" onClick={showModels}>
          ← All models
        </button>
        <span aria-hidden="true"> / </span>
        <button type="button" className="link" onClick={() => openModel(name)}>
          {name}
        </button>
      </nav>
      <h2 id="compare-versions-title">
        Compare {versions.length} versions of {name}
      </h2>
      {versions.length < 2 ? (
        <p className="muted">Tick two or more versions on the model's page to compare them.</p>
      ) : (
        <CallView state={state} reload={reload}>
          {(data) => <Compared versions={data} />}
        </CallView>
      )}
    </article>
  );
}
