// Runs in: renderer. The versions of one tracked dataset, newest first, with the workspace on top:
// tick two to compare them, or restore one.
import type { DataStatusRow, DataUsage, DataVersion } from '../../../../shared/contract';
import { CallView } from '../../components/CallView';
import { formatBytes, formatDate } from '../../components/format';
import { Table, type Column } from '../../components/Table';
import { useCall } from '../../hooks/use-call';
import { useApp } from '../../store/app-store';
import { StatusBadges } from './Badges';
import { orderPair, shapeText, shortHash } from './data-format';

type Entry = { rev: 'workspace'; row: DataStatusRow } | { rev: string; version: DataVersion };
type Usage = DataUsage['versions'][number];

const SHOWN_RUNS = 3;

/** Lineage: the runs that read this version (a click opens the run) and the model versions they made. */
function UsedBy({ usage }: { usage: Usage | undefined }) {
  const runs = usage?.runs.filter((r) => !r.deleted) ?? [];
  const models = usage?.models ?? [];
  if (runs.length === 0 && models.length === 0) return <span className="muted">—</span>;
  return (
    <span className="data-used-by">
      {runs.slice(0, SHOWN_RUNS).map((r) => (
        <button
          key={r.id}
          type="button"
          className="link"
          title={`${r.name} (${r.id}), ${r.status}`}
          onClick={() => useApp.getState().openRun(r.id)}
        >
          {r.name}
        </button>
      ))}
      {runs.length > SHOWN_RUNS ? <span className="muted">+{runs.length - SHOWN_RUNS} more</span> : null}
      {models.map((m) => (
        <span key={`${m.name}/${m.version}`} className="chip">
          {m.name} v{m.version}
        </span>
      ))}
    </span>
  );
}

export function Timeline({
  row,
  picked,
  onPick,
  onRestore,
  busy,
}: {
  row: DataStatusRow;
  picked: string[];
  onPick: (revs: string[]) => void;
  onRestore: (version: DataVersion) => void;
  busy: boolean;
}) {
  const [log, reload] = useCall('data.log', { path: row.path });
  const [usage] = useCall('data.usage', { path: row.path });
  const usageOf = (hash: string | undefined): Usage | undefined =>
    usage.status === 'ready' && hash ? usage.data.versions.find((v) => v.hash === hash) : undefined;
  const order = ['workspace', ...(log.status === 'ready' ? log.data.versions.map((v) => v.commit) : [])];
  const toggle = (rev: string) => {
    // A third tick replaces the earlier of the two, so the newest choice always shows.
    const next = picked.includes(rev) ? picked.filter((r) => r !== rev) : [...picked.slice(-1), rev];
    onPick(orderPair(next, order) ?? next);
  };
  const columns: Column<Entry>[] = [
    {
      header: 'Compare',
      cell: (e) => (
        <input
          type="checkbox"
          checked={picked.includes(e.rev)}
          onChange={() => toggle(e.rev)}
          aria-label={`Compare ${e.rev === 'workspace' ? 'the workspace' : `version ${shortHash(e.rev)}`}`}
        />
      ),
    },
    {
      header: 'Commit',
      cell: (e) => (e.rev === 'workspace' ? <strong>Workspace</strong> : <code>{shortHash(e.rev)}</code>),
    },
    { header: 'Date', cell: (e) => ('version' in e ? formatDate(e.version.date) : 'now') },
    { header: 'Author', cell: (e) => ('version' in e ? e.version.author : '') },
    {
      header: 'Message',
      cell: (e) =>
        'version' in e ? (
          e.version.problem ? (
            <span className="status-error">{e.version.problem}</span>
          ) : (
            e.version.message.split('\n')[0]
          )
        ) : (
          <StatusBadges row={e.row} />
        ),
    },
    {
      header: 'Size',
      cell: (e) => {
        // The status row measures the pointer; a modified workspace has not been measured yet.
        if (!('version' in e) && e.row.workspace !== 'unchanged') return '—';
        const size = 'version' in e ? (e.version.pointer?.size ?? null) : e.row.size;
        return size === null ? '—' : formatBytes(size);
      },
      numeric: true,
    },
    {
      header: 'Rows / files',
      cell: (e) =>
        'version' in e
          ? shapeText(e.version.pointer?.kind, e.version.pointer?.schema?.rows, e.version.pointer?.files)
          : e.row.workspace === 'unchanged'
            ? shapeText(e.row.kind, e.row.rows, e.row.files)
            : '—',
      numeric: true,
    },
    { header: 'Used by', cell: (e) => ('version' in e ? <UsedBy usage={usageOf(e.version.pointer?.hash)} /> : null) },
    {
      header: '',
      cell: (e) =>
        'version' in e && e.version.pointer ? (
          <button
            type="button"
            onClick={() => onRestore(e.version)}
            disabled={busy}
            aria-label={`Restore version ${shortHash(e.rev)}`}
          >
            Restore…
          </button>
        ) : null,
    },
  ];
  return (
    <section className="data-panel" aria-label={`Versions of ${row.path}`}>
      <header className="data-panel-head">
        <h2>Versions of {row.path}</h2>
        <span className="muted">Tick two rows to compare them.</span>
      </header>
      <CallView state={log} reload={reload}>
        {(data) => {
          const entries: Entry[] = [
            { rev: 'workspace', row },
            ...data.versions.map((v) => ({ rev: v.commit, version: v })),
          ];
          return data.versions.length === 0 ? (
            <p className="muted">No committed version yet: commit the pointer to start its history.</p>
          ) : (
            <Table label="Versions" columns={columns} rows={entries} rowKey={(e) => e.rev} />
          );
        }}
      </CallView>
    </section>
  );
}
