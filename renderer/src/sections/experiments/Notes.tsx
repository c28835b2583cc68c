// Runs in: renderer. A run's notes: shown as light markdown, edited as text, saved with runs.update.
import { useId, useState } from 'react';
import type { RunDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import { toastError } from '../../store/app-store';
import { NotesText } from './notes-text';

export function Notes({ run, onSaved }: { run: RunDetail; onSaved: (run: RunDetail) => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(run.notes);
  const [saving, setSaving] = useState(false);
  const helpId = useId();
  const save = () => {
    setSaving(true);
    api.call('runs.update', { id: run.id, notes: draft }).then(
      (updated) => {
        setSaving(false);
        setEditing(false);
        onSaved(updated);
      },
      (err: unknown) => {
        setSaving(false);
        toastError('Could not save the notes', err);
      },
    );
  };
  if (!editing) {
    return (
      <div className="notes">
        {run.notes.trim() ? (
          <NotesText notes={run.notes} />
        ) : (
          <p className="muted">No notes yet: why this run, what changed, what you learned.</p>
        )}
        <button
          type="button"
          onClick={() => {
            setDraft(run.notes);
            setEditing(true);
          }}
        >
          Edit notes
        </button>
      </div>
    );
  }
  return (
    <div className="notes">
      <label className="notes-editor">
        Notes
        <textarea
          className="field-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          rows={8}
          aria-describedby={helpId}
        />
      </label>
      <p id={helpId} className="muted field-help">
        Markdown: <code># heading</code>, <code>- item</code>, <code>`code`</code>; blank lines separate paragraphs.
      </p>
      <div className="row actions">
        <button type="button" className="primary" onClick={save} disabled={saving}>
          {saving ? 'Saving…' : 'Save notes'}
        </button>
        <button type="button" onClick={() => setEditing(false)} disabled={saving}>
          Cancel
        </button>
      </div>
    </div>
  );
}
