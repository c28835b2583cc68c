// Runs in: renderer. One monitor: its settings, timeline charts, checked batches (each opens as a full
// drift report in the app) and alerts, with "Check now" (new batches and alerts shown as they come
// back), "Export report", and "Delete monitor" after a confirmation that says what goes.
import { useState } from 'react';
import type { MonitorCheckResult, MonitorDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import { CallView } from '../../components/CallView';
import { InfoCard } from '../../components/InfoCard';
import { KeyValueTable } from '../../components/KeyValueTable';
import { useCall } from '../../hooks/use-call';
import { toastError, useApp } from '../../store/app-store';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AlertsTable } from './AlertsTable';
import { BatchesTable } from './BatchesTable';
import { batchRequest } from './drift-sources';
import { formatShare } from './drift-format';
import { ReportLink } from './ReportLink';
import { TimelineCharts } from './TimelineCharts';
import { useAlertReload } from './use-alert-reload';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function CheckOutcome({ result }: { result: MonitorCheckResult }) {
  const drifted = result.batches.filter((b) => b.datasetDrift);
  return (
    <div className="check-outcome" role="status" aria-label="Check result">
      <p>
        <strong>{count(result.batches.length, 'new batch', 'new batches')}</strong> checked
        {result.unchanged > 0 ? `, ${result.unchanged} unchanged` : ''}
        {drifted.length > 0
          ? `; dataset drift in ${drifted.map((b) => b.label).join(', ')}`
          : result.batches.length > 0
            ? '; no dataset drift'
            : ''}
        . <strong>{count(result.alerts.length, 'new alert', 'new alerts')}</strong>
        {result.alerts.length > 0 ? `: ${result.alerts.map((a) => a.message).join('; ')}` : '.'}
      </p>
      {result.failed.map((f) => (
        <p key={f.path} className="monitor-alert">
          Could not read {f.label}: {f.message}
        </p>
      ))}
      {result.runId ? <p>Retraining started: run {result.runId}.</p> : null}
      {result.retrainError ? <p className="monitor-alert">Retraining could not start: {result.retrainError}</p> : null}
    </div>
  );
}

function Settings({ monitor }: { monitor: MonitorDetail }) {
  const c = monitor.config;
  const entries: [string, string][] = [
    ['Model', c.model ?? 'none'],
    ['Reference', c.reference],
    ['Batches', c.folder ? `every file in ${c.folder}` : c.files.join(', ')],
    ['Dataset drift when', `at least ${formatShare(c.shareThreshold)} of the columns drift`],
    ['Rules', c.rules.length > 0 ? c.rules.join('; ') : 'none: batches are charted, no alert is raised'],
    ['Retrain on alert', c.retrain ? 'yes' : 'only rules that say retrain'],
  ];
  if (c.target) entries.push(['Target', c.target]);
  if (c.prediction) entries.push(['Prediction', c.prediction]);
  return <KeyValueTable label="Monitor settings" entries={entries} empty="" />;
}

export function MonitorPage({ name }: { name: string }) {
  const [state, reload] = useCall('monitors.get', { name });
  useAlertReload(reload, name);
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<MonitorCheckResult | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = async () => {
    try {
      const r = await api.call('monitors.delete', { name });
      setConfirmDelete(false);
      useApp.getState().toast({
        kind: 'info',
        title: 'Monitor deleted',
        message: `${name}, with ${count(r.batches, 'checked batch', 'checked batches')} and ${count(r.alerts, 'alert', 'alerts')}.`,
      });
      useApp.getState().showMonitors();
    } catch (err) {
      setConfirmDelete(false);
      toastError(`Could not delete ${name}`, err);
    }
  };
  const check = async () => {
    setChecking(true);
    try {
      setResult(await api.call('monitors.check', { name }));
      reload();
    } catch (err) {
      toastError(`Could not check ${name}`, err);
    } finally {
      setChecking(false);
    }
  };
  const exportReport = async () => {
    try {
      setExported((await api.call('monitors.report', { name })).path);
    } catch (err) {
      toastError(`Could not export the report of ${name}`, err);
    }
  };
  return (
    <div className="monitor-page">
      <div className="toolbar">
        <button type="button" className="link-button" onClick={() => useApp.getState().showMonitors()}>
          ← All monitors
        </button>
      </div>
      <h2>{name}</h2>
      <div className="toolbar">
        <button type="button" className="primary" disabled={checking} onClick={() => void check()}>
          {checking ? 'Checking…' : 'Check now'}
        </button>
        <button type="button" onClick={() => void exportReport()}>
          Export report
        </button>
        <button
          type="button"
          className="danger"
          disabled={checking || state.status !== 'ready'}
          onClick={() => setConfirmDelete(true)}
        >
          Delete monitor
        </button>
      </div>
      {confirmDelete && state.status === 'ready' ? (
        <ConfirmDialog
          title={`Delete the monitor ${name}?`}
          message={`This removes the monitor ${name}, its ${count(state.data.batches.length, 'checked batch', 'checked batches')} and its ${count(state.data.alerts.length, 'alert', 'alerts')} from the project. The data files and the reports it wrote under reports/ stay. This cannot be undone.`}
          confirmLabel="Delete monitor"
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={remove}
        />
      ) : null}
      {exported ? (
        <p role="status" className="export-note">
          Report written to <code>{exported}</code> <ReportLink path={exported} label={`Open ${exported}`} />
        </p>
      ) : null}
      {result ? <CheckOutcome result={result} /> : null}
      <CallView state={state} reload={reload}>
        {(monitor) => (
          <>
            {monitor.batches.length > 0 ? <TimelineCharts batches={monitor.batches} /> : null}
            <div className="run-cards monitor-cards">
              <InfoCard title={`Batches (${monitor.batches.length})`} wide>
                <BatchesTable
                  batches={monitor.batches}
                  onView={(b) => useApp.getState().openDriftReport(batchRequest(monitor.config, b), name)}
                />
              </InfoCard>
              <InfoCard title={`Alerts (${monitor.alerts.filter((a) => !a.acknowledgedAt).length} open)`} wide>
                <AlertsTable alerts={monitor.alerts} onChanged={reload} />
              </InfoCard>
              <InfoCard title="Settings">
                <Settings monitor={monitor} />
              </InfoCard>
            </div>
          </>
        )}
      </CallView>
    </div>
  );
}
