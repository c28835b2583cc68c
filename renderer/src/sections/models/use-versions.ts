// Runs in: renderer. Several versions of one model loaded together (for Compare), reloaded when the
// model changes in the registry.
import { useCallback, useEffect, useState } from 'react';
import type { ModelVersionDetail } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import type { CallState } from '../../hooks/use-call';
import { useApp } from '../../store/app-store';
import { useModelsChanged } from './use-models-changed';

export function useVersions(name: string, versions: number[]): [CallState<ModelVersionDetail[]>, () => void] {
  const epoch = useApp((s) => s.projectEpoch);
  const [state, setState] = useState<CallState<ModelVersionDetail[]>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useModelsChanged(reload, name);
  const key = versions.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the reload trigger and `epoch` a project switch: both must re-fetch.
  useEffect(() => {
    let live = true;
    Promise.all(
      key
        .split(',')
        .filter(Boolean)
        .map((n) => api.call('models.version', { name, version: Number(n) })),
    ).then(
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
  }, [name, key, epoch, tick]);
  return [state, reload];
}
