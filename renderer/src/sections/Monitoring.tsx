// Runs in: renderer. The Monitoring section: the monitors, one monitor's timeline and alerts, or an
// ad-hoc drift report between two sources (which one is in the app store's monitoringView).
import { useState } from 'react';
import { useApp } from '../store/app-store';
import { AddMonitorDialog } from './monitoring/AddMonitorDialog';
import { DriftReportPage } from './monitoring/DriftReportPage';
import { MonitorPage } from './monitoring/MonitorPage';
import { MonitorsList } from './monitoring/MonitorsList';
import './monitoring/monitoring.css';

export function Monitoring() {
  const view = useApp((s) => s.monitoringView);
  if (view.kind === 'monitor') return <MonitorPage key={`${view.name}#${view.visit ?? 0}`} name={view.name} />;
  if (view.kind === 'drift')
    return (
      <DriftReportPage
        key={JSON.stringify(view.preset ?? null)}
        preset={view.preset ?? null}
        monitor={view.monitor ?? null}
      />
    );
  return <MonitorsHome />;
}

function MonitorsHome() {
  const [adding, setAdding] = useState(false);
  return (
    <>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add monitor
        </button>
        <button type="button" onClick={() => useApp.getState().openDriftReport()}>
          New drift report
        </button>
      </div>
      {adding ? <AddMonitorDialog onClose={() => setAdding(false)} /> : null}
      <MonitorsList onAdd={() => setAdding(true)} />
    </>
  );
}
