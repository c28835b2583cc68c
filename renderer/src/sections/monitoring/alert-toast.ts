// Runs in: renderer. A monitor's alert (event monitors.alert) becomes a toast wherever the user is,
// with a button that opens the monitor: alerts matter most when nobody is looking at Monitoring.
import type { EventPayload } from '../../../../shared/contract';
import { useApp } from '../../store/app-store';

export function toastMonitorAlert(alert: EventPayload<'monitors.alert'>): void {
  const app = useApp.getState();
  app.toast({
    kind: 'error',
    title: `Monitor ${alert.monitor}: alert`,
    message: alert.message,
    hint: alert.runId ? `Retraining started: run ${alert.runId}.` : `Rule: ${alert.rule}`,
    action: { label: `Open monitor ${alert.monitor}`, run: () => useApp.getState().openMonitor(alert.monitor) },
  });
}
