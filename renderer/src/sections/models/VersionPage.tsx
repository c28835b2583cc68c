// Runs in: renderer. One model version: its card (description, intended use and limitations in
// markdown, editable), signature, params and metrics snapshot, data versions, commit, tags,
// artifact, and the lineage graph whose run and data nodes open the run page and the Data view.
import { InfoCard } from '../../components/InfoCard';
import { KeyValueTable } from '../../components/KeyValueTable';
import { useCallback, useEffect, useState } from 'react';
import type { LineageNode, ModelVersionDetail } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { formatBytes, formatDate } from '../../components/format';
import { useCall } from '../../hooks/use-call';
import { useApp } from '../../store/app-store';
import { formatMetric } from '../compare/series-math';
import { AliasChips } from './AliasChips';
import { DeploymentPanel } from './DeploymentPanel';
import { ExportCard } from './ExportCard';
import { shortHash } from './short-hash';
import { LineageGraph } from './LineageGraph';
import { MarkdownField } from './MarkdownField';
import { SignatureTable } from './SignatureTable';
import { useModelsChanged } from './use-models-changed';

function VersionView({ initial }: { initial: ModelVersionDetail }) {
  const [v, setV] = useState(initial);
  useEffect(() => setV(initial), [initial]);
  const openRun = useApp((s) => s.openRun);
  const setSection = useApp((s) => s.setSection);
  const openData = useApp((s) => s.openData);
  const [lineage, reloadLineage] = useCall('models.lineage', { name: v.name, version: v.version });
  useModelsChanged(reloadLineage, v.name);
  const canOpen = useCallback(
    (n: LineageNode) => n.ref !== null && (n.kind === 'run' || n.kind === 'data' || n.kind === 'monitor'),
    [],
  );
  const open = useCallback(
    (n: LineageNode) => {
      if (n.ref === null) return;
      if (n.kind === 'run') openRun(n.ref);
      else if (n.kind === 'data') openData(n.ref);
      else if (n.kind === 'monitor') setSection('monitoring');
    },
    [openRun, openData, setSection],
  );
  const params = Object.entries(v.params).sort(([a], [b]) => a.localeCompare(b));
  const metrics = Object.entries(v.metrics).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <header className="run-header">
        <h2 id="version-title">
          {v.name} v{v.version}
        </h2>
        {v.aliases.length ? (
          <AliasChips aliases={v.aliases.map((alias) => ({ alias }))} label="Aliases of this version" />
        ) : null}
        {v.archived ? <span className="status archived-badge">archived {formatDate(v.archivedAt)}</span> : null}
      </header>
      <p className="run-meta muted">
        <span>Format {v.format}</span>
        <span>
          {formatBytes(v.size)}
          {v.files > 1 ? ` in ${v.files.toLocaleString()} files` : ''}
        </span>
        <span>Registered {formatDate(v.createdAt)}</span>
        {v.updatedAt && formatDate(v.updatedAt) !== formatDate(v.createdAt) ? (
          <span>Edited {formatDate(v.updatedAt)}</span>
        ) : null}
        <span>
          {v.runId ? (
            <>
              From run{' '}
              <button type="button" className="link" onClick={() => openRun(v.runId!)} title={v.runId}>
                {v.runName ?? v.runId}
              </button>
            </>
          ) : v.source === 'bundle' ? (
            'Imported from a bundle'
          ) : (
            'Registered from a path'
          )}
        </span>
      </p>
      <ExportCard name={v.name} version={v.version} />
      <DeploymentPanel version={v} />
      <div className="run-cards">
        <InfoCard title="Description">
          <MarkdownField
            version={v}
            field="description"
            label="Description"
            empty="No description: what this model is and how it was made."
            onSaved={setV}
          />
        </InfoCard>
        <InfoCard title="Intended use">
          <MarkdownField
            version={v}
            field="intendedUse"
            label="Intended use"
            empty="Not written yet: who should use this model, for what, on which data."
            onSaved={setV}
          />
        </InfoCard>
        <InfoCard title="Limitations">
          <MarkdownField
            version={v}
            field="limitations"
            label="Limitations"
            empty="Not written yet: where the model is known to fail, what it was not tested on."
            onSaved={setV}
          />
        </InfoCard>
        <InfoCard title="Signature">
          <SignatureTable signature={v.signature} />
        </InfoCard>
        <InfoCard title="Params">
          <KeyValueTable label="Params" entries={params} empty="No params in the run's snapshot." />
        </InfoCard>
        <InfoCard title="Metrics">
          <KeyValueTable
            label="Metrics"
            entries={metrics.map(([k, m]) => [
              k,
              <span key={k} className="num-value">
                {formatMetric(m)}
              </span>,
            ])}
            empty="No metrics in the run's snapshot."
          />
        </InfoCard>
        <InfoCard title="Data versions">
          {v.data.length ? (
            <table className="grid compact" aria-label="Data versions">
              <thead>
                <tr>
                  <th scope="col">Dataset</th>
                  <th scope="col">Version</th>
                  <th scope="col">Context</th>
                </tr>
              </thead>
              <tbody>
                {v.data.map((d) => (
                  <tr key={`${d.dataset}:${d.version}:${d.context}`}>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => openData(d.dataset)}
                        title="Open in the Data view"
                      >
                        {d.dataset}
                      </button>
                    </td>
                    <td>
                      <code title={d.version}>{shortHash(d.version)}</code>
                    </td>
                    <td>{d.context || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">The run recorded no data inputs.</p>
          )}
        </InfoCard>
        <InfoCard title="Source">
          <KeyValueTable
            label="Source"
            empty=""
            entries={[
              [
                'Git commit',
                v.gitCommit ? (
                  <code key="commit" title={v.gitCommit}>
                    {shortHash(v.gitCommit)}
                  </code>
                ) : (
                  'not in a git repository'
                ),
              ],
              ['Predict', v.predict ? <code key="predict">{v.predict}</code> : '—'],
            ]}
          />
          <h4 className="card-subtitle">Tags</h4>
          {Object.keys(v.tags).length ? (
            <ul className="tag-list" aria-label="Tags">
              {Object.entries(v.tags).map(([k, t]) => (
                <li key={k} className="badge">
                  {k} = {t}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No tags.</p>
          )}
        </InfoCard>
        <InfoCard title="Artifact">
          <KeyValueTable
            label="Artifact"
            empty=""
            entries={[
              ['Path', <code key="path">{v.artifact.path}</code>],
              ['Kind', v.artifact.kind === 'folder' ? `folder of ${v.files.toLocaleString()} files` : 'file'],
              [
                'Hash',
                <code key="hash" title={v.artifact.hash}>
                  {shortHash(v.artifact.hash)}
                </code>,
              ],
              ['Size', formatBytes(v.size)],
            ]}
          />
        </InfoCard>
        <InfoCard title="Lineage" wide>
          <CallView state={lineage} reload={reloadLineage}>
            {(graph) => <LineageGraph graph={graph} canOpen={canOpen} onOpen={open} />}
          </CallView>
        </InfoCard>
      </div>
    </>
  );
}

export function VersionPage({ name, version }: { name: string; version: number }) {
  const openModel = useApp((s) => s.openModel);
  const showModels = useApp((s) => s.showModels);
  const [state, reload] = useCall('models.version', { name, version });
  useModelsChanged(reload, name);
  return (
    <article className="model-page" aria-labelledby="version-title">
      <nav className="crumbs" aria-label="Breadcrumbs">
        <button type="button" className="link" onClick={showModels}>
          ← All models
        </button>
        <span aria-hidden="true"> / </span>
        <button type="button" className="link" onClick={() => openModel(name)}>
          {name}
        </button>
      </nav>
      <CallView state={state} reload={reload}>
        {(v) => <VersionView initial={v} />}
      </CallView>
    </article>
  );
}
