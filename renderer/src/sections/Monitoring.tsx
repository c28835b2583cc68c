// Runs in: renderer. The Monitoring section: the monitors, one monitor's timeline and alerts, or an
// ad-hoc drift report between two sources (which one is in the app store's monitoringView).
import { useApp } from '../store/app-store';
import { DriftReportPage } from './monitoring/DriftReportPage';
import { MonitorPage } from './monitoring/MonitorPage';
import { MonitorsList } from './monitoring/MonitorsList';
import './monitoring/monitoring.css';

export function Monitoring() {
  const view = useApp((s) => s.monitoringView);
  if (view.kind === 'monitor') return <MonitorPage key={view.name} name={view.name} />;
  if (view.kind === 'drift') return <DriftReportPage />;
  return (
    <>
      <div className="toolbar">
        <button type="button" onClick={() => useApp.getState().openDriftReport()}>
          New drift report
        </button>
      </div>
      <MonitorsList />
    </>
  );
}
