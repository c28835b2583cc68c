// Runs in: renderer. Tracks a file or folder named by its path (data.add), for a project whose data/
// folder is still empty: the data may live elsewhere in the project. The core's refusal (no such
// file, a path outside the project) is shown under the field, and nothing is tracked.
import { useId, useState, type FormEvent } from 'react';
import { BenchtopError } from '../../../../shared/contract';
import { api } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { useApp } from '../../store/app-store';

export function TrackDialog({ onClose, onTracked }: { onClose: () => void; onTracked: () => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const helpId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('data.add', { paths: [path.trim()] });
      useApp.getState().toast({
        kind: 'info',
        title: 'Tracked',
        message: `${r.results.map((x) => x.pointer).join(', ')} written; commit it to record the version.`,
      });
      onClose();
      onTracked();
    } catch (err) {
      setBusy(false);
      const b = err instanceof BenchtopError ? err : null;
      setError(b ? `${b.message}${b.hint ? ` ${b.hint}` : ''}` : String(err));
    }
  };
  return (
    <Dialog title="Track a file" describedBy={helpId} onCancel={onClose}>
      <form className="models-form" onSubmit={(e) => void submit(e)}>
        <p id={helpId} className="muted">
          Its content goes to the project's cache and a small <code>.bt</code> pointer goes to git, so each version can
          be restored.
        </p>
        <TextField
          label="File or folder"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="data/train.csv"
          hint="A path inside the project."
          error={error ?? undefined}
        />
        <div className="row actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || path.trim() === ''}>
            {busy ? 'Tracking…' : 'Track'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
