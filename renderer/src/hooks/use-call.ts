// Runs in: renderer. Loads a contract method's result for a section, reloading when the project
// changes; errors become a visible state, not a blank screen.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import { BenchtopError } from '../../../shared/contract';
import { api } from '../api/client';
import { useApp } from '../store/app-store';

export type CallState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: BenchtopError }
  | { status: 'ready'; data: T };

export function useCall<K extends MethodName>(
  method: K,
  input: MethodInput<K>,
  enabled = true,
): [CallState<MethodOutput<K>>, () => void] {
  const epoch = useApp((s) => s.projectEpoch);
  const [state, setState] = useState<CallState<MethodOutput<K>>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input);
  const shownKey = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the reload trigger and `epoch` a project switch: both must re-run the call.
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    // A reload of what is on screen keeps it there until the new answer arrives (no flicker);
    // asking for something else shows loading.
    if (shownKey.current !== `${method}:${key}:${epoch}`) setState({ status: 'loading' });
    shownKey.current = `${method}:${key}:${epoch}`;
    api.call(method, JSON.parse(key) as MethodInput<K>).then(
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
  }, [method, key, epoch, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [state, reload];
}
