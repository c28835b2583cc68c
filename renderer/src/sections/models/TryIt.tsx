// Runs in: renderer. Sends a JSON record (or a batch) to a running deployment and shows its answer.
// The request goes through the core (deployments.try): the page's content security policy lets it
// reach only the app itself, and the core adds the endpoint's token when it has one. The box starts
// with a real row the model has seen (models.sampleInput), so the first answer means something.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ModelSignature } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { TextAreaField } from '../../components/TextField';
import { useCall } from '../../hooks/use-call';

/** A record with every signature input, so the box starts as something the endpoint accepts. */
export function sampleRecord(signature: ModelSignature | null): string {
  if (!signature || signature.inputs.length === 0) return '{}';
  const value = (type: string): unknown =>
    type === 'integer' || type === 'number' ? 0 : type === 'boolean' ? false : '';
  return JSON.stringify(Object.fromEntries(signature.inputs.map((c) => [c.name, value(c.type)])), null, 2);
}

export function TryIt({
  deploymentId,
  model,
  signature,
}: {
  deploymentId: string;
  model: { name: string; version: number };
  signature: ModelSignature | null;
}) {
  const [body, setBody] = useState(() => sampleRecord(signature));
  const [sample] = useCall('models.sampleInput', { name: model.name, version: model.version });
  // The sample replaces the placeholder once it arrives, unless something was typed by then.
  const edited = useRef(false);
  useEffect(() => {
    if (sample.status === 'ready' && !edited.current) setBody(JSON.stringify(sample.data.record, null, 2));
  }, [sample]);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ status: number; latencyMs: number; body: unknown } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const helpId = useId();
  const send = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.call('deployments.try', { id: deploymentId, body }).then(
      (a) => {
        setBusy(false);
        setAnswer(a);
      },
      (err: unknown) => {
        setBusy(false);
        setAnswer(null);
        setError(err instanceof BenchtopError ? err.message : String(err));
      },
    );
  };
  return (
    <form className="models-form deploy-try" onSubmit={send} aria-label="Try it">
      <TextAreaField
        label="Request body (JSON)"
        mono
        value={body}
        onChange={(e) => {
          edited.current = true;
          setBody(e.target.value);
        }}
        rows={10}
        spellCheck={false}
        aria-describedby={helpId}
        hint={sample.status === 'ready' ? sample.data.note : undefined}
      />
      <p id={helpId} className="muted field-help">
        One record as an object, or several as an array; sent as <code>POST /predict</code>.
      </p>
      <div className="row">
        <button type="submit" disabled={busy || body.trim() === ''}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {answer ? (
        <div className="deploy-answer" aria-label="Answer">
          <p>
            <span
              className={`status ${answer.status >= 500 ? 'status-failed' : answer.status >= 400 ? 'status-running' : 'status-succeeded'}`}
            >
              HTTP {answer.status}
            </span>{' '}
            <span className="muted">in {answer.latencyMs.toFixed(1)} ms</span>
          </p>
          <pre>{typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2)}</pre>
        </div>
      ) : null}
    </form>
  );
}
