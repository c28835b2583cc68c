// Runs in: renderer. Reloads a Models view when the registry changes (here, in the CLI, in another
// window): every change announces `models.changed` with the model's name.
import { useEvent } from '../../hooks/use-event';

/** Calls `reload` on every registry change, or only on changes to model `name` when one is given. */
export function useModelsChanged(reload: () => void, name?: string): void {
  useEvent((event) => {
    if (event.name === 'models.changed' && (name === undefined || event.payload.name === name)) reload();
  });
}
