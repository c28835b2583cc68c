// Runs in: renderer. The runs the table shows (runs.search with the filter and sort) and the keys in
// use (runs.keys), reloaded in place while runs report: the rows change, the scroll and selection stay.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunKeys, RunSearchRow } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useLiveRuns } from '../../store/live-runs';
import { throttleAsync } from './throttle';

/** Enough for every run of a big project; the grid renders only what is in view. */
export const SEARCH_LIMIT = 100_000;
/**
 * A new filter or sort first asks for this many runs, shown at once, then for all of them: with
 * 10,000 runs × 100 values the full answer takes seconds, the first screenful a fraction of one.
 */
export const FIRST_PAGE = 300;
const LIVE_INTERVAL_MS = 500;

export interface RunsData {
  runs: RunSearchRow[] | null;
  keys: RunKeys;
  /** The filter the shown runs match. */
  shownFilter: string;
  /** False while only the first page of a new search is shown. */
  complete: boolean;
  /** The last search's error (a mistake in the filter, usually) and the filter it was for; the previous rows stay shown. */
  error: { error: BenchtopError; filter: string } | null;
  loading: boolean;
}

const NO_KEYS: RunKeys = { params: [], metrics: [], tags: [] };

export interface RunsDataActions {
  reload(): Promise<void>;
  /** Changes a shown run at once (a star, a new name), before the next reload confirms it. */
  patch(id: string, change: (run: RunSearchRow) => RunSearchRow): void;
}

export function useRunsData(filter: string, sort: string): [RunsData, RunsDataActions] {
  const [data, setData] = useState<RunsData>({
    runs: null,
    keys: NO_KEYS,
    shownFilter: '',
    complete: false,
    error: null,
    loading: true,
  });
  const query = useRef({ filter, sort });
  query.current = { filter, sort };
  const seq = useRef(0);

  const load = useCallback(async (firstPageFirst = false) => {
    const mine = ++seq.current;
    const { filter: f, sort: s } = query.current;
    setData((d) => ({ ...d, loading: true }));
    try {
      const keys = api.call('runs.keys', {});
      if (firstPageFirst) {
        const first = await api.call('runs.search', { filter: f, sort: s, limit: FIRST_PAGE, deleted: 'hide' });
        if (mine !== seq.current) return;
        const complete = first.runs.length < FIRST_PAGE;
        setData({ runs: first.runs, keys: await keys, shownFilter: f, complete, error: null, loading: !complete });
        if (complete || mine !== seq.current) return;
      }
      const [found, k] = await Promise.all([
        api.call('runs.search', { filter: f, sort: s, limit: SEARCH_LIMIT, deleted: 'hide' }),
        keys,
      ]);
      if (mine === seq.current)
        setData({ runs: found.runs, keys: k, shownFilter: f, complete: true, error: null, loading: false });
    } catch (err) {
      if (mine !== seq.current) return;
      const error =
        err instanceof BenchtopError
          ? err
          : new BenchtopError('INTERNAL', err instanceof Error ? err.message : String(err));
      setData((d) => ({ ...d, error: { error, filter: f }, loading: false }));
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter or sort is what starts a new load (`load` reads them from refs).
  useEffect(() => {
    void load(true);
  }, [filter, sort, load]);

  // Metric points and status changes of running runs, and runs taken in from the inbox (logged
  // while no server ran): reload at most every LIVE_INTERVAL_MS.
  useEffect(() => {
    const live = throttleAsync(() => load(), LIVE_INTERVAL_MS);
    const off = api.subscribe((event) => {
      if (event.name === 'run.metric' || event.name === 'run.status' || event.name === 'runs.ingested') live.request();
    });
    let epoch = useLiveRuns.getState().epoch;
    const offEpoch = useLiveRuns.subscribe((s) => {
      if (s.epoch !== epoch) {
        epoch = s.epoch;
        live.request();
      }
    });
    return () => {
      off();
      offEpoch();
      live.cancel();
    };
  }, [load]);

  const patch = useCallback((id: string, change: (run: RunSearchRow) => RunSearchRow) => {
    setData((d) => (d.runs ? { ...d, runs: d.runs.map((r) => (r.id === id ? change(r) : r)) } : d));
  }, []);
  const actions = useMemo(() => ({ reload: () => load(), patch }), [load, patch]);
  return [data, actions];
}
