// Runs in: renderer. A model version's deployment: whether the model is being served (where, which
// version answers, by how many workers, and what it reported: a failed switch, a warning), a Deploy form (what to serve, port, workers, host) whose
// refusals show the core's message, Stop, "Try it", and the live charts and latest requests.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Deployment, ModelVersionDetail } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { CallView } from '../../components/CallView';
import { formatDate } from '../../components/format';
import { SelectField, TextField } from '../../components/TextField';
import { useCall } from '../../hooks/use-call';
import { DeploymentCharts } from './DeploymentCharts';
import { DeploymentNotice } from './DeploymentNotice';
import { RequestsTable } from './RequestsTable';
import { TryIt } from './TryIt';
import { useDeploymentsChanged, useRequestsLogged } from './use-deployments';

type Failure = { message: string; hint?: string };

function failure(err: unknown): Failure {
  const e = err instanceof BenchtopError ? err : null;
  return { message: e ? e.message : String(err), ...(e?.hint ? { hint: e.hint } : {}) };
}

function ErrorBox({ error }: { error: Failure }) {
  return (
    <div className="form-error" role="alert">
      <p>{error.message}</p>
      {error.hint ? <p className="hint">{error.hint}</p> : null}
    </div>
  );
}

export function StateChip({ d }: { d: Pick<Deployment, 'state' | 'version'> }) {
  return (
    <span className={`status deploy-state deploy-${d.state}`}>
      {d.state === 'running' ? `serving${d.version !== null ? ` v${d.version}` : ''}` : d.state}
    </span>
  );
}

function DeployForm({ v, onStarted }: { v: ModelVersionDetail; onStarted: () => void }) {
  const refs = [
    ...v.aliases.map((a) => ({ ref: `${v.name}@${a}`, label: `${v.name}@${a} (follows the alias as it moves)` })),
    { ref: `${v.name}/${v.version}`, label: `${v.name}/${v.version} (this version only)` },
  ];
  const [ref, setRef] = useState(refs[0]!.ref);
  const [port, setPort] = useState('');
  const [workers, setWorkers] = useState('1');
  const [host, setHost] = useState('127.0.0.1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Failure | null>(null);
  /** An imported version's command nobody here has agreed to run: shown, with "Trust and deploy". */
  const [untrusted, setUntrusted] = useState<Failure | null>(null);
  const hostHelp = useId();
  const deploy = (trust: boolean) => {
    setBusy(true);
    setError(null);
    setUntrusted(null);
    api
      .call('deployments.start', {
        ref,
        host: host.trim() || '127.0.0.1',
        workers: Number(workers) || 1,
        ...(port.trim() !== '' ? { port: Number(port) } : {}),
        ...(trust ? { trust: true } : {}),
      })
      .then(
        () => {
          setBusy(false);
          onStarted();
        },
        (err: unknown) => {
          setBusy(false);
          if (err instanceof BenchtopError && err.code === 'UNTRUSTED_COMMAND') setUntrusted(failure(err));
          else setError(failure(err));
        },
      );
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    deploy(false);
  };
  return (
    <form className="models-form deploy-form" onSubmit={submit} aria-label="Deploy">
      {v.predict ? null : (
        <p className="muted">
          This version was registered without a predict command, so there is nothing to serve. Register it with{' '}
          <code>--predict "python predict.py"</code>.
        </p>
      )}
      <SelectField label="Serve" value={ref} onChange={(e) => setRef(e.target.value)}>
        {refs.map((r) => (
          <option key={r.ref} value={r.ref}>
            {r.label}
          </option>
        ))}
      </SelectField>
      <div className="deploy-fields">
        <TextField
          label="Port (empty: any free port)"
          type="number"
          min={0}
          max={65535}
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <TextField
          label="Workers"
          type="number"
          min={1}
          max={64}
          value={workers}
          onChange={(e) => setWorkers(e.target.value)}
          required
        />
        <TextField label="Host" value={host} onChange={(e) => setHost(e.target.value)} aria-describedby={hostHelp} />
      </div>
      <p id={hostHelp} className="muted">
        127.0.0.1 answers this computer only. Any other host (0.0.0.0 for the whole network) requires a token, shown
        here once deployed.
      </p>
      {error ? <ErrorBox error={error} /> : null}
      {untrusted ? (
        <div className="form-error" role="alertdialog" aria-label="Trust the imported command">
          <p>{untrusted.message}</p>
          <p className="hint">
            This command came with an imported bundle and runs on this computer with your permissions. Review it (and
            the model files it uses) before you trust it; you are asked once per version.
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => deploy(true)}>
              Trust and deploy
            </button>
            <button type="button" disabled={busy} onClick={() => setUntrusted(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Deploying…' : 'Deploy'}
        </button>
      </div>
    </form>
  );
}

function RunningStatus({ d, v, onStopped }: { d: Deployment; v: ModelVersionDetail; onStopped: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Failure | null>(null);
  const stop = () => {
    setBusy(true);
    setError(null);
    api.call('deployments.stop', { id: d.id }).then(
      () => {
        setBusy(false);
        onStopped();
      },
      (err: unknown) => {
        setBusy(false);
        setError(failure(err));
      },
    );
  };
  return (
    <div className="deploy-status" aria-label="Deployment status">
      <DeploymentNotice d={d} />
      <dl className="deploy-facts">
        <dt>State</dt>
        <dd>
          <StateChip d={d} />
          {d.version !== null && d.version !== v.version ? <span className="muted"> (not this version)</span> : null}
          {d.healthy === false ? (
            <span className="status status-failed" role="status">
              {' '}
              unhealthy: its predict processes keep failing as they start (GET /health answers 503)
            </span>
          ) : null}
        </dd>
        <dt>URL</dt>
        <dd>
          <code className="deploy-url">{d.url}</code>{' '}
          <span className="muted">POST /predict · GET /health · GET /metrics</span>
        </dd>
        <dt>Serving</dt>
        <dd>
          <code>{d.ref}</code>
        </dd>
        <dt>Workers</dt>
        <dd>{d.workers}</dd>
        <dt>Started</dt>
        <dd>
          {formatDate(d.startedAt)}{' '}
          {d.managed ? (
            <span className="muted">from this app</span>
          ) : (
            <span className="muted">by `benchtop serve` (process {d.pid})</span>
          )}
        </dd>
        {d.token ? (
          <>
            <dt>Token</dt>
            <dd>
              <code className="deploy-token">{d.token}</code>{' '}
              <span className="muted">send as Authorization: Bearer …</span>
            </dd>
          </>
        ) : null}
      </dl>
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="button" className="danger-text" onClick={stop} disabled={busy}>
          {busy ? 'Stopping…' : 'Stop'}
        </button>
      </div>
    </div>
  );
}

const WINDOWS = [
  { seconds: 300, label: 'Last 5 minutes' },
  { seconds: 3600, label: 'Last hour' },
  { seconds: 86_400, label: 'Last 24 hours' },
];

function LiveActivity({ model, live }: { model: string; live: boolean }) {
  const [windowSeconds, setWindowSeconds] = useState(300);
  const [stats, reloadStats] = useCall('deployments.stats', { model, windowSeconds });
  const [requests, reloadRequests] = useCall('deployments.requests', { model, limit: 20 });
  const reload = () => {
    reloadStats();
    reloadRequests();
  };
  useRequestsLogged(reload, model);
  useDeploymentsChanged(reload, model);
  // While serving, the time axis moves on even when no request arrives.
  useEffect(() => {
    if (!live) return;
    const t = setInterval(reloadStats, 5000);
    return () => clearInterval(t);
  }, [live, reloadStats]);
  return (
    <>
      <div className="models-panel-head">
        <h4 className="card-subtitle">Activity</h4>
        {stats.status === 'ready' ? (
          <span className="muted deploy-totals" aria-label="Totals">
            {stats.data.totals.requests.toLocaleString()} requests · p50 {stats.data.totals.p50?.toFixed(1) ?? '—'} ms ·
            p95 {stats.data.totals.p95?.toFixed(1) ?? '—'} ms · p99 {stats.data.totals.p99?.toFixed(1) ?? '—'} ms ·{' '}
            {stats.data.totals.serverErrors} 5xx · {stats.data.totals.clientErrors} 4xx
          </span>
        ) : null}
        <span className="spacer" />
        <select
          aria-label="Window"
          className="field-input"
          value={windowSeconds}
          onChange={(e) => setWindowSeconds(Number(e.target.value))}
        >
          {WINDOWS.map((w) => (
            <option key={w.seconds} value={w.seconds}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      <CallView state={stats} reload={reloadStats}>
        {(s) => <DeploymentCharts stats={s} />}
      </CallView>
      <h4 className="card-subtitle">Latest requests</h4>
      <CallView state={requests} reload={reloadRequests}>
        {(r) => <RequestsTable requests={r.requests} />}
      </CallView>
    </>
  );
}

export function DeploymentPanel({ version: v }: { version: ModelVersionDetail }) {
  const [list, reload] = useCall('deployments.list', { model: v.name });
  useDeploymentsChanged(reload, v.name);
  return (
    <section className="models-panel deploy-panel" aria-label="Deployment">
      <h3>Deployment</h3>
      <CallView state={list} reload={reload}>
        {({ deployments }) => {
          const running = deployments.find((d) => d.state === 'running');
          const last = deployments[0];
          return (
            <>
              {running ? (
                <RunningStatus d={running} v={v} onStopped={reload} />
              ) : (
                <>
                  {last ? (
                    <p className="muted deploy-last">
                      <StateChip d={last} /> Last deployment {last.ref} at {last.url},{' '}
                      {last.state === 'gone' ? 'ended without stopping' : 'stopped'} {formatDate(last.stoppedAt)}
                      {last.stopReason && last.state !== 'gone' ? ` (${last.stopReason})` : ''}.
                    </p>
                  ) : (
                    <p className="muted">
                      Not deployed. Deploy serves the model on a local HTTP endpoint and logs every prediction to the
                      project.
                    </p>
                  )}
                  <DeployForm v={v} onStarted={reload} />
                </>
              )}
              {running?.managed ? (
                <>
                  <h4 className="card-subtitle">Try it</h4>
                  <TryIt deploymentId={running.id} model={v} signature={v.signature} />
                </>
              ) : null}
              {deployments.length > 0 ? <LiveActivity model={v.name} live={running !== undefined} /> : null}
            </>
          );
        }}
      </CallView>
    </section>
  );
}
