// Runs in: renderer. Runs found with the query language, newest first, with their latest metrics.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { RunSearchRow } from '../../../shared/contract';
import { CallView } from '../components/CallView';
import { formatDate, formatNumber } from '../components/format';
import { useCall } from '../hooks/use-call';
import { useApp } from '../store/app-store';
import { useLiveRuns } from '../store/live-runs';

export function RunsTable() {
  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState('-start_time');
  const [selected, setSelected] = useState<string[]>([]);
  const openCompare = useApp((s) => s.openCompare);
  const [state, reload] = useCall('runs.search', { filter, sort, limit: 500 });
  const epoch = useLiveRuns((s) => s.epoch);
  useEffect(() => reload(), [epoch, reload]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft.trim());
  };
  return (
    <section aria-label="Runs">
      <form className="row filter-form" onSubmit={submit}>
        <label className="grow">
          Filter
          <input value={draft} onChange={(e) => setDraft(e.target.value)} spellCheck={false} aria-describedby="filter-help" />
        </label>
        <button type="submit">Apply</button>
        <button type="button" disabled={selected.length < 2} onClick={() => openCompare(selected)} title="Select two or more runs to compare them">
          Compare ({selected.length})
        </button>
      </form>
      <p id="filter-help" className="muted field-help">
        For example <code>metrics.accuracy &gt; 0.9 and params.train.lr = 0.5</code>; also <code>or</code>, <code>not</code>, <code>in (…)</code>, <code>like</code>, and <code>status</code>, <code>name</code>, <code>start_time</code>, <code>duration</code>.
      </p>
      <CallView state={state} reload={reload}>
        {(data) => <Rows runs={data.runs} sort={sort} onSort={setSort} filtered={filter !== ''} selected={selected} onSelect={setSelected} />}
      </CallView>
    </section>
  );
}

function Rows({ runs, sort, onSort, filtered, selected, onSelect }: { runs: RunSearchRow[]; sort: string; onSort: (s: string) => void; filtered: boolean; selected: string[]; onSelect: (ids: string[]) => void }) {
  const openRun = useApp((s) => s.openRun);
  const metricKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort().slice(0, 6), [runs]);
  if (runs.length === 0) return <p className="muted">{filtered ? 'No run matches the filter.' : 'No runs yet.'}</p>;
  const header = (label: string, field: string, numeric = false) => {
    const active = sort === field || sort === `-${field}`;
    const next = sort === `-${field}` ? field : `-${field}`;
    return (
      <th className={numeric ? 'num' : undefined} aria-sort={active ? (sort.startsWith('-') ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="link" onClick={() => onSort(next)}>
          {label}
          {active ? (sort.startsWith('-') ? ' ▾' : ' ▴') : ''}
        </button>
      </th>
    );
  };
  return (
    <div className="table-scroll">
      <table className="grid compact" aria-label="Runs table">
        <thead>
          <tr>
            <th>
              <span className="visually-hidden">Select</span>
            </th>
            {header('Run', 'name')}
            {header('Status', 'status')}
            {header('Experiment', 'experiment')}
            {header('Started', 'start_time')}
            {metricKeys.map((k) => header(k, `metrics.\`${k}\``, true))}
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select run ${r.name}`}
                  checked={selected.includes(r.id)}
                  onChange={(e) => onSelect(e.target.checked ? [...selected, r.id] : selected.filter((id) => id !== r.id))}
                />
              </td>
              <td>
                <button type="button" className="link" onClick={() => openRun(r.id)}>
                  {r.name}
                </button>
              </td>
              <td>
                <span className={`status status-${r.status}`}>{r.status}</span>
              </td>
              <td>{r.experiment}</td>
              <td>{formatDate(r.startTime)}</td>
              {metricKeys.map((k) => (
                <td key={k} className="num">
                  {r.metrics[k] === undefined ? '—' : formatNumber(r.metrics[k])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
