// Runs in: renderer. "3 runs deleted — Undo": deleted runs are only hidden, so the bar brings them
// back with runs.restore until it goes away.
import { useEffect } from 'react';

const LIFETIME_MS = 15_000;

export function UndoBar({ count, onUndo, onDismiss }: { count: number; onUndo: () => void; onDismiss: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [onDismiss]);
  return (
    <div className="undo-bar" role="status" aria-live="polite">
      <span>
        {count} {count === 1 ? 'run' : 'runs'} deleted
      </span>
      <button type="button" className="undo-button" onClick={onUndo}>
        Undo
      </button>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
