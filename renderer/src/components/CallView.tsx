// Runs in: renderer. Loading and error frames around a section's data.
import type { ReactNode } from 'react';
import type { CallState } from '../hooks/use-call';

export function CallView<T>({
  state,
  reload,
  children,
}: {
  state: CallState<T>;
  reload: () => void;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') {
    return (
      <div className="loading" role="status" aria-live="polite">
        Loading…
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="problem" role="alert">
        <h2>Could not load this section</h2>
        <p>{state.error.message}</p>
        {state.error.hint ? <p className="hint">{state.error.hint}</p> : null}
        <button type="button" onClick={reload}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children(state.data)}</>;
}
