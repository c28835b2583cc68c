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
const LIVE_INTERVAL_MS = 500;

export interface RunsData {
  runs: RunSearchRow[] | null;
  keys: RunKeys;
  /** The filter the shown runs match. */
  shownFilter: string;
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
  const [data, setData] = useState<RunsData>({ runs: null, keys: NO_KEYS, shownFilter: '', error: null, loading: true });
  const query = useRef({ filter, sort });
  query.current = { filter, sort };
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    const { filter: f, sort: s } = query.current;
    setData((d) => ({ ...d, loading: true }));
    try {
      const [found, keys] = await Promise.all([api.call('runs.search', { filter: f, sort: s, limit: SEARCH_LIMIT, deleted: 'hide' }), api.call('runs.keys', {})]);
      if (mine === seq.current) setData({ runs: found.runs, keys, shownFilter: f, error: null, loading: false });
    } catch (err) {
      if (mine !== seq.current) return;
      const error = err instanceof BenchtopError ? err : new BenchtopError('INTERNAL', err instanceof Error ? err.message : String(err));
      setData((d) => ({ ...d, error: { error, filter: f }, loading: false }));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [filter, sort, load]);

  // Metric points and status changes of running runs: reload at most every LIVE_INTERVAL_MS.
  useEffect(() => {
    const live = throttleAsync(load, LIVE_INTERVAL_MS);
    const off = api.subscribe((event) => {
      if (event.name === 'run.metric' || event.name === 'run.status') live.request();
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
  const actions = useMemo(() => ({ reload: load, patch }), [load, patch]);
  return [data, actions];
}
