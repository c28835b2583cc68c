// Runs in: renderer. One event source shared by every listener of the page: a browser keeps at most
// six connections to a host, so an event stream per view would leave calls waiting for a connection.
// Opened with the first listener, closed with the last; a listener that throws does not silence the
// others (its error still surfaces, uncaught).

/** `open` starts the source, handing each event to `emit`, and returns how to close it. */
export function sharedStream<T>(
  open: (emit: (event: T) => void) => () => void,
): (listener: (event: T) => void) => () => void {
  const listeners = new Set<(event: T) => void>();
  let close: (() => void) | null = null;
  const emit = (event: T): void => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  };
  return (listener) => {
    listeners.add(listener);
    close ??= open(emit);
    return () => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      const c = close;
      close = null;
      c?.();
    };
  };
}
