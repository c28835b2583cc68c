// Runs in: renderer. Loads several runs whole (runs.get each, in parallel) for the Compare view,
// reloading when the project changes.
import { useCallback, useEffect, useState } from 'react';
import { BenchtopError, type RunDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import type { CallState } from '../../hooks/use-call';
import { useApp } from '../../store/app-store';

export function useRuns(ids: readonly string[]): [CallState<RunDetail[]>, () => void] {
  const epoch = useApp((s) => s.projectEpoch);
  const [state, setState] = useState<CallState<RunDetail[]>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const key = ids.join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the reload trigger and `epoch` a project switch: both must re-fetch.
  useEffect(() => {
    let live = true;
    Promise.all(key.split('\n').map((id) => api.call('runs.get', { id }))).then(
      (data) => live && setState({ status: 'ready', data }),
      (err: unknown) =>
        live &&
        setState({
          status: 'error',
          error: err instanceof BenchtopError ? err : new BenchtopError('INTERNAL', String(err)),
        }),
    );
    return () => {
      live = false;
    };
  }, [key, epoch, tick]);
  return [state, useCallback(() => setTick((t) => t + 1), [])];
}
