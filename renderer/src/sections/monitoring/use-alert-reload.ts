// Runs in: renderer. Reloads a monitoring view when a check elsewhere (the CLI, the scheduler, an
// other window) raises an alert, so what is on screen does not lag behind the toast.
import { useEvent } from '../../hooks/use-event';

export function useAlertReload(reload: () => void, monitor?: string): void {
  useEvent((event) => {
    if (event.name === 'monitors.alert' && (monitor === undefined || event.payload.monitor === monitor)) reload();
  });
}
