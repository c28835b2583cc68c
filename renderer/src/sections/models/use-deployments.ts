// Runs in: renderer. Keeps a Models view in step with deployments: reloads when one starts, stops or
// switches version (`deployments.changed`), and when new requests were logged
// (`deployments.requests`, throttled by the core) so live charts move.
import { useEvent } from '../../hooks/use-event';

/** Calls `reload` when a deployment of `model` (of any model when absent) starts, stops or switches. */
export function useDeploymentsChanged(reload: () => void, model?: string): void {
  useEvent((event) => {
    if (event.name === 'deployments.changed' && (model === undefined || event.payload.model === model)) reload();
  });
}

/** Calls `reload` when requests to `model` were logged. */
export function useRequestsLogged(reload: () => void, model: string): void {
  useEvent((event) => {
    if (event.name === 'deployments.requests' && event.payload.model === model) reload();
  });
}
