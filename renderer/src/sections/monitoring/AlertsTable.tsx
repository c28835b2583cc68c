// Runs in: renderer. A monitor's alerts, newest first; an open one can be acknowledged.
import { useState } from 'react';
import type { MonitorAlert } from '../../../../shared/contract';
import { api } from '../../api/client';
import { formatDate } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { toastError, useApp } from '../../store/app-store';

export function AlertsTable({ alerts, onChanged }: { alerts: MonitorAlert[]; onChanged: () => void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const acknowledge = async (a: MonitorAlert) => {
    setBusy(a.id);
    try {
      await api.call('monitors.acknowledge', { id: a.id });
      onChanged();
    } catch (err) {
      toastError('Could not acknowledge the alert', err);
    } finally {
      setBusy(null);
    }
  };
  const columns: Column<MonitorAlert>[] = [
    { header: 'At', cell: (a) => formatDate(a.at) },
    { header: 'Batch', cell: (a) => a.batch ?? '—' },
    { header: 'Rule', cell: (a) => <code>{a.rule}</code> },
    { header: 'Message', cell: (a) => a.message },
    {
      header: 'Retraining',
      cell: (a) =>
        a.runId ? (
          <button type="button" className="link-button" onClick={() => useApp.getState().openRun(a.runId!)}>
            run {a.runId}
          </button>
        ) : (
          '—'
        ),
    },
    {
      header: 'State',
      cell: (a) =>
        a.acknowledgedAt ? (
          <span className="muted">Acknowledged {formatDate(a.acknowledgedAt)}</span>
        ) : (
          <button
            type="button"
            disabled={busy === a.id}
            onClick={() => void acknowledge(a)}
            aria-label={`Acknowledge alert ${a.id}: ${a.message}`}
          >
            Acknowledge
          </button>
        ),
    },
  ];
  if (alerts.length === 0) return <p className="muted">No alerts.</p>;
  return <Table label="Alerts" columns={columns} rows={alerts} rowKey={(a) => a.id} />;
}
