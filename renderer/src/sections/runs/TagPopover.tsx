// Runs in: renderer. Adds one tag (key=value) to the selected runs.
import { useState, type FormEvent } from 'react';
import { Popover } from '../../components/Popover';
import { parseTagInput } from './tag-input';

export function TagPopover({
  anchor,
  count,
  onClose,
  onTag,
}: {
  anchor: HTMLElement | null;
  count: number;
  onClose: () => void;
  onTag: (key: string, value: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseTagInput(text);
    if ('error' in parsed) {
      setProblem(parsed.error);
      return;
    }
    setBusy(true);
    try {
      await onTag(parsed.key, parsed.value);
      onClose();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popover anchor={anchor} onClose={onClose} label="Tag runs" className="tag-popover">
      <form onSubmit={submit}>
        <label className="stack">
          <span>
            Tag {count} {count === 1 ? 'run' : 'runs'} with
          </span>
          <input
            className="field-input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby="tag-help"
            aria-invalid={problem ? true : undefined}
            spellCheck={false}
          />
        </label>
        <p id="tag-help" className={problem ? 'field-error' : 'muted field-help'} role={problem ? 'alert' : undefined}>
          {problem ?? 'key=value, for example team=vision; an existing tag with that key is replaced.'}
        </p>
        <div className="row actions">
          <button type="submit" className="primary" disabled={busy}>
            Add tag
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Popover>
  );
}
