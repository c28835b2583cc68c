// Runs in: renderer. One editable text of a model card (description, intended use, limitations):
// shown as light markdown through the run notes' renderer (React text nodes, never innerHTML),
// edited as plain text and saved with models.update.
import { useId, useState } from 'react';
import type { ModelVersionDetail } from '../../../../shared/contract';
import { api } from '../../api/client';
import { toastError } from '../../store/app-store';
import { NotesText } from '../experiments/notes-text';

export type CardField = 'description' | 'intendedUse' | 'limitations';

export function MarkdownField({
  version,
  field,
  label,
  empty,
  onSaved,
}: {
  version: ModelVersionDetail;
  field: CardField;
  label: string;
  empty: string;
  onSaved: (v: ModelVersionDetail) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(version[field]);
  const [saving, setSaving] = useState(false);
  const helpId = useId();
  const text = version[field];
  const save = () => {
    setSaving(true);
    api.call('models.update', { name: version.name, version: version.version, [field]: draft }).then(
      (updated) => {
        setSaving(false);
        setEditing(false);
        onSaved(updated);
      },
      (err: unknown) => {
        setSaving(false);
        toastError(`Could not save the ${label.toLowerCase()}`, err);
      },
    );
  };
  if (!editing) {
    return (
      <div className="notes">
        {text.trim() ? <NotesText notes={text} /> : <p className="muted">{empty}</p>}
        <button
          type="button"
          onClick={() => {
            setDraft(text);
            setEditing(true);
          }}
          aria-label={`Edit ${label.toLowerCase()}`}
        >
          Edit
        </button>
      </div>
    );
  }
  return (
    <div className="notes">
      <label className="notes-editor">
        {label}
        <textarea
          className="field-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          rows={6}
          aria-describedby={helpId}
          autoFocus
        />
      </label>
      <p id={helpId} className="muted field-help">
        Markdown: <code># heading</code>, <code>- item</code>, <code>`code`</code>; blank lines separate paragraphs.
      </p>
      <div className="row actions">
        <button type="button" className="primary" onClick={save} disabled={saving}>
          {saving ? 'Saving…' : `Save ${label.toLowerCase()}`}
        </button>
        <button type="button" onClick={() => setEditing(false)} disabled={saving}>
          Cancel
        </button>
      </div>
    </div>
  );
}
