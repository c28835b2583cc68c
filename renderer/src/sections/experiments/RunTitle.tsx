// Runs in: renderer. A run page's title: the run's name, renamed in place (Enter saves through
// runs.update, Escape cancels, a refusal is shown beside the field), and its id, small, with a
// copy button: names are for people, the id is what commands and links take.
import { useEffect, useRef, useState } from 'react';
import { BenchtopError, type RunDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import { PencilIcon } from '../../components/icons';
import './run-title.css';

export function RunTitle({ run, onRenamed }: { run: RunDetail; onRenamed: (run: RunDetail) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement | null>(null);
  const editButton = useRef<HTMLButtonElement | null>(null);
  const editing = draft !== null;
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);
  // Another run opened in this page: leave any edit of the previous one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the id change is the trigger.
  useEffect(() => {
    setDraft(null);
    setError(null);
  }, [run.id]);

  const stop = () => {
    setDraft(null);
    setError(null);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const save = async () => {
    if (draft === null || saving) return;
    const name = draft.trim();
    if (name === run.name) return stop();
    setSaving(true);
    try {
      onRenamed(await api.call('runs.update', { id: run.id, name }));
      stop();
    } catch (err) {
      setError(err instanceof BenchtopError || err instanceof Error ? err.message : String(err));
      input.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <div className="run-title editing">
        <h2 id="run-title" className="visually-hidden">
          {run.name}
        </h2>
        <input
          ref={input}
          className="field-input run-title-input"
          aria-label="Run name"
          aria-invalid={error !== null}
          aria-describedby={error ? 'run-title-error' : undefined}
          value={draft}
          disabled={saving}
          maxLength={10_000}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void save();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              stop();
            }
          }}
        />
        <span className="muted run-title-hint">Enter saves, Esc cancels</span>
        {error ? (
          <p id="run-title-error" role="alert" className="run-title-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="run-title">
      <h2 id="run-title">{run.name}</h2>
      <button
        ref={editButton}
        type="button"
        className="icon-button"
        aria-label="Rename run"
        title="Rename"
        onClick={() => setDraft(run.name)}
      >
        <PencilIcon />
      </button>
    </div>
  );
}

/** The run's id in small type, with a button that copies it. */
export function RunId({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard.writeText(id).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  return (
    <span className="run-id">
      Id <code>{id}</code>
      <button type="button" className="run-id-copy" aria-label="Copy run id" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
