// Runs in: renderer. An ad-hoc drift report: choose reference and current (files or tracked
// dataset versions), optionally the target and prediction columns, run drift.report, then read
// the verdict, the sortable columns, one column's distributions, performance, and export it.
import { useState, type FormEvent } from 'react';
import type { DriftReport, DriftRequest } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { InfoCard } from '../../components/InfoCard';
import { useApp } from '../../store/app-store';
import { ColumnDetail } from './ColumnDetail';
import { DriftColumnsTable } from './DriftColumnsTable';
import { DriftSummary } from './DriftSummary';
import { ExportButtons } from './ExportButtons';
import { PerformanceCard } from './PerformanceCard';
import { SourcePicker } from './SourcePicker';

function buildRequest(reference: string, current: string, target: string, prediction: string): DriftRequest {
  const request: DriftRequest = { reference: reference.trim(), current: current.trim(), columns: {}, exclude: [], shareThreshold: 0.5 };
  if (target.trim()) request.target = target.trim();
  if (prediction.trim()) request.prediction = prediction.trim();
  return request;
}

export function DriftReportPage() {
  const [reference, setReference] = useState('');
  const [current, setCurrent] = useState('');
  const [target, setTarget] = useState('');
  const [prediction, setPrediction] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const [result, setResult] = useState<{ request: DriftRequest; report: DriftReport } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reference.trim() || !current.trim()) {
      setError({ message: 'Choose both a reference and a current source.' });
      return;
    }
    const request = buildRequest(reference, current, target, prediction);
    setRunning(true);
    setError(null);
    try {
      const report = await api.call('drift.report', request);
      setResult({ request, report });
      // The first drifted column (else the first) is what one wants to look at.
      setSelected((report.columns.find((c) => c.drifted) ?? report.columns[0])?.name ?? null);
    } catch (err) {
      const be = err instanceof BenchtopError ? err : null;
      setError({ message: be ? be.message : String(err), ...(be?.hint ? { hint: be.hint } : {}) });
    } finally {
      setRunning(false);
    }
  };

  const column = result?.report.columns.find((c) => c.name === selected) ?? null;
  return (
    <div className="drift-page">
      <div className="toolbar">
        <button type="button" className="link-button" onClick={() => useApp.getState().showMonitors()}>
          ← All monitors
        </button>
      </div>
      <h2>Drift report</h2>
      <form className="drift-form" onSubmit={(e) => void submit(e)} aria-label="Drift report settings">
        <div className="drift-sources">
          <SourcePicker legend="Reference" value={reference} onChange={setReference} />
          <SourcePicker legend="Current" value={current} onChange={setCurrent} />
        </div>
        <div className="toolbar">
          <label>
            Target column (optional)
            <input type="text" value={target} onChange={(e) => setTarget(e.target.value)} spellCheck={false} />
          </label>
          <label>
            Prediction column (optional)
            <input type="text" value={prediction} onChange={(e) => setPrediction(e.target.value)} spellCheck={false} />
          </label>
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
      {result ? (
        <>
          <DriftSummary report={result.report} />
          <ExportButtons request={result.request} />
          <div className="run-cards">
            <InfoCard title={`Columns (${result.report.columns.length})`} wide>
              <DriftColumnsTable columns={result.report.columns} selected={selected} onSelect={setSelected} />
            </InfoCard>
          </div>
          {column ? <ColumnDetail column={column} /> : null}
          {result.report.performance ? (
            <div className="run-cards">
              <PerformanceCard reference={result.report.performance.reference} current={result.report.performance.current} />
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
