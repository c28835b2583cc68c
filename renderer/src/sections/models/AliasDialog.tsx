// Runs in: renderer. Points an alias at a version: the alias (common ones and this model's own
// suggested), the version, and the reason for the audit log. The core checks the name (reserved
// `latest` and `v<digits>` are refused) and its message is shown here as it says it.
import { useId, useState, type FormEvent } from 'react';
import type { ModelDetail } from '../../../../shared/contract';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { SelectField, TextField } from '../../components/TextField';

const COMMON = ['champion', 'challenger', 'production'];

export function aliasSuggestions(existing: readonly string[]): string[] {
  return [...new Set([...COMMON, ...existing])];
}

export function AliasDialog({
  model,
  version,
  onClose,
  onDone,
}: {
  model: ModelDetail;
  version?: number;
  onClose: () => void;
  onDone: (model: ModelDetail) => void;
}) {
  const choices = model.versions.filter((v) => !v.archived || v.version === version);
  const [alias, setAlias] = useState('');
  const [picked, setPicked] = useState(version ?? choices[0]?.version ?? 0);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const helpId = useId();
  const current = model.aliases.find((a) => a.alias === alias.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.call('models.setAlias', { name: model.name, alias: alias.trim(), version: picked, reason: reason.trim() }).then(
      (m) => {
        setBusy(false);
        onDone(m);
      },
      (err: unknown) => {
        setBusy(false);
        const e = err instanceof BenchtopError ? err : null;
        setError({ message: e ? e.message : String(err), ...(e?.hint ? { hint: e.hint } : {}) });
      },
    );
  };
  return (
    <Dialog title={`Set an alias of ${model.name}`} describedBy={helpId} onCancel={onClose}>
      <form className="models-form" onSubmit={submit}>
        <p id={helpId} className="muted">
          <code>{model.name}@alias</code> then names this version everywhere (the CLI, pipelines). An alias that is set
          moves; the change and its reason are kept in the audit log.
        </p>
        <TextField
          label="Alias"
          value={alias}
          onChange={(e) => setAlias(e.target.value)}
          list={listId}
          required
          autoComplete="off"
          aria-invalid={error ? true : undefined}
        />
        <datalist id={listId}>
          {aliasSuggestions(model.aliases.map((a) => a.alias)).map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <SelectField label="Version" value={picked} onChange={(e) => setPicked(Number(e.target.value))}>
          {choices.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
              {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
              {v.archived ? ' · archived' : ''}
            </option>
          ))}
        </SelectField>
        {current && current.version !== picked ? (
          <p className="muted">
            Moves {current.alias} from v{current.version} to v{picked}.
          </p>
        ) : null}
        <TextField
          label="Reason (kept in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={2000}
        />
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
          <button type="submit" className="primary" disabled={busy || alias.trim() === '' || choices.length === 0}>
            {busy ? 'Setting…' : 'Set alias'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
