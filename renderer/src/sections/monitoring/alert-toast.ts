// Runs in: renderer. A monitor's alert (event monitors.alert) becomes a toast wherever the user is,
// with a button that opens the monitor: alerts matter most when nobody is looking at Monitoring.
// Alerts of one monitor arriving in a burst (one check of many batches) share one toast.
import { useApp } from '../../store/app-store';
import { addToBurst, alertToastContent, type AlertBurst, type AlertEvent } from './alert-burst';

/** Per monitor, its latest burst and the toast that shows it. */
const shown = new Map<string, { burst: AlertBurst; toastId: number }>();

export function toastMonitorAlert(alert: AlertEvent): void {
  const app = useApp.getState();
  const previous = shown.get(alert.monitor);
  // A burst whose toast was dismissed or timed out is over: the next alert gets a toast of its own.
  const onScreen = previous && app.toasts.some((t) => t.id === previous.toastId) ? previous : undefined;
  const burst = addToBurst(onScreen?.burst, alert, Date.now());
  const toast = {
    kind: 'error' as const,
    ...alertToastContent(burst),
    untilSectionChange: true,
    action: { label: `Open monitor ${alert.monitor}`, run: () => useApp.getState().openMonitor(alert.monitor) },
  };
  const toastId =
    onScreen && burst.alerts.length > 1 && app.replaceToast(onScreen.toastId, toast)
      ? onScreen.toastId
      : app.toast(toast);
  shown.set(alert.monitor, { burst, toastId });
}
