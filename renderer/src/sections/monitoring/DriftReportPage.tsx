// Runs in: renderer. A drift report: choose reference and current (files, tracked dataset versions,
// run artifacts), optionally the target, prediction, ID and timestamp columns, run drift.report, then
// read the verdict, the sortable columns, one column's distributions, performance; change a column's
// type, test or threshold and run it again; export it. A monitor's batch opens here already run.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DriftReport, DriftRequest } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { InfoCard } from '../../components/InfoCard';
import { useApp } from '../../store/app-store';
import { ColumnDetail } from './ColumnDetail';
import { ColumnSettings } from './ColumnSettings';
import { cleanOverrides, type ColumnOverrides } from './drift-sources';
import { DriftColumnsTable } from './DriftColumnsTable';
import { DriftSummary } from './DriftSummary';
import { ExportButtons } from './ExportButtons';
import { PerformanceCard } from './PerformanceCard';
import { SourcePicker } from './SourcePicker';

type Roles = { target: string; prediction: string; id: string; timestamp: string };
const ROLE_FIELDS: { key: keyof Roles; label: string }[] = [
  { key: 'target', label: 'Target column (optional)' },
  { key: 'prediction', label: 'Prediction column (optional)' },
  { key: 'id', label: 'ID columns (optional, comma-separated)' },
  { key: 'timestamp', label: 'Timestamp column (optional)' },
];

function buildRequest(
  reference: string,
  current: string,
  roles: Roles,
  overrides: ColumnOverrides,
  base: DriftRequest | null,
  exclude: string[],
): DriftRequest {
  // What a preset carries beyond the form (excluded columns, share threshold, score column) is kept.
  const request: DriftRequest = {
    ...(base?.score ? { score: base.score } : {}),
    reference: reference.trim(),
    current: current.trim(),
    columns: cleanOverrides(overrides),
    exclude,
    shareThreshold: base?.shareThreshold ?? 0.5,
  };
  for (const { key } of ROLE_FIELDS) if (key !== 'id' && roles[key].trim()) request[key] = roles[key].trim();
  // The id field takes several columns separated by commas, as a preset with several shows them.
  const ids = roles.id
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length) request.id = ids.length === 1 ? ids[0]! : ids;
  return request;
}

export function DriftReportPage({
  preset = null,
  monitor = null,
}: {
  preset?: DriftRequest | null;
  monitor?: string | null;
}) {
  const [reference, setReference] = useState(preset?.reference ?? '');
  const [current, setCurrent] = useState(preset?.current ?? '');
  const [roles, setRoles] = useState<Roles>({
    target: preset?.target ?? '',
    prediction: preset?.prediction ?? '',
    id: [preset?.id ?? []].flat().join(', '),
    timestamp: preset?.timestamp ?? '',
  });
  const [overrides, setOverrides] = useState<ColumnOverrides>(preset?.columns ?? {});
  const [exclude, setExclude] = useState<string[]>(preset?.exclude ?? []);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const [result, setResult] = useState<{ request: DriftRequest; report: DriftReport } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const columnsListId = useId();
  const started = useRef(false);

  const run = async (request: DriftRequest) => {
    setRunning(true);
    setError(null);
    try {
      const report = await api.call('drift.report', request);
      setResult({ request, report });
      // The first drifted column (else the first) is what one wants to look at, unless one was chosen.
      setSelected((s) =>
        s && report.columns.some((c) => c.name === s)
          ? s
          : ((report.columns.find((c) => c.drifted) ?? report.columns[0])?.name ?? null),
      );
    } catch (err) {
      const be = err instanceof BenchtopError ? err : null;
      setError({ message: be ? be.message : String(err), ...(be?.hint ? { hint: be.hint } : {}) });
    } finally {
      setRunning(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per preset (guarded by `started`); `run` is a fresh closure each render.
  useEffect(() => {
    if (preset && !started.current) {
      started.current = true;
      void run(preset);
    }
  }, [preset]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!reference.trim() || !current.trim()) {
      setError({ message: 'Choose both a reference and a current source.' });
      return;
    }
    void run(buildRequest(reference, current, roles, overrides, preset, exclude));
  };

  const column = result?.report.columns.find((c) => c.name === selected) ?? null;
  const known = result
    ? [
        ...new Set([
          ...result.report.columns.map((c) => c.name),
          ...result.report.onlyInReference,
          ...result.report.onlyInCurrent,
        ]),
      ]
    : [];
  const settingsChanged =
    result !== null &&
    (JSON.stringify(cleanOverrides(overrides)) !== JSON.stringify(result.request.columns) ||
      JSON.stringify(exclude) !== JSON.stringify(result.request.exclude));
  return (
    <div className="drift-page">
      <div className="toolbar">
        {monitor ? (
          <button type="button" className="link-button" onClick={() => useApp.getState().openMonitor(monitor)}>
            ← Monitor {monitor}
          </button>
        ) : null}
        <button type="button" className="link-button" onClick={() => useApp.getState().showMonitors()}>
          ← All monitors
        </button>
      </div>
      <h2>Drift report</h2>
      <form className="drift-form" onSubmit={submit} aria-label="Drift report settings">
        <div className="drift-sources">
          <SourcePicker legend="Reference" value={reference} onChange={setReference} />
          <SourcePicker legend="Current" value={current} onChange={setCurrent} />
        </div>
        <div className="toolbar drift-roles">
          {ROLE_FIELDS.map((f) => (
            <label key={f.key}>
              {f.label}
              <input
                type="text"
                className="field-input"
                value={roles[f.key]}
                list={columnsListId}
                onChange={(e) => setRoles((r) => ({ ...r, [f.key]: e.target.value }))}
                spellCheck={false}
              />
            </label>
          ))}
          <datalist id={columnsListId}>
            {known.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <button type="submit" className="primary" disabled={running}>
            {running ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
      {error ? (
        <div className="problem" role="alert">
          <p>{error.message}</p>
          {error.hint ? <p className="hint">{error.hint}</p> : null}
        </div>
      ) : null}
      {running && !result ? <p className="muted">Computing the report…</p> : null}
      {result ? (
        <>
          <DriftSummary report={result.report} />
          <ExportButtons request={result.request} />
          <div className="run-cards">
            <InfoCard title={`Columns (${result.report.columns.length})`} wide>
              <DriftColumnsTable columns={result.report.columns} selected={selected} onSelect={setSelected} />
              {result.report.leftOut.length ? (
                <>
                  <p className="muted field-help" id="left-out-help">
                    Left out of the drift test:
                  </p>
                  <ul className="left-out" aria-labelledby="left-out-help">
                    {result.report.leftOut.map((l) => (
                      <li key={l.name}>
                        <strong>{l.name}</strong>: {l.message}{' '}
                        {l.reason === 'excluded' && exclude.includes(l.name) ? (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => setExclude(exclude.filter((n) => n !== l.name))}
                          >
                            Test {l.name} again
                          </button>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </InfoCard>
          </div>
          {column ? <ColumnDetail column={column} /> : null}
          {result.report.performance ? (
            <div className="run-cards">
              <PerformanceCard
                reference={result.report.performance.reference}
                current={result.report.performance.current}
              />
            </div>
          ) : null}
          <div className="run-cards">
            <InfoCard title="Column types and tests" wide>
              <ColumnSettings
                columns={result.report.columns}
                overrides={overrides}
                onChange={setOverrides}
                onRun={() => submit()}
                running={running}
                changed={settingsChanged}
                exclude={exclude}
                onExclude={setExclude}
              />
            </InfoCard>
          </div>
        </>
      ) : null}
    </div>
  );
}
