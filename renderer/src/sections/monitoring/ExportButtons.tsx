// Runs in: renderer. Writes the drift report into reports/ as HTML, PDF or JSON (drift.export) and
// says where each file went; the core never overwrites, so a second export gets a new name.
import { useState } from 'react';
import type { DriftRequest } from '../../../../shared/contract';
import { api } from '../../api/client';
import { formatBytes } from '../../components/format';
import { toastError } from '../../store/app-store';
import { ReportLink } from './ReportLink';

const FORMATS = [
  { format: 'html', label: 'Export HTML' },
  { format: 'pdf', label: 'Export PDF' },
  { format: 'json', label: 'Export JSON' },
] as const;

export function ExportButtons({ request }: { request: DriftRequest }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [written, setWritten] = useState<{ path: string; size: number }[]>([]);
  const run = async (format: (typeof FORMATS)[number]['format']) => {
    setBusy(format);
    try {
      const out = await api.call('drift.export', { ...request, format });
      setWritten((w) => [{ path: out.path, size: out.size }, ...w]);
    } catch (err) {
      toastError(`Could not export the ${format.toUpperCase()} report`, err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="drift-export">
      <div className="toolbar" role="group" aria-label="Export the report">
        {FORMATS.map((f) => (
          <button key={f.format} type="button" disabled={busy !== null} onClick={() => void run(f.format)}>
            {busy === f.format ? 'Writing…' : f.label}
          </button>
        ))}
      </div>
      <div role="status" aria-label="Exported files">
        {written.map((w) => (
          <p key={w.path} className="export-note">
            Written to <code>{w.path}</code> ({formatBytes(w.size)}){' '}
            <ReportLink path={w.path} label={`Open ${w.path}`} />
          </p>
        ))}
      </div>
    </div>
  );
}
