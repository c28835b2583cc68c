// Runs in: renderer. Sweeps: the grid of param values to try, run as a queue (each run in its own
// working copy), with each item's state and final metrics as they arrive.
import { useEffect, useState, type FormEvent } from 'react';
import type { SweepView } from '../../../../shared/contract';
import { api } from '../../api/client';
import { formatNumber } from '../../components/format';
import { toastError } from '../../store/app-store';
import { useLiveRuns } from '../../store/live-runs';

/** `slurmExecutors`: the Slurm executors of benchtop.yaml, offered to run the sweep as job arrays. */
export function SweepPanel({ slurmExecutors }: { slurmExecutors: readonly string[] }) {
  const [spec, setSpec] = useState('');
  const [jobs, setJobs] = useState(2);
  // '' runs each stage where benchtop.yaml says; a name sends every stage there, one array job each.
  const [executor, setExecutor] = useState('');
  const chosen = slurmExecutors.includes(executor) ? executor : '';
  const [busy, setBusy] = useState(false);
  const live = useLiveRuns((s) => s.sweep);
  const [initial, setInitial] = useState<SweepView | null>(null);
  useEffect(() => {
    api.call('pipelines.sweepStatus', {}).then(setInitial, () => undefined);
  }, []);
  const view = live ?? initial;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const sweeps = spec
      .split(/[;\n]/)
      .map((x) => x.trim())
      .filter(Boolean);
    setBusy(true);
    try {
      setInitial(await api.call('pipelines.sweep', { sweeps, jobs, ...(chosen ? { executor: chosen } : {}) }));
    } catch (err) {
      toastError('Could not start the sweep', err);
    } finally {
      setBusy(false);
    }
  };

  const paramKeys = view ? [...new Set(view.items.flatMap((i) => Object.keys(i.params)))] : [];
  const metricKeys = view
    ? [...new Set(view.items.flatMap((i) => Object.keys(i.metrics)))].filter((k) => !k.includes('.')).slice(0, 5)
    : [];
  return (
    <section className="sweep-panel" aria-label="Sweep">
      <form className="row" onSubmit={(e) => void submit(e)}>
        <label className="grow">
          Sweep{' '}
          <input
            className="field-input"
            value={spec}
            onChange={(e) => setSpec(e.target.value)}
            aria-describedby="sweep-help"
            spellCheck={false}
          />
        </label>
        <label>
          at once{' '}
          <input
            type="number"
            min={1}
            max={16}
            value={jobs}
            onChange={(e) => setJobs(Number(e.target.value) || 1)}
            className="field-input narrow"
          />
        </label>
        {slurmExecutors.length ? (
          <label>
            Executor{' '}
            <select className="field-input" value={chosen} onChange={(e) => setExecutor(e.target.value)}>
              <option value="">as benchtop.yaml says</option>
              {slurmExecutors.map((name) => (
                <option key={name} value={name}>
                  {name} (Slurm job arrays)
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit" disabled={busy || !spec.trim() || Boolean(view?.running)}>
          Start sweep
        </button>
        <button
          type="button"
          disabled={!view?.running}
          onClick={() =>
            void api
              .call('pipelines.cancelSweep', {})
              .catch((err: unknown) => toastError('Could not cancel the sweep', err))
          }
        >
          Cancel sweep
        </button>
      </form>
      <p id="sweep-help" className="muted field-help">
        Values to try, e.g. <code>train.lr=0.05,0.2; train.epochs=30,60</code>: every combination runs in its own copy
        of the project.
        {slurmExecutors.length
          ? ' With a Slurm executor, every stage goes to the cluster as one array job, a task per combination, "at once" tasks at a time.'
          : ''}
      </p>
      {view ? (
        <table className="grid compact" aria-label="Sweep queue">
          <thead>
            <tr>
              <th>#</th>
              {paramKeys.map((k) => (
                <th key={k}>{k}</th>
              ))}
              <th>Status</th>
              {metricKeys.map((k) => (
                <th key={k} className="num">
                  {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.items.map((item, i) => (
              <tr key={i}>
                <td className="muted">{i + 1}</td>
                {paramKeys.map((k) => (
                  <td key={k}>{item.params[k] ?? ''}</td>
                ))}
                <td>
                  <span className={`status status-${item.status}`} title={item.error ?? item.runId ?? ''}>
                    {item.status}
                  </span>
                </td>
                {metricKeys.map((k) => (
                  <td key={k} className="num">
                    {item.metrics[k] === undefined ? '—' : formatNumber(item.metrics[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
