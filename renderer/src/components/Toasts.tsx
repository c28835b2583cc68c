// Runs in: renderer. Error and info toasts: what went wrong and what to do; Esc dismisses the newest.
import { useEffect } from 'react';
import { useApp } from '../store/app-store';

const LIFETIME_MS = 12_000;

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismiss);
  useEffect(() => {
    if (toasts.length === 0) return;
    const newest = toasts[toasts.length - 1]!;
    const timer = setTimeout(() => dismiss(newest.id), LIFETIME_MS);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') dismiss(newest.id);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [toasts, dismiss]);
  return (
    <div className="toasts" aria-live="assertive">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div className="toast-text">
            <strong>{t.title}</strong>
            {t.message ? <p>{t.message}</p> : null}
            {t.lines?.length ? (
              <ul className="toast-lines">
                {t.lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            ) : null}
            {t.more ? <p className="toast-more">{t.more}</p> : null}
            {t.hint ? <p className="hint">{t.hint}</p> : null}
            {t.action ? (
              <button type="button" className="toast-action" onClick={() => (dismiss(t.id), t.action!.run())}>
                {t.action.label}
              </button>
            ) : null}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
