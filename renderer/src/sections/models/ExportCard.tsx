// Runs in: renderer. Writes a version's model card into reports/ as self-contained HTML or PDF.
import { useState } from 'react';
import { api } from '../../api/client';
import { formatBytes } from '../../components/format';
import { toastError } from '../../store/app-store';

export function ExportCard({ name, version }: { name: string; version: number }) {
  const [busy, setBusy] = useState<'html' | 'pdf' | null>(null);
  const [written, setWritten] = useState<{ path: string; size: number } | null>(null);
  const run = (format: 'html' | 'pdf') => {
    setBusy(format);
    setWritten(null);
    api.call('models.card', { name, version, format }).then(
      (w) => {
        setWritten(w);
        setBusy(null);
      },
      (err: unknown) => {
        toastError('Could not write the model card', err);
        setBusy(null);
      },
    );
  };
  return (
    <div className="export-report">
      <button type="button" onClick={() => run('html')} disabled={busy !== null}>
        {busy === 'html' ? 'Writing…' : 'Export card as HTML'}
      </button>
      <button type="button" onClick={() => run('pdf')} disabled={busy !== null}>
        {busy === 'pdf' ? 'Printing…' : 'Export card as PDF'}
      </button>
      {written ? (
        <span role="status" className="muted">
          Written to <code>{written.path}</code> ({formatBytes(written.size)}); it is listed under Reports.
        </span>
      ) : null}
    </div>
  );
}
