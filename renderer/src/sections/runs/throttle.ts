// Runs in: renderer (and unit tests). Live refresh pacing: many events (every metric point of a
// running run) become at most one reload per interval, never two reloads at once, and a slow
// reload (a big project) is followed by an idle time as long as it took, so the core is never kept busy.

export interface Throttled {
  /** Asks for a run of the task; runs now, or once after the interval and the current run. */
  request(): void;
  cancel(): void;
}

export function throttleAsync(
  task: () => Promise<unknown>,
  intervalMs: number,
  clock: {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(t: unknown): void;
  } = defaultClock,
): Throttled {
  let lastStart = -Infinity;
  let lastEnd = -Infinity;
  let running = false;
  let pending = false;
  let timer: unknown = null;
  let cancelled = false;

  const start = () => {
    timer = null;
    if (cancelled) return;
    pending = false;
    running = true;
    lastStart = clock.now();
    void Promise.resolve()
      .then(task)
      .catch(() => undefined)
      .finally(() => {
        running = false;
        lastEnd = clock.now();
        if (pending) schedule();
      });
  };
  const schedule = () => {
    if (cancelled || timer !== null || running) return;
    const wait = Math.max(lastStart + intervalMs, 2 * lastEnd - lastStart) - clock.now();
    if (wait <= 0) start();
    else timer = clock.setTimeout(start, wait);
  };
  return {
    request() {
      pending = true;
      schedule();
    },
    cancel() {
      cancelled = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}

const defaultClock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>),
};
