// Runs in: renderer. Registers a run's model (an artifact, a pipeline output or a folder of logged
// artifacts) as a new version of a named model, optionally pointing an alias at it; then opens
// the new version. The core's refusals (bad name, reserved alias, changed output) are shown here.
// Without a run (the models list's empty state) it registers a file or folder of the project.
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { RunDetail } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { useCall } from '../../hooks/use-call';
import { toastError, useApp } from '../../store/app-store';
import { aliasSuggestions } from './AliasDialog';
import { artifactChoices, defaultChoice } from './artifact-choices';
import { Dialog } from '../../components/Dialog';
import { SelectField, TextAreaField, TextField } from '../../components/TextField';
import './models.css';

export function RegisterDialog({ run, onClose }: { run: RunDetail | null; onClose: () => void }) {
  const [models] = useCall('models.list', {});
  const artifacts = run?.artifacts;
  const choices = useMemo(() => (artifacts ? artifactChoices(artifacts) : []), [artifacts]);
  const [name, setName] = useState('');
  // From a run, one of its artifacts; without one, a path in the project.
  const [artifact, setArtifact] = useState(() => defaultChoice(choices));
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const namesId = useId();
  const aliasesId = useId();
  const helpId = useId();
  const artifactId = useId();
  const nameHelpId = useId();
  const known = models.status === 'ready' ? models.data.models : [];
  const existing = known.find((m) => m.name === name.trim());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    let registered: { name: string; version: number } | null = null;
    try {
      const v = await api.call('models.register', {
        name: name.trim(),
        ...(run ? { runId: run.id, artifact } : { path: artifact.trim() }),
        description: description.trim(),
      });
      registered = { name: v.name, version: v.version };
      if (alias.trim())
        await api.call('models.setAlias', {
          name: v.name,
          alias: alias.trim(),
          version: v.version,
          reason: reason.trim(),
        });
      useApp.getState().toast({
        kind: 'info',
        title: 'Model registered',
        message: `${v.name} v${v.version}${alias.trim() ? ` is now ${v.name}@${alias.trim()}` : ''}.`,
      });
      onClose();
      useApp.getState().openModelVersion(v.name, v.version);
    } catch (err) {
      setBusy(false);
      if (registered) {
        // The version exists; only the alias was refused, so say so and show the version anyway.
        toastError(`${registered.name} v${registered.version} was registered, but the alias was not set`, err);
        onClose();
        useApp.getState().openModelVersion(registered.name, registered.version);
        return;
      }
      const b = err instanceof BenchtopError ? err : null;
      setError({ message: b ? b.message : String(err), ...(b?.hint ? { hint: b.hint } : {}) });
    }
  };

  return (
    <Dialog
      title={run ? `Register a model from ${run.name}` : 'Register a model'}
      describedBy={helpId}
      onCancel={onClose}
      className="register-dialog"
    >
      <form className="models-form" onSubmit={(e) => void submit(e)}>
        <p id={helpId} className="muted">
          {run
            ? "The artifact's bytes are kept in the project's cache with a snapshot of this run's params, metrics, data versions and commit, so the version stays whole even if the run is deleted."
            : "The file's bytes are kept in the project's cache, so the version stays whole when the file changes. A model registered from a run also keeps the run's params, metrics and data versions: open the run in Experiments and choose Register model."}
        </p>
        <TextField
          label="Model name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          list={namesId}
          required
          autoComplete="off"
          maxLength={100}
          aria-describedby={nameHelpId}
        />
        <datalist id={namesId}>
          {known.map((m) => (
            <option key={m.name} value={m.name} />
          ))}
        </datalist>
        <p id={nameHelpId} className="muted field-help" aria-live="polite">
          {name.trim() === ''
            ? 'Letters, digits, “_”, “-” or “.”; an existing name adds a version to that model.'
            : existing
              ? `Adds v${(existing.latestVersion ?? 0) + 1} to ${existing.name}.`
              : `Creates the model ${name.trim()} with v1.`}
        </p>
        {!run ? (
          <TextField
            label="File or folder"
            value={artifact}
            onChange={(e) => setArtifact(e.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="models/model.pkl"
            hint="A path inside the project."
          />
        ) : choices.length ? (
          <SelectField label="Artifact" value={artifact} onChange={(e) => setArtifact(e.target.value)}>
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </SelectField>
        ) : (
          <div className="form-field">
            <label htmlFor={artifactId}>Artifact</label>
            <span id={artifactId} className="muted">
              This run has no artifacts or outputs to register.
            </span>
          </div>
        )}
        <TextAreaField
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={3}
          maxLength={20000}
        />
        <div className="form-pair">
          <TextField
            label="Alias (optional)"
            value={alias}
            onChange={(e) => setAlias(e.target.value)}
            list={aliasesId}
            autoComplete="off"
          />
          <datalist id={aliasesId}>
            {aliasSuggestions(existing ? existing.aliases.map((a) => a.alias) : []).map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <TextField
            label="Reason for the alias"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            disabled={alias.trim() === ''}
            maxLength={2000}
          />
        </div>
        {error ? (
          <div className="form-error" role="alert">
            <p>{error.message}</p>
            {error.hint ? <p className="hint">{error.hint}</p> : null}
          </div>
        ) : null}
        <div className="row actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || name.trim() === '' || artifact.trim() === ''}>
            {busy ? 'Registering…' : 'Register'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
